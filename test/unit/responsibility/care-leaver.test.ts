import { describe, expect, it } from 'vitest';
import { LegalStatusBasis as B } from 'src/vocabulary/children.enums.js';
import { CareLeaverCategory as C, type StatusEpisode } from 'src/responsibility/responsibility.types.js';
import type { ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { deriveLookedAfter } from 'src/responsibility/looked-after.js';
import { careLeaverCategory } from 'src/responsibility/care-leaver.js';
import { ageOn, birthday } from 'src/responsibility/dates.js';

const policies = new Map(readResponsibilityFiles('policy/responsibility').map(({ policy }) => [policy.localAuthority, policy]));
function policyOf(code: string): ResponsibilityPolicy {
  const policy = policies.get(code);
  if (!policy) throw new Error(`no policy for ${code}`);
  return policy;
}
const derby = policyOf('derby');
const hammersmith = policyOf('hammersmith-fulham');

type Change = [dimension: 'CARE' | 'JUSTICE', basis: B, startDate: string];

/** Episodes as recorded: each closes the open one of its dimension on its start date. */
function history(...changes: Change[]): StatusEpisode[] {
  return changes.map(([dimension, basis, startDate], index) => {
    const next = changes.slice(index + 1).find(([other]) => other === dimension);
    return { dimension, basis, startDate, endDate: next?.[2] ?? null, outcome: null, requirements: [] };
  });
}

function categorise(episodes: StatusEpisode[], dateOfBirth: string, asOf: string, policy: ResponsibilityPolicy = derby) {
  return careLeaverCategory(deriveLookedAfter(episodes, dateOfBirth, policy), episodes, dateOfBirth, asOf, policy);
}

/** 14 on 2021-09-01, 16 on 2023-09-01, 18 on 2025-09-01, 25 on 2032-09-01. */
const DOB = '2007-09-01';
const s20Year = history(['CARE', B.S20_ACCOMMODATED, '2023-01-01'], ['CARE', B.NONE, '2023-12-01']);

describe('care-leaver categories (DOMAIN Table 4.5-A)', () => {
  it.each([
    {
      name: 'LAC now, 16, 334 days since 14: eligible',
      episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-01-01']),
      asOf: '2023-11-30',
      category: C.ELIGIBLE,
      rule: 'CL-ELIGIBLE',
      days: 334,
      after16: true,
    },
    {
      name: 'left care at 16 after 334 days, LAC after 16: relevant',
      episodes: s20Year,
      asOf: '2024-02-01',
      category: C.RELEVANT,
      rule: 'CL-RELEVANT',
      days: 334,
      after16: true,
    },
    {
      name: 'the same young person at 18: former relevant',
      episodes: s20Year,
      asOf: '2026-01-01',
      category: C.FORMER_RELEVANT,
      rule: 'CL-FORMER-RELEVANT',
      days: 334,
      after16: true,
    },
    {
      name: 'first LAC at 16y6m through a remand, sentenced after 45 days (S38): qualifying',
      episodes: history(
        ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-03-01'],
        ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-15'],
      ),
      asOf: '2024-06-01',
      category: C.QUALIFYING,
      rule: 'CL-QUALIFYING',
      days: 45,
      after16: true,
    },
    {
      name: 'LAC at 16 for 40 days, went home with s17 support: not qualifying (001 §8.3)',
      episodes: history(['CARE', B.S20_ACCOMMODATED, '2024-03-01'], ['CARE', B.S17_CHILD_IN_NEED, '2024-04-10']),
      asOf: '2024-06-01',
      category: C.NONE,
      rule: 'CL-Q-EXCLUSION',
      days: 40,
      after16: true,
    },
    {
      name: 'LAC at 15: ordinary LAC, no care-leaver status yet',
      episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-01-01']),
      asOf: '2023-06-01',
      category: C.NONE,
      rule: 'CL-LAC-UNDER-16',
      days: 152,
      after16: false,
    },
    {
      name: 'LAC at 16 for 32 days: not yet eligible',
      episodes: history(['CARE', B.S20_ACCOMMODATED, '2024-03-01']),
      asOf: '2024-04-01',
      category: C.NONE,
      rule: 'CL-LAC-UNDER-13-WEEKS',
      days: 32,
      after16: true,
    },
    {
      name: 'never looked after: none',
      episodes: history(['JUSTICE', B.COMMUNITY_ORDER, '2024-03-01']),
      asOf: '2024-06-01',
      category: C.NONE,
      rule: 'CL-NONE',
      days: 0,
      after16: false,
    },
    {
      name: 'from the 25th birthday: none',
      episodes: s20Year,
      asOf: '2032-09-01',
      category: C.NONE,
      rule: 'CL-AGE-LIMIT',
      days: 334,
      after16: true,
    },
  ])('$name', ({ episodes, asOf, category, rule, days, after16 }) => {
    expect(categorise(episodes, DOB, asOf)).toMatchObject({
      category,
      rule,
      policy: 'derby-responsibility@v4',
      asOf,
      daysLookedAfterSince14: days,
      lookedAfterAfter16: after16,
    });
  });

  it('S37: an eligible child of 17 sentenced to custody (T10) is relevant, not qualifying', () => {
    const episodes = history(['CARE', B.S20_ACCOMMODATED, '2023-01-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-10-01']);
    const derivation = deriveLookedAfter(episodes, DOB, derby);
    expect(derivation.current).toMatchObject({ rule: 'T10', lookedAfter: false, formerlyLookedAfterInDetention: false });
    expect(careLeaverCategory(derivation, episodes, DOB, '2024-11-01', derby)).toMatchObject({
      category: C.RELEVANT,
      rule: 'CL-RELEVANT',
    });
  });

  describe('a child who turns 16 during a remand (born 2008-09-01, remanded 2024-07-01)', () => {
    const episodes = history(['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-07-01']);
    it.each([
      ['2024-08-31', 15, 'CL-LAC-UNDER-16', C.NONE, 62],
      ['2024-09-01', 16, 'CL-LAC-UNDER-13-WEEKS', C.NONE, 63],
      ['2024-09-28', 16, 'CL-LAC-UNDER-13-WEEKS', C.NONE, 90],
      ['2024-09-29', 16, 'CL-ELIGIBLE', C.ELIGIBLE, 91],
    ])('on %s (age %i): %s', (asOf, age, rule, category, days) => {
      expect(categorise(episodes, '2008-09-01', asOf)).toMatchObject({ age, rule, category, daysLookedAfterSince14: days });
    });
  });

  describe('a young person who turns 18 during a remand (born 2006-11-01, remanded 2024-06-01)', () => {
    const episodes = history(['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-06-01']);
    it.each([
      ['2024-10-31', 17, 'CL-ELIGIBLE', C.ELIGIBLE, 153],
      // Looking after ends at 18: the days stop at the birthday and the category becomes former relevant.
      ['2024-11-01', 18, 'CL-FORMER-RELEVANT', C.FORMER_RELEVANT, 153],
      ['2025-03-01', 18, 'CL-FORMER-RELEVANT', C.FORMER_RELEVANT, 153],
    ])('on %s (age %i): %s', (asOf, age, rule, category, days) => {
      expect(categorise(episodes, '2006-11-01', asOf)).toMatchObject({ age, rule, category, daysLookedAfterSince14: days });
    });
  });

  describe("Hammersmith & Fulham's variant (002 §4.6(b), DECISIONS §3)", () => {
    // Born 2008-09-01 (16 on 2024-09-01); on s20 from 15y1m, remanded at 15y4m for 106 days, sentenced at 15y7m (T8).
    const dob = '2008-09-01';
    const episodes = history(
      ['CARE', B.S20_ACCOMMODATED, '2023-10-01'],
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-05'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-20'],
    );

    it('the same child is not a care leaver in Derby (never looked after after 16) but relevant in H&F', () => {
      const inDerby = categorise(episodes, dob, '2024-10-01', derby);
      expect(inDerby).toMatchObject({
        category: C.NONE,
        rule: 'CL-NONE',
        daysLookedAfterSince14: 202,
        lookedAfterAfter16: false,
      });
      const inHammersmith = categorise(episodes, dob, '2024-10-01', hammersmith);
      expect(inHammersmith).toMatchObject({
        category: C.RELEVANT,
        rule: 'CL-HF-REMAND',
        policy: 'hammersmith-fulham-responsibility@v4',
      });
      expect(inHammersmith.citation).toContain('002 §4.6(b)');
    });

    it('needs a remand of at least 13 weeks', () => {
      const short = history(
        ['CARE', B.S20_ACCOMMODATED, '2023-10-01'],
        ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-02-20'],
        ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-20'],
      );
      expect(categorise(short, dob, '2024-10-01', hammersmith)).toMatchObject({ category: C.NONE, rule: 'CL-NONE' });
    });

    it('needs s20 before the remand', () => {
      const remandOnly = history(
        ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-05'],
        ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-20'],
      );
      expect(categorise(remandOnly, dob, '2024-10-01', hammersmith)).toMatchObject({ category: C.NONE, rule: 'CL-NONE' });
    });

    it('does not apply before the 16th birthday', () => {
      expect(categorise(episodes, dob, '2024-08-01', hammersmith)).toMatchObject({ category: C.NONE, rule: 'CL-NONE' });
    });
  });

  describe('29 February birthdays', () => {
    it('reaches an age on 1 March in a common year (date-fns alone would say 28 February)', () => {
      expect(birthday('2008-02-29', 16)).toBe('2024-02-29');
      expect(birthday('2008-02-29', 18)).toBe('2026-03-01');
      expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
      expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    });

    it('stays eligible on 28 February and becomes former relevant on 1 March', () => {
      const episodes = history(['CARE', B.S20_ACCOMMODATED, '2025-01-01']);
      expect(categorise(episodes, '2008-02-29', '2026-02-28')).toMatchObject({ age: 17, category: C.ELIGIBLE });
      expect(categorise(episodes, '2008-02-29', '2026-03-01')).toMatchObject({ age: 18, category: C.FORMER_RELEVANT });
    });

    it('counts the 13 weeks from the 14th birthday, 1 March in a common year', () => {
      // 14 on 2022-03-01: looked after from 2022-01-01, days from 1 March only.
      const episodes = history(['CARE', B.S20_ACCOMMODATED, '2022-01-01'], ['CARE', B.NONE, '2022-03-31']);
      expect(categorise(episodes, '2008-02-29', '2022-04-01')).toMatchObject({ age: 14, daysLookedAfterSince14: 30 });
    });
  });
});
