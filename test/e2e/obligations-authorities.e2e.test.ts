import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import { ManualClock } from 'src/common/clock/clock.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { COMPLETE_REMAND_DPP } from '../support/record-fixtures.js';
import { ok, settle, sweepAt } from '../support/duties.js';

/**
 * The protocol duties of Islington, Hammersmith & Fulham and Somerset (issue 14, DOMAIN §3), each
 * run like Derby's in obligations.e2e.test.ts: a child known only to the authority's YOS, remanded
 * to youth detention accommodation on Fri 3 May 2024 (across the Early May bank holiday), followed
 * through children's social care becoming involved, the allocation, visits, plans and reviews, one
 * duty let go overdue and escalated on a clock the test moves; then the release duties (Somerset's
 * D28, D29, D33, D34 across Christmas 2024 and Easter 2025; Islington's care-leaver D17–D19) and
 * Islington's care-plan copy to the establishment (D8-CARE-PLAN-COPY).
 *
 * Callers without a demo user (H&F, Somerset, Islington CSC's case system) sign in with tokens the
 * test makes: a case system's SYSTEM token, or a practitioner's token with the roles of their post.
 */
const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

/** The claims of a token the test signs: a case system (roles SYSTEM) or a practitioner without a demo user. */
interface Claims {
  readonly sub: string;
  readonly name: string;
  readonly agency: string;
  readonly case_system: string;
  readonly roles: readonly string[];
}

/** A demo user by subject, or the claims of a token made for the test. */
type Caller = string | Claims;

function system(agency: string, caseSystem: string): Claims {
  return { sub: `${agency}-integration`, name: `${caseSystem} integration`, agency, case_system: caseSystem, roles: ['SYSTEM'] };
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
  const token = typeof caller === 'string' ? t.token(caller) : t.token('dana.hughes', { ...caller, roles: [...caller.roles] });
  const call = request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`);
  if (purpose !== null) call.set('x-purpose-of-use', purpose);
  const response = await call.send({ query, variables });
  return { status: response.status, body: response.body as GraphQLResponse<T>['body'], headers: response.headers };
}

/** A valid NHS number (modulus 11) of its own for each child, so the second service can match the child. */
function nhsNumber(seed: number): string {
  for (let n = seed; ; n += 1) {
    const digits = String(600_000_000 + n * 7919)
      .split('')
      .map(Number);
    const check = 11 - (digits.reduce((sum, digit, index) => sum + digit * (10 - index), 0) % 11);
    if (check === 10) continue;
    return `${digits.join('')}${check === 11 ? 0 : check}`;
  }
}

interface Duty {
  id: string;
  definitionId: string;
  state: string;
  dueAt: string;
  dueExplanation: string;
  citation: string;
  policy: string;
  ownerAgency: { code: string } | null;
  ownerName: string | null;
  escalationLevel: number;
  closedReason: string | null;
  history: { from: string | null; to: string; reason: string }[];
}

const DUTY = `id definitionId state dueAt dueExplanation citation policy ownerAgency { code } ownerName escalationLevel closedReason
  history { from to reason }`;

/** The child's duties as the caller reads them, by "definition:state". */
async function duties(caller: Caller, childId: string): Promise<Map<string, Duty>> {
  const data = ok(
    await gql<{ child: { obligations: Duty[] } }>(caller, `query($id: ID!) { child(id: $id) { obligations { ${DUTY} } } }`, {
      id: childId,
    }),
  );
  return new Map(data.child.obligations.map((duty) => [`${duty.definitionId}:${duty.state}`, duty]));
}

function duty(all: Map<string, Duty>, key: string): Duty {
  const found = all.get(key);
  expect(found, `${key} among ${[...all.keys()].join(', ')}`).toBeDefined();
  return found as Duty;
}

/** What the duties table holds for a child: definition → "dueAt owner policy" (before anyone may read them through the API). */
async function opened(childId: string): Promise<Record<string, string>> {
  const rows = await db.query<{ definition_id: string; due_at: Date; policy: string; code: string; state: string }[]>(
    `SELECT o.definition_id, o.due_at, o.policy, o.state, a.code FROM obligation o JOIN agency a ON a.id = o.owner_agency_id
      WHERE o.child_id = $1 ORDER BY o.definition_id`,
    [childId],
  );
  return Object.fromEntries(
    rows.map((row) => [row.definition_id, `${row.state} ${row.due_at.toISOString()} ${row.code} ${row.policy}`]),
  );
}

interface FeedNode {
  type: string;
  childId: string;
  cloudEvent: string;
}

/** Every notification in a case system's feed, paged through from the start. */
async function feed(caseSystem: Claims | string): Promise<FeedNode[]> {
  await t.app.get(NotificationDispatcher).drain();
  const nodes: FeedNode[] = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      notifications: { edges: { node: FeedNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = ok(
      await gql(
        caseSystem,
        `query($after: String) { notifications(first: 100, after: $after) { edges { node { type childId cloudEvent } }
          pageInfo { hasNextPage endCursor } } }`,
        { after },
      ),
    );
    nodes.push(...page.notifications.edges.map((edge) => edge.node));
    if (!page.notifications.pageInfo.hasNextPage) return nodes;
    after = page.notifications.pageInfo.endCursor;
  }
}

/** The OBLIGATION_CHANGED notifications of one duty in a case system's feed, as "state:audience". */
async function changesOf(caseSystem: Claims | string, obligationId: string): Promise<string[]> {
  return (await feed(caseSystem))
    .filter((node) => node.type === 'OBLIGATION_CHANGED')
    .map(
      (node) =>
        (JSON.parse(node.cloudEvent) as { data: { obligation: { id: string; state: string; audience: string } } }).data
          .obligation,
    )
    .filter((obligation) => obligation.id === obligationId)
    .map((obligation) => `${obligation.state}:${obligation.audience}`);
}

const REGISTER = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`;
const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { id involvements { agency { code } role } } }`;
const ALLOCATE = `mutation($input: AllocateWorkerInput!) { allocateWorker(input: $input) { id } }`;
const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id basis placeOfDetention { code } } }`;
const LEGAL_STATUS = `mutation($input: RecordLegalStatusInput!) { recordLegalStatus(input: $input) { id } }`;
const VISIT = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version status } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { id version status } }`;
const FINALISE = `mutation($input: FinaliseRecordInput!) { finaliseRecord(input: $input) { id version status } }`;
const REFERRALS = `{ referrals(status: PENDING) { edges { node { id childId clause status fromAgency { code } toAgency { code } } } } }`;
const ACCEPT = `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id status } }`;
const REFER = `mutation($input: ReferChildInput!) { referChild(input: $input) { id } }`;
const SIGN = `mutation($input: SignDetentionPlacementPlanInput!) { signDetentionPlacementPlan(input: $input) { id version
  signatures { name role agency { code } } } }`;
const DECIDE = `mutation($input: DecideReleasePlanInput!) { decideReleasePlan(input: $input) { id version
  signatures { version decision reason agency { code } } } }`;
/** HMYOI Wetherby's case system, and the purpose its staff act for. */
const WETHERBY_SYSTEM = system('wetherby-yoi', 'wetherby-nomis');
const CUSTODY_CARE = 'CUSTODY_CARE';

/** The pending referrals of one child the caller's agency is asked about. */
async function pendingFor(caller: Caller, childId: string) {
  const data = ok(
    await gql<{
      referrals: {
        edges: {
          node: { id: string; childId: string; clause: string; fromAgency: { code: string }; toAgency: { code: string } };
        }[];
      };
    }>(caller, REFERRALS),
  );
  return data.referrals.edges.map((edge) => edge.node).filter((node) => node.childId === childId);
}

/** The types of one child's notifications in a case system's feed. */
async function feedTypes(caseSystem: Claims | string, childId: string): Promise<string[]> {
  return (await feed(caseSystem)).filter((node) => node.childId === childId).map((node) => node.type);
}

/** A child registered by the authority's YOS from its case system, with its case manager allocated. */
async function registeredByYos(
  yosSystem: Caller,
  caseManager: { subject: string; name: string; team: string },
  child: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string; caseReference: string },
): Promise<string> {
  const registered = ok(
    await gql<{ registerChild: { id: string } }>(yosSystem, REGISTER, {
      input: { ...child, involvementStartDate: '2024-01-08' },
    }),
  );
  const childId = registered.registerChild.id;
  ok(
    await gql(yosSystem, ALLOCATE, {
      input: {
        childId,
        practitionerSubject: caseManager.subject,
        practitionerName: caseManager.name,
        team: caseManager.team,
        role: 'YOS_CASE_MANAGER',
        startDate: '2024-01-08',
      },
    }),
  );
  return childId;
}

/**
 * Children's social care joins a child the YOS registered the way Tandem offers when no referral
 * reaches it: its case system registers the child, is told Tandem holds it already (a confident
 * match), and links its own reference, which makes it involved.
 */
async function cscLinks(
  cscSystem: Caller,
  childId: string,
  child: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string },
  reference: string,
  involvementStartDate: string,
): Promise<void> {
  const registered = await gql(cscSystem, REGISTER, { input: { ...child, caseReference: reference } });
  expect(codes(registered)).toEqual(['CONFLICT']);
  expect(registered.body.errors?.[0]?.extensions).toMatchObject({ childId });
  const linked = ok(
    await gql<{ linkCaseReference: { involvements: { agency: { code: string }; role: string }[] } }>(cscSystem, LINK, {
      input: { childId, reference, involvementStartDate },
    }),
  );
  expect(linked.linkCaseReference.involvements.map((involvement) => involvement.role).sort()).toEqual(['CSC', 'YOS_HOME']);
}

function allocate(
  caller: Caller,
  childId: string,
  worker: { subject: string; name: string; team: string },
  role: string,
  startDate: string,
) {
  return gql(caller, ALLOCATE, {
    input: { childId, practitionerSubject: worker.subject, practitionerName: worker.name, team: worker.team, role, startDate },
  });
}

function remandToYda(caller: Caller, childId: string, court: string) {
  return gql<{ recordCourtOutcome: { basis: string; placeOfDetention: { code: string } | null } }>(caller, COURT, {
    input: {
      childId,
      outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
      effectiveDate: '2024-05-03',
      court,
      placeOfDetention: 'wetherby-yoi',
      nextHearingDate: '2024-05-31',
    },
  });
}

function statutoryVisit(caller: Caller, childId: string, visitDate: string) {
  return gql(caller, VISIT, {
    input: { childId, kind: 'STATUTORY_LOOKED_AFTER', visitDate, seenAlone: true, location: 'HMYOI Wetherby' },
  });
}

/** All nine release items and the day the young person was told (001 §9.4, 003 §8.4). */
const COMPLETE_CHECKLIST = {
  whoIsCollecting: 'Their aunt, at 09:00 at the gate.',
  whereTheyWillLive: 'Supported lodgings, 4 Station Road.',
  reportingArrangements: 'YJS office the next morning at 10:00.',
  sourcesOfSupport: 'Emergency duty team out of hours; the PA by phone.',
  educationOrEmployment: 'College place from the next term.',
  healthNeeds: 'GP registration arranged; CAMHS follow-up.',
  financialSupportAndClothing: 'Setting-up grant paid on the day; clothing bought the week before.',
  nextWorkerVisit: 'The day after release, at the lodgings.',
  practitionerRoles: 'PA leads on housing and money; YJS on licence conditions.',
  childToldOn: '2024-12-02',
};

// ─── Islington ──────────────────────────────────────────────────────────────────────────────────

describe('Islington: a child unknown to CSC remanded to youth detention accommodation on Fri 3 May 2024', () => {
  const yosSystem = 'islington-yos-integration';
  const cscSystem = system('islington-csc', 'islington-csc-mosaic');
  const child = {
    givenName: 'Rio',
    familyName: 'Islington-Duties',
    dateOfBirth: '2009-02-11',
    nhsNumber: nhsNumber(1),
    caseReference: 'CW-ISL-DUTY-1',
  };
  let childId = '';
  let dpp = '';

  it('the YOS records the remand with the place of detention; CSC’s front door is told and a referral opened', async () => {
    childId = await registeredByYos(yosSystem, { subject: 'olu.bakare', name: 'Olu Bakare', team: 'Islington YOS' }, child);
    const remand = ok(await remandToYda('olu.bakare', childId, 'Highbury Corner Youth Court'));
    expect(remand.recordCourtOutcome).toMatchObject({
      basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION',
      placeOfDetention: { code: 'wetherby-yoi' },
    });
    await settle(t);
    // Six duties open, every one owned by Islington's CSC though it does not know the child yet.
    const policy = 'islington-responsibility@v4';
    expect(await opened(childId)).toEqual({
      'D30-REMAND': `OPEN 2024-05-31T22:59:59.000Z islington-csc ${policy}`,
      'D31-REMAND': `OPEN 2024-05-10T22:59:59.000Z islington-csc ${policy}`,
      'D32-REMAND': `OPEN 2024-06-14T22:59:59.000Z islington-csc ${policy}`,
      D9: `OPEN 2024-05-20T22:59:59.000Z islington-csc ${policy}`,
      'D9-SIGNED': `OPEN 2024-05-20T22:59:59.000Z islington-csc ${policy}`,
      'L2-ALLOCATE': `OPEN 2024-05-07T22:59:59.000Z islington-csc ${policy}`,
    });
    // The remand notice reaches the front door (ICAT) and opens a referral for CSC to become involved.
    const notice = (await feed(cscSystem)).find((node) => node.childId === childId && node.type === 'REMAND_RECORDED');
    expect(notice).toBeDefined();
    const pending = ok(
      await gql<{ referrals: { edges: { node: { id: string; childId: string; clause: string } }[] } }>(
        'islington.icat',
        REFERRALS,
      ),
    ).referrals.edges.filter((edge) => edge.node.childId === childId);
    expect(pending.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ clause: 'islington-yos-csc@v4 §7.1', fromAgency: { code: 'islington-yos' } }),
    ]);
    expect(codes(await gql('islington.icat', `{ child(id: "${childId}") { id } }`))).toEqual(['NOT_FOUND']);
  });

  it('ICAT accepts the referral on Tue 7 May; CSC then reads every duty, due to the minute, with its citation', async () => {
    clock.set(new Date('2024-05-07T08:30:00Z'));
    const [referral] = ok(
      await gql<{ referrals: { edges: { node: { id: string; childId: string } }[] } }>('islington.icat', REFERRALS),
    ).referrals.edges.filter((edge) => edge.node.childId === childId);
    const accepted = ok(
      await gql<{ acceptReferral: { status: string } }>('islington.icat', ACCEPT, {
        input: { referralId: referral?.node.id, startDate: '2024-05-07' },
      }),
    );
    expect(accepted.acceptReferral.status).toBe('ACCEPTED');
    const open = await duties(cscSystem, childId);
    expect([...open.keys()].sort()).toEqual([
      'D30-REMAND:OPEN',
      'D31-REMAND:OPEN',
      'D32-REMAND:OPEN',
      'D9-SIGNED:OPEN',
      'D9:OPEN',
      'L2-ALLOCATE:OPEN',
    ]);
    expect(duty(open, 'L2-ALLOCATE:OPEN')).toMatchObject({
      dueAt: '2024-05-07T22:59:59.000Z',
      ownerAgency: { code: 'islington-csc' },
      policy: 'islington-responsibility@v4',
    });
    expect(duty(open, 'L2-ALLOCATE:OPEN').dueExplanation).toMatch(/Mon 6 May 2024 \(Early May bank holiday\)/);
    expect(duty(open, 'L2-ALLOCATE:OPEN').citation).toMatch(/001 §5\.1, §6\.3/);
    // The DPP and its signature: 10 working days, the bank holiday skipped (001 §6.11).
    for (const id of ['D9', 'D9-SIGNED']) {
      expect(duty(open, `${id}:OPEN`)).toMatchObject({
        dueAt: '2024-05-20T22:59:59.000Z',
        dueExplanation:
          '10 working days after Fri 3 May 2024 (day 0), skipping Mon 6 May 2024 (Early May bank holiday): end of Mon 20 May 2024, 23:59:59 BST (22:59:59 UTC)',
      });
      expect(duty(open, `${id}:OPEN`).citation).toMatch(/001 §6\.11, App\.2/);
    }
    expect(duty(open, 'D31-REMAND:OPEN')).toMatchObject({
      dueAt: '2024-05-10T22:59:59.000Z',
      dueExplanation: '7 calendar days after Fri 3 May 2024 (day 0): end of Fri 10 May 2024, 23:59:59 BST (22:59:59 UTC)',
    });
    expect(duty(open, 'D30-REMAND:OPEN').dueAt).toBe('2024-05-31T22:59:59.000Z');
    expect(duty(open, 'D32-REMAND:OPEN').dueAt).toBe('2024-06-14T22:59:59.000Z');
    for (const id of ['D30-REMAND', 'D31-REMAND']) expect(duty(open, `${id}:OPEN`).citation).toMatch(/003 §7\.4/);
    expect(duty(open, 'D32-REMAND:OPEN').citation).toMatch(/003 §7\.4, §7\.6/);
  });

  it('the team manager allocates a social worker the same day: the allocation duty (L2) is satisfied', async () => {
    clock.set(new Date('2024-05-07T09:00:00Z'));
    // The case system records who manages the case; the manager then allocates the social worker.
    ok(
      await allocate(
        cscSystem,
        childId,
        { subject: 'ayesha.malik', name: 'Ayesha Malik', team: 'Children Looked After' },
        'TEAM_MANAGER',
        '2024-05-07',
      ),
    );
    ok(
      await allocate(
        'ayesha.malik',
        childId,
        { subject: 'ben.carter', name: 'Ben Carter', team: 'Children Looked After' },
        'SOCIAL_WORKER',
        '2024-05-07',
      ),
    );
    await settle(t);
    const now = await duties('ayesha.malik', childId);
    expect(duty(now, 'L2-ALLOCATE:SATISFIED').history.map((entry) => `${entry.from}→${entry.to}`)).toEqual([
      'null→OPEN',
      'OPEN→SATISFIED',
    ]);
    expect(duty(now, 'L2-ALLOCATE:SATISFIED').closedReason).toBe('WORKER_ALLOCATION_CHANGED on 2024-05-07');
  });

  it('the social worker’s statutory visit on Thu 9 May satisfies the first visit, and the next falls due 42 days after it', async () => {
    clock.set(new Date('2024-05-09T16:00:00Z'));
    ok(await statutoryVisit('ben.carter', childId, '2024-05-09'));
    await settle(t);
    const now = await duties('ben.carter', childId);
    expect(now.has('D31-REMAND:SATISFIED')).toBe(true);
    expect(now.has('D32-REMAND:SATISFIED')).toBe(true);
    expect(duty(now, 'D32-REMAND:OPEN')).toMatchObject({
      dueAt: '2024-06-20T22:59:59.000Z',
      dueExplanation: '42 calendar days after Thu 9 May 2024 (day 0): end of Thu 20 Jun 2024, 23:59:59 BST (22:59:59 UTC)',
      ownerName: 'Ben Carter',
    });
    expect(duty(now, 'D32-REMAND:OPEN').citation).toMatch(/003 §7\.4, §7\.6/);
  });

  it('an empty detention placement plan is refused at FINAL; the completed plan satisfies D9, not its signature', async () => {
    clock.set(new Date('2024-05-14T10:00:00Z'));
    const empty = await gql('ben.carter', CREATE, {
      input: { childId, status: 'FINAL', content: { detentionPlacementPlan: {} } },
    });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.body.errors?.[0]?.message).toContain('Appendix 2');
    expect(empty.body.errors?.[0]?.extensions.missing).toHaveLength(17);

    const draft = ok(
      await gql<{ createRecord: { id: string; version: number; status: string } }>('ben.carter', CREATE, {
        input: { childId, status: 'DRAFT', content: { detentionPlacementPlan: { establishmentName: 'HMYOI Wetherby' } } },
      }),
    ).createRecord;
    expect(draft).toMatchObject({ version: 1, status: 'DRAFT' });
    const early = await gql('ben.carter', FINALISE, { input: { recordId: draft.id, expectedVersion: 1 } });
    expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.body.errors?.[0]?.message).toContain('establishmentAddress: its address');
    await settle(t);
    expect((await duties('ben.carter', childId)).has('D9:OPEN')).toBe(true);

    ok(
      await gql('ben.carter', UPDATE, {
        input: {
          recordId: draft.id,
          expectedVersion: 1,
          status: 'DRAFT',
          content: { detentionPlacementPlan: COMPLETE_REMAND_DPP },
        },
      }),
    );
    const final = ok(
      await gql<{ finaliseRecord: { version: number; status: string } }>('ben.carter', FINALISE, {
        input: { recordId: draft.id, expectedVersion: 2 },
      }),
    );
    expect(final.finaliseRecord).toMatchObject({ version: 3, status: 'FINAL' });
    dpp = draft.id;
    await settle(t);
    const now = await duties('ben.carter', childId);
    expect(duty(now, 'D9:SATISFIED').closedReason).toMatch(/^RECORD_FINALISED on /);
    // The governor's signature is a duty of its own: the plan made FINAL does not satisfy it.
    expect(now.has('D9-SIGNED:OPEN')).toBe(true);
  });

  it('the allocated social worker’s worklist holds the duties opened since their allocation', async () => {
    const mine = ok(await gql<{ myObligations: Duty[] }>('ben.carter', `{ myObligations { ${DUTY} } }`));
    expect(mine.myObligations.map((item) => `${item.definitionId}:${item.state}:${item.ownerName}`)).toContain(
      'D32-REMAND:OPEN:Ben Carter',
    );
  });

  it('the social worker allocated on 7 May owns the duties of their role opened before it, on their worklist', async () => {
    const mine = ok(await gql<{ myObligations: Duty[] }>('ben.carter', `{ myObligations { ${DUTY} } }`));
    expect(mine.myObligations.map((item) => `${item.definitionId}:${item.ownerName}`)).toContain('D9-SIGNED:Ben Carter');
    const signed = mine.myObligations.find((item) => item.definitionId === 'D9-SIGNED');
    expect(signed?.history.map((entry) => `${entry.to}: ${entry.reason}`)).toEqual([
      'OPEN: REMAND_RECORDED on 2024-05-03',
      'OPEN: now with Ben Carter',
    ]);
  });

  it('the team manager refers the child to HMYOI Wetherby, whose governor accepts, reads and signs the DPP: D9-SIGNED is satisfied', async () => {
    clock.set(new Date('2024-05-16T10:00:00Z'));
    // The place of detention alone does not make the establishment involved: the governor sees nothing yet.
    expect(codes(await gql('gail.morgan', `{ child(id: "${childId}") { id } }`, {}, CUSTODY_CARE))).toEqual(['NOT_FOUND']);
    expect(codes(await gql('gail.morgan', SIGN, { input: { recordId: dpp, expectedVersion: 3 } }, CUSTODY_CARE))).toEqual([
      'NOT_FOUND',
    ]);
    // islington-csc-secure-estate §6: the CSC team manager refers, the governor decides.
    const referred = ok(
      await gql<{ referChild: { id: string } }>('ayesha.malik', REFER, {
        input: { childId, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' },
      }),
    );
    expect(await pendingFor('gail.morgan', childId)).toEqual([
      expect.objectContaining({
        clause: 'islington-csc-secure-estate@v1 §6',
        fromAgency: { code: 'islington-csc' },
        toAgency: { code: 'wetherby-yoi' },
      }),
    ]);
    const accepted = ok(
      await gql<{ acceptReferral: { status: string } }>(
        'gail.morgan',
        ACCEPT,
        { input: { referralId: referred.referChild.id, startDate: '2024-05-16' } },
        CUSTODY_CARE,
      ),
    );
    expect(accepted.acceptReferral.status).toBe('ACCEPTED');
    // §1: the governor reads Islington's FINAL DPP and signs it (001 §6.11).
    const signed = ok(
      await gql<{ signDetentionPlacementPlan: { version: number; signatures: unknown[] } }>(
        'gail.morgan',
        SIGN,
        { input: { recordId: dpp, expectedVersion: 3 } },
        CUSTODY_CARE,
      ),
    );
    expect(signed.signDetentionPlacementPlan).toMatchObject({
      version: 3,
      signatures: [{ name: 'Gail Morgan', role: 'SECURE_ESTATE_GOVERNOR', agency: { code: 'wetherby-yoi' } }],
    });
    await settle(t);
    const now = await duties('ben.carter', childId);
    expect(duty(now, 'D9-SIGNED:SATISFIED').history.map((entry) => `${entry.to}: ${entry.reason}`)).toEqual([
      'OPEN: REMAND_RECORDED on 2024-05-03',
      'OPEN: now with Ben Carter',
      expect.stringMatching(/^SATISFIED: /),
    ]);
    expect(now.has('D9:SATISFIED')).toBe(true);
  });
});

// ─── Hammersmith & Fulham ───────────────────────────────────────────────────────────────────────

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
  manager: person(
    'hf.harriet.fulton',
    'Harriet Fulton',
    'hammersmith-fulham-csc',
    'hammersmith-fulham-csc-mosaic',
    'CSC_TEAM_MANAGER',
  ),
  socialWorker: person(
    'hf.hugo.fenn',
    'Hugo Fenn',
    'hammersmith-fulham-csc',
    'hammersmith-fulham-csc-mosaic',
    'CSC_SOCIAL_WORKER',
  ),
  head: person('hf.helena.ford', 'Helena Ford', 'hammersmith-fulham-csc', 'hammersmith-fulham-csc-mosaic', 'HEAD_OF_SERVICE'),
  icat: person('hf.icat', 'H&F ICAT', 'hammersmith-fulham-csc', 'hammersmith-fulham-csc-mosaic', 'CSC_FRONT_DOOR'),
};

describe('Hammersmith & Fulham: the same remand; the statutory review let go due soon, overdue and escalated twice', () => {
  const child = {
    givenName: 'Kai',
    familyName: 'Fulham-Duties',
    dateOfBirth: '2009-02-11',
    nhsNumber: nhsNumber(2),
    caseReference: 'CWK-HF-1',
  };
  let childId = '';

  it('opens the allocation duty, the statutory review and the visits, owned by H&F’s CSC', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    childId = await registeredByYos(HF.yosSystem, { subject: HF.caseManager.sub, name: 'Hana Fox', team: 'H&F YOS' }, child);
    ok(await remandToYda(HF.caseManager, childId, 'West London Youth Court'));
    await settle(t);
    const policy = 'hammersmith-fulham-responsibility@v4';
    expect(await opened(childId)).toEqual({
      'D30-REMAND': `OPEN 2024-05-31T22:59:59.000Z hammersmith-fulham-csc ${policy}`,
      'D31-REMAND': `OPEN 2024-05-10T22:59:59.000Z hammersmith-fulham-csc ${policy}`,
      'D32-REMAND': `OPEN 2024-06-14T22:59:59.000Z hammersmith-fulham-csc ${policy}`,
      'L2-ALLOCATE': `OPEN 2024-05-07T22:59:59.000Z hammersmith-fulham-csc ${policy}`,
    });
  });

  it('H&F’s front door (ICAT) is told of the remand and a referral opened for CSC (hammersmith-fulham-yos-csc §5.2, 002 §8.1)', async () => {
    expect(await feedTypes(HF.cscSystem, childId)).toContain('REMAND_RECORDED');
    expect(await pendingFor(HF.icat, childId)).toEqual([
      expect.objectContaining({
        clause: 'hammersmith-fulham-yos-csc@v1 §5.2',
        fromAgency: { code: 'hammersmith-fulham-yos' },
        toAgency: { code: 'hammersmith-fulham-csc' },
      }),
    ]);
    // The notice lets ICAT know of the child, not see it, and no other authority's front door hears of it.
    expect(codes(await gql(HF.icat, `{ child(id: "${childId}") { id } }`))).toEqual(['NOT_FOUND']);
    expect(await pendingFor('islington.icat', childId)).toEqual([]);
  });

  it('ICAT accepts the referral on Tue 7 May; CSC then reads each duty to the minute with its citation', async () => {
    clock.set(new Date('2024-05-07T08:30:00Z'));
    const [referral] = await pendingFor(HF.icat, childId);
    const accepted = ok(
      await gql<{ acceptReferral: { status: string } }>(HF.icat, ACCEPT, {
        input: { referralId: referral?.id, startDate: '2024-05-07' },
      }),
    );
    expect(accepted.acceptReferral.status).toBe('ACCEPTED');
    const open = await duties(HF.cscSystem, childId);
    expect([...open.keys()].sort()).toEqual(['D30-REMAND:OPEN', 'D31-REMAND:OPEN', 'D32-REMAND:OPEN', 'L2-ALLOCATE:OPEN']);
    expect(duty(open, 'L2-ALLOCATE:OPEN')).toMatchObject({
      dueAt: '2024-05-07T22:59:59.000Z',
      dueExplanation:
        'next working day after Fri 3 May 2024 (day 0), skipping Mon 6 May 2024 (Early May bank holiday): end of Tue 7 May 2024, 23:59:59 BST (22:59:59 UTC)',
      ownerAgency: { code: 'hammersmith-fulham-csc' },
    });
    expect(duty(open, 'L2-ALLOCATE:OPEN').citation).toMatch(/000 L90–92/);
    expect(duty(open, 'D30-REMAND:OPEN')).toMatchObject({
      dueAt: '2024-05-31T22:59:59.000Z',
      dueExplanation: '28 calendar days after Fri 3 May 2024 (day 0): end of Fri 31 May 2024, 23:59:59 BST (22:59:59 UTC)',
    });
    expect(duty(open, 'D31-REMAND:OPEN').dueAt).toBe('2024-05-10T22:59:59.000Z');
    expect(duty(open, 'D32-REMAND:OPEN').dueAt).toBe('2024-06-14T22:59:59.000Z');
    for (const id of ['D30-REMAND', 'D31-REMAND', 'D32-REMAND']) expect(duty(open, `${id}:OPEN`).citation).toMatch(/003 §7\.4/);
  });

  it('the team manager allocates a social worker, who visits on Fri 10 May, the day the first visit is due', async () => {
    clock.set(new Date('2024-05-07T10:00:00Z'));
    ok(
      await allocate(
        HF.cscSystem,
        childId,
        { subject: HF.manager.sub, name: 'Harriet Fulton', team: 'H&F LAC' },
        'TEAM_MANAGER',
        '2024-05-07',
      ),
    );
    ok(
      await allocate(
        HF.manager,
        childId,
        { subject: HF.socialWorker.sub, name: 'Hugo Fenn', team: 'H&F LAC' },
        'SOCIAL_WORKER',
        '2024-05-07',
      ),
    );
    await settle(t);
    expect(duty(await duties(HF.manager, childId), 'L2-ALLOCATE:SATISFIED').closedReason).toBe(
      'WORKER_ALLOCATION_CHANGED on 2024-05-07',
    );
    clock.set(new Date('2024-05-10T15:00:00Z'));
    ok(await statutoryVisit(HF.socialWorker, childId, '2024-05-10'));
    await settle(t);
    const now = await duties(HF.socialWorker, childId);
    // Opened in the front door's queue, the first visit moved to the social worker when allocated, then done.
    expect(duty(now, 'D31-REMAND:SATISFIED').history.map((entry) => `${entry.to}: ${entry.reason}`)).toEqual([
      'OPEN: REMAND_RECORDED on 2024-05-03',
      'OPEN: now with Hugo Fenn',
      'SATISFIED: VISIT_RECORDED on 2024-05-10',
    ]);
    expect(duty(now, 'D32-REMAND:OPEN')).toMatchObject({ dueAt: '2024-06-21T22:59:59.000Z', ownerName: 'Hugo Fenn' });
  });

  it('no review held: D30 is due soon from the end of Wed 29 May and overdue after Fri 31 May', async () => {
    await sweepAt(t, clock, '2024-05-29T22:59:58.000Z');
    expect((await duties(HF.manager, childId)).has('D30-REMAND:OPEN')).toBe(true);
    await sweepAt(t, clock, '2024-05-29T22:59:59.000Z');
    expect((await duties(HF.manager, childId)).has('D30-REMAND:DUE_SOON')).toBe(true);
    await sweepAt(t, clock, '2024-05-31T22:59:58.000Z');
    expect((await duties(HF.manager, childId)).has('D30-REMAND:DUE_SOON')).toBe(true);
    await sweepAt(t, clock, '2024-05-31T23:00:00.000Z');
    expect(duty(await duties(HF.manager, childId), 'D30-REMAND:OVERDUE')).toMatchObject({ escalationLevel: 0 });
  });

  it('escalates to the team manager at the end of the next working day, Mon 3 June', async () => {
    await sweepAt(t, clock, '2024-06-03T22:59:58.000Z');
    expect((await duties(HF.manager, childId)).has('D30-REMAND:OVERDUE')).toBe(true);
    await sweepAt(t, clock, '2024-06-03T23:00:00.000Z');
    const escalated = duty(await duties(HF.manager, childId), 'D30-REMAND:ESCALATED');
    expect(escalated.escalationLevel).toBe(1);
    expect(escalated.history.map((entry) => entry.to)).toEqual(['OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED']);
    expect(escalated.history.at(-1)?.reason).toBe('overdue since 2024-05-31T22:59:59.000Z: escalated to TEAM_MANAGER');
    // The manager's list of the agency's overdue duties names it; the social worker may not ask for it.
    const overdue = ok(await gql<{ overdueObligations: Duty[] }>(HF.manager, `{ overdueObligations { ${DUTY} } }`));
    expect(overdue.overdueObligations.filter((item) => item.id === escalated.id)).toHaveLength(1);
    expect(codes(await gql(HF.socialWorker, `{ overdueObligations { id } }`))).toEqual(['FORBIDDEN']);
  });

  it('escalates to the head of service one working day later, at the end of Tue 4 June', async () => {
    await sweepAt(t, clock, '2024-06-04T22:59:58.000Z');
    expect(duty(await duties(HF.manager, childId), 'D30-REMAND:ESCALATED').escalationLevel).toBe(1);
    await sweepAt(t, clock, '2024-06-04T22:59:59.000Z');
    expect(duty(await duties(HF.manager, childId), 'D30-REMAND:ESCALATED').escalationLevel).toBe(2);
  });

  it('stays with the head of service, the last level, and escalates no further; H&F’s case system hears each change', async () => {
    await sweepAt(t, clock, '2024-06-05T23:00:00.000Z');
    const top = duty(await duties(HF.manager, childId), 'D30-REMAND:ESCALATED');
    expect(top.escalationLevel).toBe(2);
    expect(top.history.map((entry) => entry.to)).toEqual(['OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED', 'ESCALATED']);
    expect(top.history.at(-1)?.reason).toBe('overdue since 2024-05-31T22:59:59.000Z: escalated to HEAD_OF_SERVICE');
    await sweepAt(t, clock, '2024-06-12T23:00:00.000Z');
    expect(duty(await duties(HF.manager, childId), 'D30-REMAND:ESCALATED').history).toHaveLength(5);
    // The head of service sees it among the agency's overdue duties.
    const overdue = ok(await gql<{ overdueObligations: Duty[] }>(HF.head, `{ overdueObligations { id definitionId } }`));
    expect(overdue.overdueObligations.map((item) => item.id)).toContain(top.id);
    // Each change reached the owner's case system, the escalations naming the level that must act
    // (whether the OPEN before CSC was involved reaches it is the DUTY-OWNER work, not checked here).
    const changes = await changesOf(HF.cscSystem, top.id);
    expect(changes.filter((change) => !change.startsWith('OPEN:'))).toEqual([
      'DUE_SOON:OWNER',
      'OVERDUE:OWNER',
      'ESCALATED:TEAM_MANAGER',
      'ESCALATED:HEAD_OF_SERVICE',
    ]);
  });
});

// ─── Somerset ───────────────────────────────────────────────────────────────────────────────────

const SOM = {
  yjsSystem: system('somerset-yjs', 'somerset-yjs-childview'),
  cscSystem: system('somerset-csc', 'somerset-csc-lcs'),
  caseManager: person('som.sian.yates', 'Sian Yates', 'somerset-yjs', 'somerset-yjs-childview', 'YOS_CASE_MANAGER'),
  yjsManager: person('som.yusuf.moss', 'Yusuf Moss', 'somerset-yjs', 'somerset-yjs-childview', 'YOS_MANAGER'),
  frontDoor: person('som.front.door', 'Somerset CSC front door', 'somerset-csc', 'somerset-csc-lcs', 'CSC_FRONT_DOOR'),
  manager: person('som.tom.hale', 'Tom Hale', 'somerset-csc', 'somerset-csc-lcs', 'CSC_TEAM_MANAGER'),
  socialWorker: person('som.sue.ward', 'Sue Ward', 'somerset-csc', 'somerset-csc-lcs', 'CSC_SOCIAL_WORKER'),
};
const SIAN = { subject: SOM.caseManager.sub, name: 'Sian Yates', team: 'Somerset YJS' };
const TOM = { subject: SOM.manager.sub, name: 'Tom Hale', team: 'Somerset CLA' };
const SUE = { subject: SOM.socialWorker.sub, name: 'Sue Ward', team: 'Somerset CLA' };

describe('Somerset: the same remand; CSC joins, visits, and the statutory review is held', () => {
  const child = {
    givenName: 'Ellis',
    familyName: 'Somerset-Duties',
    dateOfBirth: '2009-02-11',
    nhsNumber: nhsNumber(3),
    caseReference: 'CV-SOM-1',
  };
  let childId = '';

  it('opens Somerset’s duties, owned by its CSC, which its front door joins by linking the child', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    childId = await registeredByYos(SOM.yjsSystem, SIAN, child);
    ok(await remandToYda(SOM.caseManager, childId, 'Taunton Youth Court'));
    await settle(t);
    const policy = 'somerset-responsibility@v4';
    expect(await opened(childId)).toEqual({
      'D30-REMAND': `OPEN 2024-05-31T22:59:59.000Z somerset-csc ${policy}`,
      'D31-REMAND': `OPEN 2024-05-10T22:59:59.000Z somerset-csc ${policy}`,
      'D32-REMAND': `OPEN 2024-06-14T22:59:59.000Z somerset-csc ${policy}`,
      'L2-ALLOCATE': `OPEN 2024-05-07T22:59:59.000Z somerset-csc ${policy}`,
    });
    clock.set(new Date('2024-05-07T08:30:00Z'));
    await cscLinks(SOM.frontDoor, childId, child, 'LCS-SOM-1', '2024-05-07');
    const open = await duties(SOM.frontDoor, childId);
    expect(duty(open, 'L2-ALLOCATE:OPEN')).toMatchObject({
      dueAt: '2024-05-07T22:59:59.000Z',
      ownerAgency: { code: 'somerset-csc' },
    });
    expect(duty(open, 'L2-ALLOCATE:OPEN').citation).toBe('003 §7.2');
    expect(duty(open, 'D30-REMAND:OPEN')).toMatchObject({ dueAt: '2024-05-31T22:59:59.000Z' });
    expect(duty(open, 'D30-REMAND:OPEN').citation).toMatch(/003 §7\.4; 003 §7\.1/);
    expect(duty(open, 'D31-REMAND:OPEN').dueAt).toBe('2024-05-10T22:59:59.000Z');
    expect(duty(open, 'D32-REMAND:OPEN').dueAt).toBe('2024-06-14T22:59:59.000Z');
    expect(duty(open, 'D32-REMAND:OPEN').citation).toMatch(/003 §7\.4, §7\.6/);
  });

  it('the allocation satisfies L2; the visit on Wed 8 May satisfies the first visit and the next falls due on Wed 19 June', async () => {
    clock.set(new Date('2024-05-07T11:00:00Z'));
    ok(await allocate(SOM.cscSystem, childId, TOM, 'TEAM_MANAGER', '2024-05-07'));
    ok(await allocate(SOM.manager, childId, SUE, 'SOCIAL_WORKER', '2024-05-07'));
    clock.set(new Date('2024-05-08T15:00:00Z'));
    ok(await statutoryVisit(SOM.socialWorker, childId, '2024-05-08'));
    await settle(t);
    const now = await duties(SOM.socialWorker, childId);
    expect(now.has('L2-ALLOCATE:SATISFIED')).toBe(true);
    expect(now.has('D31-REMAND:SATISFIED')).toBe(true);
    expect(duty(now, 'D32-REMAND:OPEN')).toMatchObject({
      dueAt: '2024-06-19T22:59:59.000Z',
      dueExplanation: '42 calendar days after Wed 8 May 2024 (day 0): end of Wed 19 Jun 2024, 23:59:59 BST (22:59:59 UTC)',
      ownerName: 'Sue Ward',
    });
  });

  it('the statutory looked-after review, recorded FINAL by CSC, satisfies D30', async () => {
    clock.set(new Date('2024-05-28T16:00:00Z'));
    const incomplete = await gql(SOM.socialWorker, CREATE, {
      input: { childId, content: { lookedAfterReview: { reviewDate: '2024-05-28', chairedBy: 'Imogen Reid (IRO)' } } },
    });
    expect(codes(incomplete)).toEqual(['BAD_USER_INPUT']);
    expect(incomplete.body.errors?.[0]?.extensions.missing).toEqual(['decisions: what it decided']);
    ok(
      await gql(SOM.socialWorker, CREATE, {
        input: {
          childId,
          content: {
            lookedAfterReview: {
              reviewDate: '2024-05-28',
              chairedBy: 'Imogen Reid (IRO)',
              youthJusticeInvited: true,
              decisions: 'Remain at Wetherby; weekly family contact; education plan agreed.',
              nextReviewDate: '2024-08-28',
            },
          },
        },
      }),
    );
    await settle(t);
    const now = await duties(SOM.socialWorker, childId);
    expect(duty(now, 'D30-REMAND:SATISFIED').history.map((entry) => entry.to)).toEqual(['OPEN', 'SATISFIED']);
    expect(duty(now, 'D30-REMAND:SATISFIED').closedReason).toMatch(/^RECORD_FINALISED on /);
  });
});

/** The checklist with one item left out. */
function without(checklist: typeof COMPLETE_CHECKLIST, item: keyof typeof COMPLETE_CHECKLIST): Record<string, string> {
  return Object.fromEntries(Object.entries(checklist).filter(([key]) => key !== item));
}

/** The bank holidays a count of working days from Fri 20 Dec 2024 skips, as the calendar names them. */
const CHRISTMAS_2024 = "skipping Wed 25 Dec 2024 (Christmas Day), Thu 26 Dec 2024 (Boxing Day), Wed 1 Jan 2025 (New Year's Day)";

// ─── Release duties ─────────────────────────────────────────────────────────────────────────────

describe('Somerset: an s20 child sentenced on Fri 20 Dec 2024, release expected Tue 22 Apr 2025 (Christmas and Easter)', () => {
  const child = {
    givenName: 'Morgan',
    familyName: 'Somerset-Release',
    dateOfBirth: '2009-06-01',
    nhsNumber: nhsNumber(4),
    caseReference: 'CV-SOM-2',
  };
  let childId = '';
  let plan = '';

  it('opens D28, D29, D33 and D34 at the sentence, each due to the minute across the bank holidays', async () => {
    clock.set(new Date('2024-09-02T10:00:00Z'));
    childId = await registeredByYos(SOM.yjsSystem, SIAN, child);
    await cscLinks(SOM.cscSystem, childId, child, 'LCS-SOM-2', '2024-08-01');
    ok(await allocate(SOM.cscSystem, childId, TOM, 'TEAM_MANAGER', '2024-08-01'));
    ok(await allocate(SOM.manager, childId, SUE, 'SOCIAL_WORKER', '2024-08-01'));
    ok(
      await gql(SOM.socialWorker, LEGAL_STATUS, {
        input: { childId, basis: LegalStatusBasis.S20_ACCOMMODATED, startDate: '2024-09-02' },
      }),
    );

    clock.set(new Date('2024-12-20T15:00:00Z'));
    ok(
      await gql(SOM.caseManager, COURT, {
        input: {
          childId,
          outcome: 'CUSTODIAL_SENTENCE',
          effectiveDate: '2024-12-20',
          court: 'Taunton Youth Court',
          placeOfDetention: 'wetherby-yoi',
          expectedReleaseDate: '2025-04-22',
        },
      }),
    );
    await settle(t);
    // T8: s20 ends with custody, so no looked-after visits or review; the release duties are for a child looked after before.
    const policy = 'somerset-responsibility@v4';
    expect(await opened(childId)).toEqual({
      D28: `OPEN 2025-01-08T23:59:59.000Z somerset-yjs ${policy}`,
      D29: `OPEN 2025-01-03T23:59:59.000Z somerset-csc ${policy}`,
      D33: `OPEN 2025-04-08T22:59:59.000Z somerset-yjs ${policy}`,
      D34: `OPEN 2025-04-21T22:59:59.000Z somerset-csc ${policy}`,
    });
    // Each owner reads its own, with how the time was computed and the source.
    const yjs = await duties(SOM.yjsSystem, childId);
    expect(duty(yjs, 'D28:OPEN')).toMatchObject({
      dueExplanation: `10 working days after Fri 20 Dec 2024 (day 0), ${CHRISTMAS_2024}: end of Wed 8 Jan 2025, 23:59:59 GMT (23:59:59 UTC)`,
      ownerName: 'Sian Yates',
      citation: '003 §7.4',
    });
    expect(duty(yjs, 'D33:OPEN')).toMatchObject({
      dueExplanation: '14 calendar days before Tue 22 Apr 2025: end of Tue 8 Apr 2025, 23:59:59 BST (22:59:59 UTC)',
      ownerName: 'Sian Yates',
    });
    expect(duty(yjs, 'D33:OPEN').citation).toMatch(/^003 §8\.4/);
    const csc = await duties(SOM.cscSystem, childId);
    expect(duty(csc, 'D29:OPEN')).toMatchObject({
      dueExplanation: `7 working days after Fri 20 Dec 2024 (day 0), ${CHRISTMAS_2024}: end of Fri 3 Jan 2025, 23:59:59 GMT (23:59:59 UTC)`,
      ownerName: 'Sue Ward',
    });
    expect(duty(csc, 'D29:OPEN').citation).toMatch(/^003 §7\.4 \(best practice\)/);
    expect(duty(csc, 'D34:OPEN')).toMatchObject({
      dueExplanation: '1 calendar day before Tue 22 Apr 2025: end of Mon 21 Apr 2025, 23:59:59 BST (22:59:59 UTC)',
      ownerName: null,
    });
    expect(duty(csc, 'D34:OPEN').citation).toMatch(/^003 §8\.2–8\.3/);
  });

  it('the joint visit satisfies D29 and the planning meeting record D28, before the New Year deadlines', async () => {
    clock.set(new Date('2025-01-02T15:00:00Z'));
    ok(
      await gql(SOM.socialWorker, VISIT, {
        input: {
          childId,
          kind: 'JOINT',
          visitDate: '2025-01-02',
          location: 'HMYOI Wetherby',
          otherVisitors: [{ name: 'Sian Yates', role: 'YOS_CASE_MANAGER', agencyCode: 'somerset-yjs' }],
        },
      }),
    );
    clock.set(new Date('2025-01-07T12:00:00Z'));
    ok(
      await gql(SOM.caseManager, CREATE, {
        input: {
          childId,
          content: {
            planningMeetingRecord: {
              meetingDate: '2025-01-07',
              agreedRoles: 'YJS leads the sentence plan; CSC plans where Morgan lives on release.',
              communicationArrangements: 'Fortnightly call between the YJS worker and the social worker.',
            },
          },
        },
      }),
    );
    await settle(t);
    expect(duty(await duties(SOM.cscSystem, childId), 'D29:SATISFIED').closedReason).toBe('VISIT_RECORDED on 2025-01-02');
    expect((await duties(SOM.yjsSystem, childId)).has('D28:SATISFIED')).toBe(true);
  });

  it('the YJS writes a FINAL release plan', async () => {
    clock.set(new Date('2025-03-03T10:00:00Z'));
    const created = ok(
      await gql<{ createRecord: { id: string; version: number; status: string } }>(SOM.caseManager, CREATE, {
        input: {
          childId,
          content: { releasePlan: { releaseDate: '2025-04-22', livingOption: 'BECOMES_LOOKED_AFTER', risksPosed: 'Low' } },
        },
      }),
    );
    expect(created.createRecord).toMatchObject({ version: 1, status: 'FINAL' });
    plan = created.createRecord.id;
    expect(plan).not.toBe('');
  });

  it('the YJS manager refers Morgan to HMYOI Wetherby, whose governor accepts (somerset-yjs-secure-estate §2, 003 §8.1)', async () => {
    clock.set(new Date('2025-03-04T10:00:00Z'));
    // The YJS manager is the case manager's team manager.
    ok(
      await allocate(
        SOM.yjsSystem,
        childId,
        { subject: SOM.yjsManager.sub, name: 'Yusuf Moss', team: 'Somerset YJS' },
        'TEAM_MANAGER',
        '2025-03-04',
      ),
    );
    const referred = ok(
      await gql<{ referChild: { id: string } }>(SOM.yjsManager, REFER, {
        input: { childId, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' },
      }),
    );
    expect(await pendingFor('gail.morgan', childId)).toEqual([
      expect.objectContaining({ clause: 'somerset-yjs-secure-estate@v1 §2', fromAgency: { code: 'somerset-yjs' } }),
    ]);
    ok(
      await gql('gail.morgan', ACCEPT, { input: { referralId: referred.referChild.id, startDate: '2025-03-04' } }, CUSTODY_CARE),
    );
  });

  it('Somerset CSC’s manager does not agree the plan (reason): the YJS’s case system and the establishment are told, and D34 stays open (003 §8.3)', async () => {
    clock.set(new Date('2025-03-10T10:00:00Z'));
    const decided = ok(
      await gql<{ decideReleasePlan: { version: number; signatures: unknown[] } }>(SOM.manager, DECIDE, {
        input: { recordId: plan, expectedVersion: 1, agreed: false, reason: 'No placement identified for release yet.' },
      }),
    );
    expect(decided.decideReleasePlan).toMatchObject({
      version: 1,
      signatures: [
        {
          version: 1,
          decision: 'NOT_AGREED',
          reason: 'No placement identified for release yet.',
          agency: { code: 'somerset-csc' },
        },
      ],
    });
    expect(await feedTypes(SOM.yjsSystem, childId)).toContain('RELEASE_PLAN_NOT_AGREED');
    expect(await feedTypes(WETHERBY_SYSTEM, childId)).toContain('RELEASE_PLAN_NOT_AGREED');
    await settle(t);
    expect((await duties(SOM.cscSystem, childId)).has('D34:OPEN')).toBe(true);
  });

  it('an incomplete release checklist cannot be FINAL; the YJS’s complete one satisfies D33', async () => {
    clock.set(new Date('2025-04-01T10:00:00Z'));
    const incomplete = without(COMPLETE_CHECKLIST, 'financialSupportAndClothing');
    const refused = await gql(SOM.caseManager, CREATE, { input: { childId, content: { releaseChecklist: incomplete } } });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors?.[0]?.extensions.missing).toEqual([
      'financialSupportAndClothing: 7. financial support and clothing',
    ]);
    ok(
      await gql(SOM.caseManager, CREATE, {
        input: { childId, content: { releaseChecklist: { ...COMPLETE_CHECKLIST, childToldOn: '2025-04-01' } } },
      }),
    );
    await settle(t);
    expect(duty(await duties(SOM.yjsSystem, childId), 'D33:SATISFIED').history.map((entry) => entry.to)).toEqual([
      'OPEN',
      'SATISFIED',
    ]);
  });

  it('D34 is due soon from the end of Fri 11 April (five working days before, Good Friday skipped), then overdue, then escalated to the head of service', async () => {
    await sweepAt(t, clock, '2025-04-11T22:59:58.000Z');
    expect((await duties(SOM.cscSystem, childId)).has('D34:OPEN')).toBe(true);
    await sweepAt(t, clock, '2025-04-11T22:59:59.000Z');
    expect((await duties(SOM.cscSystem, childId)).has('D34:DUE_SOON')).toBe(true);
    await sweepAt(t, clock, '2025-04-21T23:00:00.000Z');
    expect((await duties(SOM.cscSystem, childId)).has('D34:OVERDUE')).toBe(true);
    // Its chain has one level: the head of service, at the end of the next working day (Tue 22 April).
    await sweepAt(t, clock, '2025-04-22T23:00:00.000Z');
    const escalated = duty(await duties(SOM.cscSystem, childId), 'D34:ESCALATED');
    expect(escalated.escalationLevel).toBe(1);
    expect(escalated.history.at(-1)?.reason).toBe('overdue since 2025-04-21T22:59:59.000Z: escalated to HEAD_OF_SERVICE');
    const changes = await changesOf(SOM.cscSystem, escalated.id);
    expect(changes.filter((change) => !change.startsWith('OPEN:'))).toEqual([
      'DUE_SOON:OWNER',
      'OVERDUE:OWNER',
      'ESCALATED:HEAD_OF_SERVICE',
    ]);
  });

  it('the YJS makes a new FINAL version of the plan, which the manager agrees on Wed 23 April: the escalated D34 is SATISFIED', async () => {
    clock.set(new Date('2025-04-23T09:00:00Z'));
    const updated = ok(
      await gql<{ updateRecord: { version: number; status: string } }>(SOM.caseManager, UPDATE, {
        input: {
          recordId: plan,
          expectedVersion: 1,
          content: { releasePlan: { releaseDate: '2025-04-22', livingOption: 'BECOMES_LOOKED_AFTER', risksPosed: 'Low' } },
        },
      }),
    );
    expect(updated.updateRecord).toMatchObject({ version: 2, status: 'FINAL' });
    const agreed = ok(
      await gql<{ decideReleasePlan: { version: number; signatures: { decision: string }[] } }>(SOM.manager, DECIDE, {
        input: { recordId: plan, expectedVersion: 2, agreed: true },
      }),
    );
    expect(agreed.decideReleasePlan.signatures.map((signature) => signature.decision)).toEqual(['AGREED']);
    await settle(t);
    const satisfied = duty(await duties(SOM.cscSystem, childId), 'D34:SATISFIED');
    expect(satisfied.history.map((entry) => entry.to)).toEqual(['OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED', 'SATISFIED']);
    expect(satisfied.closedReason).toMatch(/^RELEASE_PLAN_AGREED on /);
    expect(await feedTypes(SOM.yjsSystem, childId)).toContain('RELEASE_PLAN_AGREED');
  });
});

/** Islington's leaving-care service (Independent Futures, 001 §9.1): its case system and a personal adviser. */
const ISL_LC = {
  system: system('islington-leaving-care', 'islington-leaving-care-system'),
  adviser: person(
    'isl.priya.adams',
    'Priya Adams',
    'islington-leaving-care',
    'islington-leaving-care-system',
    'PERSONAL_ADVISER',
  ),
  adviserWorker: { subject: 'isl.priya.adams', name: 'Priya Adams', team: 'Independent Futures' },
};

describe('Islington: a relevant care leaver sentenced on Fri 20 Dec 2024, release expected Mon 31 Mar 2025', () => {
  let childId = '';

  it('opens D17, D18 and D19 for the leaving-care service, each due to the minute', async () => {
    clock.set(new Date('2024-12-20T15:00:00Z'));
    // Accommodated under s20 from 13 to 17, leaving care on 1 July 2024: relevant (16 or 17, 13 weeks since 14, left care).
    const made = aChild({
      givenName: 'Jesse',
      familyName: 'Islington-Leaver',
      dateOfBirth: '2007-03-10',
      involvements: [
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2021-01-04' },
      ],
      allocations: [
        { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2021-01-04' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, made));
    childId = made.id;
    ok(await gql('ben.carter', LEGAL_STATUS, { input: { childId, basis: 'S20_ACCOMMODATED', startDate: '2021-01-04' } }));
    ok(await gql('ben.carter', LEGAL_STATUS, { input: { childId, basis: 'NONE', dimension: 'CARE', startDate: '2024-07-01' } }));
    ok(
      await gql('olu.bakare', COURT, {
        input: {
          childId,
          outcome: 'CUSTODIAL_SENTENCE',
          effectiveDate: '2024-12-20',
          court: 'Highbury Corner Youth Court',
          placeOfDetention: 'wetherby-yoi',
          expectedReleaseDate: '2025-03-31',
        },
      }),
    );
    await settle(t);
    const status = ok(
      await gql<{ child: { careLeaverStatus: { category: string } } }>(
        'ben.carter',
        `{ child(id: "${childId}") { careLeaverStatus(asOf: "2024-12-20") { category } } }`,
      ),
    );
    expect(status.child.careLeaverStatus.category).toBe('RELEVANT');
    const policy = 'islington-responsibility@v4';
    // D18 a month before 31 March: February has no 31st, so the end of Fri 28 February (GMT).
    expect(await opened(childId)).toEqual({
      D17: `OPEN 2025-01-08T23:59:59.000Z islington-leaving-care ${policy}`,
      D18: `OPEN 2025-02-28T23:59:59.000Z islington-leaving-care ${policy}`,
      D19: `OPEN 2025-03-17T23:59:59.000Z islington-leaving-care ${policy}`,
    });
    const rows = await db.query<{ definition_id: string; due_explanation: string; citation: string }[]>(
      `SELECT definition_id, due_explanation, citation FROM obligation WHERE child_id = $1 ORDER BY definition_id`,
      [childId],
    );
    expect(rows).toEqual([
      {
        definition_id: 'D17',
        due_explanation: `10 working days after Fri 20 Dec 2024 (day 0), ${CHRISTMAS_2024}: end of Wed 8 Jan 2025, 23:59:59 GMT (23:59:59 UTC)`,
        citation: '001 §9.3',
      },
      {
        definition_id: 'D18',
        due_explanation:
          '1 calendar month before Mon 31 Mar 2025; Feb 2025 has no 31st, so its last day: end of Fri 28 Feb 2025, 23:59:59 GMT (23:59:59 UTC)',
        citation: '001 §9.3',
      },
      {
        definition_id: 'D19',
        due_explanation: '14 calendar days before Mon 31 Mar 2025: end of Mon 17 Mar 2025, 23:59:59 GMT (23:59:59 UTC)',
        citation: '001 §9.4; DECISIONS §7, §11',
      },
    ]);
  });

  it('an incomplete release checklist cannot be made FINAL, naming the missing item', async () => {
    const incomplete = without(COMPLETE_CHECKLIST, 'nextWorkerVisit');
    const draft = ok(
      await gql<{ createRecord: { id: string } }>('ben.carter', CREATE, {
        input: { childId, status: 'DRAFT', content: { releaseChecklist: incomplete } },
      }),
    );
    const refused = await gql('ben.carter', FINALISE, { input: { recordId: draft.createRecord.id, expectedVersion: 1 } });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors?.[0]?.message).toContain('nextWorkerVisit: 8. when they will next see their worker');
    expect(refused.body.errors?.[0]?.extensions.missing).toEqual(['nextWorkerVisit: 8. when they will next see their worker']);
  });

  it('Independent Futures joins on Mon 23 Dec 2024 and allocates a personal adviser, who then owns the three duties', async () => {
    clock.set(new Date('2024-12-23T10:00:00Z'));
    // Test data, not an API path: no Islington agreement lets the leaving-care service be referred
    // the child (no clause with islington-leaving-care; 001 §9 names none), the child has no NHS
    // number for its case system to match and link by, and the data factory (src/seed/child-factory.ts)
    // knows only the demo agencies, so Independent Futures' involvement is set up here directly.
    // Its case system then records the personal adviser's allocation through the API.
    const [agency] = await db.query<{ id: string }[]>(`SELECT id FROM agency WHERE code = $1`, ['islington-leaving-care']);
    await db.getRepository(AgencyInvolvementEntity).insert({
      childId,
      agencyId: agency?.id,
      role: InvolvementRole.LEAVING_CARE,
      startDate: '2024-12-23',
      endDate: null,
    });
    ok(await allocate(ISL_LC.system, childId, ISL_LC.adviserWorker, 'PERSONAL_ADVISER', '2024-12-23'));
    await settle(t);
    const mine = await duties(ISL_LC.adviser, childId);
    for (const id of ['D17', 'D18', 'D19']) expect(duty(mine, `${id}:OPEN`).ownerName, id).toBe('Priya Adams');
  });

  it('the leaving-care service’s D17 goes OVERDUE after the end of Wed 8 Jan 2025, and its case system is told', async () => {
    await sweepAt(t, clock, '2025-01-08T23:59:58.000Z');
    expect((await duties(ISL_LC.system, childId)).has('D17:OVERDUE')).toBe(false);
    await sweepAt(t, clock, '2025-01-09T00:00:00.000Z');
    const overdue = duty(await duties(ISL_LC.system, childId), 'D17:OVERDUE');
    expect(overdue).toMatchObject({ dueAt: '2025-01-08T23:59:59.000Z', escalationLevel: 0, ownerName: 'Priya Adams' });
    expect(await changesOf(ISL_LC.system, overdue.id)).toContain('OVERDUE:OWNER');
  });

  it('the personal adviser’s FINAL release checklist satisfies D19', async () => {
    clock.set(new Date('2025-03-03T10:00:00Z'));
    ok(
      await gql(ISL_LC.adviser, CREATE, {
        input: { childId, content: { releaseChecklist: { ...COMPLETE_CHECKLIST, childToldOn: '2025-03-03' } } },
      }),
    );
    await settle(t);
    const satisfied = duty(await duties(ISL_LC.adviser, childId), 'D19:SATISFIED');
    expect(satisfied.closedReason).toMatch(/^RECORD_FINALISED on /);
    expect(satisfied.history.map((entry) => entry.to)).toEqual(['OPEN', 'OPEN', 'SATISFIED']);
  });
});

describe('Islington: a looked-after child remanded to youth detention accommodation on Fri 3 May 2024 (D8-CARE-PLAN-COPY)', () => {
  let childId = '';

  it('opens the DPP and the care-plan copy duties for the social worker; sending the FINAL care plan to the establishment satisfies the copy', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    // HMYOI Wetherby's involvement from the remand is set up here: no API path makes an establishment
    // involved with an Islington child (the place of detention does not, and no Islington agreement has a referral clause for it).
    const made = aChild({
      givenName: 'Noor',
      familyName: 'Islington-Copy',
      dateOfBirth: '2009-02-11',
      involvements: [
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
        { agency: 'wetherby-yoi', role: InvolvementRole.SECURE_ESTATE, startDate: '2024-05-03' },
      ],
      allocations: [
        { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' },
        { user: 'ayesha.malik', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, made));
    childId = made.id;
    ok(await gql('ben.carter', LEGAL_STATUS, { input: { childId, basis: 'S20_ACCOMMODATED', startDate: '2024-02-01' } }));
    ok(await remandToYda('olu.bakare', childId, 'Highbury Corner Youth Court'));
    await settle(t);
    const open = await duties('ben.carter', childId);
    expect([...open.keys()].sort()).toEqual([
      'D30-REMAND:OPEN',
      'D31-REMAND:OPEN',
      'D32-REMAND:OPEN',
      'D8-CARE-PLAN-COPY:OPEN',
      'D8:OPEN',
    ]);
    for (const id of ['D8', 'D8-CARE-PLAN-COPY']) {
      expect(duty(open, `${id}:OPEN`)).toMatchObject({
        dueAt: '2024-05-20T22:59:59.000Z',
        ownerName: 'Ben Carter',
        citation: '001 §6.10',
      });
      expect(duty(open, `${id}:OPEN`).dueExplanation).toMatch(/skipping Mon 6 May 2024 \(Early May bank holiday\)/);
    }

    clock.set(new Date('2024-05-08T11:00:00Z'));
    const carePlan = ok(
      await gql<{ createRecord: { id: string; version: number } }>('ben.carter', CREATE, {
        input: { childId, content: { carePlan: { summary: 'Remain looked after; plan for return home on release.' } } },
      }),
    ).createRecord;
    await settle(t);
    // The care plan made FINAL is not the copy the establishment must have.
    expect((await duties('ben.carter', childId)).has('D8-CARE-PLAN-COPY:OPEN')).toBe(true);
    const sent = ok(
      await gql<{ sendCarePlanToEstablishment: { copiesSent: { version: number; recipient: { code: string } }[] } }>(
        'ben.carter',
        `mutation($input: SendCarePlanToEstablishmentInput!) { sendCarePlanToEstablishment(input: $input) {
          copiesSent { version recipient { code } } } }`,
        { input: { recordId: carePlan.id, expectedVersion: carePlan.version } },
      ),
    );
    expect(sent.sendCarePlanToEstablishment.copiesSent).toEqual([{ version: 1, recipient: { code: 'wetherby-yoi' } }]);
    await settle(t);
    const now = await duties('ben.carter', childId);
    expect(duty(now, 'D8-CARE-PLAN-COPY:SATISFIED').closedReason).toMatch(/^RECORD_COPY_SENT on /);
    expect(now.has('D8:OPEN')).toBe(true);
  });
});
