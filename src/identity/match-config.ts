import { accept, refuse, type Validated } from 'src/identity/validated.js';

/** Score cut-offs: at or above `confident` links without a person, at or above `possible` asks one. */
export interface MatchThresholds {
  readonly confident: number;
  readonly possible: number;
}

/**
 * Points each comparison adds to the score (negative ones subtract). They follow the Fellegi–Sunter
 * idea: an agreement earns roughly how much likelier it is between records of one child than of two,
 * a disagreement costs how unlikely it is for one child. A missing or unusable value scores 0.
 */
export interface MatchWeights {
  readonly givenName: {
    readonly exact: number;
    /** A known nickname or transliteration (Katie/Katherine, Mohammed/Muhammad). */
    readonly variant: number;
    /** Sounds the same and is spelt nearly the same (Jordan/Jordon). */
    readonly phonetic: number;
    /** Spelt nearly the same (a typing slip). */
    readonly similar: number;
    readonly disagree: number;
  };
  readonly familyName: {
    readonly exact: number;
    /** One part of a double-barrelled name, or a previous family name. */
    readonly part: number;
    readonly phonetic: number;
    readonly similar: number;
    readonly disagree: number;
  };
  /** Taken off an exact or variant name agreement when the name is among the most frequent ones. */
  readonly commonNameDiscount: number;
  /** Taken off when the names agree only with given and family name swapped. */
  readonly swappedNamesPenalty: number;
  readonly dateOfBirth: {
    readonly exact: number;
    /** Day and month swapped (2010-03-04 / 2010-04-03). */
    readonly transposed: number;
    /** One digit different. */
    readonly oneDigit: number;
    readonly disagree: number;
  };
  readonly sex: { readonly agree: number; readonly disagree: number };
  readonly postcode: {
    readonly full: number;
    /** The same outward code (postcode district) only. */
    readonly outward: number;
    readonly disagree: number;
  };
}

/**
 * Given-name disagreement is the heaviest penalty: it is what tells twins apart, who share family
 * name, date of birth and address. Address disagreement is the lightest: children in care move often.
 */
export const DEFAULT_MATCH_WEIGHTS: MatchWeights = {
  givenName: { exact: 6, variant: 5, phonetic: 3, similar: 2, disagree: -8 },
  familyName: { exact: 7, part: 5, phonetic: 4, similar: 3, disagree: -4 },
  commonNameDiscount: 2,
  swappedNamesPenalty: 2,
  dateOfBirth: { exact: 9, transposed: 5, oneDigit: 4, disagree: -6 },
  sex: { agree: 1, disagree: -4 },
  postcode: { full: 4, outward: 2, disagree: -1 },
};

export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { confident: 22, possible: 14 };

export type MatchThresholdsProblem = 'NOT_FINITE' | 'CONFIDENT_NOT_ABOVE_POSSIBLE';

/** Thresholds from configuration, defaults for what is not given; for the environment schema to call at boot. */
export function validateMatchThresholds(
  overrides: Partial<MatchThresholds> = {},
): Validated<MatchThresholds, MatchThresholdsProblem> {
  const thresholds = {
    confident: overrides.confident ?? DEFAULT_MATCH_THRESHOLDS.confident,
    possible: overrides.possible ?? DEFAULT_MATCH_THRESHOLDS.possible,
  };
  if (!Number.isFinite(thresholds.confident) || !Number.isFinite(thresholds.possible)) return refuse('NOT_FINITE');
  if (thresholds.confident <= thresholds.possible) return refuse('CONFIDENT_NOT_ABOVE_POSSIBLE');
  return accept(thresholds);
}
