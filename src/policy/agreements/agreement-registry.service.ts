import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import { agreementSchema, type SharingAgreement } from 'src/policy/agreements/agreement.schema.js';
import { AgreementRepository } from 'src/policy/agreements/agreement.repository.js';

export interface LoadedAgreement {
  readonly agreement: SharingAgreement;
  readonly checksum: string;
}

/**
 * The sharing agreements in force. Reviewed files in the repository are the only way in: at start
 * each new (id, version) is stored with an audit entry; a file whose content changed without a new
 * version stops the start. The latest stored version of each agreement is the one that applies.
 */
@Injectable()
export class AgreementRegistry implements OnModuleInit {
  private readonly logger = new Logger(AgreementRegistry.name);
  private latest: readonly LoadedAgreement[] = [];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AgreementRepository) private readonly repository: AgreementRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<void> {
    const stored = new Map((await this.repository.all()).map((row) => [`${row.id}@${row.version}`, row]));
    for (const { file, agreement, checksum } of readAgreementFiles(this.config.policy.agreementsDir)) {
      const existing = stored.get(`${agreement.id}@${agreement.version}`);
      if (existing && existing.checksum !== checksum) {
        throw new Error(
          `Sharing agreement ${agreement.id} version ${agreement.version} (${file}) differs from the stored one: give the change a new version`,
        );
      }
      for (const party of agreement.parties) {
        if (!(await this.directory.agencyByCode(party)))
          this.logger.warn(`Agreement ${agreement.id} names unknown agency ${party}`);
      }
      if (
        !existing &&
        (await this.repository.insertVersion(
          { ...agreement, document: agreement, checksum },
          `start-up on ${hostname()} from ${file}`,
        ))
      ) {
        this.logger.log(`Loaded sharing agreement ${agreement.id} version ${agreement.version}`);
      }
    }
    const byId = new Map<string, LoadedAgreement>();
    for (const row of await this.repository.all()) {
      byId.set(row.id, { agreement: agreementSchema.parse(row.document), checksum: row.checksum });
    }
    this.latest = [...byId.values()];
  }

  /** The latest version of every agreement, in force or not (expiry is decided per request). */
  agreements(): readonly LoadedAgreement[] {
    return this.latest;
  }
}
