/**
 * The part of the disclosure log an auditor may read. An auditor is a local authority's
 * information-governance function (ROLE_AGENCY_KINDS), so by default they read the entries of their
 * own authority's agencies (its CSC, YOS and leaving-care service): what those agencies received,
 * and what others received of those agencies' records. The auditors of agencies named in
 * AUDIT_NATIONAL_AGENCIES read everything.
 */
export type AuditScope =
  | { readonly kind: 'NATIONAL' }
  | { readonly kind: 'LOCAL_AUTHORITY'; readonly localAuthorityId: string }
  /** An agency outside any local authority: nothing (such tokens are refused for AUDITOR anyway). */
  | { readonly kind: 'NONE' };

export const NATIONAL_AUDIT_SCOPE: AuditScope = { kind: 'NATIONAL' };

/** The scope of an auditor of this agency. */
export function auditScopeFor(agency: { readonly localAuthorityId: string | null }, national: boolean): AuditScope {
  if (national) return NATIONAL_AUDIT_SCOPE;
  return agency.localAuthorityId ? { kind: 'LOCAL_AUTHORITY', localAuthorityId: agency.localAuthorityId } : { kind: 'NONE' };
}

/**
 * The agencies whose entries (as recipient or as owner of what was disclosed) the scope covers;
 * null means every entry. Audit queries filter the log's `agency_id` / `owning_agency_id` by it.
 */
export function auditedAgencyIds(
  scope: AuditScope,
  agencies: readonly { readonly id: string; readonly localAuthorityId: string | null }[],
): readonly string[] | null {
  switch (scope.kind) {
    case 'NATIONAL':
      return null;
    case 'LOCAL_AUTHORITY':
      return agencies.filter((agency) => agency.localAuthorityId === scope.localAuthorityId).map((agency) => agency.id);
    case 'NONE':
      return [];
  }
}
