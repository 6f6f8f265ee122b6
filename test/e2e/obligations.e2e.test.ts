import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from 'src/common/clock/clock.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { ok, settle, sweepAt } from '../support/duties.js';
import { emergency } from '../support/emergency.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * A remand to youth detention accommodation of a child not looked after, from the court outcome to
 * every duty it opens (DOMAIN §3), on real dates across the Early May bank holiday 2024, with a
 * clock the test moves: some duties satisfied by evidence, one let go overdue and escalated.
 */
const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

interface Duty {
  id: string;
  definitionId: string;
  state: string;
  dueAt: string;
  dueExplanation: string;
  citation: string;
  ownerAgency: { code: string } | null;
  escalationLevel: number;
  history: { from: string | null; to: string; reason: string }[];
}

const DUTY = `id definitionId state dueAt dueExplanation citation ownerAgency { code } ownerName escalationLevel history { from to reason }`;

async function duties(subject: string, childId: string): Promise<Map<string, Duty>> {
  const data = ok(
    await t.gql<{ child: { obligations: Duty[] } }>(subject, `query($id: ID!) { child(id: $id) { obligations { ${DUTY} } } }`, {
      id: childId,
    }),
  );
  return new Map(data.child.obligations.map((duty) => [`${duty.definitionId}:${duty.state}`, duty]));
}

describe('Derby: a child not looked after remanded to youth detention accommodation on Fri 3 May 2024', () => {
  let childId = '';

  it('opens the allocation duty (L2) and the statutory review and visits, each due to the minute, day 0 the remand', async () => {
    // Known to Derby CSC through a team manager only: no social worker yet, not looked after.
    const child = aChild({
      dateOfBirth: '2009-02-11',
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
      ],
      allocations: [
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    childId = child.id;
    const remand = await t.gql(
      'dana.hughes',
      `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`,
      {
        input: {
          childId,
          outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
          effectiveDate: '2024-05-03',
          court: 'Derby Youth Court',
          placeOfDetention: 'wetherby-yoi',
        },
      },
    );
    ok(remand);
    await settle(t);
    const open = await duties('tara.nolan', childId);
    expect([...open.keys()].sort()).toEqual(['D30-REMAND:OPEN', 'D31-REMAND:OPEN', 'D32-REMAND:OPEN', 'L2-ALLOCATE:OPEN']);
    // "As soon as possible": the end of the next working day, Mon 6 May 2024 being a bank holiday (BST).
    expect(open.get('L2-ALLOCATE:OPEN')).toMatchObject({ dueAt: '2024-05-07T22:59:59.000Z', ownerAgency: { code: 'derby-csc' } });
    expect(open.get('L2-ALLOCATE:OPEN')?.dueExplanation).toMatch(/Early May bank holiday/);
    expect(open.get('D31-REMAND:OPEN')?.dueAt).toBe('2024-05-10T22:59:59.000Z');
    expect(open.get('D30-REMAND:OPEN')?.dueAt).toBe('2024-05-31T22:59:59.000Z');
    expect(open.get('D32-REMAND:OPEN')?.dueAt).toBe('2024-06-14T22:59:59.000Z');
    expect(open.get('D30-REMAND:OPEN')?.citation).toMatch(/003 §7\.4/);
  });

  it('answers no duty to a break-glass read, which lists them withheld (they are outside its narrow read)', async () => {
    // Wetherby's governor, at reception (derby-csc-secure-estate §2), before any involvement.
    const reception = emergency('RECEPTION_INTO_CUSTODY');
    const correlationId = `break-glass-${randomUUID()}`;
    const read = await t.gql<{ child: { givenName: string; obligations: { id: string }[] } }>(
      'gail.morgan',
      `query($id: ID!) { child(id: $id) { givenName obligations { id title ownerName } } }`,
      { id: childId },
      { ...reception, headers: { ...reception.headers, 'x-correlation-id': correlationId } },
    );
    expect(read.body.errors, JSON.stringify(read.body.errors)).toBeUndefined();
    expect(read.body.data?.child.givenName).toBe('Test');
    expect(read.body.data?.child.obligations).toEqual([]);
    const [receipt] = (await loggedReceipts(db, { correlationId })).filter((row) => row.body.record?.kind === 'CHILD');
    expect(receipt?.body.breakGlass).toBe(true);
    expect(receipt?.body.withheld.map((item) => [item.field, item.rule])).toEqual([['obligations', 'BREAK-GLASS-NARROW-READ']]);
    // The duties are there: the same child read by its team manager has them.
    expect((await duties('tara.nolan', childId)).size).toBe(4);
  });

  it('satisfies the allocation duty with the social worker’s allocation and the first visits with a statutory visit', async () => {
    clock.set(new Date('2024-05-07T09:00:00Z'));
    ok(
      await t.gql(
        'tara.nolan',
        `mutation { allocateWorker(input: { childId: "${childId}", practitionerSubject: "sam.okafor", practitionerName: "Sam Okafor", role: SOCIAL_WORKER, startDate: "2024-05-07" }) { id } }`,
      ),
    );
    clock.set(new Date('2024-05-09T16:00:00Z'));
    ok(
      await t.gql('sam.okafor', `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`, {
        input: { childId, kind: 'STATUTORY_LOOKED_AFTER', visitDate: '2024-05-09', seenAlone: true, location: 'HMYOI Wetherby' },
      }),
    );
    await settle(t);
    const now = await duties('sam.okafor', childId);
    expect(now.get('L2-ALLOCATE:SATISFIED')?.history.at(-1)).toMatchObject({ from: 'OPEN', to: 'SATISFIED' });
    expect(now.has('D31-REMAND:SATISFIED')).toBe(true);
    // The six-weekly visit recurs from the visit that satisfied it: due 42 days after Thu 9 May 2024.
    expect(now.has('D32-REMAND:SATISFIED')).toBe(true);
    expect(now.get('D32-REMAND:OPEN')).toMatchObject({ dueAt: '2024-06-20T22:59:59.000Z', ownerName: 'Sam Okafor' });
  });

  it('lets the statutory review go due soon, overdue, then escalate to the team manager a working day later', async () => {
    await sweepAt(t, clock, '2024-05-30T08:00:00Z');
    expect((await duties('tara.nolan', childId)).has('D30-REMAND:DUE_SOON')).toBe(true);
    await sweepAt(t, clock, '2024-05-31T23:30:00Z');
    const overdue = (await duties('tara.nolan', childId)).get('D30-REMAND:OVERDUE');
    expect(overdue).toBeDefined();
    // Due Fri 31 May; a working day later is the end of Mon 3 June 2024.
    await sweepAt(t, clock, '2024-06-03T22:59:58Z');
    expect((await duties('tara.nolan', childId)).has('D30-REMAND:OVERDUE')).toBe(true);
    await sweepAt(t, clock, '2024-06-03T23:00:00Z');
    const escalated = (await duties('tara.nolan', childId)).get('D30-REMAND:ESCALATED');
    expect(escalated).toMatchObject({ escalationLevel: 1 });
    expect(escalated?.history.map((entry) => entry.to)).toEqual(['OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED']);
    // The manager's view of the agency's overdue duties names it; a social worker may not ask for it.
    const overdueList = ok(await t.gql<{ overdueObligations: Duty[] }>('tara.nolan', `{ overdueObligations { ${DUTY} } }`));
    expect(overdueList.overdueObligations.map((duty) => duty.definitionId)).toContain('D30-REMAND');
    expect(codes(await t.gql('sam.okafor', `{ overdueObligations { id } }`))).toEqual(['FORBIDDEN']);
    // The owning agency's case system hears of each change of state, the escalation naming its level.
    await t.app.get(NotificationDispatcher).drain();
    const feed = ok(
      await t.gql<{ notifications: { edges: { node: { type: string; cloudEvent: string } }[] } }>(
        'derby-csc-integration',
        `{ notifications(first: 100) { edges { node { type cloudEvent } } } }`,
      ),
    );
    const changes = feed.notifications.edges
      .filter((edge) => edge.node.type === 'OBLIGATION_CHANGED')
      .map(
        (edge) =>
          (
            JSON.parse(edge.node.cloudEvent) as {
              data: { child: { id: string }; obligation: { definitionId: string; state: string; audience: string } };
            }
          ).data,
      )
      // The demo children's duties reach the same case system: this child's only.
      .filter((data) => data.child.id === childId && data.obligation.definitionId === 'D30-REMAND')
      .map((data) => data.obligation);
    expect(changes.map((duty) => `${duty.state}:${duty.audience}`)).toEqual([
      'OPEN:OWNER',
      'DUE_SOON:OWNER',
      'OVERDUE:OWNER',
      'ESCALATED:TEAM_MANAGER',
    ]);
  });

  it('is read only by those who may see the child, and waived only by a manager of the owning agency with a reason', async () => {
    expect(codes(await t.gql('olu.bakare', `{ child(id: "${childId}") { obligations { id } } }`))).toEqual(['NOT_FOUND']);
    const escalated = (await duties('tara.nolan', childId)).get('D30-REMAND:ESCALATED');
    const waive = `mutation($input: WaiveObligationInput!) { waiveObligation(input: $input) { state closedReason } }`;
    // Another authority's manager: a duty of a child they may not see answers as one that does not exist.
    const outsider = await t.gql('ayesha.malik', waive, { input: { obligationId: escalated?.id, reason: 'Probe' } });
    const missing = await t.gql('ayesha.malik', waive, { input: { obligationId: randomUUID(), reason: 'Probe' } });
    expect(codes(outsider)).toEqual(['NOT_FOUND']);
    expect(outsider.body.errors?.[0]?.message).toBe(missing.body.errors?.[0]?.message);
    expect(
      codes(await t.gql('marcus.reid', waive, { input: { obligationId: escalated?.id, reason: 'Review held by phone' } })),
    ).toEqual(['FORBIDDEN']);
    const waived = ok(
      await t.gql<{ waiveObligation: { state: string; closedReason: string } }>('tara.nolan', waive, {
        input: { obligationId: escalated?.id, reason: 'Review held by phone on 4 June; minutes to follow' },
      }),
    );
    expect(waived.waiveObligation).toMatchObject({
      state: 'WAIVED',
      closedReason: 'Review held by phone on 4 June; minutes to follow',
    });
  });

  it('puts the social worker’s open duties on their worklist', async () => {
    const mine = ok(await t.gql<{ myObligations: Duty[] }>('sam.okafor', `{ myObligations { ${DUTY} } }`));
    expect(mine.myObligations.map((duty) => duty.definitionId)).toContain('D32-REMAND');
  });
});

/** The same remand in each authority opens that authority's duties (its policy file), due on the same clock. */
describe('the same remand in the other authorities', () => {
  const remand = (childId: string, court: string) => ({
    input: { childId, outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', effectiveDate: '2024-05-03', court },
  });
  const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;

  async function opened(childId: string): Promise<Record<string, string>> {
    await settle(t);
    const rows = await db.query<{ definition_id: string; due_at: Date; policy: string; code: string }[]>(
      `SELECT o.definition_id, o.due_at, o.policy, a.code FROM obligation o JOIN agency a ON a.id = o.owner_agency_id
        WHERE o.child_id = $1 ORDER BY o.definition_id`,
      [childId],
    );
    return Object.fromEntries(rows.map((row) => [row.definition_id, `${row.due_at.toISOString()} ${row.code} ${row.policy}`]));
  }

  it('Islington adds the DPP and its signature by the establishment’s head within 10 working days (001 §6.11)', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    const child = aChild({
      dateOfBirth: '2009-02-11',
      involvements: [{ agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' }],
      allocations: [{ user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' }],
    });
    await db.transaction((manager) => insertChild(manager, child));
    ok(await t.gql('olu.bakare', COURT, remand(child.id, 'Highbury Corner Youth Court')));
    const policy = 'islington-responsibility@v4';
    expect(await opened(child.id)).toEqual({
      'D30-REMAND': `2024-05-31T22:59:59.000Z islington-csc ${policy}`,
      'D31-REMAND': `2024-05-10T22:59:59.000Z islington-csc ${policy}`,
      'D32-REMAND': `2024-06-14T22:59:59.000Z islington-csc ${policy}`,
      D9: `2024-05-20T22:59:59.000Z islington-csc ${policy}`,
      'D9-SIGNED': `2024-05-20T22:59:59.000Z islington-csc ${policy}`,
      'L2-ALLOCATE': `2024-05-07T22:59:59.000Z islington-csc ${policy}`,
    });
  });

  it.each([
    ['hammersmith-fulham', 'hammersmith-fulham-yos', 'hammersmith-fulham-yos-careworks', 'hammersmith-fulham-csc'],
    ['somerset', 'somerset-yjs', 'somerset-yjs-childview', 'somerset-csc'],
  ])(
    '%s opens the statutory review and visits and the allocation duty, owned by its CSC',
    async (authority, agency, caseSystem, csc) => {
      const token = t.token('dana.hughes', {
        sub: `${agency}-integration`,
        name: `${agency} integration`,
        agency,
        case_system: caseSystem,
        roles: ['SYSTEM'],
      });
      const as = async (query: string, variables: Record<string, unknown>) =>
        (
          await request(t.app.getHttpServer())
            .post('/graphql')
            .set('authorization', `Bearer ${token}`)
            .set('x-purpose-of-use', 'CASE_MANAGEMENT')
            .send({ query, variables })
        ).body as GraphQLResponse<Record<string, { id: string }>>['body'];
      const registered = await as(`mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`, {
        input: {
          givenName: 'Ash',
          familyName: authority,
          dateOfBirth: '2009-02-11',
          caseReference: `${authority}-1`,
          involvementStartDate: '2024-01-08',
        },
      });
      expect(registered.errors).toBeUndefined();
      const id = registered.data?.registerChild?.id ?? '';
      expect((await as(COURT, remand(id, 'Youth Court'))).errors).toBeUndefined();
      const policy = `${authority}-responsibility@v4`;
      expect(await opened(id)).toEqual({
        'D30-REMAND': `2024-05-31T22:59:59.000Z ${csc} ${policy}`,
        'D31-REMAND': `2024-05-10T22:59:59.000Z ${csc} ${policy}`,
        'D32-REMAND': `2024-06-14T22:59:59.000Z ${csc} ${policy}`,
        'L2-ALLOCATE': `2024-05-07T22:59:59.000Z ${csc} ${policy}`,
      });
    },
  );
});

describe('a day the calendar cannot count', () => {
  it('opens no duty for a remand before 2020 and does not hold up the events after it', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    const old = aChild({ dateOfBirth: '2003-02-11' });
    const later = aChild({ dateOfBirth: '2009-02-11' });
    await db.transaction(async (manager) => {
      await insertChild(manager, old);
      await insertChild(manager, later);
    });
    const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;
    const remand = (childId: string, effectiveDate: string) => ({
      input: { childId, outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', effectiveDate, court: 'Derby Youth Court' },
    });
    ok(await t.gql('dana.hughes', COURT, remand(old.id, '2019-12-30')));
    ok(await t.gql('dana.hughes', COURT, remand(later.id, '2024-05-03')));
    await settle(t);
    const count = async (childId: string) =>
      (await db.query<{ count: number }[]>('SELECT count(*)::int AS count FROM obligation WHERE child_id = $1', [childId]))[0]
        ?.count;
    expect(await count(old.id)).toBe(0);
    expect(await count(later.id)).toBeGreaterThan(0);
    const [unread] = await db.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM domain_event WHERE duties_checked_at IS NULL',
    );
    expect(unread?.count).toBe(0);
  });
});

describe('an event no case system can act for', () => {
  it('waits, without holding up the events committed behind it', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    // More unread events than a batch, recorded by an agency with no case system yet (a directory
    // entry not connected), committed before the remand below.
    const [agency] = await db.query<{ id: string }[]>(
      `INSERT INTO agency (code, name, kind) VALUES ('unconnected-yos', 'Unconnected YOS', 'YOUTH_JUSTICE') RETURNING id`,
    );
    await db.query(
      `INSERT INTO domain_event (event_id, type, child_id, subject_kind, subject_id, subject_version, facts, occurred_at,
         recorded_by_subject, recorded_by_name, recorded_by_agency_id, correlation_id, routed_at)
       SELECT gen_random_uuid(), type, child_id, subject_kind, subject_id, subject_version, facts, occurred_at,
         recorded_by_subject, recorded_by_name, $1, correlation_id, now()
         FROM (SELECT * FROM domain_event ORDER BY id LIMIT 1) template, generate_series(1, 150)`,
      [agency?.id],
    );
    const child = aChild({ dateOfBirth: '2009-02-11' });
    await db.transaction((manager) => insertChild(manager, child));
    ok(
      await t.gql('dana.hughes', `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`, {
        input: {
          childId: child.id,
          outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
          effectiveDate: '2024-05-03',
          court: 'Derby Youth Court',
        },
      }),
    );
    await settle(t);
    const opened = await db.query<{ definition_id: string }[]>(`SELECT definition_id FROM obligation WHERE child_id = $1`, [
      child.id,
    ]);
    expect(opened.map((row) => row.definition_id)).toContain('D30-REMAND');
    const [waiting] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM domain_event WHERE duties_checked_at IS NULL AND recorded_by_agency_id = $1`,
      [agency?.id],
    );
    expect(waiting?.count).toBe(150);
  });
});
