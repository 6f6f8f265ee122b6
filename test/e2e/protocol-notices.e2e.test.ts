import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { londonToday } from 'src/common/time/london.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import type { DemoChild } from 'src/seed/demo-children.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { type Received, TestReceiver } from '../support/test-receiver.js';
import { JORDAN } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';

/**
 * Protocol notices to the team that must act (issue 13 §2): a remand, sentence, release or court
 * outcome reaches the front door when children's social care is not involved; an out-of-borough
 * move reaches the host YOS before it happens. Each discloses only its notice clause's classes,
 * opens a referral the receiving agency answers through the API, and is acknowledged or escalates.
 */
let t: TestApp;
let db: DataSource;
const derbyYos = new TestReceiver();
const derbyCsc = new TestReceiver();
const islingtonYos = new TestReceiver();

const FAST = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_TIMEOUT_MS: '2000' };
const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }`;
const LEGAL_STATUS = `mutation($input: RecordLegalStatusInput!) { recordLegalStatus(input: $input) { id } }`;
const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id status version } }`;
const CANCEL = `mutation($input: CancelPlannedPlacementInput!) { cancelPlannedPlacement(input: $input) { id status version } }`;
const CORRECT = `mutation($input: CorrectPlannedPlacementInput!) { correctPlannedPlacement(input: $input) { id status version plannedDate address } }`;
const REFERRALS = `{ referrals(status: PENDING) { edges { node { id childId givenName status role clause openedByEventId fromAgency { code } toAgency { code } withheld { field } } } } }`;
const ACCEPT = `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id status decidedBy involvementId } }`;
const ACK = `mutation($id: ID!) { acknowledgeEvent(id: $id) { acknowledgedBy } }`;

interface Referral {
  id: string;
  childId: string;
  givenName: string | null;
  status: string;
  role: string;
  clause: string;
  openedByEventId: string | null;
  fromAgency: { code: string };
  toAgency: { code: string };
  withheld: { field: string }[];
}

const drain = () => t.app.get(NotificationDispatcher).drain();

beforeAll(async () => {
  t = await startTestApp(FAST);
  db = t.app.get(DataSource);
  for (const [user, receiver] of [
    ['derby-yos-integration', derbyYos],
    ['derby-csc-integration', derbyCsc],
    ['islington-yos-integration', islingtonYos],
  ] as const) {
    const response = await t.gql(user, REGISTER, { input: { url: await receiver.start() } });
    expect(response.body.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await Promise.all([derbyYos.stop(), derbyCsc.stop(), islingtonYos.stop()]);
  await t.close();
});
beforeEach(() => {
  for (const receiver of [derbyYos, derbyCsc, islingtonYos]) receiver.clear();
});

async function child(overrides: Partial<DemoChild> = {}): Promise<DemoChild> {
  const made = aChild(overrides);
  await db.transaction((manager) => insertChild(manager, made));
  return made;
}

/** An Islington child: home YOS and CSC in Islington, a worker of each allocated. */
function islingtonChild(): Promise<DemoChild> {
  return child({
    references: [{ caseSystem: 'islington-yos-careworks', value: `CW-${Math.random().toString(36).slice(2, 10)}` }],
    involvements: [
      { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
    ],
  });
}

function remand(childId: string, basis = 'REMAND_YOUTH_DETENTION_ACCOMMODATION', startDate = londonToday()) {
  return t.gql('dana.hughes', LEGAL_STATUS, {
    input: { childId, basis, startDate, sourceEvent: 'Remanded at Derby Youth Court' },
  });
}

/** The next Christmas Eve still ahead: a move planned over Christmas, told in advance. */
function christmasEve(): string {
  const today = londonToday();
  const year = Number(today.slice(0, 4));
  return `${today < `${year}-12-24` ? year : year + 1}-12-24`;
}

function planMove(childId: string, overrides: Record<string, unknown> = {}) {
  return t.gql<{ recordPlacementChange: { id: string; version: number } }>('ben.carter', PLACEMENT, {
    input: {
      childId,
      placementType: 'FOSTER_CARE',
      placementName: 'Foster carers',
      address: '14 Kedleston Road, Derby',
      postcode: 'DE22 1GB',
      areaLocalAuthority: 'derby',
      reason: 'Placed with kinship carers over Christmas',
      plannedDate: christmasEve(),
      ...overrides,
    },
  });
}

function ofType(receiver: TestReceiver, type: string): Received[] {
  return receiver.received.filter((item) => item.event.type === type);
}

async function receiptOf(caseSystem: string, notificationId: string): Promise<ReceiptBody> {
  const rows = await loggedReceipts(db, { userSubject: `system:${caseSystem}`, containing: [notificationId] });
  const receipts = rows.map((row) => row.body);
  const webhook = receipts.find((receipt) => receipt.operation.channel === 'WEBHOOK');
  if (!webhook) throw new Error(`No webhook receipt for ${notificationId}`);
  return webhook;
}

/** The leaf paths of a delivered subject, as a receipt lists them (its `withheld` list aside). */
function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? leafPaths(item as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

function without(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

async function pendingReferrals(subject: string): Promise<Referral[]> {
  const response = await t.gql<{ referrals: { edges: { node: Referral }[] } }>(subject, REFERRALS);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.referrals.edges.map((edge) => edge.node) ?? [];
}

async function involvementsOf(childId: string): Promise<string[]> {
  const rows = await db.query<{ code: string; role: string }[]>(
    `SELECT a.code, ai.role::text AS role FROM agency_involvement ai JOIN agency a ON a.id = ai.agency_id
     WHERE ai.child_id = $1 AND ai.end_date IS NULL ORDER BY 1, 2`,
    [childId],
  );
  return rows.map((row) => `${row.code}:${row.role}`);
}

describe('a remand of a child children’s social care does not know', () => {
  it('reaches the front door with the notice clause’s classes, opens a CSC referral, escalates unacknowledged, and is answered', async () => {
    const unknown = await child();
    expect((await remand(unknown.id)).body.errors).toBeUndefined();
    await drain();
    const [notice, ...others] = derbyCsc.received;
    expect(others).toEqual([]);
    const clause = 'derby-yos-csc@v4 §5.3';
    expect(notice?.event).toMatchObject({
      type: 'uk.tandem.remand.recorded',
      subject: `child/${unknown.id}`,
      data: {
        event: { type: 'REMAND_RECORDED', why: 'front door: children’s social care is not yet involved' },
        audience: { allocatedWorker: null, allocatedWorkers: [], teamQueue: 'derby-csc-front-door' },
        child: { id: unknown.id, givenName: 'Test', familyName: unknown.familyName },
        legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION', startDate: londonToday() },
        notice: { clause, from: 'derby-yos', role: 'CSC' },
      },
    });
    const data = notice?.event.data as { legalStatus: Record<string, unknown>; notice: { referralId: string } };

    // The receipt is exact: every path delivered, nothing else, each class under the notice clause.
    const receipt = await receiptOf('derby-csc-liquidlogic', notice?.event.id ?? '');
    expect(receipt.disclosed.slice().sort()).toEqual(
      [
        'child.id',
        'child.givenName',
        'child.familyName',
        'child.dateOfBirth',
        ...leafPaths(without(data.legalStatus, ['withheld'])),
      ].sort(),
    );
    expect(receipt.withheld).toEqual([]);
    const allowed = ['IDENTITY_BASIC', 'CASE_ADMINISTRATION', 'LEGAL_STATUS', 'OFFENDING_CRIMINAL', 'PLACEMENT_LOCATION'];
    expect(receipt.bases.map((basis) => basis.class)).toEqual(expect.arrayContaining(['IDENTITY_BASIC', 'LEGAL_STATUS']));
    for (const basis of receipt.bases) {
      expect(allowed).toContain(basis.class);
      expect(basis).toMatchObject({ rule: clause, agreement: { id: 'derby-yos-csc', version: 4, clause: '5.3' } });
      expect(basis.lawfulBasis).toMatch(/UK GDPR/);
    }

    // The front door finds the referral the notice opened, naming the event that opened it.
    const [referral, ...more] = (await pendingReferrals('derby.csct')).filter((item) => item.childId === unknown.id);
    expect(more).toEqual([]);
    expect(referral).toMatchObject({
      id: data.notice.referralId,
      givenName: 'Test',
      status: 'PENDING',
      role: 'CSC',
      clause,
      openedByEventId: (notice?.event as { tandemeventid?: string }).tandemeventid,
      fromAgency: { code: 'derby-yos' },
      toAgency: { code: 'derby-csc' },
      withheld: [],
    });

    // A second notice while the referral waits only notifies, naming the same referral.
    expect((await remand(unknown.id, 'CUSTODIAL_SENTENCE')).body.errors).toBeUndefined();
    await drain();
    const custody = ofType(derbyCsc, 'uk.tandem.custody-sentence.recorded');
    expect(custody).toHaveLength(1);
    expect(custody[0]?.event.data).toMatchObject({ notice: { clause, referralId: referral?.id } });
    expect((await pendingReferrals('derby.csct')).filter((item) => item.childId === unknown.id)).toHaveLength(1);

    // Nobody acknowledged it in time: it escalates to the front door's team manager queue.
    derbyCsc.clear();
    await db.query(`UPDATE notification SET escalate_at = now() - interval '1 second' WHERE id = $1`, [notice?.event.id]);
    await drain();
    expect(derbyCsc.received.map((item) => item.event)).toEqual([
      expect.objectContaining({
        type: 'uk.tandem.acknowledgement.overdue',
        data: expect.objectContaining({
          escalates: expect.objectContaining({ id: notice?.event.id }) as unknown,
          audience: { queue: 'TEAM_MANAGER', team: 'derby-csc-front-door' },
        }) as unknown,
      }),
    ]);
    // Only the child's id and what escalates, as it was built: sent now, it is not rebuilt as the notice.
    const escalation = derbyCsc.received[0]?.event.data as { child?: unknown; legalStatus?: unknown } | undefined;
    expect(escalation?.child).toEqual({ id: unknown.id });
    expect(escalation).not.toHaveProperty('legalStatus');

    // The front door's manager sees the notice and its escalation in the feed; a social worker not allocated sees neither.
    const feedOf = async (subject: string) => {
      const response = await t.gql<{
        notifications: {
          edges: { node: { id: string; type: string; escalatesAt: string | null; escalatedAt: string | null } }[];
        };
      }>(subject, `{ notifications(first: 100) { edges { node { id type escalatesAt escalatedAt } } } }`);
      expect(response.body.errors).toBeUndefined();
      return (response.body.data?.notifications.edges ?? []).map((edge) => edge.node);
    };
    const managed = await feedOf('tara.nolan');
    // Its escalation deadline and when it escalated are read through the API, not only database rows.
    expect(managed).toContainEqual({
      id: notice?.event.id,
      type: 'REMAND_RECORDED',
      escalatesAt: expect.any(String) as unknown,
      escalatedAt: expect.any(String) as unknown,
    });
    expect(managed.map((node) => node.type)).toContain('ACKNOWLEDGEMENT_OVERDUE');
    expect((await feedOf('sam.okafor')).map((node) => node.id)).not.toContain(notice?.event.id);

    // The front door acknowledges it; a social worker not allocated neither sees nor acknowledges it.
    expect(codes(await t.gql('sam.okafor', ACK, { id: notice?.event.id }))).toEqual(['NOT_FOUND']);
    const acknowledged = await t.gql<{ acknowledgeEvent: { acknowledgedBy: string } }>('derby.csct', ACK, {
      id: notice?.event.id,
    });
    expect(acknowledged.body.errors).toBeUndefined();

    // Accepting makes CSC involved (L2: a social worker must be allocated), and the child visible to it.
    expect(codes(await t.gql('derby.csct', `{ child(id: "${unknown.id}") { id } }`))).toEqual(['NOT_FOUND']);
    const accepted = await t.gql<{ acceptReferral: { status: string; involvementId: string } }>('derby.csct', ACCEPT, {
      input: { referralId: referral?.id, startDate: londonToday() },
    });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data?.acceptReferral.status).toBe('ACCEPTED');
    expect(await involvementsOf(unknown.id)).toEqual(['derby-csc:CSC', 'derby-yos:YOS_HOME']);
    expect((await t.gql('derby.csct', `{ child(id: "${unknown.id}") { id } }`)).body.errors).toBeUndefined();
  });

  it('goes to the involved CSC as before when CSC already knows the child, opening no referral', async () => {
    const known = await child({
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ],
    });
    expect((await remand(known.id)).body.errors).toBeUndefined();
    await drain();
    const [notice] = ofType(derbyCsc, 'uk.tandem.remand.recorded');
    expect(notice?.event.data).toMatchObject({
      event: { why: 'children’s social care' },
      legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' },
    });
    expect(notice?.event.data).not.toHaveProperty('notice');
    const [count] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM child_referral WHERE child_id = $1', [
      known.id,
    ]);
    expect(count?.n).toBe(0);
  });
});

describe('an out-of-borough move planned for a child the host YOS does not know', () => {
  it('reaches the host YOS before the move within the caretaking scope, and opens caretaking only a manager accepts', async () => {
    const kid = await islingtonChild();
    const planned = await planMove(kid.id);
    expect(planned.body.errors).toBeUndefined();
    await drain();
    const clause = 'islington-derby-caretaking@v4 §4';
    const [host] = ofType(derbyYos, 'uk.tandem.placement.change-planned');
    expect(host?.event.data).toMatchObject({
      event: { late: false, why: 'host YOS: the move is out of borough, and caretaking is asked' },
      audience: { allocatedWorker: null, teamQueue: 'FRONT_DOOR' },
      placement: {
        address: '14 Kedleston Road, Derby',
        plannedDate: christmasEve(),
        placementType: null,
        area: null,
        reason: null,
      },
      notice: { clause, from: 'islington-yos', role: 'YOS_HOST' },
    });
    const data = host?.event.data as { placement: Record<string, unknown>; notice: { referralId: string } };
    const receipt = await receiptOf('derby-yos-childview', host?.event.id ?? '');
    expect(receipt.withheld.map((item) => [item.field, item.rule])).toEqual([
      ['placementType', clause],
      ['area', clause],
      ['reason', clause],
    ]);
    expect(receipt.disclosed).not.toEqual(expect.arrayContaining(['placementType']));
    const shown = without(data.placement, ['withheld', 'placementType', 'area', 'reason']);
    expect(receipt.disclosed.slice().sort()).toEqual(
      ['child.id', 'child.givenName', 'child.familyName', 'child.dateOfBirth', ...leafPaths(shown)].sort(),
    );
    for (const basis of receipt.bases) {
      expect(['IDENTITY_BASIC', 'CASE_ADMINISTRATION', 'LEGAL_STATUS', 'PLACEMENT_LOCATION']).toContain(basis.class);
      expect(basis).toMatchObject({ rule: clause, agreement: { id: 'islington-derby-caretaking', version: 4, clause: '4' } });
    }
    // The home YOS hears of the move, and that caretaking is asked of Derby under the clause.
    expect(ofType(islingtonYos, 'uk.tandem.placement.change-planned')[0]?.event.data).toMatchObject({
      event: { why: 'home YOS' },
      placement: { address: '14 Kedleston Road, Derby', reason: 'Placed with kinship carers over Christmas' },
      caretaking: { hostAgency: 'derby-yos', clause, referralId: data.notice.referralId },
    });

    const [referral] = (await pendingReferrals('marcus.reid')).filter((item) => item.childId === kid.id);
    expect(referral).toMatchObject({
      id: data.notice.referralId,
      role: 'YOS_HOST',
      clause,
      fromAgency: { code: 'islington-yos' },
      openedByEventId: (host?.event as { tandemeventid?: string }).tandemeventid,
    });
    const answer = { input: { referralId: referral?.id, startDate: londonToday() } };
    expect(codes(await t.gql('dana.hughes', ACCEPT, answer))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('olu.bakare', ACCEPT, answer))).toEqual(['NOT_FOUND']);
    const accepted = await t.gql<{ acceptReferral: { status: string } }>('marcus.reid', ACCEPT, answer);
    expect(accepted.body.errors).toBeUndefined();
    expect(await involvementsOf(kid.id)).toContain('derby-yos:YOS_HOST');
  });
});

describe('a planned move cancelled or corrected', () => {
  it('tells everyone told of the plan; only the agency that planned it may change it', async () => {
    const kid = await islingtonChild();
    const planned = await planMove(kid.id);
    const placementId = planned.body.data?.recordPlacementChange.id ?? '';
    await drain();
    expect(ofType(derbyYos, 'uk.tandem.placement.change-planned')).toHaveLength(1);
    expect(ofType(islingtonYos, 'uk.tandem.placement.change-planned')).toHaveLength(1);

    // Another agency may not: the YOS records no placements, another CSC does not see the child.
    const cancel = (subject: string, expectedVersion: number, options = {}) =>
      t.gql(subject, CANCEL, { input: { placementId, expectedVersion, reason: 'Carers withdrew' } }, options);
    expect(codes(await cancel('olu.bakare', 1))).toEqual(['FORBIDDEN']);
    expect(codes(await cancel('sam.okafor', 1))).toEqual(['NOT_FOUND']);
    expect(codes(await cancel('ben.carter', 1, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await t.gql('sam.okafor', CORRECT, { input: { placementId, expectedVersion: 1, address: '1 Elsewhere, Derby' } })),
    ).toEqual(['NOT_FOUND']);

    // A correction tells both again: the same placement, a higher version.
    derbyYos.clear();
    islingtonYos.clear();
    const corrected = await t.gql<{ correctPlannedPlacement: { version: number; plannedDate: string } }>('ben.carter', CORRECT, {
      input: { placementId, expectedVersion: 1, plannedDate: christmasEve().replace('-24', '-27') },
    });
    expect(corrected.body.errors).toBeUndefined();
    expect(corrected.body.data?.correctPlannedPlacement.version).toBe(2);
    await drain();
    for (const receiver of [derbyYos, islingtonYos]) {
      expect(ofType(receiver, 'uk.tandem.placement.change-planned').map((item) => item.event.data.placement)).toEqual([
        expect.objectContaining({ id: placementId, version: 2, plannedDate: christmasEve().replace('-24', '-27') }),
      ]);
    }
    expect(codes(await cancel('ben.carter', 1))).toEqual(['CONFLICT']);

    derbyYos.clear();
    islingtonYos.clear();
    const cancelled = await cancel('ben.carter', 2);
    expect(cancelled.body.errors).toBeUndefined();
    expect(cancelled.body.data).toEqual({ cancelPlannedPlacement: { id: placementId, status: 'CANCELLED', version: 3 } });
    await drain();
    for (const receiver of [derbyYos, islingtonYos]) {
      const [told] = ofType(receiver, 'uk.tandem.placement.change-cancelled');
      expect(told?.event.data).toMatchObject({ event: { late: false }, placement: { id: placementId, status: 'CANCELLED' } });
    }
    expect(ofType(derbyYos, 'uk.tandem.placement.change-cancelled')[0]?.event.data).toMatchObject({
      notice: { clause: 'islington-derby-caretaking@v4 §4' },
    });
    // The cancellation opens nothing: still the one caretaking referral of the plan.
    const [count] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM child_referral WHERE child_id = $1', [
      kid.id,
    ]);
    expect(count?.n).toBe(1);
    expect(codes(await cancel('ben.carter', 3))).toEqual(['CONFLICT']);
  });
});

describe('lateness and agencies without a notice clause', () => {
  it('flags a move recorded on the day it took effect as late', async () => {
    const today = londonToday();
    const response = await t.gql('sam.okafor', PLACEMENT, {
      input: {
        childId: JORDAN.id,
        placementType: 'FOSTER_CARE',
        address: '20 Duffield Road, Derby',
        areaLocalAuthority: 'derby',
        reason: 'Emergency move',
        effectiveDate: today,
      },
    });
    expect(response.body.errors).toBeUndefined();
    await drain();
    expect(ofType(derbyYos, 'uk.tandem.placement.changed')[0]?.event.data).toMatchObject({
      event: { late: true },
      placement: { effectiveDate: today },
    });
  });

  it('tells an agency no notice clause names nothing, and opens no referral for it', async () => {
    // Derby's child moves to Islington: no agreement lets Derby YOS ask Islington YOS to take on caretaking.
    const response = await t.gql('sam.okafor', PLACEMENT, {
      input: {
        childId: JORDAN.id,
        placementType: 'FOSTER_CARE',
        address: '1 Upper Street, London',
        areaLocalAuthority: 'islington',
        reason: 'Placed near family',
        plannedDate: christmasEve(),
      },
    });
    expect(response.body.errors).toBeUndefined();
    await drain();
    expect(islingtonYos.received).toEqual([]);
    expect(ofType(derbyYos, 'uk.tandem.placement.change-planned')[0]?.event.data).toMatchObject({
      caretaking: { hostAgency: 'islington-yos', clause: null, referralId: null },
    });
    const [count] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM child_referral cr JOIN agency a ON a.id = cr.to_agency_id WHERE cr.child_id = $1 AND a.code = 'islington-yos'`,
      [JORDAN.id],
    );
    expect(count?.n).toBe(0);
  });
});
