import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { londonToday } from 'src/common/time/london.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { verify } from 'src/notifications/webhooks/signature.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { TestReceiver } from '../support/test-receiver.js';
import { FAST_RETRIES, placementFor, registerReceivers } from '../support/webhook-fixtures.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';

let t: TestApp;
let db: DataSource;
const yos = new TestReceiver();
const islingtonYos = new TestReceiver();
const csc = new TestReceiver();
const secrets: Record<string, string> = {};
const endpointIds: Record<string, string> = {};

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret endpoint { id url status eventTypes } } }`;
const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id status } }`;

const drain = () => t.app.get(NotificationDispatcher).drain();

beforeAll(async () => {
  t = await startTestApp(FAST_RETRIES);
  db = t.app.get(DataSource);
  const registered = await registerReceivers(t, [
    ['derby-yos-integration', yos],
    ['islington-yos-integration', islingtonYos],
    ['derby-csc-integration', csc],
  ]);
  for (const [user, { secret, endpointId }] of Object.entries(registered)) {
    secrets[user] = secret;
    endpointIds[user] = endpointId;
  }
});
afterAll(async () => {
  await Promise.all([yos.stop(), islingtonYos.stop(), csc.stop()]);
  await t.close();
});
beforeEach(() => {
  for (const receiver of [yos, islingtonYos, csc]) {
    receiver.clear();
    receiver.status = 204;
  }
});

describe('placement changes reach the YOS that must know, signed and in order', () => {
  it('tells the home YOS of a planned move, before it, with the worker and team queue, signed per Standard Webhooks', async () => {
    const response = await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id) });
    expect(response.body.errors).toBeUndefined();
    await drain();
    expect(yos.received).toHaveLength(1);
    const [delivery] = yos.received;
    const headers = {
      id: String(delivery?.headers['webhook-id']),
      timestamp: String(delivery?.headers['webhook-timestamp']),
      signature: String(delivery?.headers['webhook-signature']),
    };
    expect(verify(secrets['derby-yos-integration'] ?? '', headers, delivery?.body ?? '')).toBe(true);
    expect(verify('whsec_' + Buffer.from('wrong').toString('base64'), headers, delivery?.body ?? '')).toBe(false);
    expect(delivery?.headers['content-type']).toBe('application/cloudevents+json');
    expect(delivery?.event).toMatchObject({
      specversion: '1.0',
      type: 'uk.tandem.placement.change-planned',
      subject: `child/${JORDAN.id}`,
      data: {
        event: { type: 'PLACEMENT_CHANGE_PLANNED', late: false, recordedBy: { agency: { code: 'derby-csc' } } },
        audience: { allocatedWorker: { subject: 'dana.hughes' }, teamQueue: 'Derby YOS North' },
        child: { id: JORDAN.id, givenName: 'Jordan' },
        placement: { address: '2 Duffield Road, Derby', plannedDate: '2030-01-15', status: 'PLANNED' },
      },
    });
    // Nobody else is involved with Jordan's placement, and CSC recorded it.
    expect(islingtonYos.received).toHaveLength(0);
    expect(csc.received).toHaveLength(0);
  });

  it('gives each recipient increasing sequence numbers, and catches up from any of them', async () => {
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '3 Duffield Road, Derby' }) });
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '4 Duffield Road, Derby' }) });
    await drain();
    const sequences = yos.received.map((item) => Number(item.event.sequence));
    expect(sequences).toHaveLength(2);
    expect(sequences[1]).toBe((sequences[0] ?? 0) + 1);
    const feed = `query($after: String) { notifications(after: $after, first: 100) { edges { node { id sequence type cloudEvent late } } pageInfo { endCursor hasNextPage } } }`;
    const all = await t.gql<{ notifications: { edges: { node: { sequence: string; cloudEvent: string } }[] } }>(
      'derby-yos-integration',
      feed,
      { after: null },
    );
    expect(all.body.errors).toBeUndefined();
    const fed = all.body.data?.notifications.edges.map((edge) => Number(edge.node.sequence)) ?? [];
    expect(fed).toEqual(fed.map((_, index) => index + 1));
    const since = await t.gql<{ notifications: { edges: { node: { sequence: string; cloudEvent: string } }[] } }>(
      'derby-yos-integration',
      feed,
      {
        after: String(sequences[0]),
      },
    );
    const after = since.body.data?.notifications.edges.map((edge) => edge.node) ?? [];
    expect(after.map((node) => Number(node.sequence))).toEqual([sequences[1]]);
    expect((JSON.parse(after[0]?.cloudEvent ?? '{}') as { id: string }).id).toBe(yos.received[1]?.event.id);
    // A person sees the feed as their own policy shows it; another case system's feed is not theirs.
    const dana = await t.gql<{ notifications: { edges: unknown[] } }>('dana.hughes', feed, { after: null });
    expect(dana.body.data?.notifications.edges.length).toBe(fed.length);
    const ben = await t.gql<{ notifications: { edges: unknown[] } }>('ben.carter', feed, { after: null });
    expect(ben.body.data?.notifications.edges).toEqual([]);
  });

  it('flags a planned move recorded after its date as late', async () => {
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { plannedDate: '2026-01-05' }) });
    await drain();
    expect(yos.received[0]?.event.data).toMatchObject({ event: { late: true } });
  });

  it('sends an out-of-borough move to the host YOS too, each side seeing only its scope', async () => {
    // Kayla: Islington's child placed in Derby (Derby YOS is her host YOS).
    await t.gql('ben.carter', PLACEMENT, { input: placementFor(KAYLA.id, { address: '9 Kedleston Road, Derby' }) });
    await drain();
    expect(islingtonYos.received).toHaveLength(1);
    expect(yos.received).toHaveLength(1);
    expect(islingtonYos.received[0]?.event.data).toMatchObject({ placement: { address: '9 Kedleston Road, Derby' } });
    expect(yos.received[0]?.event.data).toMatchObject({
      event: { why: 'host YOS' },
      placement: { address: '9 Kedleston Road, Derby' },
    });
  });

  it('tells the home YOS that caretaking is asked of a host YOS not yet involved, and that host nothing without a notice clause', async () => {
    await t.gql('sam.okafor', PLACEMENT, {
      input: placementFor(JORDAN.id, { areaLocalAuthority: 'islington', address: '1 Upper Street, London' }),
    });
    await drain();
    // No agreement lets Derby YOS ask Islington YOS to take on caretaking: the home YOS arranges it itself.
    expect(yos.received[0]?.event.data).toMatchObject({
      caretaking: { hostAgency: 'islington-yos', clause: null, referralId: null },
    });
    expect(islingtonYos.received).toHaveLength(0);
    const [count] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM child_referral WHERE child_id = $1`, [
      JORDAN.id,
    ]);
    expect(count?.n).toBe(0);
  });

  it('withholds the address from a recipient under a contact restriction (C10)', async () => {
    const restricted = await t.gql<{ recordRestriction: { id: string } }>(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedAgencyCode: "derby-yos", details: "s34 order" }) { id } }`,
    );
    expect(restricted.body.errors).toBeUndefined();
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '5 Secret Lane, Derby' }) });
    await drain();
    const data = yos.received[0]?.event.data as {
      placement: { address: string | null; area: unknown; reason: string | null; withheld: { field: string; rule: string }[] };
    };
    // Nor the area the child moved to, nor why (which may say where).
    expect(data.placement).toMatchObject({ address: null, area: null, reason: null });
    for (const field of ['address', 'area', 'reason'])
      expect(data.placement.withheld).toContainEqual(expect.objectContaining({ field, rule: 'C10' }));
    expect(yos.received[0]?.body).not.toContain('Secret Lane');
    await t.gql(
      'sam.okafor',
      `mutation { endRestriction(input: { id: "${restricted.body.data?.recordRestriction.id}" }) { endedAt } }`,
    );
  });

  it('records a receipt for each delivery, before it is sent', async () => {
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '6 Duffield Road, Derby' }) });
    await drain();
    const id = yos.received[0]?.event.id;
    if (!id) throw new Error('nothing was delivered');
    const receipts = (await loggedReceipts(db, { userSubject: 'system:derby-yos-childview', containing: [id] })).map(
      (row) => row.body,
    );
    const webhook = receipts.find((receipt) => receipt.operation.channel === 'WEBHOOK');
    expect(webhook?.delivery?.notificationId).toBe(id);
    expect(webhook?.disclosed).toContain('address');
  });
});

describe('remands and custody go to children’s social care', () => {
  it('tells CSC when the YOS records a remand', async () => {
    const response = await t.gql(
      'dana.hughes',
      `mutation { recordLegalStatus(input: { childId: "${JORDAN.id}", basis: REMAND_YOUTH_DETENTION_ACCOMMODATION, startDate: "${londonToday()}", sourceEvent: "Remanded at Derby Youth Court" }) { id } }`,
    );
    expect(response.body.errors).toBeUndefined();
    await drain();
    const types = csc.received.map((item) => item.event.type);
    expect(types).toEqual(expect.arrayContaining(['uk.tandem.legal-status.changed', 'uk.tandem.remand.recorded']));
    const remand = csc.received.find((item) => item.event.type === 'uk.tandem.remand.recorded');
    expect(remand?.event.data).toMatchObject({
      event: { why: 'children’s social care' },
      legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' },
    });
  });
});

describe('nothing lost', () => {
  it('retries a receiver that is down, with the same webhook-id, and holds later events back until it is up', async () => {
    yos.status = 503;
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '7 Duffield Road, Derby' }) });
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '8 Duffield Road, Derby' }) });
    const dispatcher = t.app.get(NotificationDispatcher);
    await dispatcher.routeBatch();
    await dispatcher.deliverDue();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await dispatcher.deliverDue();
    expect(yos.received.length).toBeGreaterThanOrEqual(1);
    expect(new Set(yos.received.map((item) => item.event.id)).size).toBe(1);
    yos.status = 204;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await drain();
    const delivered = yos.distinct();
    expect(delivered.map((item) => (item.event.data as { placement: { address: string } }).placement.address)).toEqual([
      '7 Duffield Road, Derby',
      '8 Duffield Road, Derby',
    ]);
    expect(
      new Set(yos.received.filter((item) => item.event.id === delivered[0]?.event.id).map((item) => item.headers['webhook-id']))
        .size,
    ).toBe(1);
  });

  it('dead-letters after the last retry, lets the next event through, and redelivers on request', async () => {
    yos.status = (received) =>
      (received.event.data as { placement?: { address?: string } }).placement?.address === 'Dead End, Derby' ? 500 : 204;
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: 'Dead End, Derby' }) });
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: 'Next Street, Derby' }) });
    for (let round = 0; round < 6; round += 1) {
      await drain();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const list = `query($id: ID!, $status: String) { webhookDeliveries(endpointId: $id, status: $status) { id status attempts lastStatus } }`;
    const dead = await t.gql<{ webhookDeliveries: { id: string; attempts: number; lastStatus: number }[] }>(
      'derby-yos-integration',
      list,
      {
        id: endpointIds['derby-yos-integration'],
        status: 'DEAD',
      },
    );
    expect(dead.body.data?.webhookDeliveries[0]).toMatchObject({ attempts: 4, lastStatus: 500 });
    expect(
      yos
        .distinct()
        .some((item) => (item.event.data as { placement: { address: string } }).placement.address === 'Next Street, Derby'),
    ).toBe(true);
    yos.status = 204;
    const again = await t.gql<{ redeliverWebhook: { status: string } }>(
      'derby-yos-integration',
      `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`,
      { id: dead.body.data?.webhookDeliveries[0]?.id },
    );
    expect(again.body.data?.redeliverWebhook.status).toBe('PENDING');
    await drain();
    expect(yos.received.at(-1)?.headers['webhook-id']).toBe(dead.body.data?.webhookDeliveries[0]?.id);
  });
});

describe('acknowledgement and escalation', () => {
  it('lets a person of the recipient acknowledge, once; an unacknowledged move escalates to the team manager’s queue', async () => {
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '10 Duffield Road, Derby' }) });
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '11 Duffield Road, Derby' }) });
    await drain();
    const [first, second] = yos.received.map((item) => item.event.id);
    const ack = `mutation($id: ID!) { acknowledgeEvent(id: $id) { acknowledgedAt acknowledgedBy } }`;
    // The case system's own token names no person: it cannot say someone read it (nor stop the escalation).
    expect(codes(await t.gql('derby-yos-integration', ack, { id: first }))).toEqual(['FORBIDDEN']);
    const done = await t.gql<{ acknowledgeEvent: { acknowledgedBy: string } }>('dana.hughes', ack, { id: first });
    expect(done.body.data?.acknowledgeEvent.acknowledgedBy).toBe('Dana Hughes');
    expect(codes(await t.gql('dana.hughes', ack, { id: first }))).toEqual(['CONFLICT']);
    expect(codes(await t.gql('ben.carter', ack, { id: second }))).toEqual(['NOT_FOUND']);
    // Time passes (set here, not waited for): both are due; only the unacknowledged one escalates.
    await db.query(`UPDATE notification SET escalate_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [
      [first, second],
    ]);
    yos.clear();
    await drain();
    expect(yos.received).toHaveLength(1);
    expect(yos.received[0]?.event).toMatchObject({
      type: 'uk.tandem.acknowledgement.overdue',
      data: { escalates: { id: second }, audience: { queue: 'TEAM_MANAGER', team: 'Derby YOS North' } },
    });
    await drain();
    expect(yos.received).toHaveLength(1);
  });
});

describe('webhook endpoints', () => {
  it('signs with both secrets while a rotated one overlaps', async () => {
    const rotated = await t.gql<{ rotateWebhookSecret: { secret: string } }>(
      'derby-yos-integration',
      `mutation($id: ID!) { rotateWebhookSecret(endpointId: $id) { secret endpoint { previousSecretValidUntil } } }`,
      { id: endpointIds['derby-yos-integration'] },
    );
    const fresh = rotated.body.data?.rotateWebhookSecret.secret ?? '';
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '12 Duffield Road, Derby' }) });
    await drain();
    const [delivery] = yos.received;
    const headers = {
      id: String(delivery?.headers['webhook-id']),
      timestamp: String(delivery?.headers['webhook-timestamp']),
      signature: String(delivery?.headers['webhook-signature']),
    };
    expect(headers.signature.split(' ')).toHaveLength(2);
    expect(verify(fresh, headers, delivery?.body ?? '')).toBe(true);
    expect(verify(secrets['derby-yos-integration'] ?? '', headers, delivery?.body ?? '')).toBe(true);
    secrets['derby-yos-integration'] = fresh;
  });

  it('disables an endpoint after repeated 410 Gone, and resumes where it stopped when re-enabled', async () => {
    islingtonYos.status = 410;
    for (const address of ['1 Gone Road, Derby', '2 Gone Road, Derby']) {
      await t.gql('ben.carter', PLACEMENT, { input: placementFor(KAYLA.id, { address }) });
    }
    for (let round = 0; round < 5; round += 1) {
      await drain();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const list = `{ webhookEndpoints { id status disabledReason } }`;
    const endpoints = await t.gql<{ webhookEndpoints: { status: string; disabledReason: string }[] }>(
      'islington-yos-integration',
      list,
    );
    expect(endpoints.body.data?.webhookEndpoints[0]).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'The receiver answered 410 Gone 3 times in a row',
    });
    // Three attempts of the first event (it holds the second back), then nothing more.
    expect(islingtonYos.received).toHaveLength(3);
    // Routed while the endpoint is disabled: delivered too once it resumes.
    await t.gql('ben.carter', PLACEMENT, { input: placementFor(KAYLA.id, { address: '3 Gone Road, Derby' }) });
    await drain();
    expect(islingtonYos.received).toHaveLength(3);
    islingtonYos.status = 204;
    islingtonYos.clear();
    await t.gql(
      'islington-yos-integration',
      `mutation($id: ID!) { setWebhookEnabled(endpointId: $id, enabled: true) { status } }`,
      {
        id: endpointIds['islington-yos-integration'],
      },
    );
    await drain();
    expect(
      islingtonYos.distinct().map((item) => (item.event.data as { placement: { address: string } }).placement.address),
    ).toEqual(['1 Gone Road, Derby', '2 Gone Road, Derby', '3 Gone Road, Derby']);
  });

  it('refuses destinations that are not https, and only case systems manage webhooks', async () => {
    expect(codes(await t.gql('derby-yos-integration', REGISTER, { input: { url: 'ftp://example.org/hook' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await t.gql('dana.hughes', REGISTER, { input: { url: 'https://example.org/hook' } }))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await t.gql(
          'derby-yos-integration',
          `{ webhookDeliveries(endpointId: "${endpointIds['derby-csc-integration']}") { id } }`,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('the outbox', () => {
  it('writes no event when the change fails, and one per change when it commits', async () => {
    const count = async () => Number((await db.query<{ n: string }[]>('SELECT count(*) AS n FROM domain_event'))[0]?.n);
    const before = await count();
    const bad = await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { areaLocalAuthority: 'atlantis' }) });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(await count()).toBe(before);
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id) });
    expect(await count()).toBe(before + 1);
  });
});

describe('what a case system is sent is what it may see now, not what it could when the event was routed', () => {
  const FEED = `query($after: String) { notifications(first: 100, after: $after) { edges { node { cloudEvent } } pageInfo { endCursor hasNextPage } } }`;
  type Feed = {
    notifications: { edges: { node: { cloudEvent: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
  };
  type PlacementData = { placement: { address: string | null; withheld: { field: string; rule: string }[] } };

  /** The catch-up feed's copy of one event, as the case system's own token reads it (every page). */
  async function fed(user: string, eventId: string): Promise<{ data: PlacementData } | undefined> {
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse<Feed> = await t.gql<Feed>(user, FEED, { after });
      expect(response.body.errors).toBeUndefined();
      const page = response.body.data?.notifications;
      const found = (page?.edges ?? [])
        .map((edge) => JSON.parse(edge.node.cloudEvent) as { id: string; data: PlacementData })
        .find((event) => event.id === eventId);
      if (found || !page?.pageInfo.hasNextPage) return found;
      after = page.pageInfo.endCursor;
    }
  }

  /** The first attempt that carried this address (the receiver is down, so it is not the last). */
  function attemptWith(address: string) {
    return yos.received.find((item) => (item.event.data as PlacementData).placement?.address === address);
  }

  /** Delivers until `done` holds (each pass after the retry backoff), at most 40 passes. */
  async function deliverUntil(done: () => boolean): Promise<void> {
    for (let pass = 0; pass < 40 && !done(); pass += 1) {
      await drain();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('withholds from a retry and from the catch-up feed an address a contact restriction recorded since covers (C10)', async () => {
    // Whatever earlier tests left routed goes first (deliveries go in sequence order).
    await drain();
    yos.clear();
    yos.status = 503;
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(JORDAN.id, { address: '9 Hidden Close, Derby' }) });
    const dispatcher = t.app.get(NotificationDispatcher);
    await dispatcher.routeBatch();
    await dispatcher.deliverDue();
    const eventId = attemptWith('9 Hidden Close, Derby')?.event.id ?? 'none';
    const restricted = await t.gql<{ recordRestriction: { id: string } }>(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedAgencyCode: "derby-yos", details: "s34 order" }) { id } }`,
    );
    expect(restricted.body.errors).toBeUndefined();
    yos.clear();
    yos.status = 204;
    await deliverUntil(() => yos.received.some((item) => item.event.id === eventId));
    const retried = yos.received.find((item) => item.event.id === eventId);
    expect((retried?.event.data as PlacementData).placement.address).toBeNull();
    expect((retried?.event.data as PlacementData).placement.withheld).toContainEqual(
      expect.objectContaining({ field: 'address', rule: 'C10' }),
    );
    expect(retried?.body).not.toContain('Hidden Close');
    const headers = {
      id: String(retried?.headers['webhook-id']),
      timestamp: String(retried?.headers['webhook-timestamp']),
      signature: String(retried?.headers['webhook-signature']),
    };
    // Signed over what was sent: the body as the policy now allows it.
    expect(verify(secrets['derby-yos-integration'] ?? '', headers, retried?.body ?? '')).toBe(true);
    // Its receipt says what was sent: the address withheld, not disclosed.
    const receipts = (await loggedReceipts(db, { userSubject: 'system:derby-yos-childview', containing: [eventId] })).map(
      (row) => row.body,
    );
    const sent = receipts.filter((receipt) => receipt.operation.channel === 'WEBHOOK').at(-1);
    expect(sent?.disclosed).not.toContain('address');
    expect(sent?.withheld).toContainEqual(expect.objectContaining({ field: 'address', rule: 'C10' }));
    const caughtUp = await fed('derby-yos-integration', eventId);
    expect(caughtUp?.data.placement.address).toBeNull();
    expect(JSON.stringify(caughtUp)).not.toContain('Hidden Close');
    await t.gql(
      'sam.okafor',
      `mutation { endRestriction(input: { id: "${restricted.body.data?.recordRestriction.id}" }) { endedAt } }`,
    );
  });

  it('sends nothing more of a child whose involvement with the agency has ended since: the feed drops it, a retry is not sent', async () => {
    const child = aChild({
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
    });
    await db.transaction((manager) => insertChild(manager, child));
    yos.status = 503;
    await t.gql('sam.okafor', PLACEMENT, { input: placementFor(child.id, { address: '10 Gone Away Road, Derby' }) });
    const dispatcher = t.app.get(NotificationDispatcher);
    await dispatcher.routeBatch();
    await dispatcher.deliverDue();
    const eventId = attemptWith('10 Gone Away Road, Derby')?.event.id ?? 'none';
    expect((await fed('derby-yos-integration', eventId))?.data.placement.address).toBe('10 Gone Away Road, Derby');
    const involvements = await t.gql<{ child: { involvements: { id: string; agency: { code: string } }[] } }>(
      'derby-yos-integration',
      `{ child(id: "${child.id}") { involvements { id agency { code } } } }`,
    );
    const own = involvements.body.data?.child.involvements.find((involvement) => involvement.agency.code === 'derby-yos');
    const ended = await t.gql(
      'derby-yos-integration',
      `mutation { endInvolvement(input: { id: "${own?.id}", endDate: "2026-12-01" }) { id } }`,
    );
    expect(ended.body.errors).toBeUndefined();
    yos.clear();
    yos.status = 204;
    const list = `query($id: ID!) { webhookDeliveries(endpointId: $id, status: "DEAD") { id lastError } }`;
    const dead = async () =>
      (
        await t.gql<{ webhookDeliveries: { id: string; lastError: string }[] }>('derby-yos-integration', list, {
          id: endpointIds['derby-yos-integration'],
        })
      ).body.data?.webhookDeliveries ?? [];
    let withheld: { id: string; lastError: string }[] = [];
    for (let pass = 0; pass < 40 && withheld.length === 0; pass += 1) {
      await drain();
      withheld = (await dead()).filter((delivery) =>
        delivery.lastError.startsWith('Not sent: the case system may no longer see'),
      );
      if (withheld.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(withheld).toHaveLength(1);
    expect(yos.received.filter((item) => item.event.id === eventId)).toEqual([]);
    expect(JSON.stringify(yos.received)).not.toContain('Gone Away Road');
    expect(await fed('derby-yos-integration', eventId)).toBeUndefined();
    // Redelivered on request, it is tried again under the policy then: still not the agency's to see.
    const again = await t.gql<{ redeliverWebhook: { status: string } }>(
      'derby-yos-integration',
      `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`,
      { id: withheld[0]?.id },
    );
    expect(again.body.data?.redeliverWebhook.status).toBe('PENDING');
    await drain();
    expect(JSON.stringify(yos.received)).not.toContain('Gone Away Road');
    expect((await dead()).map((delivery) => delivery.id)).toContain(withheld[0]?.id);
  });
});
