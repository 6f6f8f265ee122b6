import { doubleMetaphone } from 'double-metaphone';
import stringComparison from 'string-comparison';
import type { ChildDescription, ChildName } from 'src/identity/child-description.js';
import { areGivenNameVariants, isCommonFamilyName, isCommonGivenName } from 'src/identity/name-variants.js';

export type GivenNameLevel = 'EXACT' | 'VARIANT' | 'PHONETIC' | 'SIMILAR' | 'NONE';
export type FamilyNameLevel = 'EXACT' | 'PART' | 'PHONETIC' | 'SIMILAR' | 'NONE';

export interface NameAgreement<Level> {
  readonly level: Level;
  /** The agreeing name is a frequent one, so the agreement says less. */
  readonly common: boolean;
}

export interface NameComparison {
  /** Null when either side has no given name. */
  readonly given: NameAgreement<GivenNameLevel> | null;
  readonly family: NameAgreement<FamilyNameLevel> | null;
  /** The names agree only with one side's given and family names swapped. */
  readonly swapped: boolean;
}

/**
 * Jaro–Winkler similarity, on top of equal Double Metaphone codes, for "sounds the same": codes
 * alone are too coarse (Jack and Jake both give JK, at 0.87). Alone, a higher bar for a typing slip.
 */
const PHONETIC_MINIMUM = 0.88;
const SLIP_MINIMUM = 0.92;

/**
 * Compares every name of one description with every name of the other (current, previous and
 * alternative), keeping the best agreement of each part; one reached only through a previous or
 * alternative name counts as a variant, not exact. When neither part agrees, tries the current
 * names swapped (a given name recorded as the family name).
 */
export function compareNames(a: ChildDescription, b: ChildDescription): NameComparison {
  const namesOfA = namesOf(a);
  const namesOfB = namesOf(b);
  let given: NameAgreement<GivenNameLevel> | null = null;
  let family: NameAgreement<FamilyNameLevel> | null = null;
  for (const nameOfA of namesOfA) {
    for (const nameOfB of namesOfB) {
      const current = nameOfA.current && nameOfB.current;
      given = better(GIVEN_RANK, given, viaOtherName(compareGivenNames(nameOfA.given, nameOfB.given), current, 'VARIANT'));
      family = better(FAMILY_RANK, family, viaOtherName(compareFamilyNames(nameOfA.family, nameOfB.family), current, 'PART'));
    }
  }
  const [currentOfA, currentOfB] = [namesOfA[0], namesOfB[0]];
  if (given?.level === 'NONE' && family?.level === 'NONE' && currentOfA && currentOfB) {
    const swappedGiven = compareGivenNames(currentOfA.given, currentOfB.family);
    const swappedFamily = compareFamilyNames(currentOfA.family, currentOfB.given);
    if (swappedGiven && swappedFamily && swappedGiven.level !== 'NONE' && swappedFamily.level !== 'NONE') {
      return { given: swappedGiven, family: swappedFamily, swapped: true };
    }
  }
  return { given, family, swapped: false };
}

interface NormalisedName {
  readonly given: readonly string[];
  readonly family: readonly string[];
  readonly current: boolean;
}

function namesOf(description: ChildDescription): NormalisedName[] {
  const current = { given: tokens(description.givenNames), family: tokens(description.familyName), current: true };
  const others = (description.otherNames ?? []).map((name: ChildName) => ({
    given: tokens(name.givenNames),
    family: tokens(name.familyName),
    current: false,
  }));
  return [current, ...others];
}

/**
 * Results kept per name (and per pair of names): a match request compares one description with
 * hundreds of candidates whose names repeat (the frequent ones most of all), so each name is
 * normalised, and each pair weighed, once. Bounded: emptied when full, so memory stays flat.
 */
const MEMO_LIMIT = 20_000;
const tokenMemo = new Map<string, readonly string[]>();
const soundMemo = new Map<string, 'PHONETIC' | 'SIMILAR' | 'NONE'>();

function memo<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= MEMO_LIMIT) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

/** Lower case, accents and apostrophes dropped (O'Brien, Zoë), split at spaces, hyphens and other marks. */
function tokens(name: string | null | undefined): readonly string[] {
  if (!name) return [];
  return memo(tokenMemo, name, () => normalisedTokens(name));
}

function normalisedTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .split(/[^\p{L}]+/u)
    .filter((token) => token.length > 0);
}

/**
 * The first given name of either side must take part: "Mohammed Ali" is "Ali", but twins "Amelia
 * Rose" and "Grace Rose" share only a middle name.
 */
function compareGivenNames(a: readonly string[], b: readonly string[]): NameAgreement<GivenNameLevel> | null {
  if (a.length === 0 || b.length === 0) return null;
  if (a.join('') === b.join('')) return { level: 'EXACT', common: isCommonGivenName(a.join('')) };
  let best: NameAgreement<GivenNameLevel> = { level: 'NONE', common: false };
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      if (i === 0 || j === 0) best = better(GIVEN_RANK, best, compareGivenName(x, y)) ?? best;
    }),
  );
  return best;
}

function compareGivenName(x: string, y: string): NameAgreement<GivenNameLevel> {
  if (x === y) return { level: 'EXACT', common: isCommonGivenName(x) };
  if (areGivenNameVariants(x, y)) return { level: 'VARIANT', common: isCommonGivenName(x) || isCommonGivenName(y) };
  return { level: soundOrSpelling(x, y), common: false };
}

/** Whole names first (Smith-Jones is Smith Jones), then one part of a double-barrelled name, then sound and spelling. */
function compareFamilyNames(a: readonly string[], b: readonly string[]): NameAgreement<FamilyNameLevel> | null {
  if (a.length === 0 || b.length === 0) return null;
  const [wholeA, wholeB] = [a.join(''), b.join('')];
  if (wholeA === wholeB) return { level: 'EXACT', common: a.length === 1 && isCommonFamilyName(wholeA) };
  const shared = a.find((part) => part.length > 1 && b.includes(part));
  if (shared) return { level: 'PART', common: isCommonFamilyName(shared) };
  const levels = [soundOrSpelling(wholeA, wholeB), ...a.flatMap((x) => b.map((y) => soundOrSpelling(x, y)))];
  const level = levels.reduce<FamilyNameLevel>((best, next) => (FAMILY_RANK[next] > FAMILY_RANK[best] ? next : best), 'NONE');
  return { level, common: false };
}

function soundOrSpelling(x: string, y: string): 'PHONETIC' | 'SIMILAR' | 'NONE' {
  return memo(soundMemo, x < y ? `${x}|${y}` : `${y}|${x}`, () => weighSoundAndSpelling(x, y));
}

function weighSoundAndSpelling(x: string, y: string): 'PHONETIC' | 'SIMILAR' | 'NONE' {
  const similarity = stringComparison.jaroWinkler.similarity(x, y);
  if (similarity >= PHONETIC_MINIMUM && soundAlike(x, y)) return 'PHONETIC';
  return similarity >= SLIP_MINIMUM ? 'SIMILAR' : 'NONE';
}

function soundAlike(x: string, y: string): boolean {
  const codesOfY = doubleMetaphone(y).filter((code) => code.length > 0);
  return doubleMetaphone(x).some((code) => code.length > 0 && codesOfY.includes(code));
}

function viaOtherName<Level extends string>(
  agreement: NameAgreement<Level> | null,
  current: boolean,
  downgradedTo: Level,
): NameAgreement<Level> | null {
  if (current || agreement?.level !== 'EXACT') return agreement;
  return { ...agreement, level: downgradedTo };
}

const GIVEN_RANK: Record<GivenNameLevel, number> = { EXACT: 4, VARIANT: 3, PHONETIC: 2, SIMILAR: 1, NONE: 0 };
const FAMILY_RANK: Record<FamilyNameLevel, number> = { EXACT: 4, PART: 3, PHONETIC: 2, SIMILAR: 1, NONE: 0 };

/** The stronger agreement; between equals, the one whose name is not common. */
function better<Level extends string>(
  rank: Record<Level, number>,
  current: NameAgreement<Level> | null,
  candidate: NameAgreement<Level> | null,
): NameAgreement<Level> | null {
  if (!candidate) return current;
  if (!current) return candidate;
  const difference = rank[candidate.level] - rank[current.level];
  if (difference !== 0) return difference > 0 ? candidate : current;
  return current.common && !candidate.common ? candidate : current;
}
