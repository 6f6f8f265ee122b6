import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/**
 * The narrow emergency (break-glass) read, the same whichever clause grants it: who the child is,
 * their legal status, where they are now and who works with them, and the risk levels that say how
 * urgent it is (ACCESS-POLICY.md, Break-glass).
 */
export const BREAK_GLASS_CLASSES: readonly SensitivityClass[] = [
  SensitivityClass.IDENTITY_BASIC,
  SensitivityClass.CASE_ADMINISTRATION,
  SensitivityClass.LEGAL_STATUS,
  SensitivityClass.PLACEMENT_LOCATION,
  SensitivityClass.RISK,
];

/**
 * The fields of a child (GraphQL names) a break-glass read does not reach: they answer empty (`[]`,
 * `null`, an empty page). Case references, identifiers, involvements, placement and legal-status
 * history, visits, protocol duties and what Tandem derives of the child say where the child was and
 * who else knows them, which an emergency does not need. The narrow read is the child's identity
 * (names, date of birth, sex: their class) and version, `legalStatus`, `currentPlacement`,
 * `allocations` (those now) and `riskFlags`;
 * records are closed by the policy's rules themselves. One list for the resolvers that answer empty
 * and for the child's receipt, which lists each of these the operation asked for as withheld.
 */
export const BREAK_GLASS_CLOSED_CHILD_FIELDS: ReadonlySet<string> = new Set([
  'careLeaverStatus',
  'careStatus',
  'caseReferences',
  'identifiers',
  'involvements',
  'justiceStatus',
  'leadProfessional',
  'legalStatusHistory',
  'lookedAfterHistory',
  'lookedAfterStatus',
  'obligations',
  'placements',
  'visits',
]);

/** How a child's receipt lists a field of BREAK_GLASS_CLOSED_CHILD_FIELDS asked for under break-glass. */
export const BREAK_GLASS_NARROW_READ = {
  rule: 'BREAK-GLASS-NARROW-READ',
  reason:
    "Outside break-glass's narrow read (name, date of birth, current legal status, current placement's address, workers allocated now, risk levels)",
} as const;

/** The shortest justification accepted, in meaningful characters (see meaningfulLength). */
export const MIN_JUSTIFICATION_CHARACTERS = 20;
const MIN_JUSTIFICATION_WORDS = 3;

/**
 * Letters and digits, a run of one character counting once, so that punctuation and padding
 * ("....", "aaaaaaaa") do not make a justification.
 */
export function meaningfulLength(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).filter((char, index, chars) => index === 0 || chars[index - 1] !== char).length;
}

/** Why a break-glass justification is not enough, or null when it is. */
export function justificationProblem(justification: string | null): string | null {
  const text = justification ?? '';
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  if (meaningfulLength(text) < MIN_JUSTIFICATION_CHARACTERS || words.length < MIN_JUSTIFICATION_WORDS) {
    return `Emergency access needs a written justification in X-Access-Justification: at least ${MIN_JUSTIFICATION_CHARACTERS} letters or digits in ${MIN_JUSTIFICATION_WORDS} or more words, saying what the emergency is`;
  }
  return null;
}
