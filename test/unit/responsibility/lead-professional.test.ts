import { describe, expect, it } from 'vitest';
import { LegalStatusBasis as B } from 'src/vocabulary/children.enums.js';
import {
  CareLeaverCategory,
  CscInvolvement,
  LeadService as L,
  LookedAfterRoute,
  type InvolvementPeriod,
  type StatusEpisode,
} from 'src/responsibility/responsibility.types.js';
import type { ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { deriveLookedAfter } from 'src/responsibility/looked-after.js';
import { careLeaverCategory } from 'src/responsibility/care-leaver.js';
import { leadInputs, leadProfessional } from 'src/responsibility/lead-professional.js';

const policies = new Map(readResponsibilityFiles('policy/responsibility').map(({ policy }) => [policy.localAuthority, policy]));
function policyOf(code: string): ResponsibilityPolicy {
  const policy = policies.get(code);
  if (!policy) throw new Error(`no policy for ${code}`);
  return policy;
}
const derby = policyOf('derby');
const islington = policyOf('islington');
const hammersmith = policyOf('hammersmith-fulham');
const somerset = policyOf('somerset');

type Change = [dimension: 'CARE' | 'JUSTICE', basis: B, startDate: string];

/** Episodes as recorded: each closes the open one of its dimension on its start date. */
function history(...changes: Change[]): StatusEpisode[] {
  return changes.map(([dimension, basis, startDate], index) => {
    const next = changes.slice(index + 1).find(([other]) => other === dimension);
    return { dimension, basis, startDate, endDate: next?.[2] ?? null, outcome: null, requirements: [] };
  });
}

/** 15 throughout 2024: no care-leaver status, so the care-leaver rows stay out of the way. */
const YOUNG = '2009-03-01';
/** 14 on 2021-09-01, 16 on 2023-09-01. */
const OLDER = '2007-09-01';
const AS_OF = '2024-06-01';

interface Case {
  readonly name: string;
  readonly episodes: StatusEpisode[];
  readonly csc?: InvolvementPeriod[];
  readonly dateOfBirth?: string;
  readonly youthJustice?: boolean;
}

function decide(policy: ResponsibilityPolicy, { episodes, csc = [], dateOfBirth = YOUNG, youthJustice = true }: Case) {
  const derivation = deriveLookedAfter(episodes, dateOfBirth, policy);
  const careLeaver = careLeaverCategory(derivation, episodes, dateOfBirth, AS_OF, policy);
  const inputs = leadInputs({
    derivation,
    episodes,
    cscInvolvement: csc,
    careLeaver,
    youthJusticeInvolved: youthJustice,
    asOf: AS_OF,
  });
  return leadProfessional(inputs, policy);
}

const unknownRemanded: Case = {
  name: 'not LAC, unknown to CSC, remanded to YDA',
  episodes: history(['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-05-01']),
  // CSC opens the case because of the remand: not "already open" (L2, not L3).
  csc: [{ startDate: '2024-05-01', endDate: null }],
};
const s20Community: Case = {
  name: 'LAC under s20, community sentence',
  episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['JUSTICE', B.COMMUNITY_ORDER, '2024-04-01']),
};
const s31Custody: Case = {
  name: 'LAC under s31, custodial sentence',
  episodes: history(['CARE', B.S31_CARE_ORDER, '2021-05-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-01']),
};
const s20Custody: Case = {
  name: 'LAC under s20, custodial sentence',
  episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-06-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-01']),
};
const childProtection: Case = {
  name: 'child protection enquiry, in youth justice',
  episodes: history(['CARE', B.S47_CHILD_PROTECTION, '2024-05-01'], ['JUSTICE', B.COMMUNITY_ORDER, '2024-04-01']),
};
const relevantInCustody: Case = {
  name: 'relevant care leaver (s20 from 15y4m, sentenced at 16y7m)',
  dateOfBirth: OLDER,
  episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-01-01'], ['JUSTICE', B.CUSTODIAL_SENTENCE, '2024-04-01']),
};

describe("lead professional, Derby's table (DOMAIN Table 4.1-A; the default, DECISIONS §1)", () => {
  it.each<Case & { rule: string; lead: L; alsoRequired?: string[] }>([
    {
      name: 'L1 not LAC, unknown to CSC, community order',
      episodes: history(['JUSTICE', B.COMMUNITY_ORDER, '2024-04-01']),
      rule: 'L1',
      lead: L.YOUTH_JUSTICE,
    },
    {
      ...unknownRemanded,
      name: `L2 ${unknownRemanded.name}`,
      rule: 'L2',
      lead: L.YOUTH_JUSTICE,
      alsoRequired: ['CSC_SOCIAL_WORKER'],
    },
    {
      name: 'L3 open to CSC as a child in need, remanded to LA accommodation',
      episodes: history(
        ['CARE', B.S17_CHILD_IN_NEED, '2023-11-01'],
        ['JUSTICE', B.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, '2024-05-01'],
      ),
      rule: 'L3',
      lead: L.CHILDRENS_SOCIAL_CARE,
    },
    {
      name: 'L3 open to early help, remanded to YDA',
      episodes: history(['CARE', B.EARLY_HELP, '2024-01-01'], ['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-05-01']),
      rule: 'L3',
      lead: L.CHILDRENS_SOCIAL_CARE,
    },
    {
      name: 'L3 an open CSC involvement with no care basis recorded counts as open',
      episodes: history(['JUSTICE', B.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2024-05-01']),
      csc: [{ startDate: '2024-02-01', endDate: null }],
      rule: 'L3',
      lead: L.CHILDRENS_SOCIAL_CARE,
    },
    { ...s20Community, name: `L4 ${s20Community.name}`, rule: 'L4', lead: L.CHILDRENS_SOCIAL_CARE },
    { ...s31Custody, name: `L5 ${s31Custody.name}`, rule: 'L5', lead: L.CHILDRENS_SOCIAL_CARE },
    { ...s20Custody, name: `L6 ${s20Custody.name}: ceases, CSC keeps the lead`, rule: 'L6', lead: L.CHILDRENS_SOCIAL_CARE },
    { ...childProtection, name: `L11 ${childProtection.name}`, rule: 'L11', lead: L.CHILDRENS_SOCIAL_CARE },
    {
      name: 'catch-all: neither looked after nor in youth justice',
      episodes: [],
      youthJustice: false,
      rule: 'L-NONE',
      lead: L.NONE,
    },
  ])('$name', ({ rule, lead, alsoRequired = [], ...child }) => {
    expect(decide(derby, child)).toMatchObject({ rule, lead, alsoRequired, policy: 'derby-responsibility@v4' });
  });

  it('returns the inputs it decided on', () => {
    expect(decide(derby, s20Custody).inputs).toEqual({
      lookedAfter: false,
      route: null,
      formerlyLookedAfterInDetention: true,
      formerRoute: LookedAfterRoute.ACCOMMODATED_S20,
      careBasis: B.S20_ACCOMMODATED,
      justiceBasis: B.CUSTODIAL_SENTENCE,
      cscBefore: CscInvolvement.OPEN_CIN,
      childProtection: false,
      careLeaver: CareLeaverCategory.NONE,
      youthJusticeInvolved: true,
    });
  });
});

describe('lead professional per authority (DOMAIN Table 4.1-B)', () => {
  it.each<Case & { policy: ResponsibilityPolicy; rule: string; lead: L; citation: string }>([
    {
      ...unknownRemanded,
      name: `Somerset L10 ${unknownRemanded.name}: CSC manages`,
      policy: somerset,
      rule: 'L10',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '003 §7.2',
    },
    {
      name: 'Somerset L10 bailed to reside as directed: CSC manages',
      episodes: history(['JUSTICE', B.BAIL_TO_RESIDE_AS_DIRECTED, '2024-05-01']),
      policy: somerset,
      rule: 'L10',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '003 §7.2',
    },
    {
      ...s20Community,
      name: `Somerset L9 ${s20Community.name}: the YJS supervises`,
      policy: somerset,
      rule: 'L9',
      lead: L.YOUTH_JUSTICE,
      citation: '003 §2.3',
    },
    {
      ...childProtection,
      name: `Somerset L11 ${childProtection.name}`,
      policy: somerset,
      rule: 'L11',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '003 §5.1',
    },
    {
      ...relevantInCustody,
      name: `Somerset L15 ${relevantInCustody.name}`,
      policy: somerset,
      rule: 'L15',
      lead: L.LEAVING_CARE,
      citation: '003 §9.3',
    },
    {
      name: 'Somerset L15 an eligible child (LAC at 16 for 13 weeks)',
      dateOfBirth: OLDER,
      episodes: history(['CARE', B.S20_ACCOMMODATED, '2023-01-01']),
      policy: somerset,
      rule: 'L15',
      lead: L.LEAVING_CARE,
      citation: '003 §9.3',
    },
    {
      ...unknownRemanded,
      name: `Islington L7 ${unknownRemanded.name}: the social worker leads`,
      policy: islington,
      rule: 'L7',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '001 §5.1',
    },
    {
      ...s31Custody,
      name: `Islington L7 ${s31Custody.name}`,
      policy: islington,
      rule: 'L7',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '001 §5.1',
    },
    {
      ...childProtection,
      name: `Islington L11 ${childProtection.name}`,
      policy: islington,
      rule: 'L11',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '001 §4.4',
    },
    {
      ...relevantInCustody,
      name: `Islington L15 ${relevantInCustody.name}`,
      policy: islington,
      rule: 'L15',
      lead: L.LEAVING_CARE,
      citation: '001 §9',
    },
    {
      name: 'Islington, otherwise as Derby: L1',
      episodes: history(['JUSTICE', B.COMMUNITY_ORDER, '2024-04-01']),
      policy: islington,
      rule: 'L1',
      lead: L.YOUTH_JUSTICE,
      citation: '000 L86–88',
    },
    {
      ...s20Community,
      name: `H&F L8 ${s20Community.name}: the social worker keeps the lead`,
      policy: hammersmith,
      rule: 'L8',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '002 §4.3',
    },
    {
      ...s31Custody,
      name: `H&F L8 ${s31Custody.name}`,
      policy: hammersmith,
      rule: 'L8',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '002 §4.3',
    },
    {
      ...childProtection,
      name: `H&F L11 ${childProtection.name}`,
      policy: hammersmith,
      rule: 'L11',
      lead: L.CHILDRENS_SOCIAL_CARE,
      citation: '001 §4.4',
    },
    {
      ...unknownRemanded,
      name: `H&F, otherwise as Derby: L2 ${unknownRemanded.name}`,
      policy: hammersmith,
      rule: 'L2',
      lead: L.YOUTH_JUSTICE,
      citation: '000 L90–92',
    },
  ])('$name', ({ policy, rule, lead, citation, ...child }) => {
    const decision = decide(policy, child);
    expect(decision).toMatchObject({ rule, lead, policy: `${policy.id}@v${policy.version}` });
    expect(decision.citation).toContain(citation);
  });

  it('gives Derby L2 and Somerset L10 for the same child (DECISIONS §1)', () => {
    expect(decide(derby, unknownRemanded)).toMatchObject({
      rule: 'L2',
      lead: L.YOUTH_JUSTICE,
      alsoRequired: ['CSC_SOCIAL_WORKER'],
    });
    expect(decide(somerset, unknownRemanded)).toMatchObject({ rule: 'L10', lead: L.CHILDRENS_SOCIAL_CARE, alsoRequired: [] });
  });
});
