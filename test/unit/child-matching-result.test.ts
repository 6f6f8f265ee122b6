import { describe, expect, it } from 'vitest';
import { scoreMatch } from 'src/identity/child-matching.js';
import { RecordedSex, type ChildDescription } from 'src/identity/child-description.js';
import { DEFAULT_MATCH_THRESHOLDS, DEFAULT_MATCH_WEIGHTS, validateMatchThresholds } from 'src/identity/match-config.js';
import { MatchAttribute, MatchBasis, MatchOutcome } from 'src/identity/match-result.js';

const { CONFIDENT, POSSIBLE, NO_MATCH } = MatchOutcome;
const { FEMALE, MALE } = RecordedSex;

const jordan: ChildDescription = {
  givenNames: 'Jordan',
  familyName: 'Pryce',
  dateOfBirth: '2010-03-14',
  sex: MALE,
  postcode: 'DE22 3AA',
};

describe('scoreMatch: what the result tells the caller', () => {
  const other: ChildDescription = {
    givenNames: 'Jordon Lee',
    familyName: 'Pryce-Hollis',
    otherNames: [{ givenNames: 'JJ', familyName: 'Hollis' }],
    dateOfBirth: '2010-04-03',
    sex: MALE,
    postcode: 'DE22 9ZZ',
    nhsNumber: '9434765919',
    pncId: '2001/0171310W',
    upn: 'B801200005001',
  };

  it('carries attribute names only, never a value from either record', () => {
    const result = scoreMatch({ ...jordan, dateOfBirth: '2010-03-04' }, other);
    expect(Object.keys(result).sort()).toEqual(['agreed', 'basis', 'outcome', 'partlyAgreed', 'score']);
    const names: string[] = Object.values(MatchAttribute);
    for (const attribute of [...result.agreed, ...result.partlyAgreed]) expect(names).toContain(attribute);
    const text = JSON.stringify(result).toLowerCase();
    for (const value of [
      'jordon',
      'lee',
      'pryce',
      'hollis',
      'jj',
      '2010',
      'de22',
      '9zz',
      '9434765919',
      '0171310',
      'b801200005001',
    ]) {
      expect(text).not.toContain(value);
    }
  });

  it('says which attributes agreed exactly and which nearly', () => {
    const result = scoreMatch({ ...jordan, dateOfBirth: '2010-03-04' }, other);
    expect(result).toMatchObject({ outcome: POSSIBLE, basis: MatchBasis.SCORE, score: 16 });
    expect(result.agreed).toEqual([MatchAttribute.SEX]);
    expect(result.partlyAgreed).toEqual([
      MatchAttribute.GIVEN_NAME,
      MatchAttribute.FAMILY_NAME,
      MatchAttribute.DATE_OF_BIRTH,
      MatchAttribute.POSTCODE,
    ]);
  });

  it('names the identifier a deterministic decision rests on, and still reports the demographic score', () => {
    const result = scoreMatch({ ...jordan, nhsNumber: '9434765919' }, { ...other, pncId: null, upn: null });
    // The demographics score 5 here: the identifier alone makes it one to review, not a match.
    expect(result).toMatchObject({ outcome: POSSIBLE, basis: MatchBasis.SAME_IDENTIFIER });
    expect(result.agreed[0]).toBe(MatchAttribute.NHS_NUMBER);
    expect(result.score).toBe(scoreMatch(jordan, { ...other, nhsNumber: null, pncId: null, upn: null }).score);
    expect(scoreMatch({ ...jordan, nhsNumber: '9434765870' }, other)).toMatchObject({
      outcome: NO_MATCH,
      basis: MatchBasis.DIFFERENT_IDENTIFIER,
    });
  });

  it('gives an id on a shared identifier only when a name and the date of birth bear it out', () => {
    const nhs = '9434765919';
    // Someone holding only the child's NHS number, with made-up details: nothing to join on.
    const guessed = scoreMatch(
      { givenNames: 'Zzz', familyName: 'Qqq', dateOfBirth: '1999-01-01', nhsNumber: nhs },
      { ...jordan, nhsNumber: nhs },
    );
    expect(guessed).toMatchObject({ outcome: POSSIBLE, basis: MatchBasis.SAME_IDENTIFIER });
    // The date of birth, sex and postcode right but no name: still not enough.
    const unnamed = scoreMatch(
      { ...jordan, givenNames: 'Zzz', familyName: 'Qqq', nhsNumber: nhs },
      { ...jordan, nhsNumber: nhs },
    );
    expect(unnamed.outcome).toBe(POSSIBLE);
    // A misspelt name and a date of birth one digit off, with the same NHS number: the same child.
    const corroborated = scoreMatch(
      { ...jordan, givenNames: 'Jordon', dateOfBirth: '2010-03-15', nhsNumber: nhs },
      { ...jordan, nhsNumber: nhs },
    );
    expect(corroborated).toMatchObject({ outcome: CONFIDENT, basis: MatchBasis.SAME_IDENTIFIER });
  });

  it('does not name attributes that disagree', () => {
    const result = scoreMatch(jordan, { givenNames: 'Grace', familyName: 'Okafor', dateOfBirth: '2011-06-02', sex: FEMALE });
    expect(result).toMatchObject({ outcome: NO_MATCH, agreed: [], partlyAgreed: [] });
  });

  it('treats unusable values as missing and never throws', () => {
    const junk: ChildDescription = {
      givenNames: '  ',
      familyName: '--',
      otherNames: [{}, { givenNames: null, familyName: '\u0000' }],
      dateOfBirth: '2010-02-30',
      sex: RecordedSex.NOT_KNOWN,
      postcode: 'not a postcode',
      nhsNumber: 'unknown',
      pncId: '??',
      upn: '',
    };
    expect(scoreMatch(junk, jordan)).toEqual({
      outcome: NO_MATCH,
      basis: MatchBasis.SCORE,
      score: 0,
      agreed: [],
      partlyAgreed: [],
    });
    expect(scoreMatch({}, {})).toMatchObject({ outcome: NO_MATCH, score: 0 });
  });
});

describe('match thresholds and weights are configuration', () => {
  const jordon = { ...jordan, givenNames: 'Jordon', postcode: null };

  it('moves a pair between outcomes when the thresholds move', () => {
    expect(scoreMatch(jordan, jordon).outcome).toBe(POSSIBLE);
    expect(scoreMatch(jordan, jordon, { confident: 20, possible: 10 }).outcome).toBe(CONFIDENT);
    expect(scoreMatch(jordan, jordon, { confident: 40, possible: 30 }).outcome).toBe(NO_MATCH);
  });

  it('scores with the weights given', () => {
    const heavierSex = { ...DEFAULT_MATCH_WEIGHTS, sex: { agree: 5, disagree: -4 } };
    expect(scoreMatch(jordan, jordon, DEFAULT_MATCH_THRESHOLDS, heavierSex).score).toBe(scoreMatch(jordan, jordon).score + 4);
  });

  it('takes thresholds from configuration, defaults for what is missing, and refuses nonsense', () => {
    expect(validateMatchThresholds()).toEqual({ valid: true, value: DEFAULT_MATCH_THRESHOLDS });
    expect(validateMatchThresholds({ possible: 12 })).toEqual({
      valid: true,
      value: { confident: DEFAULT_MATCH_THRESHOLDS.confident, possible: 12 },
    });
    expect(validateMatchThresholds({ confident: 10, possible: 12 })).toEqual({
      valid: false,
      reason: 'CONFIDENT_NOT_ABOVE_POSSIBLE',
    });
    expect(validateMatchThresholds({ confident: Number.NaN })).toEqual({ valid: false, reason: 'NOT_FINITE' });
  });
});
