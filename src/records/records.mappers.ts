import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { CARE_HISTORY_FIELDS } from 'src/records/content/asset-plus.content.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import type { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import {
  CareHistoryCompleteness,
  RECORD_TYPE_BY_KIND,
  type RecordAcknowledgement,
  type RecordAuthor,
} from 'src/records/models/shared-record.model.js';
import type { VersionSummaryRow } from 'src/records/repositories/record.repository.js';
import { RECORD_KINDS, RecordKind } from 'src/vocabulary/record-kind.js';
import type { Withheld } from 'src/policy/projection.js';
import { type Described, describe, type RecordPermissions } from 'src/policy/disclosed.js';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';
import type { RecordStatus } from 'src/vocabulary/record-status.js';
import type { RecordWithdrawal } from 'src/records/models/record-lifecycle.model.js';
import type { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';

/** A record at one version, as the GraphQL types read it; `versions` resolves separately. */
export interface RecordView {
  readonly id: string;
  readonly kind: RecordKind;
  readonly category: string;
  readonly childId: string;
  readonly owningAgency: unknown;
  readonly version: number;
  readonly latestVersion: number;
  readonly status: RecordStatus;
  readonly withdrawal: RecordWithdrawal | null;
  readonly author: RecordAuthor;
  readonly versionCreatedAt: Date;
  readonly createdAt: Date;
  readonly content: Record<string, unknown>;
  readonly careHistoryCompleteness?: CareHistoryCompleteness;
  readonly careHistoryMissing?: string[];
  readonly withheld: readonly Withheld[];
}

export async function toAuthor(row: VersionSummaryRow, directory: AgencyDirectory): Promise<RecordAuthor> {
  return { name: row.authorName, agency: await directory.agency(row.authorAgencyId), caseSystem: row.authorCaseSystem };
}

/** How the caller reads the version: the latest they may read (C3, drafts), its status, and whether they see the withdrawal. */
export interface VersionReading {
  readonly latestVersion: number;
  readonly status: RecordStatus;
  /** False under C3 when the withdrawal came after the investigation opened. */
  readonly showsWithdrawal: boolean;
}

export async function toRecordView(
  record: SharedRecordEntity,
  version: SharedRecordVersionEntity,
  directory: AgencyDirectory,
  { latestVersion, status, showsWithdrawal }: VersionReading,
): Promise<Described<RecordView>> {
  const view: RecordView = {
    id: record.id,
    kind: record.kind,
    category: RECORD_KINDS[record.kind].category,
    childId: record.childId,
    owningAgency: await directory.agency(record.owningAgencyId),
    version: version.version,
    latestVersion,
    status,
    withdrawal: showsWithdrawal ? await withdrawalOf(record, directory) : null,
    author: await toAuthor(version, directory),
    versionCreatedAt: version.createdAt,
    createdAt: record.createdAt,
    content: version.content,
    withheld: [],
  };
  // A literal with a spread in it is built the slow way: only the one kind that needs more pays for it.
  return describe(record.kind === RecordKind.ASSET_PLUS ? { ...view, ...careHistory(version.content) } : view, {
    kind: record.kind,
    id: record.id,
    childId: record.childId,
    version: version.version,
    owningAgencyId: record.owningAgencyId,
    model: RECORD_TYPE_BY_KIND[record.kind],
  });
}

async function withdrawalOf(record: SharedRecordEntity, directory: AgencyDirectory): Promise<RecordWithdrawal | null> {
  if (!record.withdrawnAt || record.withdrawalReason === null) return null;
  return {
    withdrawnAt: record.withdrawnAt,
    reason: record.withdrawalReason,
    name: record.withdrawnByName ?? '',
    agency: await directory.agency(record.withdrawnByAgencyId ?? record.owningAgencyId),
  };
}

/** Which care-history items AssetPlus leaves unrecorded: the gap 004 found in most assessments. */
function careHistory(content: Record<string, unknown>): Pick<RecordView, 'careHistoryCompleteness' | 'careHistoryMissing'> {
  const section = (content.careHistory ?? {}) as Record<string, unknown>;
  const missing = CARE_HISTORY_FIELDS.filter((field) => section[field] === null || section[field] === undefined);
  const completeness =
    missing.length === 0
      ? CareHistoryCompleteness.COMPLETE
      : missing.length === CARE_HISTORY_FIELDS.length
        ? CareHistoryCompleteness.NOT_RECORDED
        : CareHistoryCompleteness.PARTIAL;
  return { careHistoryCompleteness: completeness, careHistoryMissing: [...missing] };
}

/** The permissions recorded on a record (C1, C2), which gated disclosures of it name. */
export function permissionsOf(record: SharedRecordEntity): RecordPermissions {
  const permission = (kind: DisclosurePermissionKind, id: string | null, reference: string | null) =>
    id && reference ? { kind, id, reference } : null;
  return {
    courtOrder: permission(DisclosurePermissionKind.COURT_ORDER, record.courtOrderPermissionId, record.courtOrderReference),
    consent: permission(DisclosurePermissionKind.CONSENT, record.consentPermissionId, record.consentReference),
    thirdParty: permission(
      DisclosurePermissionKind.THIRD_PARTY_PERMISSION,
      record.thirdPartyPermissionId,
      record.thirdPartyPermissionReference,
    ),
  };
}

/** An acknowledgement as the API shows it. */
export async function toAcknowledgement(
  row: RecordAcknowledgementEntity,
  directory: AgencyDirectory,
): Promise<RecordAcknowledgement> {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    agency: await directory.agency(row.agencyId),
    comment: row.comment,
    createdAt: row.createdAt,
  };
}
