export enum MatchOutcome {
  /** The same child: safe to link without a person checking. */
  CONFIDENT = 'CONFIDENT',
  /** Perhaps the same child: a practitioner must confirm before anything is linked or shared. */
  POSSIBLE = 'POSSIBLE',
  NO_MATCH = 'NO_MATCH',
}

export enum MatchBasis {
  /** Both descriptions carry the same valid national identifier, and none conflicts. */
  SAME_IDENTIFIER = 'SAME_IDENTIFIER',
  /** Both carry a valid national identifier of one kind, and they differ: different children. */
  DIFFERENT_IDENTIFIER = 'DIFFERENT_IDENTIFIER',
  /** One kind of identifier agrees and another disagrees: never linked without a person. */
  CONFLICTING_IDENTIFIERS = 'CONFLICTING_IDENTIFIERS',
  /** No usable identifier on both sides: the demographic score decides. */
  SCORE = 'SCORE',
}

/** The attributes a match can rest on. Their names are all a caller learns, never the other side's values. */
export enum MatchAttribute {
  NHS_NUMBER = 'NHS_NUMBER',
  PNC_ID = 'PNC_ID',
  UPN = 'UPN',
  GIVEN_NAME = 'GIVEN_NAME',
  FAMILY_NAME = 'FAMILY_NAME',
  DATE_OF_BIRTH = 'DATE_OF_BIRTH',
  SEX = 'SEX',
  POSTCODE = 'POSTCODE',
}

export interface MatchResult {
  readonly outcome: MatchOutcome;
  readonly basis: MatchBasis;
  /** The demographic score (identifiers add nothing to it), computed whatever decided the outcome. */
  readonly score: number;
  /** Attributes that agree exactly. */
  readonly agreed: readonly MatchAttribute[];
  /** Attributes that nearly agree: a name variant, a transposed date of birth, the same postcode district. */
  readonly partlyAgreed: readonly MatchAttribute[];
}
