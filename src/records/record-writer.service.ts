import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import { ChildrenService } from 'src/children/children.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { UnitOfWork, type Work } from 'src/events/unit-of-work.js';
import { validateContent } from 'src/records/content/content-validation.js';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import {
  type AcknowledgeRecordInput,
  type CreateRecordInput,
  type RecordContentInput,
  type RecordDisclosurePermissionInput,
  type SignAsParentCarerInput,
  type UpdateRecordInput,
} from 'src/records/models/record.inputs.js';
import type { RecordAcknowledgement } from 'src/records/models/shared-record.model.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { RecordRestrictions } from 'src/records/record-restrictions.service.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { recordPublished } from 'src/records/records.events.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { PolicyService, type RecordFacts } from 'src/policy/policy.service.js';
import { AgencyKind, AllocationRole } from 'src/vocabulary/children.enums.js';
import { RECORD_KINDS, RecordKind } from 'src/vocabulary/record-kind.js';

const KIND_BY_INPUT_FIELD = new Map(Object.values(RecordKind).map((kind) => [RECORD_CONTENTS[kind].inputField, kind]));

/** Changes to shared records: new records and versions, permissions, signatures, acknowledgements. */
@Injectable()
export class RecordWriter {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(RecordRestrictions) private readonly restrictions: RecordRestrictions,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

  async create(principal: Principal, input: CreateRecordInput): Promise<RecordView> {
    const { kind, content } = contentOf(input.content);
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
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const record = await this.records.insert(
        work.manager,
        { childId: input.childId, kind, owningAgencyId: principal.agency.id },
        { content, ...authorOf(principal) },
      );
      recordAltered(work, 'createRecord', record, null, record.currentVersion);
      return record;
    });
    return this.reader.get(principal, saved.id);
  }

  async update(principal: Principal, input: UpdateRecordInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    const { kind, content } = contentOf(input.content);
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
    return this.reader.get(principal, record.id);
  }

  /** C1/C2: the owning agency records the court order, consent or third-party permission that lifts a gate. */
  async recordPermission(principal: Principal, input: RecordDisclosurePermissionInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.owningAgencyId !== principal.agency.id)
      throw TandemError.forbidden('Only the agency that owns a record records its permissions');
    await this.requireWrite(principal, 'update', record);
    const reference = requireText(input.reference, 'input.reference');
    await this.unitOfWork.run(principal, async (work) => {
      const permission = await this.records.recordPermission(work.manager, {
        recordId: record.id,
        kind: input.kind,
        reference,
        recordedBy: principal.subject,
        recordedByAgencyId: principal.agency.id,
      });
      // The permission is set on the record itself: its content, and so its version, is unchanged.
      recordAltered(work, 'recordDisclosurePermission', record, record.currentVersion, record.currentVersion);
      // The permission has its own id, which receipts of what it lets out name: this entry says who recorded it.
      work.altered({
        action: 'recordDisclosurePermission',
        childId: record.childId,
        kind: 'DISCLOSURE_PERMISSION',
        id: permission.id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: record.owningAgencyId,
      });
    });
    return this.reader.get(principal, record.id);
  }

  /** C16: only the child's allocated social worker, for a looked-after child, signs an intervention plan as parent/carer. */
  async signAsParentCarer(principal: Principal, input: SignAsParentCarerInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.kind !== RecordKind.INTERVENTION_PLAN)
      throw TandemError.badInput('Only an intervention plan is signed as parent/carer', 'input.recordId');
    const allocated = await this.policy.isAllocated(record.childId, principal.subject, AllocationRole.SOCIAL_WORKER);
    if (principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE || !allocated) {
      throw TandemError.forbidden(
        'C16: only the allocated social worker signs as parent/carer; the YOS cannot act in loco parentis (001 §5.4, §5.8)',
      );
    }
    // The derived status (Table 4.2), so that a child on a care order sentenced to custody stays signable (T7).
    const { lookedAfter } = await this.responsibility.compute(record.childId);
    if (!lookedAfter.current?.lookedAfter) {
      throw TandemError.forbidden(
        `C16: signing as parent/carer applies to a looked-after child (${lookedAfter.current ? `not looked after under ${lookedAfter.current.rule}` : 'never looked after'})`,
      );
    }
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
    return this.reader.get(principal, record.id);
  }

  /** The other agency acknowledges or comments on a version; the ability decides (never the owner's edit). */
  async acknowledge(principal: Principal, input: AcknowledgeRecordInput): Promise<RecordAcknowledgement> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.owningAgencyId === principal.agency.id)
      throw TandemError.badInput('Your agency owns this record: update it instead', 'input.recordId');
    // Refused before the versions are named: a caller limited to earlier versions (C3) must not learn of later ones.
    const access = await this.policy.childAccess(principal, record.childId);
    if (!(await this.policy.canWrite(principal, 'acknowledge', this.policy.recordAttributes(principal, record, access)))) {
      throw TandemError.forbidden('Only staff allocated to the child (or their managers) acknowledge records');
    }
    if (!Number.isInteger(input.version) || input.version < 1 || input.version > record.currentVersion) {
      throw TandemError.badInput(`The record has versions 1 to ${record.currentVersion}`, 'input.version');
    }
    const comment = input.comment == null ? null : requireText(input.comment, 'input.comment');
    if (comment && comment.length > 4000) throw TandemError.badInput('At most 4000 characters', 'input.comment');
    const saved = await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      const acknowledgement = await this.records.acknowledge(manager, {
        recordId: record.id,
        version: input.version,
        subject: principal.subject,
        name: principal.name,
        agencyId: principal.agency.id,
        comment,
      });
      altered({
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
    return this.reader.acknowledgementOf(saved);
  }

  /** Adds version `expectedVersion + 1`, in one unit of work; false when the record had moved on. */
  private addVersion(
    principal: Principal,
    action: string,
    record: SharedRecordEntity,
    expectedVersion: number,
    content: Record<string, unknown>,
  ): Promise<boolean> {
    return this.unitOfWork.run(principal, async (work) => {
      if (!(await this.records.addVersion(work.manager, record.id, expectedVersion, { content, ...authorOf(principal) }))) {
        return false;
      }
      recordAltered(work, action, record, expectedVersion, expectedVersion + 1);
      return true;
    });
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
}

/** Notes a change to a record; a new version is also published to the agencies whose policy lets them see the record. */
function recordAltered(
  work: Work,
  action: string,
  record: SharedRecordEntity,
  versionBefore: number | null,
  versionAfter: number,
): void {
  work.altered({
    action,
    childId: record.childId,
    kind: record.kind,
    id: record.id,
    versionBefore,
    versionAfter,
    owningAgencyId: record.owningAgencyId,
  });
  if (versionAfter !== versionBefore) work.emit(recordPublished(record, versionAfter, action));
}

function contentOf(input: RecordContentInput): { kind: RecordKind; content: Record<string, unknown> } {
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

function authorOf(principal: Principal) {
  return {
    authorSubject: principal.subject,
    authorName: principal.name,
    authorAgencyId: principal.agency.id,
    authorCaseSystem: principal.caseSystem.code,
  };
}
