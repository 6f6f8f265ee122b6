import type { AgencyKind } from 'src/vocabulary/children.enums.js';
import type { RuleRef } from 'src/responsibility/responsibility.types.js';
import { policyRef, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';

/**
 * Whether an agency of this kind may record a legal-status episode of this dimension: the rule that
 * lets it, or null (refused). Care bases are CSC's to record, justice status the youth justice
 * service's, from the court's outcome.
 */
export function recordingRule(
  policy: ResponsibilityPolicy,
  dimension: 'CARE' | 'JUSTICE',
  agencyKind: AgencyKind,
): RuleRef | null {
  const row = policy.recording.find(
    (candidate) => candidate.dimension === dimension && candidate.agencyKinds.includes(agencyKind),
  );
  return row ? { rule: row.rule, citation: row.citation, policy: policyRef(policy) } : null;
}
