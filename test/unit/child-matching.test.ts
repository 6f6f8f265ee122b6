import { describe, expect, it } from 'vitest';
import { scoreMatch } from 'src/identity/child-matching.js';
import { RecordedSex, type ChildDescription } from 'src/identity/child-description.js';
import { DEFAULT_MATCH_THRESHOLDS } from 'src/identity/match-config.js';
import { MatchOutcome } from 'src/identity/match-result.js';

const { CONFIDENT, POSSIBLE, NO_MATCH } = MatchOutcome;
const { FEMALE, MALE } = RecordedSex;

/** Jordan Pryce as the YOS records him; rows vary the other agency's record from him or from their own base. */
const jordan: ChildDescription = {
  givenNames: 'Jordan',
  familyName: 'Pryce',
  dateOfBirth: '2010-03-14',
  sex: MALE,
  postcode: 'DE22 3AA',
};

interface Row {
  readonly title: string;
  readonly a: ChildDescription;
  readonly b: ChildDescription;
  readonly expected: MatchOutcome;
}

/**
 * Records of one child, as two agencies might hold them. CONFIDENT where a practitioner would link
 * them unchecked; POSSIBLE where something is left for a person to look at (a slip with no address to
 * back it, a frequent name, sex recorded differently).
 */
const sameChild: readonly Row[] = [
  { title: 'identical records', a: jordan, b: { ...jordan }, expected: CONFIDENT },
  {
    title: 'Jordon / Jordan Pryce, everything else the same',
    a: jordan,
    b: { ...jordan, givenNames: 'Jordon' },
    expected: CONFIDENT,
  },
  {
    title: 'Jordon / Jordan Pryce, no postcode on one side',
    a: jordan,
    b: { ...jordan, givenNames: 'Jordon', postcode: null },
    expected: POSSIBLE,
  },
  {
    title: 'upper case, extra spaces and a postcode written without its space',
    a: jordan,
    b: { ...jordan, givenNames: ' JORDAN ', familyName: 'PRYCE', postcode: 'de223aa' },
    expected: CONFIDENT,
  },
  {
    title: 'names and date of birth only',
    a: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' },
    b: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' },
    expected: CONFIDENT,
  },
  {
    title: 'Mohammed / Muhammad Khan (transliteration, frequent names)',
    a: { givenNames: 'Mohammed', familyName: 'Khan', dateOfBirth: '2009-11-02', sex: MALE, postcode: 'N1 2HR' },
    b: { givenNames: 'Muhammad', familyName: 'Khan', dateOfBirth: '2009-11-02', sex: MALE, postcode: 'N1 2HR' },
    expected: CONFIDENT,
  },
  {
    title: 'Mohammad / Muhammad Iqbal, same postcode district',
    a: { givenNames: 'Mohammad', familyName: 'Iqbal', dateOfBirth: '2008-06-30', sex: MALE, postcode: 'B11 1AA' },
    b: { givenNames: 'Muhammad', familyName: 'Iqbal', dateOfBirth: '2008-06-30', sex: MALE, postcode: 'B11 4QT' },
    expected: CONFIDENT,
  },
  {
    title: 'Aisha / Ayesha Begum',
    a: { givenNames: 'Aisha', familyName: 'Begum', dateOfBirth: '2011-01-19', sex: FEMALE, postcode: 'E1 6AN' },
    b: { givenNames: 'Ayesha', familyName: 'Begum', dateOfBirth: '2011-01-19', sex: FEMALE, postcode: 'E1 6AN' },
    expected: CONFIDENT,
  },
  {
    title: 'Katie / Katherine Doyle (nickname), no postcode',
    a: { givenNames: 'Katie', familyName: 'Doyle', dateOfBirth: '2010-08-05', sex: FEMALE },
    b: { givenNames: 'Katherine', familyName: 'Doyle', dateOfBirth: '2010-08-05', sex: FEMALE },
    expected: CONFIDENT,
  },
  {
    title: 'Katie / Caitlin Doyle, with Katie recorded as a name Caitlin uses',
    a: { givenNames: 'Katie', familyName: 'Doyle', dateOfBirth: '2010-08-05', sex: FEMALE, postcode: 'M14 5RT' },
    b: {
      givenNames: 'Caitlin',
      familyName: 'Doyle',
      otherNames: [{ givenNames: 'Katie' }],
      dateOfBirth: '2010-08-05',
      sex: FEMALE,
      postcode: 'M14 5RT',
    },
    expected: CONFIDENT,
  },
  {
    title: 'Billy / William Carter (nickname)',
    a: { givenNames: 'Billy', familyName: 'Carter', dateOfBirth: '2009-02-11', sex: MALE, postcode: 'LS22 5ED' },
    b: { givenNames: 'William', familyName: 'Carter', dateOfBirth: '2009-02-11', sex: MALE, postcode: 'LS22 5ED' },
    expected: CONFIDENT,
  },
  {
    title: 'Sean / Shaun Murphy (spelling), no postcode',
    a: { givenNames: 'Sean', familyName: 'Murphy', dateOfBirth: '2008-12-01', sex: MALE },
    b: { givenNames: 'Shaun', familyName: 'Murphy', dateOfBirth: '2008-12-01', sex: MALE },
    expected: CONFIDENT,
  },
  {
    title: 'known by a middle name: Mohammed Ali Hassan / Ali Hassan',
    a: { givenNames: 'Mohammed Ali', familyName: 'Hassan', dateOfBirth: '2009-04-23', sex: MALE, postcode: 'DE1 3QS' },
    b: { givenNames: 'Ali', familyName: 'Hassan', dateOfBirth: '2009-04-23', sex: MALE, postcode: 'DE1 3QS' },
    expected: CONFIDENT,
  },
  {
    title: 'double-barrelled: Ellie-May Hart-Lowe / Ellie-May Lowe',
    a: { givenNames: 'Ellie-May', familyName: 'Hart-Lowe', dateOfBirth: '2012-05-09', sex: FEMALE, postcode: 'TA1 4DY' },
    b: { givenNames: 'Ellie May', familyName: 'Lowe', dateOfBirth: '2012-05-09', sex: FEMALE, postcode: 'TA1 4DY' },
    expected: CONFIDENT,
  },
  {
    title: 'double-barrelled written with a space: Smith Jones / Smith-Jones',
    a: { givenNames: 'Lily', familyName: 'Smith Jones', dateOfBirth: '2011-10-10', sex: FEMALE, postcode: 'CF10 1EP' },
    b: { givenNames: 'Lily', familyName: 'Smith-Jones', dateOfBirth: '2011-10-10', sex: FEMALE, postcode: 'CF10 1EP' },
    expected: CONFIDENT,
  },
  {
    title: "accents and apostrophes: Zoë O'Brien / Zoe OBrien",
    a: { givenNames: 'Zoë', familyName: "O'Brien", dateOfBirth: '2010-01-28', sex: FEMALE, postcode: 'N7 8DB' },
    b: { givenNames: 'Zoe', familyName: 'OBrien', dateOfBirth: '2010-01-28', sex: FEMALE, postcode: 'N7 8DB' },
    expected: CONFIDENT,
  },
  {
    title: 'Callum MacDonald / McDonald',
    a: { givenNames: 'Callum', familyName: 'MacDonald', dateOfBirth: '2009-09-09', sex: MALE, postcode: 'W6 9JH' },
    b: { givenNames: 'Callum', familyName: 'McDonald', dateOfBirth: '2009-09-09', sex: MALE, postcode: 'W6 9JH' },
    expected: CONFIDENT,
  },
  {
    title: 'given and family name swapped: Nguyen Minh / Minh Nguyen',
    a: { givenNames: 'Nguyen', familyName: 'Minh', dateOfBirth: '2010-07-07', sex: MALE, postcode: 'W12 7RJ' },
    b: { givenNames: 'Minh', familyName: 'Nguyen', dateOfBirth: '2010-07-07', sex: MALE, postcode: 'W12 7RJ' },
    expected: CONFIDENT,
  },
  {
    title: 'given and family name swapped, no postcode',
    a: { givenNames: 'Pryce', familyName: 'Jordan', dateOfBirth: '2010-03-14', sex: MALE },
    b: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', sex: MALE },
    expected: POSSIBLE,
  },
  {
    title: 'date of birth with day and month transposed',
    a: { ...jordan, dateOfBirth: '2010-03-04' },
    b: { ...jordan, dateOfBirth: '2010-04-03' },
    expected: CONFIDENT,
  },
  {
    title: 'date of birth transposed, no postcode',
    a: { ...jordan, dateOfBirth: '2010-03-04', postcode: null },
    b: { ...jordan, dateOfBirth: '2010-04-03' },
    expected: POSSIBLE,
  },
  {
    title: 'date of birth one digit off in the day',
    a: { givenNames: 'Tyler', familyName: 'Walsh', dateOfBirth: '2009-07-22', sex: MALE, postcode: 'DE22 1FL' },
    b: { givenNames: 'Tyler', familyName: 'Walsh', dateOfBirth: '2009-07-21', sex: MALE, postcode: 'DE22 1FL' },
    expected: CONFIDENT,
  },
  {
    title: 'date of birth one digit off in the year, no postcode',
    a: { givenNames: 'Tyler', familyName: 'Walsh', dateOfBirth: '2009-07-22', sex: MALE },
    b: { givenNames: 'Tyler', familyName: 'Walsh', dateOfBirth: '2008-07-22', sex: MALE },
    expected: POSSIBLE,
  },
  {
    title: 'family name changed, the previous one recorded (step-parent)',
    a: { givenNames: 'Tyler', familyName: 'Brennan', dateOfBirth: '2009-07-22', sex: MALE, postcode: 'DE22 1FL' },
    b: {
      givenNames: 'Tyler',
      familyName: 'Walsh',
      otherNames: [{ familyName: 'Brennan' }],
      dateOfBirth: '2009-07-22',
      sex: MALE,
      postcode: 'DE22 3XY',
    },
    expected: CONFIDENT,
  },
  {
    title: 'frequent name Jack Smith, same date of birth and sex, no postcode: a person checks',
    a: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE },
    b: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE },
    expected: POSSIBLE,
  },
  {
    title: 'sex recorded differently by the two agencies, names and date of birth the same',
    a: { givenNames: 'Alex', familyName: 'Morgan-Reid', dateOfBirth: '2009-03-03', sex: MALE },
    b: { givenNames: 'Alex', familyName: 'Morgan-Reid', dateOfBirth: '2009-03-03', sex: FEMALE },
    expected: POSSIBLE,
  },
  {
    title: 'one NHS number mistyped (fails its check): decided on the demographics',
    a: { ...jordan, nhsNumber: '9434765919' },
    b: { ...jordan, nhsNumber: '9434765918' },
    expected: CONFIDENT,
  },
  {
    title: 'placeholder NHS numbers on both sides are no evidence',
    a: { ...jordan, givenNames: 'Jordon', postcode: null, nhsNumber: '0000000000' },
    b: { ...jordan, nhsNumber: '0000000000' },
    expected: POSSIBLE,
  },
  {
    title: 'same NHS number, name misspelt and date of birth mistyped',
    a: { ...jordan, nhsNumber: '943 476 5919' },
    b: { ...jordan, givenNames: 'Jordon', dateOfBirth: '2010-03-15', postcode: null, nhsNumber: '9434765919' },
    expected: CONFIDENT,
  },
  {
    title: 'same PNC ID, long form / short form without leading zeros',
    a: { ...jordan, postcode: 'S1 2HE', pncId: '2001/0171310W' },
    b: { ...jordan, pncId: '01/171310W' },
    expected: CONFIDENT,
  },
  {
    title: 'same UPN',
    a: { ...jordan, postcode: null, upn: 'B801200005001' },
    b: { ...jordan, givenNames: 'Jordon', upn: 'b801200005001' },
    expected: CONFIDENT,
  },
  {
    title: 'temporary UPN on one side, the permanent one on the other: decided on the demographics',
    a: { ...jordan, upn: 'D85620231401A' },
    b: { ...jordan, upn: 'B801200005001' },
    expected: CONFIDENT,
  },
];

/**
 * Records of different children that look alike. None may be CONFIDENT; a few are POSSIBLE because
 * their records cannot be told from one child's with a slip in it, so a person decides.
 */
const differentChildren: readonly Row[] = [
  {
    title: 'twins: Amelia and Grace Okafor, same date of birth, sex and address',
    a: { givenNames: 'Amelia', familyName: 'Okafor', dateOfBirth: '2011-06-02', sex: FEMALE, postcode: 'NG7 2RD' },
    b: { givenNames: 'Grace', familyName: 'Okafor', dateOfBirth: '2011-06-02', sex: FEMALE, postcode: 'NG7 2RD' },
    expected: NO_MATCH,
  },
  {
    title: 'twins sharing a middle name: Amelia Rose and Grace Rose Okafor',
    a: { givenNames: 'Amelia Rose', familyName: 'Okafor', dateOfBirth: '2011-06-02', sex: FEMALE, postcode: 'NG7 2RD' },
    b: { givenNames: 'Grace Rose', familyName: 'Okafor', dateOfBirth: '2011-06-02', sex: FEMALE, postcode: 'NG7 2RD' },
    expected: NO_MATCH,
  },
  {
    title: 'twins with names that sound alike: Jack and Jake Smith',
    a: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE, postcode: 'DE21 4AS' },
    b: { givenNames: 'Jake', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE, postcode: 'DE21 4AS' },
    expected: NO_MATCH,
  },
  {
    title: 'twins Ethan and Evan Clarke',
    a: { givenNames: 'Ethan', familyName: 'Clarke', dateOfBirth: '2012-02-29', sex: MALE, postcode: 'BA1 1LZ' },
    b: { givenNames: 'Evan', familyName: 'Clarke', dateOfBirth: '2012-02-29', sex: MALE, postcode: 'BA1 1LZ' },
    expected: NO_MATCH,
  },
  {
    title: 'twins with their own NHS numbers, one recorded under the other\u2019s given name',
    a: { ...jordan, nhsNumber: '9434765919' },
    b: { ...jordan, nhsNumber: '9434765870' },
    expected: NO_MATCH,
  },
  {
    title: 'boy and girl twins: Noah and Ava Bennett',
    a: { givenNames: 'Noah', familyName: 'Bennett', dateOfBirth: '2009-10-31', sex: MALE, postcode: 'TA6 3BS' },
    b: { givenNames: 'Ava', familyName: 'Bennett', dateOfBirth: '2009-10-31', sex: FEMALE, postcode: 'TA6 3BS' },
    expected: NO_MATCH,
  },
  {
    title: 'boy and girl twins Oliver and Olivia Bennett',
    a: { givenNames: 'Oliver', familyName: 'Bennett', dateOfBirth: '2009-10-31', sex: MALE, postcode: 'TA6 3BS' },
    b: { givenNames: 'Olivia', familyName: 'Bennett', dateOfBirth: '2009-10-31', sex: FEMALE, postcode: 'TA6 3BS' },
    expected: NO_MATCH,
  },
  {
    title: 'boy and girl twins Daniel and Danielle Hughes: alike enough that a person must look',
    a: { givenNames: 'Daniel', familyName: 'Hughes', dateOfBirth: '2010-12-12', sex: MALE, postcode: 'SW6 1AA' },
    b: { givenNames: 'Danielle', familyName: 'Hughes', dateOfBirth: '2010-12-12', sex: FEMALE, postcode: 'SW6 1AA' },
    expected: POSSIBLE,
  },
  {
    title: 'cousins with the same family name, birthdays three days apart (one digit)',
    a: { givenNames: 'Kyle', familyName: 'Pryce', dateOfBirth: '2010-03-14', sex: MALE, postcode: 'DE22 3AA' },
    b: { givenNames: 'Mason', familyName: 'Pryce', dateOfBirth: '2010-03-17', sex: MALE, postcode: 'DE22 4BB' },
    expected: NO_MATCH,
  },
  {
    title: 'cousins named after their grandfather, born months apart',
    a: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', sex: MALE, postcode: 'DE22 3AA' },
    b: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-08-02', sex: MALE, postcode: 'DE3 0AB' },
    expected: NO_MATCH,
  },
  {
    title: 'cousins named after their grandfather, birthdays one digit apart: a person must look',
    a: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', sex: MALE, postcode: 'DE22 3AA' },
    b: { givenNames: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-06-14', sex: MALE, postcode: 'DE3 0AB' },
    expected: POSSIBLE,
  },
  {
    title: 'Jack Smith, same date of birth, different sex and postcode',
    a: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE, postcode: 'DE21 4AS' },
    b: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: FEMALE, postcode: 'LS6 2QE' },
    expected: NO_MATCH,
  },
  {
    title: 'Jack Smith, same date of birth and sex, another town: a person must look',
    a: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE, postcode: 'DE21 4AS' },
    b: { givenNames: 'Jack', familyName: 'Smith', dateOfBirth: '2010-05-20', sex: MALE, postcode: 'LS6 2QE' },
    expected: POSSIBLE,
  },
  {
    title: 'same name, different date of birth and address',
    a: jordan,
    b: { ...jordan, dateOfBirth: '2012-11-30', postcode: 'M1 1AE' },
    expected: NO_MATCH,
  },
  {
    title: 'siblings at one address, a year apart',
    a: { givenNames: 'Shannon', familyName: 'Kelly', dateOfBirth: '2009-01-15', sex: FEMALE, postcode: 'N19 5PH' },
    b: { givenNames: 'Chantelle', familyName: 'Kelly', dateOfBirth: '2010-04-02', sex: FEMALE, postcode: 'N19 5PH' },
    expected: NO_MATCH,
  },
  {
    title: 'same given name and date of birth, different family name',
    a: { givenNames: 'Aisha', familyName: 'Begum', dateOfBirth: '2011-01-19', sex: FEMALE, postcode: 'E1 6AN' },
    b: { givenNames: 'Ayesha', familyName: 'Rahman', dateOfBirth: '2011-01-19', sex: FEMALE, postcode: 'E2 7QB' },
    expected: NO_MATCH,
  },
  {
    title: 'identical demographics, different PNC IDs',
    a: { ...jordan, pncId: '2001/0171310W' },
    b: { ...jordan, pncId: '2011/0275516Q' },
    expected: NO_MATCH,
  },
  {
    title: 'identical demographics, different permanent UPNs',
    a: { ...jordan, upn: 'B801200005001' },
    b: { ...jordan, upn: 'P207000016049' },
    expected: NO_MATCH,
  },
  {
    title: 'same NHS number but different PNC IDs: contradictory, a person must resolve',
    a: { ...jordan, nhsNumber: '9434765919', pncId: '2001/0171310W' },
    b: { ...jordan, nhsNumber: '9434765919', pncId: '2011/0275516Q' },
    expected: POSSIBLE,
  },
];

const table = [...sameChild, ...differentChildren];

describe('scoreMatch: the table of pairs', () => {
  it('has at least 30 pairs, true matches and near misses', () => {
    expect(table.length).toBeGreaterThanOrEqual(30);
    expect(sameChild.length).toBeGreaterThan(10);
    expect(differentChildren.length).toBeGreaterThan(10);
  });

  it.each(sameChild.map((row) => [row.title, row] as const))('same child: %s', (_title, row) => {
    const result = scoreMatch(row.a, row.b, DEFAULT_MATCH_THRESHOLDS);
    expect(result.outcome, `score ${result.score}`).toBe(row.expected);
  });

  it.each(differentChildren.map((row) => [row.title, row] as const))('different children: %s', (_title, row) => {
    const result = scoreMatch(row.a, row.b, DEFAULT_MATCH_THRESHOLDS);
    expect(result.outcome, `score ${result.score}`).toBe(row.expected);
  });

  it('never confidently joins different children', () => {
    for (const row of differentChildren) expect(scoreMatch(row.a, row.b).outcome, row.title).not.toBe(CONFIDENT);
  });

  it('is symmetric', () => {
    for (const row of table) {
      const [forward, backward] = [scoreMatch(row.a, row.b), scoreMatch(row.b, row.a)];
      expect({ outcome: backward.outcome, score: backward.score }, row.title).toEqual({
        outcome: forward.outcome,
        score: forward.score,
      });
    }
  });
});
