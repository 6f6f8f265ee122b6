import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { responsibilityPolicySchema, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { DEFAULT_AUTHORITY, readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { ResponsibilityPolicyRepository } from 'src/responsibility/responsibility-policy.repository.js';

/** What the registry needs of the repository (tests give it a fake). */
export type ResponsibilityPolicyStore = Pick<ResponsibilityPolicyRepository, 'all' | 'insertVersion'>;

/**
 * The responsibility policies in force, one per local authority. Reviewed files are the only way
 * in: at start each new (id, version) is stored with an audit entry, and a file whose content
 * changed without a new version stops the start. For each file's policy the latest stored version
 * applies; an authority without a file gets the default authority's (DECISIONS §1).
 */
@Injectable()
export class ResponsibilityRegistry implements OnModuleInit {
  private readonly logger = new Logger(ResponsibilityRegistry.name);
  private byAuthority: ReadonlyMap<string, ResponsibilityPolicy> = new Map();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ResponsibilityPolicyRepository) private readonly repository: ResponsibilityPolicyStore,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<void> {
    const files = readResponsibilityFiles(this.config.policy.responsibilityDir);
    const stored = new Map((await this.repository.all()).map((row) => [`${row.id}@${row.version}`, row]));
    for (const { file, policy, checksum } of files) {
      const existing = stored.get(`${policy.id}@${policy.version}`);
      if (existing && existing.checksum !== checksum) {
        throw new Error(
          `Responsibility policy ${policy.id} version ${policy.version} (${file}) differs from the stored one: give the change a new version`,
        );
      }
      if (
        !existing &&
        (await this.repository.insertVersion(
          { id: policy.id, version: policy.version, localAuthority: policy.localAuthority, document: policy, checksum },
          `start-up on ${hostname()} from ${file}`,
        ))
      ) {
        this.logger.log(`Loaded responsibility policy ${policy.id} version ${policy.version}`);
      }
    }
    const latest = new Map<string, ResponsibilityPolicy>();
    for (const row of await this.repository.all()) latest.set(row.id, responsibilityPolicySchema.parse(row.document));
    const byAuthority = new Map<string, ResponsibilityPolicy>();
    for (const { policy } of files) {
      const current = latest.get(policy.id);
      if (current) byAuthority.set(current.localAuthority, current);
    }
    this.byAuthority = byAuthority;
  }

  /** The authority's policy, or the default authority's when it has none (or none is given). */
  forAuthority(localAuthorityCode: string | null): ResponsibilityPolicy {
    const policy = this.byAuthority.get(localAuthorityCode ?? DEFAULT_AUTHORITY) ?? this.byAuthority.get(DEFAULT_AUTHORITY);
    if (!policy) throw new Error('Responsibility policies are not loaded');
    return policy;
  }

  all(): readonly ResponsibilityPolicy[] {
    return [...this.byAuthority.values()];
  }
}
