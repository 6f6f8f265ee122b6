import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from 'src/common/clock/clock.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { type Received, TestReceiver } from '../support/test-receiver.js';
import { ok, settle, sweepAt } from '../support/duties.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * DUTY-OWNER: a duty owned by an agency not (yet) involved with the child. Derby YOS records a
 * remand to youth detention accommodation of a child Derby CSC does not know, on Fri 3 May 2024;
 * Derby's policy opens L2-ALLOCATE, owned by Derby CSC's front door. The front door and the CSC
 * managers read and manage that duty (and its notifications) without seeing the child: the duty
 * and the child's opaque id leave, nothing else of the child, and each receipt names DUTY-OWNER.
 */
const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
const FAST = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_TIMEOUT_MS: '2000' };
const cscHook = new TestReceiver();
let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await startTestApp(FAST, { clock });
  db = t.app.get(DataSource);
  const registered = await t.gql(
    'derby-csc-integration',
    `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }`,
    {
      input: { url: await cscHook.start() },
    },
  );
  expect(registered.body.errors).toBeUndefined();
});
afterAll(async () => {
  await cscHook.stop();
  await t.close();
});

interface Duty {
  id: string;
  childId: string;
  definitionId: string;
  state: string;
  dueAt: string;
  citation: string;
  ownerAgency: { code: string } | null;
  ownerTeam: string | null;
  closedReason: string | null;
  withheld: { field: string }[];
}

const DUTY = `id childId definitionId state dueAt citation ownerAgency { code } ownerTeam closedReason withheld { field }`;
const WAIVE = `mutation($input: WaiveObligationInput!) { waiveObligation(input: $input) { ${DUTY} } }`;
const CHILD = { givenName: 'Quilla', familyName: 'Ashbourne-Renwick', dateOfBirth: '2009-02-11' };
const IDENTITY_PATHS = ['givenName', 'familyName', 'dateOfBirth'];

const drain = () => t.app.get(NotificationDispatcher).drain();

/** A read with its own correlation id, and the receipts it wrote (committed before the response). */
async function read<T>(subject: string, query: string): Promise<{ response: GraphQLResponse<T>; receipts: ReceiptBody[] }> {
  const correlationId = `test-${randomUUID()}`;
  const response = await t.gql<T>(subject, query, {}, { headers: { 'x-correlation-id': correlationId } });
  return { response, receipts: (await loggedReceipts(db, { correlationId })).map((row) => row.body) };
}

async function queue(subject: string, field: 'teamObligations' | 'overdueObligations' | 'myObligations'): Promise<Duty[]> {
  return ok(await t.gql<Record<string, Duty[]>>(subject, `{ ${field} { ${DUTY} } }`))[field] ?? [];
}

/** The OBLIGATION_CHANGED deliveries of the child's L2-ALLOCATE the receiver got. */
function allocationDuties(childId: string): Received[] {
  return cscHook.distinct().filter((item) => {
    const duty = (item.event.data as { obligation?: { childId?: string; definitionId?: string } }).obligation;
    return item.event.type === 'uk.tandem.obligation.changed' && duty?.childId === childId && duty.definitionId === 'L2-ALLOCATE';
  });
}

describe('a remand of a child Derby CSC does not know opens a duty Derby CSC owns', () => {
  const child = aChild({
    ...CHILD,
    involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' }],
    allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' }],
  });
  let dutyId = '';

  beforeAll(async () => {
    await db.transaction((manager) => insertChild(manager, child));
    ok(
      await t.gql('dana.hughes', `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`, {
        input: {
          childId: child.id,
          outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
          effectiveDate: '2024-05-03',
          court: 'Derby Youth Court',
          placeOfDetention: 'wetherby-yoi',
        },
      }),
    );
    await settle(t);
    await drain();
  });

  it('puts L2-ALLOCATE in the front door’s queue, which cannot read the child', async () => {
    const [duty] = (await queue('derby.csct', 'teamObligations')).filter(
      (item) => item.childId === child.id && item.definitionId === 'L2-ALLOCATE',
    );
    expect(duty).toMatchObject({
      state: 'OPEN',
      // The end of the next working day: Mon 6 May 2024 is the Early May bank holiday (BST).
      dueAt: '2024-05-07T22:59:59.000Z',
      ownerAgency: { code: 'derby-csc' },
      ownerTeam: 'derby-csc-front-door',
      withheld: [],
    });
    dutyId = duty?.id ?? '';
    expect(codes(await t.gql('derby.csct', `{ child(id: "${child.id}") { id givenName } }`))).toEqual(['NOT_FOUND']);
    // Nor does the duty reach the child through the child's own duties.
    expect(codes(await t.gql('tara.nolan', `{ child(id: "${child.id}") { obligations { id } } }`))).toEqual(['NOT_FOUND']);
  });

  it('is in nobody else’s queue: not another authority’s CSC, not the YOS that recorded the remand', async () => {
    const mentions = (duties: Duty[]) => duties.some((duty) => duty.id === dutyId);
    for (const subject of ['islington.icat', 'ayesha.malik', 'dana.hughes', 'marcus.reid', 'sam.okafor']) {
      expect(mentions(await queue(subject, 'teamObligations'))).toBe(false);
      expect(mentions(await queue(subject, 'myObligations'))).toBe(false);
    }
    expect(codes(await t.gql('ayesha.malik', WAIVE, { input: { obligationId: dutyId, reason: 'Not ours' } }))).toEqual([
      'NOT_FOUND',
    ]);
    // A Derby YOS manager sees the child, but the duty is not its agency's to waive.
    expect(codes(await t.gql('marcus.reid', WAIVE, { input: { obligationId: dutyId, reason: 'Not ours' } }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('is refused, as every read of child data is, without a purpose of use', async () => {
    for (const query of [`{ teamObligations { id } }`, `{ overdueObligations { id } }`]) {
      expect(codes(await t.gql('derby.csct', query, {}, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    }
    const waive = await t.gql('tara.nolan', WAIVE, { input: { obligationId: dutyId, reason: 'No purpose' } }, { purpose: null });
    expect(codes(waive)).toEqual(['BAD_USER_INPUT']);
  });

  it('tells Derby CSC’s case system of the duty, the child by its id alone, under DUTY-OWNER', async () => {
    const [opened] = allocationDuties(child.id);
    expect(opened?.event.data).toMatchObject({
      child: { id: child.id },
      obligation: { id: dutyId, state: 'OPEN', dueAt: '2024-05-07T22:59:59.000Z', ownerAgencyId: expect.any(String) as string },
    });
    expect(Object.keys((opened?.event.data as { child: object }).child)).toEqual(['id']);
    for (const value of Object.values(CHILD)) expect(opened?.body).not.toContain(value);
    if (!opened) throw new Error('nothing was delivered');
    const receipt = (await loggedReceipts(db, { userSubject: 'system:derby-csc-liquidlogic', containing: [opened.event.id] }))
      .map((row) => row.body)
      .find((body) => body.operation.channel === 'WEBHOOK');
    expect(receipt).toMatchObject({ child: child.id, breakGlass: false, record: { kind: 'OBLIGATION', id: dutyId } });
    expect(receipt?.disclosed).toContain('child.id');
    expect(receipt?.disclosed.filter((path) => IDENTITY_PATHS.some((field) => path.endsWith(field)))).toEqual([]);
    expect(receipt?.bases).toEqual([
      {
        class: 'CASE_ADMINISTRATION',
        rule: 'DUTY-OWNER',
        lawfulBasis: expect.stringMatching(/^Protocol duty owned by the recipient's agency: .+/) as string,
        agreement: null,
      },
    ]);
  });

  it('shows the front door the notification in its feed, but not a social worker of the agency with no part in it', async () => {
    const FEED = `{ notifications(first: 100) { edges { node { type cloudEvent } } } }`;
    const duties = async (subject: string) =>
      ok(await t.gql<{ notifications: { edges: { node: { type: string; cloudEvent: string } }[] } }>(subject, FEED))
        .notifications.edges.filter((edge) => edge.node.type === 'OBLIGATION_CHANGED')
        .map((edge) => JSON.parse(edge.node.cloudEvent) as { data: { child: object; obligation: { id: string } } })
        .filter((event) => event.data.obligation.id === dutyId);
    const [seen] = await duties('derby.csct');
    expect(seen?.data.child).toEqual({ id: child.id });
    expect(JSON.stringify(seen)).not.toContain(CHILD.familyName);
    expect(await duties('sam.okafor')).toEqual([]);
  });

  it('lets a Derby CSC manager see it overdue once the sweeper passes its due time, and waive it with a reason', async () => {
    await sweepAt(t, clock, '2024-05-07T23:30:00Z');
    const { response, receipts } = await read<{ overdueObligations: Duty[] }>('tara.nolan', `{ overdueObligations { ${DUTY} } }`);
    const overdue = ok(response).overdueObligations.find((duty) => duty.id === dutyId);
    expect(overdue).toMatchObject({ state: 'OVERDUE', ownerAgency: { code: 'derby-csc' }, withheld: [] });
    expect((await queue('helen.grant', 'overdueObligations')).map((duty) => duty.id)).toContain(dutyId);
    expect((await queue('ayesha.malik', 'overdueObligations')).map((duty) => duty.id)).not.toContain(dutyId);
    expect((await queue('marcus.reid', 'overdueObligations')).map((duty) => duty.id)).not.toContain(dutyId);
    const receipt = receipts.find((body) => body.record?.id === dutyId);
    expect(receipt).toMatchObject({
      child: child.id,
      breakGlass: false,
      record: { kind: 'OBLIGATION', owningAgencyId: expect.any(String) as string },
    });
    expect(receipt?.disclosed).toEqual(expect.arrayContaining(['childId', 'definitionId', 'dueAt', 'state']));
    expect(receipt?.disclosed.filter((path) => IDENTITY_PATHS.some((field) => path.endsWith(field)))).toEqual([]);
    expect(receipt?.bases.map((basis) => `${basis.class}:${basis.rule}`)).toEqual(['CASE_ADMINISTRATION:DUTY-OWNER']);
    expect(receipt?.bases[0]?.lawfulBasis).toBe(`Protocol duty owned by the recipient's agency: ${overdue?.citation}`);
    // The front door reads the queue but does not waive: that is for managers.
    expect(codes(await t.gql('derby.csct', WAIVE, { input: { obligationId: dutyId, reason: 'Front door' } }))).toEqual([
      'FORBIDDEN',
    ]);
    const waived = ok(
      await t.gql<{ waiveObligation: Duty }>('tara.nolan', WAIVE, {
        input: { obligationId: dutyId, reason: 'Allocated in Liquidlogic before the referral was accepted' },
      }),
    ).waiveObligation;
    expect(waived).toMatchObject({
      id: dutyId,
      state: 'WAIVED',
      closedReason: 'Allocated in Liquidlogic before the referral was accepted',
    });
    expect(codes(await t.gql('tara.nolan', `{ child(id: "${child.id}") { id } }`))).toEqual(['NOT_FOUND']);
    await drain();
    const states = allocationDuties(child.id).map(
      (item) => (item.event.data as { obligation: { state: string } }).obligation.state,
    );
    expect(states).toEqual(expect.arrayContaining(['OPEN', 'OVERDUE', 'WAIVED']));
    for (const item of allocationDuties(child.id)) expect(item.body).not.toContain(CHILD.givenName);
  });
});
