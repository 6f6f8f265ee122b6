import type { Principal } from 'src/auth/principal.js';
import { Permission, Role } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import type { LogFilter, TeamManager } from 'src/audit-api/audit.repository.js';
import { auditScopeFilter } from 'src/audit-api/log-entries.js';

/**
 * The managers who may read the log for the periodic joint-case audit (DOMAIN S59, 002 §3.6: team
 * managers from both services run it), for their own team's children only.
 */
export const TEAM_AUDIT_ROLES: readonly Role[] = [Role.YOS_MANAGER, Role.CSC_TEAM_MANAGER];

/**
 * The entries a team manager sees: what was disclosed, refused and changed. Not auditors' queries
 * of the log (AUDIT_QUERY): an audit of the team's own practitioners is governance's business and
 * must not be visible to their manager.
 */
export const TEAM_AUDIT_ENTRY_KINDS: readonly string[] = ['DISCLOSURE', 'CONSULTATION', 'ALTERATION'];

/** Who reads the log, and the part of it they may read as a log filter. */
export type LogReader =
  | { readonly kind: 'AUDITOR'; readonly scope: Pick<LogFilter, 'agencyIds'> }
  | {
      readonly kind: 'TEAM_MANAGER';
      readonly manager: TeamManager;
      readonly scope: Required<Pick<LogFilter, 'agencyIds' | 'teamOf' | 'entryKinds'>>;
    };

/**
 * The reader of the log's entries (the list, one entry, the subject access report), always for
 * purpose AUDIT: an auditor, in their authority's scope (AuditScope); or a YOS or CSC team manager,
 * for the children with a current allocation to a practitioner of their team (the TEAM relationship)
 * and the entries their own agency received or whose records were disclosed — the joint case's
 * disclosures across the two services, and nothing of other agencies' dealings. Under AUDIT such
 * a manager reads no more child data than under any other purpose: no sharing agreement names AUDIT,
 * so nothing another agency shares, and their own agency's records as always (the policy's
 * OWN-AGENCY rule does not look at the purpose). Anyone else is refused.
 */
export async function logReader(principal: Principal, directory: AgencyDirectory): Promise<LogReader> {
  if (principal.requirePurpose() !== PurposeOfUse.AUDIT) {
    throw TandemError.forbidden('The disclosure log is read for purpose AUDIT only');
  }
  if (principal.can(Permission.AUDIT_READ)) return { kind: 'AUDITOR', scope: await auditScopeFilter(principal, directory) };
  if (principal.roles.some((role) => TEAM_AUDIT_ROLES.includes(role))) {
    const manager = { subject: principal.subject, agencyId: principal.agency.id };
    return {
      kind: 'TEAM_MANAGER',
      manager,
      scope: { agencyIds: [principal.agency.id], teamOf: manager, entryKinds: TEAM_AUDIT_ENTRY_KINDS },
    };
  }
  throw TandemError.forbidden("The disclosure log is read by auditors, and by team managers for their team's children");
}

/** What the log entry of a reader's query says about whose query it was. */
export function readerNote(reader: LogReader): Record<string, unknown> {
  return reader.kind === 'TEAM_MANAGER' ? { scope: 'TEAM' } : {};
}
