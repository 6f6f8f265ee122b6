import type { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { RuleRef } from 'src/responsibility/responsibility.types.js';
import { policyRef, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';

/**
 * Whether an agency of this kind, involved with the child now in these roles, may record a
 * legal-status episode of this dimension: the rule that lets it, or null (refused). Care bases are
 * CSC's to record, justice status the home youth justice service's, from the court's outcome (a
 * host YOS only caretakes).
 */
export function recordingRule(
  policy: ResponsibilityPolicy,
  dimension: 'CARE' | 'JUSTICE',
  recorder: {
    readonly agencyKind: AgencyKind;
    readonly involvementRoles: readonly InvolvementRole[];
    /** The roles any agency is involved with the child in now. */
    readonly heldRoles?: readonly InvolvementRole[];
    /** The recorder's agency's local authority, and the child's home authority (null: none). */
    readonly authorityId?: string | null;
    readonly childsAuthorityId?: string | null;
  },
): RuleRef | null {
  const row = policy.recording.find(
    (candidate) =>
      candidate.dimension === dimension &&
      candidate.agencyKinds.includes(recorder.agencyKind) &&
      (!candidate.involvementRoles || candidate.involvementRoles.some((role) => recorder.involvementRoles.includes(role))) &&
      (!candidate.unlessHeld || !(recorder.heldRoles ?? []).includes(candidate.unlessHeld)) &&
      (!candidate.childsAuthority || !recorder.childsAuthorityId || recorder.childsAuthorityId === recorder.authorityId),
  );
  return row ? { rule: row.rule, citation: row.citation, policy: policyRef(policy) } : null;
}
