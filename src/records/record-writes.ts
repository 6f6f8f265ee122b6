import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { Work } from 'src/events/unit-of-work.js';
import type { PolicyService, RecordFacts } from 'src/policy/policy.service.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { recordFinalised, recordPublished } from 'src/records/records.events.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';

/** The author columns of a version written by the caller. */
export function authorOf(principal: Principal) {
  return {
    authorSubject: principal.subject,
    authorName: principal.name,
    authorAgencyId: principal.agency.id,
    authorCaseSystem: principal.caseSystem.code,
  };
}

/** A new version: its status, and for a FINAL one the FINAL version it supersedes. */
export interface WrittenVersion {
  readonly before: number | null;
  readonly after: number;
  readonly status: RecordVersionStatus;
  readonly supersedes: number | null;
}

/**
 * Notes a new version of a record. A FINAL version is published to the agencies whose policy lets
 * them see the record, and raises RECORD_FINALISED (the evidence a duty waits for); a draft is the
 * owner's alone and raises nothing.
 */
export function versionAltered(work: Work, action: string, record: SharedRecordEntity, written: WrittenVersion): void {
  work.altered({
    action,
    childId: record.childId,
    kind: record.kind,
    id: record.id,
    versionBefore: written.before,
    versionAfter: written.after,
    owningAgencyId: record.owningAgencyId,
  });
  if (written.status !== RecordVersionStatus.FINAL) return;
  work.emit(recordPublished(record, written.after, action));
  work.emit(recordFinalised(record, written.after, action, written.supersedes));
}

/** Notes a change to the record itself that leaves its versions as they are (a permission, a withdrawal). */
export function recordAltered(work: Work, action: string, record: SharedRecordEntity): void {
  work.altered({
    action,
    childId: record.childId,
    kind: record.kind,
    id: record.id,
    versionBefore: record.currentVersion,
    versionAfter: record.currentVersion,
    owningAgencyId: record.owningAgencyId,
  });
}

/** Only the owning agency changes a record. */
export function requireOwner(principal: Principal, record: SharedRecordEntity): void {
  if (record.owningAgencyId !== principal.agency.id)
    throw TandemError.forbidden('Only the agency that owns a record may change it');
}

/** The ability decides writes too: the owning agency's allocated staff and their managers. */
export async function requireWrite(
  policy: PolicyService,
  principal: Principal,
  action: 'create' | 'update',
  record: RecordFacts,
): Promise<void> {
  const access = await policy.childAccess(principal, record.childId);
  if (!(await policy.canWrite(principal, action, policy.recordAttributes(principal, record, access)))) {
    throw TandemError.forbidden(
      'Only staff of the owning agency allocated to the child (or their managers) may write its records',
    );
  }
}

/** A withdrawn record is kept as it was: no new versions, signatures or copies. */
export function requireStanding(record: SharedRecordEntity): void {
  if (record.withdrawnAt) {
    throw TandemError.badInput('The record was withdrawn: it is kept as it was and cannot change', 'input.recordId');
  }
}
