import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from 'src/common/time/london.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { ObligationProcessor } from 'src/obligations/obligation-processor.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { aJointChild } from '../support/joint-child.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { involvePolice } from '../support/emergency.js';
import { COMPLETE_REMAND_DPP } from '../support/record-fixtures.js';

/**
 * What a sharing agreement's clause reaches, and no more:
 *
 * - A clause limited to some record kinds gives those records only, never the child's details the
 *   same agency holds (its protocol duties, visits, placements, legal status): the establishment's
 *   governor reads the custody information pack and the DPP (C11, derby-csc-secure-estate §1), the
 *   police the AssetPlus and AIM3 (C3, derby-yos-police §1), and neither reads the duties or the
 *   visits of a child they are involved with.
 * - The agreements of Islington CSC with the establishment (001 §6.10–6.11, §7.6–7.7), of Somerset
 *   (003) and of Hammersmith & Fulham (002) let their protocol steps happen: the governor signs
 *   Islington's DPP, Somerset's CSC operations manager reads and decides the YJS's release plan
 *   and the establishment hears it was not agreed (003 §8.2–8.3), and each authority's front door
 *   hears of a remand with a referral opened for CSC.
 */
let t: TestApp;
let db: DataSource;

const CUSTODY = { purpose: 'CUSTODY_CARE' };
const POLICE = { purpose: 'SAFEGUARDING' };

/** The claims of a token the test makes for a caller without a demo user (a case system, or a post). */
interface Claims {
  readonly sub: string;
  readonly name: string;
  readonly agency: string;
  readonly case_system: string;
  readonly roles: readonly string[];
}
type Caller = string | Claims;

function system(agency: string, caseSystem: string): Claims {
  return {
    sub: `${caseSystem}-integration`,
    name: `${caseSystem} integration`,
    agency,
    case_system: caseSystem,
    roles: ['SYSTEM'],
  };
}

function person(sub: string, name: string, agency: string, caseSystem: string, role: string): Claims {
  return { sub, name, agency, case_system: caseSystem, roles: [role] };
}

async function gql<T = Record<string, unknown>>(
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
  purpose: string | null = 'CASE_MANAGEMENT',
): Promise<GraphQLResponse<T>> {
  if (typeof caller === 'string') return t.gql<T>(caller, query, variables, { purpose });
  const token = t.token('dana.hughes', { ...caller, roles: [...caller.roles] });
  const call = request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`);
  if (purpose !== null) call.set('x-purpose-of-use', purpose);
  const response = await call.send({ query, variables });
  return { status: response.status, body: response.body as GraphQLResponse<T>['body'], headers: response.headers };
}

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

/** A London date `days` from today (negative: before). */
function day(days: number): string {
  const [year, month, date] = londonToday().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

async function settle(): Promise<void> {
  const processor = t.app.get(ObligationProcessor);
  while ((await processor.processBatch()) > 0);
}

/** The types of one child's notifications in a case system's feed. */
async function feedTypes(caseSystem: Caller, childId: string): Promise<string[]> {
  await t.app.get(NotificationDispatcher).drain();
  const data = ok(
    await gql<{ notifications: { edges: { node: { type: string; childId: string } }[] } }>(
      caseSystem,
      `{ notifications(first: 100) { edges { node { type childId } } } }`,
    ),
  );
  return data.notifications.edges.filter((edge) => edge.node.childId === childId).map((edge) => edge.node.type);
}

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version status } }`;
const VISIT = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`;
const ALLOCATE = `mutation($input: AllocateWorkerInput!) { allocateWorker(input: $input) { id } }`;
const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;
const REFER = `mutation($input: ReferChildInput!) { referChild(input: $input) { id } }`;
const ACCEPT = `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id status } }`;
const PENDING = `{ referrals(status: PENDING) { edges { node { id childId clause fromAgency { code } toAgency { code } } } } }`;
const SIGN = `mutation($input: SignDetentionPlacementPlanInput!) { signDetentionPlacementPlan(input: $input) { id version
  signatures { name role agency { code } } } }`;
const DECIDE = `mutation($input: DecideReleasePlanInput!) { decideReleasePlan(input: $input) { id version
  signatures { decision reason agency { code } } } }`;

interface Withheld {
  field: string;
  rule: string;
}

interface DutyView {
  id: string;
  definitionId: string | null;
  ownerAgency: { code: string } | null;
  state: string | null;
  closedReason: string | null;
  history: unknown[] | null;
  withheld: Withheld[];
}

interface VisitView {
  id: string;
  kind: string | null;
  location: string | null;
  seenAlone: boolean | null;
  visitors: unknown[] | null;
  recordedByAgency: { code: string } | null;
  withheld: Withheld[];
}

const DETAILS = `query($id: ID!) { child(id: $id) {
  obligations { id definitionId ownerAgency { code } state closedReason history { to reason } withheld { field rule } }
  visits { edges { node { id kind location seenAlone visitors { name } recordedByAgency { code } withheld { field rule } } } }
} }`;

async function details(caller: Caller, childId: string, purpose: string) {
  const data = ok(
    await gql<{ child: { obligations: DutyView[]; visits: { edges: { node: VisitView }[] } } }>(
      caller,
      DETAILS,
      { id: childId },
      purpose,
    ),
  );
  return { duties: data.child.obligations, visits: data.child.visits.edges.map((edge) => edge.node) };
}

/** A duty of another agency, as the caller gets it: its id and nothing else, every field listed as withheld. */
function expectDutyWithheld(duty: DutyView | undefined) {
  expect(duty).toMatchObject({ definitionId: null, ownerAgency: null, state: null, closedReason: null, history: null });
  expect(duty?.withheld).toEqual(
    expect.arrayContaining(
      ['definitionId', 'ownerAgency', 'state', 'closedReason', 'history'].map((field) => ({ field, rule: 'DEFAULT-DENY' })),
    ),
  );
}

/** A visit of another agency, as the caller gets it: who, where and whether seen alone all withheld. */
function expectVisitWithheld(visit: VisitView | undefined) {
  expect(visit).toMatchObject({ kind: null, location: null, seenAlone: null, visitors: null, recordedByAgency: null });
  expect(visit?.withheld).toEqual(
    expect.arrayContaining(
      ['kind', 'visitors', 'location', 'seenAlone', 'recordedByAgency'].map((field) => ({ field, rule: 'DEFAULT-DENY' })),
    ),
  );
}

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

describe('the establishment reads the pack and the DPP, not CSC’s duties or visits (derby-csc-secure-estate §1, C11)', () => {
  let cscVisit = '';

  beforeAll(async () => {
    // Jordan's remand (demo) opens Derby CSC's visit and review duties.
    await settle();
    cscVisit = ok(
      await t.gql<{ recordVisit: { id: string } }>('sam.okafor', VISIT, {
        input: {
          childId: JORDAN.id,
          kind: 'STATUTORY_LOOKED_AFTER',
          visitDate: day(-1),
          seenAlone: true,
          location: 'HMYOI Wetherby',
          notes: 'Settling in; wants more family contact.',
        },
      }),
    ).recordVisit.id;
  });

  it('precondition: CSC’s duties for Jordan are open, and its social worker reads them and the visit', async () => {
    const own = await details('sam.okafor', JORDAN.id, 'CASE_MANAGEMENT');
    expect(own.duties.length).toBeGreaterThan(0);
    expect(own.duties.every((duty) => duty.ownerAgency?.code === 'derby-csc')).toBe(true);
    expect(own.visits.find((visit) => visit.id === cscVisit)).toMatchObject({
      kind: 'STATUTORY_LOOKED_AFTER',
      location: 'HMYOI Wetherby',
      seenAlone: true,
    });
  });

  it('the governor and the offender supervisor get no field of CSC’s duties or visits', async () => {
    for (const subject of ['gail.morgan', 'owen.price']) {
      const seen = await details(subject, JORDAN.id, 'CUSTODY_CARE');
      const cscDuties = seen.duties;
      expect(cscDuties.length, subject).toBeGreaterThan(0);
      for (const duty of cscDuties) expectDutyWithheld(duty);
      expectVisitWithheld(seen.visits.find((visit) => visit.id === cscVisit));
    }
  });

  it('nor CSC’s placements or legal status of the child', async () => {
    const data = ok(
      await t.gql<{
        child: {
          legalStatus: { basis: string | null } | null;
          currentPlacement: { address: string | null } | null;
          legalStatusHistory: { basis: string | null }[];
          placements: { edges: { node: { address: string | null } }[] };
        };
      }>(
        'gail.morgan',
        `{ child(id: "${JORDAN.id}") { legalStatus { basis } legalStatusHistory { basis } currentPlacement { address }
          placements { edges { node { address } } } } }`,
        {},
        CUSTODY,
      ),
    );
    expect(data.child.currentPlacement?.address ?? null).toBeNull();
    expect(data.child.legalStatus?.basis ?? null).toBeNull();
    expect(data.child.legalStatusHistory.filter((episode) => episode.basis !== null)).toEqual([]);
    expect(data.child.placements.edges.filter((edge) => edge.node.address !== null)).toEqual([]);
  });

  it('still reads the custody information pack and the DPP its clause grants, and nothing else', async () => {
    const list = ok(
      await t.gql<{ child: { records: { edges: { node: { kind: string } }[] } } }>(
        'gail.morgan',
        `{ child(id: "${JORDAN.id}") { records { edges { node { kind } } } } }`,
        {},
        CUSTODY,
      ),
    );
    expect(list.child.records.edges.map((edge) => edge.node.kind).sort()).toEqual([
      'CUSTODY_INFORMATION_PACK',
      'DETENTION_PLACEMENT_PLAN',
    ]);
    const dpp = ok(
      await t.gql<{ record: { c: { name: string | null; needs: string | null } } }>(
        'gail.morgan',
        `{ record(id: "${recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN)}") { ... on DetentionPlacementPlan { c: content { name: establishmentName needs: howNeedsWillBeMet } } } }`,
        {},
        CUSTODY,
      ),
    );
    expect(dpp.record.c.name).toBe('HMYOI Wetherby');
    expect(dpp.record.c.needs).toContain('Keyworker');
    const pack = ok(
      await t.gql<{ record: { c: { previousCareStatus: string | null } } }>(
        'owen.price',
        `{ record(id: "${recordOf(JORDAN, RecordKind.CUSTODY_INFORMATION_PACK)}") { ... on CustodyInformationPack { c: content { previousCareStatus } } } }`,
        {},
        CUSTODY,
      ),
    );
    expect(pack.record.c.previousCareStatus).not.toBeNull();
  });

  it('explainAccess for the child (no record) allows the establishment none of CSC’s details', async () => {
    const explained = ok(
      await t.gql<{
        explainAccess: {
          entries: { owningAgency: { code: string }; decisions: { sensitivityClass: string; allowed: boolean }[] }[];
        };
      }>(
        'gail.morgan',
        `{ explainAccess(childId: "${JORDAN.id}", purpose: CUSTODY_CARE) { entries { owningAgency { code } decisions { sensitivityClass allowed } } } }`,
      ),
    );
    const fromCsc = explained.explainAccess.entries.find((entry) => entry.owningAgency.code === 'derby-csc');
    expect(fromCsc?.decisions.find((decision) => decision.sensitivityClass === 'CASE_ADMINISTRATION')?.allowed).toBe(false);
  });
});

describe('the police read the AssetPlus, not the YOS’s duties or visits (derby-yos-police §1, §3)', () => {
  const child = aJointChild({ dateOfBirth: '2010-02-14' });
  let asset = '';
  let yosVisit = '';

  beforeAll(async () => {
    await db.transaction((manager) => insertChild(manager, child));
    asset = ok(
      await t.gql<{ createRecord: { id: string } }>('dana.hughes', CREATE, {
        input: {
          childId: child.id,
          content: {
            assetPlus: {
              analysis: 'Offending linked to exploitation.',
              riskOfReoffending: 'HIGH',
              riskOfSeriousHarm: 'MEDIUM',
              safetyAndWellbeing: 'HIGH',
            },
          },
        },
      }),
    ).createRecord.id;
    // A community sentence opens the YOS's AssetPlus duty (D2).
    ok(
      await t.gql('dana.hughes', COURT, {
        input: { childId: child.id, outcome: 'COMMUNITY_SENTENCE', effectiveDate: day(-2), court: 'Derby Youth Court' },
      }),
    );
    await settle();
    yosVisit = ok(
      await t.gql<{ recordVisit: { id: string } }>('dana.hughes', VISIT, {
        input: { childId: child.id, kind: 'YOS_SUPERVISION', visitDate: day(-1), location: '12 Abbey Street, Derby' },
      }),
    ).recordVisit.id;
    await involvePolice(t, child.id);
  });

  it('precondition: the YOS owns a duty for the child, and its case manager reads it and the visit', async () => {
    const own = await details('dana.hughes', child.id, 'CASE_MANAGEMENT');
    expect(own.duties.map((duty) => `${duty.definitionId}:${duty.ownerAgency?.code}`)).toContain('D2:derby-yos');
    expect(own.visits.find((visit) => visit.id === yosVisit)).toMatchObject({ kind: 'YOS_SUPERVISION' });
  });

  it('the officer gets no field of the YOS’s duties or visits', async () => {
    const seen = await details('ds.khan', child.id, 'SAFEGUARDING');
    expect(seen.duties.length).toBeGreaterThan(0);
    for (const duty of seen.duties) expectDutyWithheld(duty);
    expectVisitWithheld(seen.visits.find((visit) => visit.id === yosVisit));
    for (const purpose of ['COURT_REPORT']) {
      const again = await details('ds.khan', child.id, purpose);
      for (const duty of again.duties) expectDutyWithheld(duty);
      expectVisitWithheld(again.visits.find((visit) => visit.id === yosVisit));
    }
  });

  it('still reads the AssetPlus its clause grants, and the risk flags read from it (RISK only)', async () => {
    const data = ok(
      await t.gql<{
        record: { c: { analysis: string | null; riskOfReoffending: string | null } };
        child: { riskFlags: { kind: string; level: string | null; assessedBy: unknown }[] };
      }>(
        'ds.khan',
        `{ record(id: "${asset}") { ... on AssetPlus { c: content { analysis riskOfReoffending } } }
           child(id: "${child.id}") { riskFlags { kind level assessedBy { code } } } }`,
        {},
        POLICE,
      ),
    );
    expect(data.record.c).toEqual({ analysis: 'Offending linked to exploitation.', riskOfReoffending: 'HIGH' });
    expect(data.child.riskFlags.map((flag) => flag.level)).toEqual(['HIGH', 'MEDIUM', 'HIGH']);
  });

  it('reads nothing of CSC (no agreement between Derby CSC and the police)', async () => {
    const seen = ok(
      await t.gql<{ child: { records: { edges: { node: { kind: string; owningAgency: { code: string } | null } }[] } } }>(
        'ds.khan',
        `{ child(id: "${child.id}") { records { edges { node { kind owningAgency { code } } } } } }`,
        {},
        POLICE,
      ),
    );
    expect(seen.child.records.edges.map((edge) => edge.node.kind)).toEqual(['ASSET_PLUS']);
  });
});

describe('Islington CSC and the establishment (islington-csc-secure-estate, 001 §6.10–6.11, §7.6–7.7)', () => {
  const child = aChild({
    givenName: 'Noor',
    familyName: 'Islington-Estate',
    involvements: [
      { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
      { user: 'ayesha.malik', role: AllocationRole.TEAM_MANAGER, startDate: '2026-01-05' },
    ],
    // Looked after, then remanded to youth detention accommodation: the care plan copy is for such a child (001 §6.10).
    legalStatus: [
      { basis: LegalStatusBasis.S20_ACCOMMODATED, startDate: '2026-01-05', sourceEvent: 'Accommodated', by: 'ben.carter' },
      {
        basis: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
        startDate: '2026-11-20',
        sourceEvent: 'Remanded by Highbury Corner Youth Court',
        by: 'olu.bakare',
      },
    ],
  });
  let dpp = '';
  let carePlan = '';

  beforeAll(async () => {
    await db.transaction((manager) => insertChild(manager, child));
    dpp = ok(
      await t.gql<{ createRecord: { id: string } }>('ben.carter', CREATE, {
        input: { childId: child.id, content: { detentionPlacementPlan: COMPLETE_REMAND_DPP } },
      }),
    ).createRecord.id;
    carePlan = ok(
      await t.gql<{ createRecord: { id: string } }>('ben.carter', CREATE, {
        input: { childId: child.id, content: { carePlan: { summary: 'Remain looked after; return home on release.' } } },
      }),
    ).createRecord.id;
  });

  it('the governor sees nothing of the child until Islington CSC refers it and the governor accepts (§3)', async () => {
    expect(codes(await t.gql('gail.morgan', `{ child(id: "${child.id}") { id } }`, {}, CUSTODY))).toEqual(['NOT_FOUND']);
    // Not the social worker: the clause names the team manager.
    const bySocialWorker = await t.gql('ben.carter', REFER, {
      input: { childId: child.id, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' },
    });
    expect(codes(bySocialWorker)).toEqual(['FORBIDDEN']);
    const referred = ok(
      await t.gql<{ referChild: { id: string } }>('ayesha.malik', REFER, {
        input: { childId: child.id, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' },
      }),
    );
    const accepted = ok(
      await t.gql<{ acceptReferral: { status: string } }>(
        'gail.morgan',
        ACCEPT,
        { input: { referralId: referred.referChild.id, startDate: day(0) } },
        CUSTODY,
      ),
    );
    expect(accepted.acceptReferral.status).toBe('ACCEPTED');
  });

  it('the governor reads and signs Islington’s FINAL DPP (001 §6.11: D9-SIGNED can be met)', async () => {
    const signed = ok(
      await t.gql<{ signDetentionPlacementPlan: { signatures: unknown[] } }>(
        'gail.morgan',
        SIGN,
        { input: { recordId: dpp, expectedVersion: 1 } },
        CUSTODY,
      ),
    );
    expect(signed.signDetentionPlacementPlan.signatures).toEqual([
      { name: 'Gail Morgan', role: 'SECURE_ESTATE_GOVERNOR', agency: { code: 'wetherby-yoi' } },
    ]);
    const list = ok(
      await t.gql<{ child: { records: { edges: { node: { kind: string } }[] } } }>(
        'owen.price',
        `{ child(id: "${child.id}") { records { edges { node { kind } } } } }`,
        {},
        CUSTODY,
      ),
    );
    // The care plan is not the establishment's until a version is sent (001 §6.10).
    expect(list.child.records.edges.map((edge) => edge.node.kind)).toEqual(['DETENTION_PLACEMENT_PLAN']);
  });

  it('reads the care plan version the social worker sends, not the YOS’s records', async () => {
    ok(
      await t.gql(
        'ben.carter',
        `mutation($input: SendCarePlanToEstablishmentInput!) { sendCarePlanToEstablishment(input: $input) { version } }`,
        {
          input: { recordId: carePlan, expectedVersion: 1 },
        },
      ),
    );
    const read = ok(
      await t.gql<{ record: { version: number; c: { summary: string | null } } }>(
        'gail.morgan',
        `{ record(id: "${carePlan}") { version ... on CarePlan { c: content { summary } } } }`,
        {},
        CUSTODY,
      ),
    );
    expect(read.record).toEqual({ version: 1, c: { summary: 'Remain looked after; return home on release.' } });
    const intervention = ok(
      await t.gql<{ createRecord: { id: string } }>('olu.bakare', CREATE, {
        input: {
          childId: child.id,
          content: {
            interventionPlan: { riskTargets: ['Peer association'], interventions: [{ action: 'Mentoring', owner: 'Olu' }] },
          },
        },
      }),
    ).createRecord.id;
    expect(codes(await t.gql('gail.morgan', `{ record(id: "${intervention}") { id } }`, {}, CUSTODY))).toEqual(['NOT_FOUND']);
  });

  it('the establishment’s settling-in reply reaches the social worker (001 §7.7)', async () => {
    const sent = ok(
      await t.gql<{ sendSettlingInReport: { id: string } }>(
        'owen.price',
        `mutation($input: SendSettlingInReportInput!) { sendSettlingInReport(input: $input) { id } }`,
        {
          input: {
            childId: child.id,
            content: {
              howChildHasSettled: 'Settled on the unit; attending education.',
              agreedVisitingArrangements: 'Legal-visits room, Tuesdays 10:00.',
              firstVisitDate: day(5),
            },
          },
        },
        CUSTODY,
      ),
    );
    const read = ok(
      await t.gql<{ record: { c: { howChildHasSettled: string } } }>(
        'ben.carter',
        `{ record(id: "${sent.sendSettlingInReport.id}") { ... on SettlingInReport { c: content { howChildHasSettled } } } }`,
      ),
    );
    expect(read.record.c.howChildHasSettled).toBe('Settled on the unit; attending education.');
    expect(codes(await t.gql('olu.bakare', `{ record(id: "${sent.sendSettlingInReport.id}") { id } }`))).toEqual(['NOT_FOUND']);
  });

  it('gives the governor none of Islington CSC’s visits', async () => {
    const visit = ok(
      await t.gql<{ recordVisit: { id: string } }>('ben.carter', VISIT, {
        input: {
          childId: child.id,
          kind: 'STATUTORY_LOOKED_AFTER',
          visitDate: day(0),
          seenAlone: false,
          location: 'HMYOI Wetherby',
        },
      }),
    ).recordVisit.id;
    const seen = await details('gail.morgan', child.id, 'CUSTODY_CARE');
    expectVisitWithheld(seen.visits.find((node) => node.id === visit));
  });
});

const SOM = {
  yjsSystem: system('somerset-yjs', 'somerset-yjs-childview'),
  cscSystem: system('somerset-csc', 'somerset-csc-lcs'),
  caseManager: person('som.sian.yates', 'Sian Yates', 'somerset-yjs', 'somerset-yjs-childview', 'YOS_CASE_MANAGER'),
  yjsManager: person('som.yusuf.moss', 'Yusuf Moss', 'somerset-yjs', 'somerset-yjs-childview', 'YOS_MANAGER'),
  frontDoor: person('som.front.door', 'Somerset CSC front door', 'somerset-csc', 'somerset-csc-lcs', 'CSC_FRONT_DOOR'),
  manager: person('som.tom.hale', 'Tom Hale', 'somerset-csc', 'somerset-csc-lcs', 'CSC_TEAM_MANAGER'),
  head: person('som.hana.roe', 'Hana Roe', 'somerset-csc', 'somerset-csc-lcs', 'HEAD_OF_SERVICE'),
};
const WETHERBY_SYSTEM = system('wetherby-yoi', 'wetherby-nomis');

/** A child the authority's YOS registers from its case system, with its case manager allocated. */
async function registeredByYos(yosSystem: Claims, caseManager: Claims, reference: string, givenName: string): Promise<string> {
  const childId = ok(
    await gql<{ registerChild: { id: string } }>(yosSystem, REGISTER, {
      input: {
        givenName,
        familyName: 'Agreement-Scope',
        dateOfBirth: '2010-04-02',
        caseReference: reference,
        involvementStartDate: day(-30),
      },
    }),
  ).registerChild.id;
  ok(
    await gql(yosSystem, ALLOCATE, {
      input: {
        childId,
        practitionerSubject: caseManager.sub,
        practitionerName: caseManager.name,
        team: 'YOS',
        role: 'YOS_CASE_MANAGER',
        startDate: day(-30),
      },
    }),
  );
  return childId;
}

function remand(caller: Claims, childId: string, court: string) {
  return gql(caller, COURT, {
    input: {
      childId,
      outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
      effectiveDate: day(-1),
      court,
      placeOfDetention: 'wetherby-yoi',
      nextHearingDate: day(27),
    },
  });
}

/** The pending referrals of a child the caller's agency is asked about. */
async function pendingFor(caller: Caller, childId: string) {
  const data = ok(
    await gql<{
      referrals: {
        edges: {
          node: { id: string; childId: string; clause: string; fromAgency: { code: string }; toAgency: { code: string } };
        }[];
      };
    }>(caller, PENDING),
  );
  return data.referrals.edges.map((edge) => edge.node).filter((node) => node.childId === childId);
}

describe('Somerset (somerset-yjs-csc, somerset-yjs-secure-estate: 003)', () => {
  let childId = '';
  let plan = '';
  let intervention = '';

  it('a remand the YJS records reaches the CSC front door and opens a referral (003 §7.1–7.2)', async () => {
    childId = await registeredByYos(SOM.yjsSystem, SOM.caseManager, 'CV-SOM-SCOPE-1', 'Ellis');
    ok(await remand(SOM.caseManager, childId, 'Taunton Youth Court'));
    expect(await feedTypes(SOM.cscSystem, childId)).toContain('REMAND_RECORDED');
    const [referral] = await pendingFor(SOM.frontDoor, childId);
    expect(referral).toMatchObject({
      clause: 'somerset-yjs-csc@v1 §5.2',
      fromAgency: { code: 'somerset-yjs' },
      toAgency: { code: 'somerset-csc' },
    });
    // The notice lets the front door know of the child, not see it.
    expect(codes(await gql(SOM.frontDoor, `{ child(id: "${childId}") { id } }`))).toEqual(['NOT_FOUND']);
    ok(await gql(SOM.frontDoor, ACCEPT, { input: { referralId: referral?.id, startDate: day(0) } }));
    ok(
      await gql(SOM.cscSystem, ALLOCATE, {
        input: {
          childId,
          practitionerSubject: SOM.manager.sub,
          practitionerName: SOM.manager.name,
          team: 'Somerset CLA',
          role: 'TEAM_MANAGER',
          startDate: day(0),
        },
      }),
    );
  });

  it('the YJS refers the child to the establishment, whose governor accepts (somerset-yjs-secure-estate §2, 003 §8.1)', async () => {
    // The YJS manager is the case manager's team manager.
    ok(
      await gql(SOM.yjsSystem, ALLOCATE, {
        input: {
          childId,
          practitionerSubject: SOM.yjsManager.sub,
          practitionerName: SOM.yjsManager.name,
          team: 'YOS',
          role: 'TEAM_MANAGER',
          startDate: day(0),
        },
      }),
    );
    expect(
      codes(await gql(SOM.caseManager, REFER, { input: { childId, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' } })),
    ).toEqual(['FORBIDDEN']);
    const referred = ok(
      await gql<{ referChild: { id: string } }>(SOM.yjsManager, REFER, {
        input: { childId, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' },
      }),
    );
    ok(await gql('gail.morgan', ACCEPT, { input: { referralId: referred.referChild.id, startDate: day(0) } }, 'CUSTODY_CARE'));
  });

  it('the CSC operations manager reads the YJS’s release plan (003 §8.2); a head of service reads it and nothing else of the YJS', async () => {
    plan = ok(
      await gql<{ createRecord: { id: string } }>(SOM.caseManager, CREATE, {
        input: {
          childId,
          content: {
            releasePlan: {
              releaseDate: day(60),
              livingOption: 'BECOMES_LOOKED_AFTER',
              educationTrainingEmployment: 'College place from the next term.',
              risksPosed: 'Low',
            },
          },
        },
      }),
    ).createRecord.id;
    intervention = ok(
      await gql<{ createRecord: { id: string } }>(SOM.caseManager, CREATE, {
        input: {
          childId,
          content: {
            interventionPlan: { riskTargets: ['Peer association'], interventions: [{ action: 'Mentoring', owner: 'Sian' }] },
          },
        },
      }),
    ).createRecord.id;
    const READ = `query($id: ID!) { record(id: $id) { ... on ReleasePlan { c: content { livingOption risksPosed } } } }`;
    for (const [caller, purpose] of [
      [SOM.manager, 'CASE_MANAGEMENT'],
      [SOM.head, 'RESETTLEMENT'],
    ] as const) {
      const read = ok(
        await gql<{ record: { c: { livingOption: string; risksPosed: string } } }>(caller, READ, { id: plan }, purpose),
      );
      expect(read.record.c, caller.sub).toEqual({ livingOption: 'BECOMES_LOOKED_AFTER', risksPosed: 'Low' });
    }
    // The head of service's clause is the release plan alone.
    expect(codes(await gql(SOM.head, `{ record(id: "${intervention}") { id } }`, {}, 'RESETTLEMENT'))).toEqual(['NOT_FOUND']);
  });

  it('decides it not agreed: the YJS and the establishment holding the child are told (003 §8.3)', async () => {
    const decided = ok(
      await gql<{ decideReleasePlan: { signatures: unknown[] } }>(SOM.manager, DECIDE, {
        input: { recordId: plan, expectedVersion: 1, agreed: false, reason: 'No placement identified for release yet.' },
      }),
    );
    expect(decided.decideReleasePlan.signatures).toEqual([
      { decision: 'NOT_AGREED', reason: 'No placement identified for release yet.', agency: { code: 'somerset-csc' } },
    ]);
    expect(await feedTypes(SOM.yjsSystem, childId)).toContain('RELEASE_PLAN_NOT_AGREED');
    expect(await feedTypes(WETHERBY_SYSTEM, childId)).toContain('RELEASE_PLAN_NOT_AGREED');
  });

  it('the governor reads the plan’s case administration and the decision, nothing of its content beyond it', async () => {
    const read = ok(
      await gql<{
        record: {
          signatures: { decision: string; reason: string | null }[];
          c: { releaseDate: string | null; livingOption: string | null; risksPosed: string | null; edu: string | null };
          withheld: Withheld[];
        };
      }>(
        'gail.morgan',
        `{ record(id: "${plan}") { signatures { decision reason } withheld { field rule }
          ... on ReleasePlan { c: content { releaseDate livingOption risksPosed edu: educationTrainingEmployment } } } }`,
        {},
        'CUSTODY_CARE',
      ),
    );
    expect(read.record.signatures).toEqual([{ decision: 'NOT_AGREED', reason: 'No placement identified for release yet.' }]);
    expect(read.record.c).toEqual({ releaseDate: day(60), livingOption: null, risksPosed: null, edu: null });
    expect(read.record.withheld.map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['content.livingOption', 'content.risksPosed', 'content.educationTrainingEmployment']),
    );
    // The offender supervisor is not named by the clause, and no other YJS record reaches the establishment.
    expect(codes(await t.gql('owen.price', `{ record(id: "${plan}") { id } }`, {}, CUSTODY))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('gail.morgan', `{ record(id: "${intervention}") { id } }`, {}, CUSTODY))).toEqual(['NOT_FOUND']);
  });
});

describe('Hammersmith & Fulham (hammersmith-fulham-yos-csc: 002)', () => {
  const HF = {
    yosSystem: system('hammersmith-fulham-yos', 'hammersmith-fulham-yos-careworks'),
    cscSystem: system('hammersmith-fulham-csc', 'hammersmith-fulham-csc-mosaic'),
    caseManager: person(
      'hf.hana.fox',
      'Hana Fox',
      'hammersmith-fulham-yos',
      'hammersmith-fulham-yos-careworks',
      'YOS_CASE_MANAGER',
    ),
    icat: person('hf.icat', 'H&F ICAT', 'hammersmith-fulham-csc', 'hammersmith-fulham-csc-mosaic', 'CSC_FRONT_DOOR'),
    socialWorker: person(
      'hf.hugo.fenn',
      'Hugo Fenn',
      'hammersmith-fulham-csc',
      'hammersmith-fulham-csc-mosaic',
      'CSC_SOCIAL_WORKER',
    ),
  };

  it('a remand the YOS records alerts ICAT and opens a referral; once accepted, the social worker reads the YOS’s AssetPlus (002 §8.1, §4.3)', async () => {
    const childId = await registeredByYos(HF.yosSystem, HF.caseManager, 'CWK-HF-SCOPE-1', 'Kai');
    const asset = ok(
      await gql<{ createRecord: { id: string } }>(HF.caseManager, CREATE, {
        input: { childId, content: { assetPlus: { analysis: 'Needs support on release.', riskOfReoffending: 'MEDIUM' } } },
      }),
    ).createRecord.id;
    ok(await remand(HF.caseManager, childId, 'West London Youth Court'));
    // Delivering the notice opens the referral.
    expect(await feedTypes(HF.cscSystem, childId)).toContain('REMAND_RECORDED');
    const [referral] = await pendingFor(HF.icat, childId);
    expect(referral).toMatchObject({
      clause: 'hammersmith-fulham-yos-csc@v1 §5.2',
      fromAgency: { code: 'hammersmith-fulham-yos' },
    });
    ok(await gql(HF.icat, ACCEPT, { input: { referralId: referral?.id, startDate: day(0) } }));
    ok(
      await gql(HF.cscSystem, ALLOCATE, {
        input: {
          childId,
          practitionerSubject: HF.socialWorker.sub,
          practitionerName: HF.socialWorker.name,
          team: 'H&F LAC',
          role: 'SOCIAL_WORKER',
          startDate: day(0),
        },
      }),
    );
    const read = ok(
      await gql<{ record: { c: { analysis: string | null } } }>(
        HF.socialWorker,
        `{ record(id: "${asset}") { ... on AssetPlus { c: content { analysis } } } }`,
      ),
    );
    expect(read.record.c.analysis).toBe('Needs support on release.');
    // Another authority's front door hears nothing of it.
    expect(await pendingFor('islington.icat', childId)).toEqual([]);
  });
});
