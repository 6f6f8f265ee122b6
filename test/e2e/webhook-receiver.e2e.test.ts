import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { signatureHeader } from 'src/notifications/webhooks/signature.js';
import {
  type CloudEvent,
  createReceiver,
  type Receiver,
  type ReceiverState,
  registerWebhook,
} from '../../examples/webhook-receiver.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

/** The reference receiver (examples/webhook-receiver.ts) against a gateway, as NOTIFICATIONS.md describes it. */
let t: TestApp;
let db: DataSource;
let server: Server;
let receiver: Receiver;
let hookUrl = '';
let secret = '';
const state: ReceiverState = { lastSequence: 0, seen: [] };
const handled: { id: string; address: string | null; via: string }[] = [];
const logged: string[] = [];
/** Set to swallow the next delivery: answered 204, never given to the receiver (as if it was lost). */
let swallowNext = false;
/** Webhooks given to the receiver. */
let posted = 0;

const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id } }`;

async function move(address: string): Promise<void> {
  const response = await t.gql('sam.okafor', PLACEMENT, {
    input: {
      childId: JORDAN.id,
      placementType: 'FOSTER_CARE',
      address,
      areaLocalAuthority: 'derby',
      reason: 'Planned move',
      plannedDate: '2030-04-01',
    },
  });
  expect(response.body.errors).toBeUndefined();
}

/** Routes and delivers what is due, then waits for the receiver to process what it received. */
async function deliver(): Promise<void> {
  await t.app.get(NotificationDispatcher).drain();
  await receiver.settled();
}

const events: CloudEvent[] = [];
const handledEvent = (index: number): CloudEvent => {
  const event = events[index];
  if (!event) throw new Error(`no event ${index}`);
  return event;
};

const addresses = () => handled.map((entry) => entry.address);

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_ALLOW_HTTP: 'true' });
  db = t.app.get(DataSource);
  await t.app.listen(0, '127.0.0.1');
  const url = `${await t.app.getUrl()}/graphql`.replace('[::1]', '127.0.0.1');
  // Only what is routed from now on: the case system's feed may hold other files' notifications.
  const [latest] = await db.query<{ seq: string | null }[]>(
    `SELECT max(n.seq) AS seq FROM notification n JOIN case_system cs ON cs.id = n.case_system_id WHERE cs.code = 'derby-yos-childview'`,
  );
  state.lastSequence = Number(latest?.seq ?? 0);
  receiver = createReceiver({
    url,
    token: () => t.token('derby-yos-integration'),
    secret: () => secret,
    state,
    handle: (event: CloudEvent, via) => {
      events.push(event);
      handled.push({
        id: event.id,
        address: (event.data as { placement?: { address?: string } }).placement?.address ?? null,
        via,
      });
    },
    log: (line) => logged.push(line),
  });
  server = createServer((request, response) => {
    if (!swallowNext) {
      posted += 1;
      return receiver.listener(request, response);
    }
    swallowNext = false;
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  // As `npm run receiver -- --register` does.
  secret = (await registerWebhook(url, t.token('derby-yos-integration'), hookUrl)).secret;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

describe('the reference receiver', () => {
  it('processes each notification once, in order, and leaves a placement change for a person to acknowledge', async () => {
    await move('1 Receiver Road, Derby');
    await deliver();
    expect(addresses()).toEqual(['1 Receiver Road, Derby']);
    const [first] = handled;
    const [row] = await db.query<{ acknowledged_at: Date | null }[]>('SELECT acknowledged_at FROM notification WHERE id = $1', [
      first?.id,
    ]);
    // Its own token may not acknowledge: the change escalates unless a person does.
    expect(row?.acknowledged_at).toBeNull();
    expect(logged).toContain(`  to acknowledge: ${first?.id}`);
    expect(logged.filter((line) => line.includes('could not'))).toEqual([]);
    // A redelivery of the same notification is dropped.
    const [delivery] = await db.query<{ id: string }[]>('SELECT id FROM webhook_delivery WHERE notification_id = $1', [
      first?.id,
    ]);
    const redelivered = await t.gql(
      'derby-yos-integration',
      `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`,
      {
        id: delivery?.id,
      },
    );
    expect(redelivered.body.errors).toBeUndefined();
    const before = posted;
    await deliver();
    expect(posted).toBe(before + 1);
    expect(addresses()).toEqual(['1 Receiver Road, Derby']);
  });

  it('refuses a webhook whose signature or timestamp does not verify', async () => {
    // An event already processed, so the one that verifies is dropped as a duplicate.
    const body = JSON.stringify({ ...handledEvent(0), data: { forged: true } });
    const now = Math.floor(Date.now() / 1000);
    const post = (headers: Record<string, string>) =>
      fetch(hookUrl, { method: 'POST', headers, body }).then((response) => response.status);
    const signed = (key: string, timestamp: number) => ({
      'webhook-id': 'msg_forged',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([key], 'msg_forged', timestamp, body),
    });
    expect(await post(signed('whsec_' + Buffer.from('another key').toString('base64'), now))).toBe(401);
    expect(await post(signed(secret, now - 3600))).toBe(401);
    expect(await post({})).toBe(401);
    // The same headers with the endpoint's secret and the time now are taken.
    expect(await post(signed(secret, now))).toBe(204);
    await receiver.settled();
    expect(handled).toHaveLength(1);
  });

  it('detects a gap and catches up through the feed before the event that showed it', async () => {
    swallowNext = true;
    await move('2 Lost Lane, Derby');
    await deliver();
    expect(addresses()).toEqual(['1 Receiver Road, Derby']);
    await move('3 Found Street, Derby');
    await deliver();
    // The catch-up brings the lost one and, already in the feed, the one that showed the gap: each once, in order.
    expect(addresses()).toEqual(['1 Receiver Road, Derby', '2 Lost Lane, Derby', '3 Found Street, Derby']);
    expect(handled[1]?.via).toBe('catch-up');
    expect(new Set(handled.map((entry) => entry.id)).size).toBe(handled.length);
    expect(logged.some((line) => line.startsWith('gap: '))).toBe(true);
  });
});
