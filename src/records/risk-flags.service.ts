import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { RiskLevel } from 'src/records/content/common.content.js';
import { RiskFlag, RiskFlagKind } from 'src/records/models/risk-flag.model.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { describe } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';

const RISK_FIELDS: readonly (readonly [RiskFlagKind, string])[] = [
  [RiskFlagKind.RISK_OF_REOFFENDING, 'riskOfReoffending'],
  [RiskFlagKind.RISK_OF_SERIOUS_HARM, 'riskOfSeriousHarm'],
  [RiskFlagKind.SAFETY_AND_WELLBEING, 'safetyAndWellbeing'],
];

/** A child's risk flags: read from the latest AssetPlus, so each is that assessment's data. */
@Injectable()
export class RiskFlags {
  private readonly loaders = new RequestLoaders('riskFlags');

  constructor(
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /**
   * Risk levels from the child's latest AssetPlus, each decided as that assessment's data (RISK).
   * Under C3 (police and CPS while an investigation is open) the latest is the AssetPlus as it
   * stood before the investigation opened.
   */
  forChild(principal: Principal, childId: string): Promise<RiskFlag[]> {
    return this.loaders
      .loader<string, RiskFlag[]>(principal, 'forChild', async (ids) => {
        const cutoffs = await Promise.all(
          ids.map(async (id) => ({ childId: id, before: await this.policy.versionCutoff(principal, id) })),
        );
        const limited = cutoffs.flatMap(({ childId: id, before }) => (before ? [{ childId: id, before }] : []));
        const open = cutoffs.flatMap(({ childId: id, before }) => (before ? [] : [id]));
        const [rows, before] = await Promise.all([
          open.length > 0 ? this.records.latestAssetPlus(open) : Promise.resolve([]),
          this.records.latestAssetPlusBefore(limited),
        ]);
        const byChild = new Map([...rows, ...before].map((row) => [row.child_id, row]));
        return Promise.all(
          ids.map(async (id) => {
            const row = byChild.get(id);
            if (!row) return [];
            const access = await this.policy.childAccess(principal, id);
            const attributes = this.policy.detailAttributes(principal, row.owning_agency_id, access);
            const assessedBy = await this.directory.agency(row.owning_agency_id);
            const flags = RISK_FIELDS.flatMap(([kind, field]) => {
              const level = row.content[field];
              return typeof level === 'string'
                ? [
                    describe(
                      {
                        kind,
                        level: level as RiskLevel,
                        assessedOn: (row.content.assessmentDate as string | undefined) ?? null,
                        assessedBy,
                        withheld: [],
                      },
                      {
                        kind: 'RISK_FLAG',
                        id: row.id,
                        childId: id,
                        version: row.version,
                        owningAgencyId: row.owning_agency_id,
                        model: RiskFlag,
                      },
                    ),
                  ]
                : [];
            });
            return Promise.all(flags.map((flag) => this.discloser.disclose(principal, flag, attributes)));
          }),
        );
      })
      .load(childId);
  }
}
