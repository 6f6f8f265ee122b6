/**
 * # identity: one child across both case systems
 *
 * `scoreMatch(a, b)` says whether two agencies' descriptions of a child are the same child.
 *
 * Deterministic, on national identifiers (NHS number, PNC ID, UPN), each checked first (check
 * digit or letter; one that fails is ignored):
 * - the same valid identifier on both sides, none contradicting it: CONFIDENT when the names and
 *   date of birth bear it out (a name agrees and the score reaches the POSSIBLE threshold), else
 *   POSSIBLE — an identifier alone is not proof of who is asking about whom, and would otherwise
 *   let anyone holding a child's NHS number join that child and confirm guesses about them;
 * - a different valid identifier of the same kind: NO_MATCH, whatever the names say, so twins with
 *   their own NHS numbers are never joined (a temporary UPN is not conclusive: it gets replaced);
 * - one kind agreeing and another differing: POSSIBLE, for a practitioner to resolve.
 *
 * Scored, when no valid identifier is held by both sides: given and family names (exact, nickname or
 * transliteration, Double Metaphone with Jaro–Winkler, previous and alternative names, double-barrelled
 * and swapped names, less credit for the most frequent names), date of birth (exact, day and month
 * transposed, one digit off), sex as recorded, and postcode (full, outward code). Each comparison
 * adds or subtracts the points in `MatchWeights`; the sum is compared with `MatchThresholds`.
 *
 * Thresholds and weights are configuration: `DEFAULT_MATCH_THRESHOLDS` and `DEFAULT_MATCH_WEIGHTS`
 * (`match-config.ts`) until the environment schema supplies thresholds through
 * `validateMatchThresholds`. test/unit/child-matching.test.ts holds the table of pairs that pins them.
 *
 * The result names the attributes that agreed, never a value: the caller must learn nothing of
 * the other agency's record from it.
 */
import { RecordedSex, type ChildDescription } from 'src/identity/child-description.js';
import { compareDatesOfBirth } from 'src/identity/date-of-birth.js';
import {
  DEFAULT_MATCH_THRESHOLDS,
  DEFAULT_MATCH_WEIGHTS,
  type MatchThresholds,
  type MatchWeights,
} from 'src/identity/match-config.js';
import { MatchAttribute, MatchBasis, MatchOutcome, type MatchResult } from 'src/identity/match-result.js';
import { compareNames, type FamilyNameLevel, type GivenNameLevel, type NameAgreement } from 'src/identity/name-comparison.js';
import { compareNationalIdentifiers } from 'src/identity/national-identifiers.js';
import { comparePostcodes } from 'src/identity/postcode.js';

export function scoreMatch(
  a: ChildDescription,
  b: ChildDescription,
  thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS,
  weights: MatchWeights = DEFAULT_MATCH_WEIGHTS,
): MatchResult {
  const identifiers = compareNationalIdentifiers(a, b);
  const demographics = scoreDemographics(a, b, weights);
  const agreed = [...identifiers.same, ...demographics.agreed];
  const result = { score: demographics.score, agreed, partlyAgreed: demographics.partlyAgreed };
  if (identifiers.same.length > 0 && identifiers.different.length > 0) {
    return { ...result, outcome: MatchOutcome.POSSIBLE, basis: MatchBasis.CONFLICTING_IDENTIFIERS };
  }
  if (identifiers.same.length > 0) {
    const named = [...demographics.agreed, ...demographics.partlyAgreed].some(
      (attribute) => attribute === MatchAttribute.GIVEN_NAME || attribute === MatchAttribute.FAMILY_NAME,
    );
    const corroborated = named && demographics.score >= thresholds.possible;
    return {
      ...result,
      outcome: corroborated ? MatchOutcome.CONFIDENT : MatchOutcome.POSSIBLE,
      basis: MatchBasis.SAME_IDENTIFIER,
    };
  }
  if (identifiers.different.length > 0) {
    return { ...result, outcome: MatchOutcome.NO_MATCH, basis: MatchBasis.DIFFERENT_IDENTIFIER };
  }
  const outcome =
    demographics.score >= thresholds.confident
      ? MatchOutcome.CONFIDENT
      : demographics.score >= thresholds.possible
        ? MatchOutcome.POSSIBLE
        : MatchOutcome.NO_MATCH;
  return { ...result, outcome, basis: MatchBasis.SCORE };
}

interface Demographics {
  readonly score: number;
  readonly agreed: MatchAttribute[];
  readonly partlyAgreed: MatchAttribute[];
}

function scoreDemographics(a: ChildDescription, b: ChildDescription, weights: MatchWeights): Demographics {
  let score = 0;
  const agreed: MatchAttribute[] = [];
  const partlyAgreed: MatchAttribute[] = [];
  // Adds a comparison's points; a positive one names its attribute, as agreed when exact.
  const count = (attribute: MatchAttribute, points: number, exact: boolean) => {
    score += points;
    if (points > 0) (exact ? agreed : partlyAgreed).push(attribute);
  };

  const names = compareNames(a, b);
  const swapPenalty = names.swapped ? weights.swappedNamesPenalty / 2 : 0;
  if (names.given) {
    const points = givenNamePoints(names.given, weights) - swapPenalty;
    count(MatchAttribute.GIVEN_NAME, points, names.given.level === 'EXACT' && !names.swapped);
  }
  if (names.family) {
    const points = familyNamePoints(names.family, weights) - swapPenalty;
    count(MatchAttribute.FAMILY_NAME, points, names.family.level === 'EXACT' && !names.swapped);
  }

  const dateOfBirth = compareDatesOfBirth(a.dateOfBirth, b.dateOfBirth);
  if (dateOfBirth) {
    const { exact, transposed, oneDigit, disagree } = weights.dateOfBirth;
    const points = { EXACT: exact, TRANSPOSED: transposed, ONE_DIGIT: oneDigit, NONE: disagree }[dateOfBirth];
    count(MatchAttribute.DATE_OF_BIRTH, points, dateOfBirth === 'EXACT');
  }

  // Only female and male are compared: "indeterminate" and "not known" say nothing about the other record.
  const sexes = [a.sex, b.sex];
  if (sexes.every((sex) => sex === RecordedSex.FEMALE || sex === RecordedSex.MALE)) {
    count(MatchAttribute.SEX, a.sex === b.sex ? weights.sex.agree : weights.sex.disagree, true);
  }

  const postcode = comparePostcodes(a.postcode, b.postcode);
  if (postcode) {
    const points = { FULL: weights.postcode.full, OUTWARD: weights.postcode.outward, NONE: weights.postcode.disagree }[postcode];
    count(MatchAttribute.POSTCODE, points, postcode === 'FULL');
  }
  // Weights from configuration may be fractional; keep the sum free of floating-point dust.
  return { score: Math.round(score * 100) / 100, agreed, partlyAgreed };
}

function givenNamePoints(agreement: NameAgreement<GivenNameLevel>, weights: MatchWeights): number {
  const { exact, variant, phonetic, similar, disagree } = weights.givenName;
  const points = { EXACT: exact, VARIANT: variant, PHONETIC: phonetic, SIMILAR: similar, NONE: disagree }[agreement.level];
  return agreement.common ? points - weights.commonNameDiscount : points;
}

function familyNamePoints(agreement: NameAgreement<FamilyNameLevel>, weights: MatchWeights): number {
  const { exact, part, phonetic, similar, disagree } = weights.familyName;
  const points = { EXACT: exact, PART: part, PHONETIC: phonetic, SIMILAR: similar, NONE: disagree }[agreement.level];
  return agreement.common ? points - weights.commonNameDiscount : points;
}
