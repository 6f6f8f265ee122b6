import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { DataSource } from 'typeorm';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { NotificationAccess } from 'src/notifications/notification-access.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { demoUser } from 'src/seed/demo-directory.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
let url: string;
const clients: Client[] = [];

const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id } }`;
const SUBSCRIBE = 'subscription { notificationReceived { id sequence type childId cloudEvent } }';

function placement(address: string) {
  return {
    childId: JORDAN.id,
    placementType: 'FOSTER_CARE',
    address,
    areaLocalAuthority: 'derby',
    reason: 'Planned move',
    plannedDate: '2030-03-01',
  };
}

function connect(token: string, purpose = 'CASE_MANAGEMENT') {
  const closed: { code?: number; reason?: string } = {};
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}`, 'x-purpose-of-use': purpose },
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed.code = code;
        closed.reason = reason;
      },
    },
  });
  clients.push(client);
  return { client, closed };
}

/** Waits until the gateway has opened this many subscriptions in all (each registered server-side). */
async function subscribed(count: number): Promise<void> {
  const live = t.app.get(LiveNotifications);
  for (let waited = 0; live.opened() < count; waited += 20) {
    if (waited > 10_000) throw new Error(`only ${live.opened()} subscriptions opened`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The data of the next event of a subscription, or undefined when it ended. */
async function nextData<T>(stream: AsyncIterator<FormattedExecutionResult<T, unknown>>): Promise<T | undefined> {
  const result = await stream.next();
  if (result.done) return undefined;
  const value: FormattedExecutionResult<T, unknown> = result.value;
  return value.data ?? undefined;
}

function tokenFor(subject: string, expiresInSeconds = 300): string {
  const user = demoUser(subject);
  if (!user) throw new Error(subject);
  return t.key.sign(
    { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
    { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds },
  );
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  url = (await t.app.getUrl()).replace(/^http/, 'ws').replace('[::1]', '127.0.0.1') + '/graphql';
});
afterAll(async () => {
  for (const client of clients) void client.dispose();
  await t.close();
});

describe('live notifications over graphql-ws', () => {
  it('pushes the case system its notifications as they are routed, with a receipt, and nothing of others', async () => {
    const before = t.app.get(LiveNotifications).opened();
    const yos = connect(tokenFor('derby-yos-integration')).client.iterate<{
      notificationReceived: { type: string; cloudEvent: string };
    }>({ query: SUBSCRIBE });
    const islington = connect(tokenFor('islington-yos-integration')).client.iterate<{ notificationReceived: { type: string } }>({
      query: SUBSCRIBE,
    });
    await subscribed(before + 2);
    const done = await t.gql('sam.okafor', PLACEMENT, { input: placement('1 Live Street, Derby') });
    expect(done.body.errors).toBeUndefined();
    await t.app.get(NotificationDispatcher).drain();
    const first = await nextData(yos);
    expect(first?.notificationReceived.type).toBe('PLACEMENT_CHANGE_PLANNED');
    const event = JSON.parse(first?.notificationReceived.cloudEvent ?? '{}') as {
      id: string;
      data: { placement: { address: string } };
    };
    expect(event.data.placement.address).toBe('1 Live Street, Derby');
    const receipts = await loggedReceipts(t.app.get(DataSource), { containing: ['"channel":"SUBSCRIPTION"', event.id] });
    expect(receipts).toHaveLength(1);
    // Islington's YOS is not involved with Jordan: nothing arrives there.
    const nothing = await Promise.race([
      islington.next().then(() => 'received'),
      new Promise((resolve) => setTimeout(() => resolve('nothing'), 300)),
    ]);
    expect(nothing).toBe('nothing');
    await yos.return?.();
  });

  it('sends no event whose receipt cannot be written: the subscriber gets the next one', async () => {
    const before = t.app.get(LiveNotifications).opened();
    const yos = connect(tokenFor('derby-yos-integration')).client.iterate<{ notificationReceived: { cloudEvent: string } }>({
      query: SUBSCRIBE,
    });
    await subscribed(before + 1);
    const disclosure = t.app.get(DisclosureService);
    const write = vi.spyOn(disclosure, 'write');
    const triedBySubscription = () =>
      write.mock.calls.some(([bodies]) => bodies.some((body) => JSON.stringify(body).includes('"channel":"SUBSCRIPTION"')));
    expect((await t.gql('sam.okafor', PLACEMENT, { input: placement('2 Unlogged Street, Derby') })).body.errors).toBeUndefined();
    disclosure.failNextCommits(1_000);
    try {
      await t.app.get(NotificationDispatcher).drain();
      for (let waited = 0; !triedBySubscription(); waited += 20) {
        if (waited > 10_000) throw new Error('the subscription never tried to write its receipt');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      disclosure.failNextCommits(0);
      write.mockRestore();
    }
    expect((await t.gql('sam.okafor', PLACEMENT, { input: placement('3 Logged Street, Derby') })).body.errors).toBeUndefined();
    await t.app.get(NotificationDispatcher).drain();
    const next = await nextData(yos);
    const event = JSON.parse(next?.notificationReceived.cloudEvent ?? '{}') as { data: { placement: { address: string } } };
    expect(event.data.placement.address).toBe('3 Logged Street, Derby');
    await yos.return?.();
  });

  it('decides each event afresh: a contact restriction recorded while connected holds for the next', async () => {
    const before = t.app.get(LiveNotifications).opened();
    const dana = connect(tokenFor('dana.hughes')).client.iterate<{ notificationReceived: { cloudEvent: string } }>({
      query: SUBSCRIBE,
    });
    await subscribed(before + 1);
    const addressOf = async () => {
      const data = await nextData(dana);
      return (JSON.parse(data?.notificationReceived.cloudEvent ?? '{}') as { data: { placement: { address: string | null } } })
        .data.placement.address;
    };
    await t.gql('sam.okafor', PLACEMENT, { input: placement('5 Live Street, Derby') });
    await t.app.get(NotificationDispatcher).drain();
    expect(await addressOf()).toBe('5 Live Street, Derby');
    const restricted = await t.gql(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedSubject: "dana.hughes", details: "s34 order" }) { id } }`,
    );
    expect(restricted.body.errors).toBeUndefined();
    await t.gql('sam.okafor', PLACEMENT, { input: placement('6 Live Street, Derby') });
    await t.app.get(NotificationDispatcher).drain();
    expect(await addressOf()).toBeNull();
    await dana.return?.();
  });

  it('filters by the subscriber’s own policy: a worker not allocated to the child gets nothing', async () => {
    const before = t.app.get(LiveNotifications).opened();
    const priya = connect(tokenFor('priya.shah')).client.iterate<{ notificationReceived: { type: string } }>({
      query: SUBSCRIBE,
    });
    const dana = connect(tokenFor('dana.hughes')).client.iterate<{ notificationReceived: { childId: string } }>({
      query: SUBSCRIBE,
    });
    await subscribed(before + 2);
    await t.gql('sam.okafor', PLACEMENT, { input: placement('2 Live Street, Derby') });
    await t.app.get(NotificationDispatcher).drain();
    expect((await nextData(dana))?.notificationReceived.childId).toBe(JORDAN.id);
    const forPriya = await Promise.race([
      priya.next().then(() => 'received'),
      new Promise((resolve) => setTimeout(() => resolve('nothing'), 300)),
    ]);
    expect(forPriya).toBe('nothing');
  });

  it('refuses a connection without a valid token, and closes one when its token expires', async () => {
    const refused = connect('not-a-token');
    const attempt = refused.client.iterate({ query: SUBSCRIBE });
    await expect(attempt.next()).rejects.toBeDefined();
    const expiring = connect(tokenFor('derby-yos-integration', 1));
    const stream = expiring.client.iterate({ query: SUBSCRIBE });
    const ended = stream.next().then(
      () => 'ended',
      () => 'ended',
    );
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await ended).toBe('ended');
    expect(expiring.closed.code).toBe(4403);
  });

  it('closes a connection that initialises twice (4429), by a second connection_init or a subscription’s own', async () => {
    const other = tokenFor('islington-yos-integration');
    const twice = await rawConnection(tokenFor('derby-yos-integration'));
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${other}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' } });
    expect(await twice.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
    const extension = await rawConnection(tokenFor('derby-yos-integration'));
    // Mercurius also takes a `connectionInit` extension on a subscribe message as an initialisation.
    extension.send({
      id: '1',
      type: 'subscribe',
      payload: { query: SUBSCRIBE },
      extensions: [
        { type: 'connectionInit', payload: { authorization: `Bearer ${other}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' } },
      ],
    });
    expect((await extension.closed).code).toBe(4429);
  });

  it('validates a subscription as it would a query: rules, limits, and a document the parser made', async () => {
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    const refusals = [
      {
        query: 'subscription { notificationReceived { id nope } }',
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: /Cannot query field "nope"/,
      },
      {
        query: `subscription { notificationReceived { ${Array.from({ length: 200 }, (_, index) => `a${index}: id`).join(' ')} } }`,
        code: 'QUERY_TOO_COMPLEX',
        message: /aliases/,
      },
      {
        // A syntax tree in place of the text: what the parser never makes is never run.
        query: {
          kind: 'Document',
          definitions: [
            { kind: 'OperationDefinition', operation: 'subscription', selectionSet: { kind: 'SelectionSet', selections: [] } },
          ],
        },
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: /must be a GraphQL document/,
      },
    ];
    for (const [index, refusal] of refusals.entries()) {
      const id = `s${index}`;
      connection.send({ id, type: 'subscribe', payload: { query: refusal.query } });
      const answer = await connection.next((message) => message.id === id);
      expect(answer.type, JSON.stringify(answer)).toBe('error');
      const [error] = answer.payload as { message: string; extensions?: { code?: string } }[];
      expect(error?.message).toMatch(refusal.message);
      expect(error?.extensions?.code).toBe(refusal.code);
    }
    connection.socket.close();
  });

  it('closes a connection that subscribes again with the id of a running subscription (4409), leaving none running', async () => {
    const live = t.app.get(LiveNotifications);
    const before = live.subscribers();
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    connection.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => live.subscribers() === before + 1);
    let closed = false;
    void connection.closed.then(() => (closed = true));
    connection.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIBE } });
    // Before, the second one ran beside the first, which its id no longer named: never stoppable.
    await waitUntil(() => closed || live.subscribers() > before + 1);
    expect(await connection.closed).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
    await waitUntil(() => live.subscribers() === before);
  });

  it('runs at most 16 subscriptions a connection; refused ones take no place, a stopped one gives its id back', async () => {
    const live = t.app.get(LiveNotifications);
    const before = live.subscribers();
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    // Refused (as a graphql-ws client leaves them: never completed): no place taken.
    for (let index = 0; index < 40; index++) {
      connection.send({
        id: `refused${index}`,
        type: 'subscribe',
        payload: { query: 'subscription { notificationReceived { nope } }' },
      });
      expect((await connection.next((message) => message.id === `refused${index}`)).type).toBe('error');
    }
    // Running, completed, and its id used again.
    connection.send({ id: 'again', type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => live.subscribers() === before + 1);
    connection.send({ id: 'again', type: 'complete' });
    await waitUntil(() => live.subscribers() === before);
    connection.send({ id: 'again', type: 'subscribe', payload: { query: SUBSCRIBE } });
    for (let index = 1; index < 16; index++)
      connection.send({ id: `run${index}`, type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => live.subscribers() === before + 16);
    connection.send({ id: 'one-too-many', type: 'subscribe', payload: { query: SUBSCRIBE } });
    expect(await connection.closed).toEqual({ code: 1008, reason: 'Too many subscriptions' });
    await waitUntil(() => live.subscribers() === before);
  });

  it('gives back the id of a subscription refused in its resolver (no purpose of use)', async () => {
    const connection = await rawConnection(tokenFor('derby-yos-integration'), null);
    for (let index = 0; index < 20; index++) {
      connection.send({ id: 'same', type: 'subscribe', payload: { query: SUBSCRIBE } });
      const answer = await Promise.race([
        connection.next((message) => message.id === 'same'),
        connection.closed.then((closed) => ({ type: `closed ${closed.code} ${closed.reason}` })),
      ]);
      expect(answer.type, JSON.stringify(answer)).toBe('error');
    }
    let closed = false;
    void connection.closed.then(() => (closed = true));
    // Still open: a ping is answered.
    connection.send({ type: 'ping' });
    await connection.next((message) => message.type === 'pong');
    expect(closed).toBe(false);
    connection.socket.close();
  });

  it('gives back the id and the listener of a subscription that ended in an error', async () => {
    const live = t.app.get(LiveNotifications);
    const before = live.subscribers();
    // Islington YOS's, so that no other test's subscription is touched by the failure.
    const connection = await rawConnection(tokenFor('islington-yos-integration'));
    connection.send({ id: 'e', type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => live.subscribers() === before + 1);
    const access = t.app.get(NotificationAccess);
    const forCaller = access.forCaller.bind(access);
    const failing = vi
      .spyOn(access, 'forCaller')
      .mockImplementation((principal, rows) =>
        principal.subject === 'islington-yos-integration'
          ? Promise.reject(new Error('database gone'))
          : forCaller(principal, rows),
      );
    try {
      await t.gql('ben.carter', PLACEMENT, { input: { ...placement('7 Error Street, Derby'), childId: KAYLA.id } });
      await t.app.get(NotificationDispatcher).drain();
      expect((await connection.next((message) => message.id === 'e')).type).toBe('error');
    } finally {
      failing.mockRestore();
    }
    // Its listener is gone (others' may end with it: every Islington YOS stream met the failure).
    await waitUntil(() => live.subscribers() <= before);
    const after = live.subscribers();
    let closed = false;
    void connection.closed.then(() => (closed = true));
    // And its id may be used again.
    connection.send({ id: 'e', type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => closed || live.subscribers() === after + 1);
    expect(closed).toBe(false);
    connection.socket.close();
    await waitUntil(() => live.subscribers() === after);
  });

  it('holds 100 ids of refused subscribes a connection (one used again counts once); the 101st closes it (1008)', async () => {
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    const refuse = async (id: string) => {
      connection.send({ id, type: 'subscribe', payload: { query: 'subscription { notificationReceived { nope } }' } });
      return connection.next((message) => message.id === id);
    };
    for (let round = 0; round < 5; round++) expect((await refuse('again')).type).toBe('error');
    for (let index = 1; index < 100; index++) expect((await refuse(`refused${index}`)).type).toBe('error');
    connection.send({ id: 'one-more', type: 'subscribe', payload: { query: 'subscription { notificationReceived { nope } }' } });
    expect(await connection.closed).toEqual({ code: 1008, reason: 'Too many refused operations' });
  });

  it('closes a connection whose subscribe id is not a string (4400)', async () => {
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    connection.send({ id: 1, type: 'subscribe', payload: { query: SUBSCRIBE } });
    expect((await connection.closed).code).toBe(4400);
  });

  it('starts no stream the client completed before it started, and leaves nothing running once the connection closes', async () => {
    const live = t.app.get(LiveNotifications);
    const before = live.subscribers();
    const connection = await rawConnection(tokenFor('derby-yos-integration'));
    let closed = false;
    void connection.closed.then(() => (closed = true));
    // Each completed at once, before its stream starts: none may go on running (nor take a place).
    for (let index = 0; index < 30; index++) {
      connection.send({ id: `quick${index}`, type: 'subscribe', payload: { query: SUBSCRIBE } });
      connection.send({ id: `quick${index}`, type: 'complete' });
    }
    // And the same id again and again.
    for (let round = 0; round < 10; round++) {
      connection.send({ id: 'x', type: 'subscribe', payload: { query: SUBSCRIBE } });
      connection.send({ id: 'x', type: 'complete' });
      await new Promise((resolve) => setImmediate(resolve));
    }
    connection.send({ id: 'kept', type: 'subscribe', payload: { query: SUBSCRIBE } });
    await waitUntil(() => closed || live.subscribers() === before + 1);
    // Only the last, which was not completed, runs; the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    expect(live.subscribers()).toBe(before + 1);
    connection.socket.close();
    await connection.closed;
    await waitUntil(() => live.subscribers() === before);
  });
});

/** Waits until the condition holds (a bound only against a hang). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface RawMessage {
  readonly id?: string;
  readonly type: string;
  readonly payload?: unknown;
}

/** A graphql-transport-ws connection spoken by hand, initialised and acknowledged. */
async function rawConnection(token: string, purpose: string | null = 'CASE_MANAGEMENT') {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: RawMessage[] = [];
  const waiting: { test: (message: RawMessage) => boolean; resolve: (message: RawMessage) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as RawMessage;
    const waiter = waiting.find((candidate) => candidate.test(message));
    if (waiter) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(message);
    } else received.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  const next = (test: (message: RawMessage) => boolean) => {
    const index = received.findIndex(test);
    if (index >= 0) return Promise.resolve(received.splice(index, 1)[0] as RawMessage);
    return new Promise<RawMessage>((resolve) => waiting.push({ test, resolve }));
  };
  const send = (message: Record<string, unknown>) => socket.send(JSON.stringify(message));
  await new Promise((resolve) => socket.once('open', resolve));
  send({
    type: 'connection_init',
    payload: { authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose-of-use': purpose } : {}) },
  });
  await next((message) => message.type === 'connection_ack');
  return { socket, send, next, closed };
}
