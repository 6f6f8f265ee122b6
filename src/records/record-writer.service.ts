import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import { ChildrenService } from 'src/children/children.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { validateContent } from 'src/records/content/content-validation.js';
import { requireFinalContent } from 'src/records/content/final-requirements.js';
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
import { readableRange } from 'src/records/readable-versions.js';
import { type RecordView, toAcknowledgement } from 'src/records/records.mappers.js';
import {
  authorOf,
  recordAltered,
  requireOwner,
  requireStanding,
  requireWrite,
  versionAltered,
} from 'src/records/record-writes.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, AllocationRole } from 'src/vocabulary/children.enums.js';
import { RECORD_KINDS, RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';
import { londonToday } from 'src/common/time/london.js';

const KIND_BY_INPUT_FIELD = new Map(Object.values(RecordKind).map((kind) => [RECORD_CONTENTS[kind].inputField, kind]));

/** Changes to shared records: new records and versions, permissions, signatures, acknowledgements. */
@Injectable()
export class RecordWriter {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(RecordRestrictions) private readonly restrictions: RecordRestrictions,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

  /** A new record at version 1, FINAL unless the caller asks for a DRAFT (clients written before drafts get what they always had). */
  async create(principal: Principal, input: CreateRecordInput): Promise<RecordView> {
    const { kind, content, field } = contentOf(input.content);
    const status = input.status ?? RecordVersionStatus.FINAL;
    if (!RECORD_KINDS[kind].ownerKinds.includes(principal.agency.kind)) {
      throw TandemError.forbidden(`A ${principal.agency.kind} agency cannot own a ${kind} record`);
    }
    await this.children.requireVisible(principal, input.childId);
    await requireWrite(this.policy, principal, 'create', {
      childId: input.childId,
      owningAgencyId: principal.agency.id,
      kind,
      createdAt: new Date(),
      courtOrderReference: null,
      consentReference: null,
      thirdPartyPermissionReference: null,
    });
    await this.restrictions.checkWrite(principal, input.childId, kind, content);
    if (status === RecordVersionStatus.FINAL) requireFinalContent(kind, content, field);
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const record = await this.records.insert(
        work.manager,
        { childId: input.childId, kind, owningAgencyId: principal.agency.id },
        { content, status, ...authorOf(principal) },
      );
      versionAltered(work, 'createRecord', record, { before: null, after: record.currentVersion, status, supersedes: null });
      return record;
    });
    return this.reader.get(principal, saved.id);
  }

  /** A new version, FINAL unless the caller asks for a DRAFT. */
  async update(principal: Principal, input: UpdateRecordInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    const { kind, content, field } = contentOf(input.content);
    const status = input.status ?? RecordVersionStatus.FINAL;
    if (kind !== record.kind) {
      throw TandemError.badInput(
        `The record is a ${record.kind}; send its content as ${RECORD_CONTENTS[record.kind].inputField}`,
        'input.content',
      );
    }
    requireOwner(principal, record);
    await requireWrite(this.policy, principal, 'update', record);
    requireStanding(record);
    await this.restrictions.checkWrite(principal, record.childId, kind, content);
    // A stale version is answered as such before the content is judged against what FINAL needs.
    const moved = (currentVersion: number | undefined) =>
      TandemError.conflict('The record was changed since you read it', {
        expectedVersion: input.expectedVersion,
        currentVersion,
      });
    if (input.expectedVersion !== record.currentVersion) throw moved(record.currentVersion);
    if (status === RecordVersionStatus.FINAL) requireFinalContent(kind, content, field);
    const added = await this.addVersion(principal, 'updateRecord', record, input.expectedVersion, content, status);
    if (!added) throw moved((await this.records.findById(record.id))?.currentVersion);
    return this.reader.get(principal, record.id);
  }

  /** C1/C2: the owning agency records the court order, consent or third-party permission that lifts a gate. */
  async recordPermission(principal: Principal, input: RecordDisclosurePermissionInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.owningAgencyId !== principal.agency.id)
      throw TandemError.forbidden('Only the agency that owns a record records its permissions');
    await requireWrite(this.policy, principal, 'update', record);
    // A permission widens what the record discloses: a withdrawn record is kept as it was.
    requireStanding(record);
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
      recordAltered(work, 'recordDisclosurePermission', record);
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
    const allocated = await this.policy.isAllocated(
      record.childId,
      { subject: principal.subject, agencyId: principal.agency.id },
      AllocationRole.SOCIAL_WORKER,
    );
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
    requireStanding(record);
    const [latest] = await this.records.versions([{ recordId: record.id, version: record.currentVersion }]);
    if (!latest) throw TandemError.notFound('Record');
    // The YOS's draft is not the social worker's to read, let alone to sign into a FINAL version.
    if (latest.status !== RecordVersionStatus.FINAL || input.expectedVersion !== record.currentVersion) {
      throw TandemError.conflict('The plan was changed since you read it', { expectedVersion: input.expectedVersion });
    }
    const content = {
      ...latest.content,
      parentOrCarerSignature: {
        signedByName: principal.name,
        capacity: 'Allocated social worker, as parent/carer',
        signedOn: londonToday(),
      },
    };
    // The signed plan is the plan in force: a FINAL version (the social worker reads only FINAL versions).
    const added = await this.addVersion(
      principal,
      'signInterventionPlanAsParentCarer',
      record,
      input.expectedVersion,
      content,
      RecordVersionStatus.FINAL,
    );
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
    const readable = await this.reader.readable(principal, record);
    if (!readable.versions.some((entry) => entry.version === input.version)) {
      throw TandemError.badInput(readableRange(readable.versions), 'input.version');
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
    return toAcknowledgement(saved, this.directory);
  }

  /** Adds version `expectedVersion + 1`, in one unit of work; false when the record had moved on. */
  addVersion(
    principal: Principal,
    action: string,
    record: SharedRecordEntity,
    expectedVersion: number,
    content: Record<string, unknown>,
    status: RecordVersionStatus,
  ): Promise<boolean> {
    return this.unitOfWork.run(principal, async (work) => {
      const supersedes =
        status === RecordVersionStatus.FINAL ? await this.records.latestFinalVersion(work.manager, record.id) : null;
      const version = { content, status, ...authorOf(principal) };
      if (!(await this.records.addVersion(work.manager, record.id, expectedVersion, version))) return false;
      versionAltered(work, action, record, { before: expectedVersion, after: expectedVersion + 1, status, supersedes });
      return true;
    });
  }
}

function contentOf(input: RecordContentInput): { kind: RecordKind; content: Record<string, unknown>; field: string } {
  const present = Object.entries(input as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined);
  const [entry] = present;
  if (present.length !== 1 || !entry) {
    throw TandemError.badInput("Set exactly one field of content, the one for the record's kind", 'input.content');
  }
  const [field, value] = entry;
  const kind = KIND_BY_INPUT_FIELD.get(field);
  if (!kind) throw TandemError.badInput('Unknown record kind', `input.content.${field}`);
  const path = `input.content.${field}`;
  return { kind, content: validateContent(RECORD_CONTENTS[kind].content, value, path), field: path };
}
