import { auditedAgencyIds } from 'src/auth/audit-scope.js';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { type Page, toPage } from 'src/common/pagination/connection.js';
import { encodeCursor } from 'src/common/pagination/cursor.js';
import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { Agency } from 'src/directory/directory.model.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import type { LogFilter, LogRow } from 'src/audit-api/audit.repository.js';
import type { DisclosureEntry, DisclosureEntryKind, DisclosureOutcome } from 'src/audit-api/audit-log.models.js';

/** The log, the subject access report and the anomalies are read for purpose AUDIT only. */
export function requireAudit(principal: Principal): void {
  if (principal.requirePurpose() !== PurposeOfUse.AUDIT) {
    throw TandemError.forbidden('The disclosure log is read for purpose AUDIT only');
  }
}

/** The auditor's scope as a log filter: their local authority's agencies, or nothing more for a national one. */
export async function auditScopeFilter(principal: Principal, directory: AgencyDirectory): Promise<Pick<LogFilter, 'agencyIds'>> {
  const agencyIds = auditedAgencyIds(principal.auditScope, await directory.agencyRecords());
  return agencyIds === null ? {} : { agencyIds };
}

/** The receipt as it was sealed. */
export function bodyOf(row: LogRow): ReceiptBody {
  return row.receipt;
}

/** An agency the directory cannot give (it throws) is shown as null rather than failing the entry. */
export async function agencyOrNull(directory: AgencyDirectory, id: string): Promise<Agency | null> {
  try {
    return await directory.agency(id);
  } catch {
    return null;
  }
}

/** A page of log entries, keyed by the entries' ids. */
export async function entryPage(
  directory: AgencyDirectory,
  rows: readonly LogRow[],
  size: number,
): Promise<Page<DisclosureEntry>> {
  const page = toPage(rows, size, (row) => encodeCursor('', row.id));
  return {
    pageInfo: page.pageInfo,
    edges: await Promise.all(
      page.edges.map(async (edge) => ({ cursor: edge.cursor, node: await toEntry(directory, edge.node) })),
    ),
  };
}

export async function toEntry(directory: AgencyDirectory, row: LogRow): Promise<DisclosureEntry> {
  const body = bodyOf(row);
  const [agency, owningAgency] = await Promise.all([
    agencyOrNull(directory, body.recipient.agencyId),
    body.record?.owningAgencyId ? agencyOrNull(directory, body.record.owningAgencyId) : Promise.resolve(null),
  ]);
  return {
    id: row.id,
    recordedAt: new Date(body.at),
    entryKind: body.entry as DisclosureEntryKind,
    outcome: body.outcome as DisclosureOutcome,
    recipient: {
      subject: body.user.subject,
      name: body.user.name,
      roles: [...body.user.roles],
      agency,
      caseSystem: body.recipient.caseSystemCode,
      actor: body.actor?.subject ?? null,
    },
    childId: body.child,
    subject: body.record ? { kind: body.record.kind, id: body.record.id, version: body.record.version, owningAgency } : null,
    purpose: body.purpose,
    justification: body.justification,
    breakGlass: body.breakGlass,
    afterAllocationEnded: body.afterAllocationEnded,
    disclosedFields: [...body.disclosed],
    withheld: body.withheld.map((item) => ({ ...item })),
    bases: body.bases.map((basis) => ({
      sensitivityClass: basis.class,
      rule: basis.rule,
      lawfulBasis: basis.lawfulBasis,
      agreementId: basis.agreement?.id ?? null,
      agreementVersion: basis.agreement?.version ?? null,
      clause: basis.agreement?.clause ?? null,
      permissionKind: basis.permission?.kind ?? null,
      permissionId: basis.permission?.id ?? null,
      permissionReference: basis.permission?.reference ?? null,
    })),
    alteration: body.alteration ? { ...body.alteration } : null,
    lookup: body.lookup ?? null,
    correlationId: body.correlationId,
    operationName: body.operation.name,
    operationHash: body.operation.hash,
    channel: body.operation.channel,
  };
}
