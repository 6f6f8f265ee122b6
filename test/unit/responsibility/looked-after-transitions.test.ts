import { describe, expect, it } from 'vitest';
import { CourtOutcome, LegalStatusBasis as B, YroRequirement } from 'src/vocabulary/children.enums.js';
import { LookedAfterRoute as R, type StatusEpisode } from 'src/responsibility/responsibility.types.js';
import type { ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { deriveLookedAfter } from 'src/responsibility/looked-after.js';

const policies = new Map(readResponsibilityFiles('policy/responsibility').map(({ policy }) => [policy.localAuthority, policy]));
function policyOf(code: string): ResponsibilityPolicy {
  const policy = policies.get(code);
  if (!policy) throw new Error(`no policy for ${code}`);
  return policy;
}
const derby = policyOf('derby');
const somerset = policyOf('somerset');

type Change = [dimension: 'CARE' | 'JUSTICE', basis: B, startDate: string, extra?: Partial<StatusEpisode>];

/** Episodes as recorded: each closes the open one of its dimension on its start date. */
function history(...changes: Change[]): StatusEpisode[] {
  return changes.map(([dimension, basis, startDate, extra], index) => {
    const next = changes.slice(index + 1).find(([other]) => other === dimension);
    return { dimension, basis, startDate, endDate: next?.[2] ?? null, outcome: null, requirements: [], ...extra };
  });
}

/** Under 16 throughout 2024, so T10 never applies unless a row says so. */
const YOUNG = '2009-06-15';

interface Row {
  readonly name: string;
  readonly episodes: StatusEpisode[];
  readonly policy?: ResponsibilityPolicy;
  readonly dateOfBirth?: string;
  readonly rule: string;
  readonly lookedAfter: boolean;
  readonly route: R | null;
  readonly since: string;
  readonly formerly?: boolean;
}

const rows: Row[] = [
  {
    name: 'T1 not LAC, remanded to LA accommodation: LAC through the remand',
    episodes: history(['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10']),
    rule: 'T1',
    lookedAfter: true,
    route: R.REMAND,
    since: '2024-01-10',
  },
  {
    name: 'T2 not LAC, remanded to YDA: LAC through the remand',
    episodes: history(['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-10']),
    rule: 'T2',
    lookedAfter: true,
    route: R.REMAND,
    since: '2024-01-10',
  },
  {
    name: 'T3 (Derby) bailed to reside as directed: not adopted, stays not LAC',
    episodes: history(['JUSTICE', B.BAIL_TO_RESIDE_AS_DIRECTED, '2024-01-10']),
    rule: 'T3',
    lookedAfter: false,
    route: null,
    since: YOUNG,
  },
  {
    name: 'T3 (Somerset) bailed to reside as directed: LAC through the bail',
    policy: somerset,
    episodes: history(['JUSTICE', B.BAIL_TO_RESIDE_AS_DIRECTED, '2024-01-10']),
    rule: 'T3',
    lookedAfter: true,
    route: R.BAIL_TO_RESIDE,
    since: '2024-01-10',
  },
  {
    name: 'T4 on a care order, remanded to YDA: unchanged',
    episodes: history(
      ['CARE', B.S31_CARE_ORDER, '2022-05-01'],
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-10'],
    ),
    rule: 'T4',
    lookedAfter: true,
    route: R.CARE_ORDER,
    since: '2022-05-01',
  },
  {
    name: 'T4 on s20, bailed to reside: unchanged',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['JUSTICE', B.BAIL_TO_RESIDE_AS_DIRECTED, '2024-01-10']),
    rule: 'T4',
    lookedAfter: true,
    route: R.ACCOMMODATED_S20,
    since: '2023-06-01',
  },
  {
    name: 'T5 on s20, community sentence: stays LAC',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['JUSTICE', B.COMMUNITY_ORDER, '2024-02-01']),
    rule: 'T5',
    lookedAfter: true,
    route: R.ACCOMMODATED_S20,
    since: '2023-06-01',
  },
  {
    name: 'T6 remand-only LAC, community sentence: ceases',
    episodes: history(
      ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ['JUSTICE', B.COMMUNITY_ORDER, '2024-03-01'],
    ),
    rule: 'T6',
    lookedAfter: false,
    route: null,
    since: '2024-03-01',
  },
  {
    name: 'T7 on a care order (Kayla), custodial sentence: stays LAC since the care order',
    episodes: history(['CARE', B.S31_CARE_ORDER, '2022-05-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-02-01']),
    rule: 'T7',
    lookedAfter: true,
    route: R.CARE_ORDER,
    since: '2022-05-01',
  },
  {
    name: 'T7 on an interim care order, custodial sentence: stays LAC',
    episodes: history(['CARE', B.INTERIM_CARE_ORDER, '2023-11-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-02-01']),
    rule: 'T7',
    lookedAfter: true,
    route: R.INTERIM_CARE_ORDER,
    since: '2023-11-01',
  },
  {
    name: 'T8 on s20 (aged 14), custodial sentence: ceases at sentence, formerly LAC in detention',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-02-01']),
    rule: 'T8',
    lookedAfter: false,
    route: null,
    since: '2024-02-01',
    formerly: true,
  },
  {
    name: 'T9 remand-only LAC, custodial sentence: ceases, formerly LAC in detention',
    episodes: history(
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-10'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-03-01'],
    ),
    rule: 'T9',
    lookedAfter: false,
    route: null,
    since: '2024-03-01',
    formerly: true,
  },
  {
    name: 'T10 on s20 from 15y8m, turns 16 (2023-09-01), sentenced at 16 after 167 days: relevant, Leaving Care Act services',
    dateOfBirth: '2007-09-01',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-05-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2023-10-15']),
    rule: 'T10',
    lookedAfter: false,
    route: null,
    since: '2023-10-15',
    formerly: false,
  },
  {
    name: 'T10 contrast: the same child sentenced at 15 (before the 16th birthday): T8',
    dateOfBirth: '2007-09-01',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-05-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2023-08-15']),
    rule: 'T8',
    lookedAfter: false,
    route: null,
    since: '2023-08-15',
    formerly: true,
  },
  {
    name: 'T10 remanded at 16y1m, sentenced after 92 days: relevant on entering custody',
    dateOfBirth: '2007-09-01',
    episodes: history(
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2023-10-01'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-01-01'],
    ),
    rule: 'T10',
    lookedAfter: false,
    route: null,
    since: '2024-01-01',
    formerly: false,
  },
  {
    name: 'T10 contrast: remanded at 16y1m, sentenced after 90 days: T9',
    dateOfBirth: '2007-09-01',
    episodes: history(
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2023-10-01'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2023-12-30'],
    ),
    rule: 'T9',
    lookedAfter: false,
    route: null,
    since: '2023-12-30',
    formerly: true,
  },
  {
    name: 'T11 remand-only LAC, remand ends: ceases',
    episodes: history(
      ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ['JUSTICE', B.NONE, '2024-02-20', { outcome: CourtOutcome.REMAND_ENDED }],
    ),
    rule: 'T11',
    lookedAfter: false,
    route: null,
    since: '2024-02-20',
  },
  {
    name: 'T11 remand-only LAC, bailed: ceases',
    episodes: history(
      ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ['JUSTICE', B.BAIL, '2024-02-20', { outcome: CourtOutcome.BAILED }],
    ),
    rule: 'T11',
    lookedAfter: false,
    route: null,
    since: '2024-02-20',
  },
  {
    name: 'T12 remand-only LAC, acquitted: ceases',
    episodes: history(
      ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-01-10'],
      ['JUSTICE', B.NONE, '2024-02-20', { outcome: CourtOutcome.ACQUITTED }],
    ),
    rule: 'T12',
    lookedAfter: false,
    route: null,
    since: '2024-02-20',
  },
  {
    name: 'T14 not LAC, YRO with intensive fostering: becomes a child in care',
    episodes: history(['JUSTICE', B.COMMUNITY_ORDER, '2024-02-01', { requirements: [YroRequirement.INTENSIVE_FOSTERING] }]),
    rule: 'T14',
    lookedAfter: true,
    route: R.INTENSIVE_FOSTERING,
    since: '2024-02-01',
  },
  {
    name: 'T14 on a care order, YRO with intensive fostering: stays under the care order',
    episodes: history(
      ['CARE', B.S31_CARE_ORDER, '2022-05-01'],
      ['JUSTICE', B.COMMUNITY_ORDER, '2024-02-01', { requirements: [YroRequirement.INTENSIVE_FOSTERING] }],
    ),
    rule: 'T14',
    lookedAfter: true,
    route: R.CARE_ORDER,
    since: '2022-05-01',
  },
  {
    name: 'T15 formerly s20, released on licence: not LAC until CSC records a care basis',
    episodes: history(
      ['CARE', B.S20_ACCOMMODATED, '2023-06-01'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-02-01'],
      ['JUSTICE', B.RELEASED_ON_LICENCE, '2024-05-01', { outcome: CourtOutcome.RELEASED }],
    ),
    rule: 'T15',
    lookedAfter: false,
    route: null,
    since: '2024-02-01',
    formerly: false,
  },
  {
    name: 'T15 on a care order, released at the end of the sentence: still LAC',
    episodes: history(
      ['CARE', B.S31_CARE_ORDER, '2022-05-01'],
      ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-02-01'],
      ['JUSTICE', B.NONE, '2024-05-01', { outcome: CourtOutcome.RELEASED }],
    ),
    rule: 'T15',
    lookedAfter: true,
    route: R.CARE_ORDER,
    since: '2022-05-01',
  },
  {
    name: 'care basis: a care order starts (s22(1))',
    episodes: history(['CARE', B.S31_CARE_ORDER, '2022-05-01']),
    rule: 'LAC-CARE-BASIS',
    lookedAfter: true,
    route: R.CARE_ORDER,
    since: '2022-05-01',
  },
  {
    name: 'care basis: s20 ends, the child goes home with s17 support',
    episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['CARE', B.S17_CHILD_IN_NEED, '2024-01-15']),
    rule: 'LAC-CARE-END',
    lookedAfter: false,
    route: null,
    since: '2024-01-15',
  },
  {
    name: 'care basis: s20 ends during a remand: still LAC, through the remand',
    episodes: history(
      ['CARE', B.S20_ACCOMMODATED, '2023-06-01'],
      ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ['CARE', B.NONE, '2024-02-01'],
    ),
    rule: 'LAC-CARE-END-REMAND',
    lookedAfter: true,
    route: R.REMAND,
    since: '2023-06-01',
  },
];

describe('looked-after transitions (DOMAIN Table 4.2)', () => {
  it.each(rows)(
    '$name',
    ({ episodes, policy = derby, dateOfBirth = YOUNG, rule, lookedAfter, route, since, formerly = false }) => {
      const { current } = deriveLookedAfter(episodes, dateOfBirth, policy);
      expect(current).toMatchObject({ rule, lookedAfter, route, since, formerlyLookedAfterInDetention: formerly });
      expect(current?.citation).toBeTruthy();
      expect(current?.policy).toBe(`${policy.id}@v${policy.version}`);
    },
  );

  it('T3 cites DECISIONS §2 where it is not adopted', () => {
    const { current } = deriveLookedAfter(history(['JUSTICE', B.BAIL_TO_RESIDE_AS_DIRECTED, '2024-01-10']), YOUNG, derby);
    expect(current).toMatchObject({ rule: 'T3', policy: 'derby-responsibility@v4', lookedAfter: false });
    expect(current?.citation).toContain('DECISIONS §2');
  });

  it.each([
    ['plain bail', B.BAIL],
    ['an out-of-court disposal', B.OUT_OF_COURT_DISPOSAL],
    ['a community order', B.COMMUNITY_ORDER],
  ])('records no step for %s while not looked after', (_name, basis) => {
    expect(deriveLookedAfter(history(['JUSTICE', basis, '2024-01-10']), YOUNG, derby)).toEqual({
      current: null,
      history: [],
      periods: [],
    });
  });

  it('keeps the whole history and the periods, ends exclusive, split where the route changes', () => {
    const derivation = deriveLookedAfter(
      history(
        ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
        ['CARE', B.S20_ACCOMMODATED, '2024-02-01'],
        ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-01'],
      ),
      YOUNG,
      derby,
    );
    expect(derivation.history.map((step) => [step.rule, step.date, step.trigger, step.since])).toEqual([
      ['T1', '2024-01-10', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ['LAC-CARE-BASIS', '2024-02-01', B.S20_ACCOMMODATED, '2024-01-10'],
      ['T8', '2024-04-01', B.CUSTODIAL_SENTENCE, '2024-04-01'],
    ]);
    expect(derivation.periods).toEqual([
      { startDate: '2024-01-10', endDate: '2024-02-01', route: R.REMAND },
      { startDate: '2024-02-01', endDate: '2024-04-01', route: R.ACCOMMODATED_S20 },
    ]);
  });

  it('applies the care change before the justice change of the same day, without a break', () => {
    const { current, periods } = deriveLookedAfter(
      history(
        ['CARE', B.S20_ACCOMMODATED, '2023-06-01'],
        ['CARE', B.NONE, '2024-01-10'],
        ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-01-10'],
      ),
      YOUNG,
      derby,
    );
    expect(current).toMatchObject({ rule: 'T1', lookedAfter: true, route: R.REMAND, since: '2023-06-01' });
    expect(periods).toEqual([
      { startDate: '2023-06-01', endDate: '2024-01-10', route: R.ACCOMMODATED_S20 },
      { startDate: '2024-01-10', endDate: null, route: R.REMAND },
    ]);
  });

  it('reads an episode closed with nothing after it as an ending (T11)', () => {
    const { current } = deriveLookedAfter(
      [
        {
          dimension: 'JUSTICE',
          basis: B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
          startDate: '2024-01-10',
          endDate: '2024-02-20',
          outcome: null,
          requirements: [],
        },
      ],
      YOUNG,
      derby,
    );
    expect(current).toMatchObject({ rule: 'T11', date: '2024-02-20', lookedAfter: false });
  });
});
