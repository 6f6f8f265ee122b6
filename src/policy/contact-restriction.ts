import type { ClassDecision } from 'src/policy/projection.js';

/** C10's refusal: what a contact restriction withholds (PLACEMENT_LOCATION, and fields that locate the child) is refused so. */
export const CONTACT_RESTRICTION: ClassDecision = {
  allowed: false,
  rule: 'C10',
  reason: 'A contact restriction hides where the child lives from the restricted party',
};
