import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { decodeCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { validateContent } from 'src/records/content/content-validation.js';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import {
  type AcknowledgeRecordInput,
  type CreateRecordInput,
  DisclosurePermissionKind,
  type RecordContentInput,
  type RecordDisclosurePermissionInput,
  type SignAsParentCarerInput,
  type UpdateRecordInput,
} from 'src/records/models/record.inputs.js';
import { AgencyKind, AllocationRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { requireText } from 'src/common/validation/text.js';
import type { RecordAcknowledgement, RecordVersionSummary } from 'src/records/models/shared-record.model.js';
import type { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import { type RecordView, toAuthor, toRecordView } from 'src/records/records.mappers.js';
import { RECORD_KINDS, RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { RiskFlag, RiskFlagKind } from 'src/records/models/risk-flag.model.js';
import type { RiskLevel } from 'src/records/content/common.content.js';
import { RECORD_TYPE_BY_KIND } from 'src/records/models/shared-record.model.js';
import { PolicyService, type RecordFacts } from 'src/policy/policy.service.js';
import { RecordRestrictions } from 'src/records/record-restrictions.service.js';
import { addGrants, withFacts } from 'src/policy/disclosure-facts.js';
import { EventType } from 'src/events/event-type.js';
import { OutboxService } from 'src/events/outbox.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';

const LOOKED_AFTER = new Set<string>([
  LegalStatusBasis.S20_ACCOMMODATED,
  LegalStatusBasis.S31_CARE_ORDER,
  LegalStatusBasis.INTERIM_CARE_ORDER,
  LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
]);

const RISK_FIELDS: readonly (readonly [RiskFlagKind, string])[] = [
  [RiskFlagKind.RISK_OF_REOFFENDING, 'riskOfReoffending'],
  [RiskFlagKind.RISK_OF_SERIOUS_HARM, 'riskOfSeriousHarm'],
  [RiskFlagKind.SAFETY_AND_WELLBEING, 'safetyAndWellbeing'],
];

/** Whether the projection withheld a field resolved separately (so its resolver must not fill it). */
function isWithheld(record: RecordView, field: string): boolean {
  return record.withheld.some((entry) => entry.field === field);
}

const KIND_BY_INPUT_FIELD = new Map(Object.values(RecordKind).map((kind) => [RECORD_CONTENTS[kind].inputField, kind]));

/** Shared records as a caller may see and change them. */
@Injectable()
export class RecordsService {
  private readonly loaders = new RequestLoaders('records');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(RecordRestrictions) private readonly restrictions: RecordRestrictions,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  /** A record at its latest version, or at `version`; NOT_FOUND when the caller may not see it. */
  async get(principal: Principal, recordId: string, version?: number | null): Promise<RecordView> {
    const record = await this.findVisible(principal, recordId);
    const wanted = version ?? record.currentVersion;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > record.currentVersion) {
      throw TandemError.badInput(`The record has versions 1 to ${record.currentVersion}`, 'version');
    }
    return this.view(principal, record, wanted);
  }

  /** Pages of a child's records; children asked for with the same arguments share one batch. */
  pageForChild(
    principal: Principal,
    childId: string,
    kinds: readonly RecordKind[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<RecordView>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : undefined;
    const kindList = kinds ? [...new Set(kinds)].sort() : undefined;
    return this.loaders
      .loader<string, Page<RecordView>>(
        principal,
        `records:${kindList?.join(',') ?? '*'}:${size}:${after ?? ''}`,
        async (ids) => {
          const filter = await this.policy.recordFilter(principal, { childId: 'r.child_id', record: 'r' }, ids);
          const rows = await this.records.pagesFor(ids, kindList, size + 1, cursor, filter);
          const grouped = groupBy(ids, rows, (row) => row.childId);
          return Promise.all(
            grouped.map(async (group) => {
              const page = toPage(group, size, (row) => encodeCursor(row.updatedAt.toISOString(), row.id));
              const edges = await Promise.all(
                page.edges.map(async (edge) => ({
                  cursor: edge.cursor,
                  node: await this.view(principal, edge.node, edge.node.currentVersion),
                })),
              );
              return { pageInfo: page.pageInfo, edges };
            }),
          );
        },
      )
      .load(childId);
  }

  /** Version history of a record already projected for the caller; null when that field was withheld. */
  versions(principal: Principal, record: RecordView): Promise<RecordVersionSummary[] | null> {
    if (isWithheld(record, 'versions')) return Promise.resolve(null);
    return this.loaders
      .loader<string, RecordVersionSummary[]>(principal, 'recordVersions', async (ids) => {
        const rows = await this.records.versionSummaries(ids);
        const grouped = groupBy(ids, rows, (row) => row.recordId);
        return Promise.all(
          grouped.map((group) =>
            Promise.all(
              group.map(async (row) => ({
                version: row.version,
                createdAt: row.createdAt,
                author: await toAuthor(row, this.directory),
              })),
            ),
          ),
        );
      })
      .load(record.id);
  }

  async create(principal: Principal, input: CreateRecordInput): Promise<RecordView> {
    const { kind, content } = this.contentOf(input.content);
    if (!RECORD_KINDS[kind].ownerKinds.includes(principal.agency.kind)) {
      throw TandemError.forbidden(`A ${principal.agency.kind} agency cannot own a ${kind} record`);
    }
    await this.children.requireVisible(principal, input.childId);
    await this.requireWrite(principal, 'create', {
      childId: input.childId,
      owningAgencyId: principal.agency.id,
      kind,
      createdAt: new Date(),
      courtOrderReference: null,
      consentReference: null,
      thirdPartyPermissionReference: null,
    });
    await this.restrictions.checkWrite(principal, input.childId, kind, content);
    const saved = await this.dataSource.transaction(async (manager) => {
      const record = await this.records.insert(
        manager,
        { childId: input.childId, kind, owningAgencyId: principal.agency.id },
        { content, ...this.authorOf(principal) },
      );
      await this.logAlteration(manager, principal, 'createRecord', record, null, record.currentVersion);
      return record;
    });
    return this.get(principal, saved.id);
  }

  async update(principal: Principal, input: UpdateRecordInput): Promise<RecordView> {
    const record = await this.findVisible(principal, input.recordId);
    const { kind, content } = this.contentOf(input.content);
    if (kind !== record.kind) {
      throw TandemError.badInput(
        `The record is a ${record.kind}; send its content as ${RECORD_CONTENTS[record.kind].inputField}`,
        'input.content',
      );
    }
    if (record.owningAgencyId !== principal.agency.id) {
      throw TandemError.forbidden('Only the agency that owns a record may change it');
    }
    await this.requireWrite(principal, 'update', record);
    await this.restrictions.checkWrite(principal, record.childId, kind, content);
    const added = await this.addVersion(principal, 'updateRecord', record, input.expectedVersion, content);
    if (!added) {
      const latest = await this.records.findById(record.id);
      throw TandemError.conflict('The record was changed since you read it', {
        expectedVersion: input.expectedVersion,
        currentVersion: latest?.currentVersion,
      });
    }
    return this.get(principal, record.id);
  }

  /** C1/C2: the owning agency records the court order, consent or third-party permission that lifts a gate. */
  async recordPermission(principal: Principal, input: RecordDisclosurePermissionInput): Promise<RecordView> {
    const record = await this.findVisible(principal, input.recordId);
    if (record.owningAgencyId !== principal.agency.id)
      throw TandemError.forbidden('Only the agency that owns a record records its permissions');
    await this.requireWrite(principal, 'update', record);
    const reference = requireText(input.reference, 'input.reference');
    const column =
      input.kind === DisclosurePermissionKind.COURT_ORDER
        ? 'courtOrderReference'
        : input.kind === DisclosurePermissionKind.CONSENT
          ? 'consentReference'
          : 'thirdPartyPermissionReference';
    await this.dataSource.transaction(async (manager) => {
      await this.records.setPermission(manager, record.id, column, reference);
      // The permission is set on the record itself: its content, and so its version, is unchanged.
      await this.logAlteration(
        manager,
        principal,
        'recordDisclosurePermission',
        record,
        record.currentVersion,
        record.currentVersion,
      );
    });
    return this.get(principal, record.id);
  }

  /** C16: only the child's allocated social worker, for a looked-after child, signs an intervention plan as parent/carer. */
  async signAsParentCarer(principal: Principal, input: SignAsParentCarerInput): Promise<RecordView> {
    const record = await this.findVisible(principal, input.recordId);
    if (record.kind !== RecordKind.INTERVENTION_PLAN)
      throw TandemError.badInput('Only an intervention plan is signed as parent/carer', 'input.recordId');
    const { allocated, basis } = await this.policy.allocationAndStatus(
      record.childId,
      principal.subject,
      AllocationRole.SOCIAL_WORKER,
    );
    if (principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE || !allocated) {
      throw TandemError.forbidden(
        'C16: only the allocated social worker signs as parent/carer; the YOS cannot act in loco parentis (001 §5.4, §5.8)',
      );
    }
    if (!basis || !LOOKED_AFTER.has(basis))
      throw TandemError.forbidden('C16: signing as parent/carer applies to a looked-after child');
    const [latest] = await this.records.versions([{ recordId: record.id, version: record.currentVersion }]);
    if (!latest) throw TandemError.notFound('Record');
    const content = {
      ...latest.content,
      parentOrCarerSignature: {
        signedByName: principal.name,
        capacity: 'Allocated social worker, as parent/carer',
        signedOn: new Date().toISOString().slice(0, 10),
      },
    };
    const added = await this.addVersion(principal, 'signInterventionPlanAsParentCarer', record, input.expectedVersion, content);
    if (!added)
      throw TandemError.conflict('The plan was changed since you read it', {
        expectedVersion: input.expectedVersion,
        currentVersion: record.currentVersion,
      });
    return this.get(principal, record.id);
  }

  /** The other agency acknowledges or comments on a version; the ability decides (never the owner's edit). */
  async acknowledge(principal: Principal, input: AcknowledgeRecordInput): Promise<RecordAcknowledgement> {
    const record = await this.findVisible(principal, input.recordId);
    if (record.owningAgencyId === principal.agency.id)
      throw TandemError.badInput('Your agency owns this record: update it instead', 'input.recordId');
    if (!Number.isInteger(input.version) || input.version < 1 || input.version > record.currentVersion) {
      throw TandemError.badInput(`The record has versions 1 to ${record.currentVersion}`, 'input.version');
    }
    const access = await this.policy.childAccess(principal, record.childId);
    if (!(await this.policy.canWrite(principal, 'acknowledge', this.policy.recordAttributes(principal, record, access)))) {
      throw TandemError.forbidden('Only staff allocated to the child (or their managers) acknowledge records');
    }
    const comment = input.comment == null ? null : requireText(input.comment, 'input.comment');
    if (comment && comment.length > 4000) throw TandemError.badInput('At most 4000 characters', 'input.comment');
    const saved = await this.dataSource.transaction(async (manager) => {
      const acknowledgement = await this.records.acknowledge(manager, {
        recordId: record.id,
        version: input.version,
        subject: principal.subject,
        name: principal.name,
        agencyId: principal.agency.id,
        comment,
      });
      await this.disclosure.recordAlteration(manager, principal, {
        action: 'acknowledgeRecord',
        childId: record.childId,
        kind: 'ACKNOWLEDGEMENT',
        id: acknowledgement.id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: acknowledgement.agencyId,
      });
      return acknowledgement;
    });
    return this.toAcknowledgement(saved);
  }

  acknowledgements(principal: Principal, record: RecordView): Promise<RecordAcknowledgement[] | null> {
    if (isWithheld(record, 'acknowledgements')) return Promise.resolve(null);
    return this.loaders
      .loader<string, RecordAcknowledgement[]>(principal, 'acknowledgements', async (ids) => {
        const rows = await this.records.acknowledgementsFor(ids);
        const grouped = groupBy(ids, rows, (row) => row.recordId);
        return Promise.all(grouped.map((group) => Promise.all(group.map((row) => this.toAcknowledgement(row)))));
      })
      .load(record.id);
  }

  private async toAcknowledgement(row: RecordAcknowledgementEntity): Promise<RecordAcknowledgement> {
    return {
      id: row.id,
      version: row.version,
      name: row.name,
      agency: await this.directory.agency(row.agencyId),
      comment: row.comment,
      createdAt: row.createdAt,
    };
  }

  /** Risk levels from the child's latest AssetPlus, each decided as that assessment's data (RISK). */
  riskFlags(principal: Principal, childId: string): Promise<RiskFlag[]> {
    return this.loaders
      .loader<string, RiskFlag[]>(principal, 'riskFlags', async (ids) => {
        const rows = await this.records.latestAssetPlus(ids);
        const byChild = new Map(rows.map((row) => [row.child_id, row]));
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
                    withFacts(
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
            return Promise.all(
              flags.map(async (flag) => {
                const projected = await this.policy.project(principal, RiskFlag, flag, attributes);
                return addGrants({ ...projected.value, withheld: projected.withheld }, projected.grants);
              }),
            );
          }),
        );
      })
      .load(childId);
  }

  /** The facts the policy decides on, for explainAccess; `viewer` null means an auditor (no visibility check). */
  async factsFor(viewer: Principal | null, recordId: string): Promise<RecordFacts & { id: string }> {
    const record = viewer
      ? await this.findVisible(viewer, recordId)
      : isUuid(recordId)
        ? await this.records.findById(recordId)
        : null;
    if (!record) throw TandemError.notFound('Record');
    return record;
  }

  /**
   * The record if the caller may see it; NOT_FOUND otherwise, logged as a consultation: DENIED
   * (with the record's child, kind and id) when it exists, NOT_FOUND when it does not.
   */
  private async findVisible(principal: Principal, recordId: string): Promise<SharedRecordEntity> {
    const filter = await this.policy.recordFilter(principal, { childId: 'r.child_id', record: 'r' });
    const record = isUuid(recordId) ? await this.records.findVisible(recordId, filter) : null;
    if (!record) {
      const hidden = isUuid(recordId) ? await this.records.findById(recordId) : null;
      this.disclosure.noteConsultation(principal, {
        outcome: hidden ? 'DENIED' : 'NOT_FOUND',
        childId: hidden?.childId ?? null,
        recordKind: hidden?.kind ?? null,
        recordId: hidden?.id ?? null,
        lookup: recordId,
      });
      throw TandemError.notFound('Record');
    }
    return record;
  }

  /** Adds version `expectedVersion + 1` and logs it, in one transaction; false when the record had moved on. */
  private addVersion(
    principal: Principal,
    action: string,
    record: SharedRecordEntity,
    expectedVersion: number,
    content: Record<string, unknown>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.records.addVersion(manager, record.id, expectedVersion, { content, ...this.authorOf(principal) }))) {
        return false;
      }
      await this.logAlteration(manager, principal, action, record, expectedVersion, expectedVersion + 1);
      return true;
    });
  }

  private async logAlteration(
    manager: EntityManager,
    principal: Principal,
    action: string,
    record: SharedRecordEntity,
    versionBefore: number | null,
    versionAfter: number | null,
  ): Promise<void> {
    await this.disclosure.recordAlteration(manager, principal, {
      action,
      childId: record.childId,
      kind: record.kind,
      id: record.id,
      versionBefore,
      versionAfter,
      owningAgencyId: record.owningAgencyId,
    });
    // A new version is published to the agencies whose policy lets them see the record.
    if (versionAfter !== null && versionAfter !== versionBefore) {
      await this.outbox.record(manager, principal, {
        type: EventType.RECORD_PUBLISHED,
        childId: record.childId,
        subjectKind: record.kind,
        subjectId: record.id,
        subjectVersion: versionAfter,
        facts: { recordId: record.id, kind: record.kind, version: versionAfter, owningAgencyId: record.owningAgencyId, action },
      });
    }
  }

  /** The ability decides writes too: the owning agency's allocated staff and their managers. */
  private async requireWrite(principal: Principal, action: 'create' | 'update', record: RecordFacts): Promise<void> {
    const access = await this.policy.childAccess(principal, record.childId);
    if (!(await this.policy.canWrite(principal, action, this.policy.recordAttributes(principal, record, access)))) {
      throw TandemError.forbidden(
        'Only staff of the owning agency allocated to the child (or their managers) may write its records',
      );
    }
  }

  private contentOf(input: RecordContentInput): { kind: RecordKind; content: Record<string, unknown> } {
    const present = Object.entries(input as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined);
    const [entry] = present;
    if (present.length !== 1 || !entry) {
      throw TandemError.badInput("Set exactly one field of content, the one for the record's kind", 'input.content');
    }
    const [field, value] = entry;
    const kind = KIND_BY_INPUT_FIELD.get(field);
    if (!kind) throw TandemError.badInput('Unknown record kind', `input.content.${field}`);
    return { kind, content: validateContent(RECORD_CONTENTS[kind].content, value, `input.content.${field}`) };
  }

  private authorOf(principal: Principal) {
    return {
      authorSubject: principal.subject,
      authorName: principal.name,
      authorAgencyId: principal.agency.id,
      authorCaseSystem: principal.caseSystem.code,
    };
  }

  private async view(principal: Principal, record: SharedRecordEntity, version: number): Promise<RecordView> {
    const row = await this.loaders
      .loader<string, Awaited<ReturnType<RecordRepository['versions']>>[number] | undefined>(
        principal,
        'recordVersion',
        async (keys) => {
          const pairs = keys.map((key) => {
            const [recordId = '', number = '0'] = key.split('@');
            return { recordId, version: Number(number) };
          });
          const rows = await this.records.versions(pairs);
          const byKey = new Map(rows.map((found) => [`${found.recordId}@${found.version}`, found]));
          return keys.map((key) => byKey.get(key));
        },
      )
      .load(`${record.id}@${version}`);
    if (!row) throw TandemError.notFound('Record version');
    const view = await toRecordView(record, row, this.directory);
    const access = await this.policy.childAccess(principal, record.childId);
    const projected = await this.policy.project(
      principal,
      RECORD_TYPE_BY_KIND[record.kind],
      view,
      this.policy.recordAttributes(principal, record, access),
    );
    return addGrants({ ...projected.value, withheld: projected.withheld }, projected.grants);
  }
}
