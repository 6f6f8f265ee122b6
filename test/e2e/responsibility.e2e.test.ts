import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { KAYLA, recordOf } from '../support/demo-ids.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

/**
 * Legal status in its two dimensions, and what Tandem derives from it through the API: looked-after
 * status (Table 4.2), the care-leaver category (Table 4.5-A) and the lead professional (Table 4.1),
 * each with its rule id, under the child's authority's policy.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id dimension basis outcome court placeOfDetention { code } } }`;
const CARE = `mutation($input: RecordLegalStatusInput!) { recordLegalStatus(input: $input) { id dimension basis } }`;
const DERIVED = `query($id: ID!, $asOf: LocalDate) { child(id: $id) {
  careStatus { basis startDate } justiceStatus { basis startDate }
  lookedAfterStatus { lookedAfter route since decidedOn rule citation policy formerlyLookedAfterInDetention }
  lookedAfterHistory { lookedAfter rule decidedOn }
  careLeaverStatus(asOf: $asOf) { category rule age daysLookedAfterSince14 lookedAfterAfter16 policy }
  leadProfessional { lead rule citation policy alsoRequired agency { code } practitionerName inputs { cscBefore route } }
} }`;

interface Derived {
  careStatus: { basis: string; startDate: string } | null;
  justiceStatus: { basis: string; startDate: string } | null;
  lookedAfterStatus: {
    lookedAfter: boolean;
    route: string | null;
    since: string;
    decidedOn: string;
    rule: string;
    citation: string;
    policy: string;
    formerlyLookedAfterInDetention: boolean;
  } | null;
  lookedAfterHistory: { lookedAfter: boolean; rule: string; decidedOn: string }[];
  careLeaverStatus: {
    category: string;
    rule: string;
    age: number;
    daysLookedAfterSince14: number;
    lookedAfterAfter16: boolean;
    policy: string;
  };
  leadProfessional: {
    lead: string;
    rule: string;
    citation: string;
    policy: string;
    alsoRequired: string[];
    agency: { code: string } | null;
    practitionerName: string | null;
    inputs: { cscBefore: string; route: string | null };
  };
}

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

/** A Derby child known to the YOS (Dana Hughes); with `csc`, also to Derby CSC (Sam Okafor). */
async function derbyChild(dateOfBirth: string, options: { csc?: boolean } = {}): Promise<string> {
  const child = aChild({
    dateOfBirth,
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2020-01-06' },
      ...(options.csc ? [{ agency: 'derby-csc' as const, role: InvolvementRole.CSC, startDate: '2020-01-06' }] : []),
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2020-01-06' },
      ...(options.csc ? [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2020-01-06' }] : []),
    ],
  });
  await db.transaction((manager) => insertChild(manager, child));
  return child.id;
}

async function care(childId: string, basis: LegalStatusBasis | 'NONE', startDate: string, subject = 'sam.okafor') {
  const input = { childId, basis, startDate, ...(basis === 'NONE' ? { dimension: 'CARE' } : {}) };
  return ok(await t.gql(subject, CARE, { input }));
}

async function court(childId: string, outcome: string, effectiveDate: string, extra: Record<string, unknown> = {}) {
  const input = { childId, outcome, effectiveDate, court: 'Derby Youth Court', ...extra };
  return ok(await t.gql('dana.hughes', COURT, { input }));
}

async function derived(childId: string, asOf?: string, subject = 'dana.hughes'): Promise<Derived> {
  return ok(await t.gql<{ child: Derived }>(subject, DERIVED, { id: childId, asOf: asOf ?? null })).child;
}

describe('the issue’s scenarios', () => {
  it('Kayla (s31) sentenced to custody stays looked after (T7), and her social worker can still sign as parent/carer (C16)', async () => {
    const sentenced = await t.gql('olu.bakare', COURT, {
      input: {
        childId: KAYLA.id,
        outcome: 'CUSTODIAL_SENTENCE',
        effectiveDate: '2026-11-20',
        court: 'Highbury Corner Youth Court',
        placeOfDetention: 'wetherby-yoi',
        expectedReleaseDate: '2027-05-20',
      },
    });
    expect(ok(sentenced)).toMatchObject({
      recordCourtOutcome: { dimension: 'JUSTICE', basis: 'CUSTODIAL_SENTENCE', placeOfDetention: { code: 'wetherby-yoi' } },
    });
    const kayla = await derived(KAYLA.id, undefined, 'ben.carter');
    // The care order is untouched: the two dimensions coexist.
    expect(kayla.careStatus).toMatchObject({ basis: 'S31_CARE_ORDER', startDate: '2023-09-18' });
    expect(kayla.justiceStatus).toMatchObject({ basis: 'CUSTODIAL_SENTENCE', startDate: '2026-11-20' });
    expect(kayla.lookedAfterStatus).toMatchObject({
      lookedAfter: true,
      route: 'CARE_ORDER',
      since: '2023-09-18',
      decidedOn: '2026-11-20',
      rule: 'T7',
      policy: expect.stringMatching(/^islington-responsibility@v\d+$/) as unknown,
    });
    const sign = `mutation { signInterventionPlanAsParentCarer(input: { recordId: "${recordOf(KAYLA, RecordKind.INTERVENTION_PLAN)}", expectedVersion: 1 }) { version } }`;
    expect(ok(await t.gql<{ signInterventionPlanAsParentCarer: { version: number } }>('ben.carter', sign))).toMatchObject({
      signInterventionPlanAsParentCarer: { version: 2 },
    });
  });

  it('an s20 child sentenced to custody ceases to be looked after on the sentence date, as a child in need (T8), and cannot be signed for', async () => {
    const id = await derbyChild('2012-02-10', { csc: true });
    await care(id, LegalStatusBasis.S20_ACCOMMODATED, '2025-03-03');
    await court(id, 'CUSTODIAL_SENTENCE', '2026-10-05', { placeOfDetention: 'wetherby-yoi' });
    const child = await derived(id);
    expect(child.careStatus?.basis).toBe('S20_ACCOMMODATED');
    expect(child.lookedAfterStatus).toMatchObject({
      lookedAfter: false,
      since: '2026-10-05',
      rule: 'T8',
      formerlyLookedAfterInDetention: true,
    });
    expect(child.leadProfessional).toMatchObject({ lead: 'CHILDRENS_SOCIAL_CARE', rule: 'L6', agency: { code: 'derby-csc' } });
  });

  it('a previously unknown child remanded to YDA in Derby: looked after through remand (T2), the YOS leads and CSC must allocate a social worker (L2)', async () => {
    const id = await derbyChild('2011-06-01');
    const remand = await court(id, 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', '2026-11-27', {
      placeOfDetention: 'wetherby-yoi',
      conditions: 'Remanded until the next hearing',
      nextHearingDate: '2026-12-18',
      assetPlusReference: 'AP-55120',
    });
    expect(remand).toMatchObject({ recordCourtOutcome: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' } });
    const child = await derived(id);
    expect(child.lookedAfterStatus).toMatchObject({ lookedAfter: true, route: 'REMAND', since: '2026-11-27', rule: 'T2' });
    expect(child.leadProfessional).toMatchObject({
      lead: 'YOUTH_JUSTICE',
      rule: 'L2',
      alsoRequired: ['CSC_SOCIAL_WORKER'],
      agency: { code: 'derby-yos' },
      practitionerName: 'Dana Hughes',
      policy: expect.stringMatching(/^derby-responsibility@v\d+$/) as unknown,
      inputs: { cscBefore: 'NONE_OR_CLOSED', route: 'REMAND' },
    });
    expect(child.leadProfessional.citation).toMatch(/000/);
  });

  it('the same case in Somerset gives children’s social care the lead (L10)', async () => {
    const token = t.token('dana.hughes', {
      // The YJS's case system, which sees the children its agency is involved with.
      sub: 'somerset-yjs-integration',
      name: 'Somerset YJS ChildView integration',
      roles: ['SYSTEM'],
      agency: 'somerset-yjs',
      case_system: 'somerset-yjs-childview',
    });
    const as = async (query: string, variables: Record<string, unknown>) => {
      const response = await request(t.app.getHttpServer())
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .set('x-purpose-of-use', 'CASE_MANAGEMENT')
        .send({ query, variables });
      return { body: response.body as GraphQLResponse['body'] };
    };
    const registered = await as(`mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`, {
      input: {
        givenName: 'Sol',
        familyName: 'Marsh',
        dateOfBirth: '2011-06-01',
        caseReference: 'SY-2201',
        involvementStartDate: '2026-11-01',
      },
    });
    expect(registered.body.errors).toBeUndefined();
    const id = (registered.body.data as { registerChild: { id: string } }).registerChild.id;
    const remand = await as(COURT, {
      input: {
        childId: id,
        outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
        effectiveDate: '2026-11-27',
        court: 'Taunton Youth Court',
      },
    });
    expect(remand.body.errors).toBeUndefined();
    const read = await as(DERIVED, { id, asOf: null });
    expect(read.body.errors).toBeUndefined();
    const child = (read.body.data as { child: Derived }).child;
    expect(child.lookedAfterStatus).toMatchObject({ lookedAfter: true, rule: 'T2' });
    expect(child.leadProfessional).toMatchObject({
      lead: 'CHILDRENS_SOCIAL_CARE',
      rule: 'L10',
      agency: { code: 'somerset-csc' },
      policy: expect.stringMatching(/^somerset-responsibility@v\d+$/) as unknown,
    });
    expect(child.leadProfessional.citation).toMatch(/003 §7\.2/);
  });
});

describe('who records what', () => {
  it('refuses a care basis from the YOS and a justice status from CSC, naming the policy', async () => {
    const id = await derbyChild('2011-01-01', { csc: true });
    const byYos = await t.gql('dana.hughes', CARE, { input: { childId: id, basis: 'S31_CARE_ORDER', startDate: '2026-11-02' } });
    expect(codes(byYos)).toEqual(['FORBIDDEN']);
    expect(byYos.body.errors?.[0]?.message).toMatch(/derby-responsibility@v\d+/);
    const byCsc = await t.gql('sam.okafor', COURT, {
      input: {
        childId: id,
        outcome: 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION',
        effectiveDate: '2026-11-02',
        court: 'Derby Youth Court',
      },
    });
    expect(codes(byCsc)).toEqual(['FORBIDDEN']);
    const episodes = await db.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM legal_status_episode WHERE child_id = $1',
      [id],
    );
    expect(episodes[0]?.count).toBe(0);
  });

  it('refuses another agency’s child, a missing purpose, a date to come, and details that do not fit the outcome', async () => {
    const id = await derbyChild('2011-01-01');
    const input = { childId: id, outcome: 'CUSTODIAL_SENTENCE', effectiveDate: '2026-11-02', court: 'Derby Crown Court' };
    expect(codes(await t.gql('olu.bakare', COURT, { input }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('dana.hughes', COURT, { input }, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    const future = await t.gql('dana.hughes', COURT, { input: { ...input, effectiveDate: '2099-01-01' } });
    expect(future.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.effectiveDate' });
    const notSecure = await t.gql('dana.hughes', COURT, { input: { ...input, placeOfDetention: 'derby-csc' } });
    expect(notSecure.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.placeOfDetention' });
    const requirements = await t.gql('dana.hughes', COURT, { input: { ...input, requirements: ['INTENSIVE_FOSTERING'] } });
    expect(requirements.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.requirements' });
    const none = await t.gql('sam.okafor', CARE, { input: { childId: id, basis: 'NONE', startDate: '2026-11-02' } });
    expect(none.body.errors?.[0]?.extensions).toMatchObject({ field: 'input.dimension' });
  });
});

/** Table 4.2 (and the 4.1-A lead beside it), row by row, each through the API with real dates. */
describe('Table 4.2 and Table 4.1-A through the API (Derby)', () => {
  type Step = ['care', LegalStatusBasis | 'NONE', string] | ['court', string, string, Record<string, unknown>?];
  const rows: {
    rule: string;
    dob: string;
    csc: boolean;
    steps: Step[];
    lookedAfter: boolean;
    lead?: [string, string];
  }[] = [
    {
      rule: 'T1',
      dob: '2011-04-02',
      csc: false,
      steps: [['court', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-05-03']],
      lookedAfter: true,
      lead: ['YOUTH_JUSTICE', 'L2'],
    },
    {
      rule: 'T2',
      dob: '2011-04-02',
      csc: false,
      steps: [['court', 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', '2026-05-03']],
      lookedAfter: true,
      lead: ['YOUTH_JUSTICE', 'L2'],
    },
    {
      rule: 'T4',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S20_ACCOMMODATED, '2025-02-03'],
        ['court', 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', '2026-05-03'],
      ],
      lookedAfter: true,
      // Jordan's case in the README: Derby's table has no row for it, so its looked-after default.
      lead: ['CHILDRENS_SOCIAL_CARE', 'L-DEFAULT-LAC'],
    },
    {
      rule: 'T5',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S31_CARE_ORDER, '2024-02-03'],
        ['court', 'COMMUNITY_SENTENCE', '2026-05-03', { requirements: ['SUPERVISION'] }],
      ],
      lookedAfter: true,
      lead: ['CHILDRENS_SOCIAL_CARE', 'L4'],
    },
    {
      rule: 'T6',
      dob: '2011-04-02',
      csc: false,
      steps: [
        ['court', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-03-02'],
        ['court', 'COMMUNITY_SENTENCE', '2026-05-03'],
      ],
      lookedAfter: false,
      lead: ['YOUTH_JUSTICE', 'L1'],
    },
    {
      rule: 'T7',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S31_CARE_ORDER, '2024-02-03'],
        ['court', 'CUSTODIAL_SENTENCE', '2026-05-03'],
      ],
      lookedAfter: true,
      lead: ['CHILDRENS_SOCIAL_CARE', 'L5'],
    },
    {
      rule: 'T8',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S20_ACCOMMODATED, '2025-02-03'],
        ['court', 'CUSTODIAL_SENTENCE', '2026-05-03'],
      ],
      lookedAfter: false,
      lead: ['CHILDRENS_SOCIAL_CARE', 'L6'],
    },
    {
      rule: 'T9',
      dob: '2011-04-02',
      csc: false,
      steps: [
        ['court', 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', '2026-03-02'],
        ['court', 'CUSTODIAL_SENTENCE', '2026-05-03'],
      ],
      lookedAfter: false,
    },
    {
      // 16 on 2 April 2026, looked after since 14 and a half: a relevant child on entering custody.
      rule: 'T10',
      dob: '2010-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S20_ACCOMMODATED, '2024-10-07'],
        ['court', 'CUSTODIAL_SENTENCE', '2026-05-03'],
      ],
      lookedAfter: false,
    },
    {
      rule: 'T11',
      dob: '2011-04-02',
      csc: false,
      steps: [
        ['court', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-03-02'],
        ['court', 'REMAND_ENDED', '2026-05-03'],
      ],
      lookedAfter: false,
    },
    {
      rule: 'T12',
      dob: '2011-04-02',
      csc: false,
      steps: [
        ['court', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-03-02'],
        ['court', 'ACQUITTED', '2026-05-03'],
      ],
      lookedAfter: false,
    },
    {
      rule: 'T14',
      dob: '2011-04-02',
      csc: false,
      steps: [['court', 'COMMUNITY_SENTENCE', '2026-05-03', { requirements: ['INTENSIVE_FOSTERING'] }]],
      lookedAfter: true,
    },
    {
      rule: 'T15',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S20_ACCOMMODATED, '2025-02-03'],
        ['court', 'CUSTODIAL_SENTENCE', '2026-02-02'],
        ['court', 'RELEASED', '2026-05-03'],
      ],
      lookedAfter: false,
    },
    {
      rule: 'L1',
      dob: '2011-04-02',
      csc: false,
      steps: [['court', 'OUT_OF_COURT_DISPOSAL', '2026-05-03']],
      lookedAfter: false,
      lead: ['YOUTH_JUSTICE', 'L1'],
    },
    {
      rule: 'L3',
      dob: '2011-04-02',
      csc: true,
      steps: [
        ['care', LegalStatusBasis.S17_CHILD_IN_NEED, '2025-02-03'],
        ['court', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-05-03'],
      ],
      lookedAfter: true,
      lead: ['CHILDRENS_SOCIAL_CARE', 'L3'],
    },
  ];

  it.each(rows)('$rule', async (row) => {
    const id = await derbyChild(row.dob, { csc: row.csc });
    for (const step of row.steps) {
      if (step[0] === 'care') await care(id, step[1], step[2]);
      else await court(id, step[1], step[2], step[3]);
    }
    const child = await derived(id);
    const last = row.steps.at(-1)?.[2];
    if (row.rule.startsWith('T')) {
      expect(child.lookedAfterStatus).toMatchObject({ rule: row.rule, lookedAfter: row.lookedAfter, decidedOn: last });
    } else {
      expect(child.lookedAfterStatus?.lookedAfter ?? false).toBe(row.lookedAfter);
    }
    if (row.lead) expect(child.leadProfessional).toMatchObject({ lead: row.lead[0], rule: row.lead[1] });
  });
});

/** Table 4.5-A, row by row through the API, on fixed dates (asOf) so that the answers do not age. */
describe('Table 4.5-A through the API', () => {
  it('eligible, relevant and former relevant: one child looked after from 15 to 17, asked on three dates', async () => {
    const id = await derbyChild('2008-03-10', { csc: true });
    await care(id, LegalStatusBasis.S20_ACCOMMODATED, '2023-04-03');
    await care(id, 'NONE', '2025-09-01');
    expect((await derived(id, '2024-06-01')).careLeaverStatus).toMatchObject({ category: 'ELIGIBLE', age: 16 });
    expect((await derived(id, '2025-12-01')).careLeaverStatus).toMatchObject({ category: 'RELEVANT', age: 17 });
    expect((await derived(id, '2026-06-01')).careLeaverStatus).toMatchObject({ category: 'FORMER_RELEVANT', age: 18 });
    expect((await derived(id, '2023-02-01')).careLeaverStatus).toMatchObject({ category: 'NONE', age: 14 });
  });

  it('qualifying: looked after after 16 for less than 13 weeks; not when the child went home with s17 support', async () => {
    const id = await derbyChild('2009-08-20', { csc: true });
    await court(id, 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-01-05');
    await court(id, 'REMAND_ENDED', '2026-02-16');
    const qualifying = (await derived(id, '2026-03-02')).careLeaverStatus;
    expect(qualifying).toMatchObject({ category: 'QUALIFYING', lookedAfterAfter16: true });
    expect(qualifying.daysLookedAfterSince14).toBeLessThan(91);
    await care(id, LegalStatusBasis.S17_CHILD_IN_NEED, '2026-03-09');
    expect((await derived(id, '2026-04-01')).careLeaverStatus).toMatchObject({ category: 'NONE', rule: 'CL-Q-EXCLUSION' });
  });

  it('a child who turns 16 during a remand becomes eligible once 13 weeks are served; one who turns 18 during it is former relevant', async () => {
    const turning16 = await derbyChild('2010-01-15');
    await court(turning16, 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2025-12-01');
    expect((await derived(turning16, '2026-01-10')).careLeaverStatus).toMatchObject({ category: 'NONE', age: 15 });
    expect((await derived(turning16, '2026-01-20')).careLeaverStatus).toMatchObject({ category: 'NONE', age: 16 });
    expect((await derived(turning16, '2026-03-05')).careLeaverStatus).toMatchObject({ category: 'ELIGIBLE', age: 16 });

    const turning18 = await derbyChild('2008-02-10', { csc: true });
    await care(turning18, LegalStatusBasis.S20_ACCOMMODATED, '2024-01-08');
    await court(turning18, 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', '2026-01-12');
    expect((await derived(turning18, '2026-02-01')).careLeaverStatus).toMatchObject({ category: 'ELIGIBLE', age: 17 });
    expect((await derived(turning18, '2026-02-20')).careLeaverStatus).toMatchObject({ category: 'FORMER_RELEVANT', age: 18 });
  });
});
