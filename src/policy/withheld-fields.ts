import { ContextSlot, type Principal } from 'src/auth/principal.js';

/** A field of a child asked for and withheld whole, as the child's receipt lists it. */
export interface WithheldField {
  readonly field: string;
  readonly reason: string;
  readonly rule: string;
}

/** Per request: each child's fields withheld whole by a rule outside the field policy (kept by child id). */
const WITHHELD_FIELDS = new ContextSlot('withheldChildFields', () => new Map<string, Map<string, WithheldField>>());

/**
 * Notes that a field of the child (its GraphQL name) was asked for and answered empty because a rule
 * withheld it whole, e.g. outside break-glass's narrow read: its resolver answers `[]` or `null`,
 * which would otherwise read in the child's receipt as a field disclosed.
 */
export function noteWithheldField(principal: Principal, childId: string, withheld: WithheldField): void {
  const byChild = principal.slot(WITHHELD_FIELDS);
  let fields = byChild.get(childId);
  if (!fields) {
    fields = new Map();
    byChild.set(childId, fields);
  }
  if (!fields.has(withheld.field)) fields.set(withheld.field, withheld);
}

/** The child's fields noted as withheld whole in this request, by field; undefined when none was. */
export function withheldFieldsOf(principal: Principal, childId: string): ReadonlyMap<string, WithheldField> | undefined {
  return principal.peek(WITHHELD_FIELDS)?.get(childId);
}
