import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type FormattedExecutionResult } from 'graphql-ws';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from 'src/app.js';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { AppConfig } from 'src/config/app-config.js';
import { OpenDatabase } from 'src/database/data-source.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { EventType } from 'src/events/event-type.js';
import { OutboxService } from 'src/events/outbox.service.js';
import { DEMO_AGENCIES } from 'src/seed/demo-directory.js';
import { startTestApp, TEST_AUDIT_KEY, type TestApp } from '../support/test-app.js';
import { TestReceiver } from '../support/test-receiver.js';
import { JORDAN, KAYLA, REECE } from '../support/demo-ids.js';

const serverUrl = inject('testDatabaseUrl');
const SETTINGS = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_RETRY_BASE_MS: '10',
  WEBHOOK_RETRY_MAX_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '50',
  WEBHOOK_TIMEOUT_MS: '5000',
  WEBHOOK_LEASE_MS: '400',
};
const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }`;

let a: TestApp;
const yos = new TestReceiver();
const islington = new TestReceiver();

function agency(code: string) {
  const found = DEMO_AGENCIES.find((candidate) => candidate.code === code);
  if (!found) throw new Error(code);
  return found;
}

/** CSC records `count` placement changes straight into the outbox, in one transaction per 100. */
async function burst(app: NestFastifyApplication, count: number, tag: string): Promise<void> {
  const csc = agency('derby-csc');
  const islingtonCsc = agency('islington-csc');
  const outbox = app.get(OutboxService);
  const dataSource = app.get(DataSource);
  const children = [JORDAN, KAYLA, REECE];
  for (let start = 0; start < count; start += 100) {
    await dataSource.transaction(async (manager) => {
      for (let index = start; index < Math.min(count, start + 100); index += 1) {
        const child = children[index % children.length] ?? JORDAN;
        const by = child === KAYLA ? islingtonCsc : csc;
        const principal = new Principal(
          'burst',
          'Burst',
          { id: by.id, code: by.code, kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthorityId: by.localAuthorityId },
          { id: randomUUID(), code: 'burst' },
          [Role.SYSTEM],
          {
            header: 'PLACEMENT_PLANNING',
            justification: undefined,
            correlationId: `burst-${tag}-${index}`,
          },
        );
        const id = randomUUID();
        await outbox.record(manager, principal, {
          type: EventType.PLACEMENT_CHANGED,
          childId: child.id,
          subjectKind: 'PLACEMENT',
          subjectId: id,
          subjectVersion: 1,
          facts: {
            placement: {
              id,
              childId: child.id,
              status: 'CURRENT',
              placementType: 'FOSTER_CARE',
              placementName: null,
              address: `${tag} #${index}`,
              postcode: null,
              areaLocalAuthorityId: agency('derby-yos').localAuthorityId,
              reason: 'Burst',
              plannedDate: null,
              effectiveDate: '2030-01-01',
              endDate: null,
              recordedBy: 'burst',
              recordedByAgencyId: by.id,
              createdAt: new Date().toISOString(),
              version: 1,
            },
            previousPlacementId: null,
            late: false,
          },
        });
      }
    });
  }
}

function addressesByChild(receiver: TestReceiver, tag: string): Map<string, number[]> {
  const byChild = new Map<string, number[]>();
  for (const item of receiver.distinct()) {
    const address = (item.event.data as { placement?: { address?: string } }).placement?.address ?? '';
    if (!address.startsWith(`${tag} #`)) continue;
    const list = byChild.get(item.event.subject) ?? [];
    list.push(Number(address.split('#')[1]));
    byChild.set(item.event.subject, list);
  }
  return byChild;
}

/**
 * How long a test waits for what it needs before giving up: generous, so a loaded machine is only
 * slower, never failing. How fast deliveries go is measured by `npm run bench`, not here.
 */
const PATIENCE_MS = 240_000;
/** A test's own time limit: above PATIENCE_MS, so a test that gives up says what it waited for. */
const TEST_TIMEOUT_MS = PATIENCE_MS + 60_000;

/** Polls a condition (every 50 ms, at most PATIENCE_MS): for what another process or the clock decides. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many of a burst's changes a receiver has had (distinct deliveries). */
function deliveredOf(receiver: TestReceiver, tag: string): number {
  return [...addressesByChild(receiver, tag).values()].reduce((sum, list) => sum + list.length, 0);
}

function strictlyIncreasing(values: readonly number[]): boolean {
  return values.every((value, index) => index === 0 || value > (values[index - 1] ?? -1));
}

beforeAll(async () => {
  a = await startTestApp({ ...SETTINGS, ...(serverUrl ? { DATABASE_URL: serverUrl } : {}) });
  for (const [user, receiver] of [
    ['derby-yos-integration', yos],
    ['islington-yos-integration', islington],
  ] as const) {
    const response = await a.gql(user, REGISTER, { input: { url: await receiver.start() } });
    expect(response.body.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await Promise.all([yos.stop(), islington.stop()]);
  await a.close();
});

describe('a burst of 1,000 placement changes', () => {
  it(
    'is delivered completely, each once, in sequence, with each child’s changes in order',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      yos.clear();
      islington.clear();
      await burst(a.app, 1000, 'one');
      // Jordan and Reece (home YOS Derby) and Kayla (host YOS Derby): all 1,000 reach Derby YOS.
      const dispatcher = a.app.get(NotificationDispatcher);
      await until(async () => {
        await dispatcher.drain();
        return deliveredOf(yos, 'one') >= 1000 && deliveredOf(islington, 'one') >= 333;
      }, 'all 1,000 changes at Derby YOS and Kayla’s 333 at Islington YOS');
      const derby = addressesByChild(yos, 'one');
      expect(deliveredOf(yos, 'one')).toBe(1000);
      for (const list of derby.values()) expect(strictlyIncreasing(list)).toBe(true);
      expect(yos.received.length).toBe(yos.distinct().length);
      const sequences = yos.distinct().map((item) => Number(item.event.sequence));
      expect(strictlyIncreasing(sequences)).toBe(true);
      expect((sequences.at(-1) ?? 0) - (sequences[0] ?? 0)).toBe(sequences.length - 1);
      // Kayla's home YOS (Islington) gets hers: every third.
      expect(addressesByChild(islington, 'one').get(`child/${KAYLA.id}`)).toHaveLength(333);
    },
  );
});

// Two gateway processes need a server: PGlite is one process's database.
describe.skipIf(!serverUrl)('two instances on one PostgreSQL', () => {
  let second: { app: NestFastifyApplication; database: OpenDatabase };

  beforeAll(async () => {
    const database = await OpenDatabase.open({ url: serverUrl ?? '', poolSize: 4 });
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'test',
      // The same development signing key as the first instance, as two gateways of one deployment have.
      DATA_DIR: a.config.dataDir,
      DATABASE_URL: serverUrl,
      SEED_DEMO_DATA: 'false',
      AUDIT_SEAL_INTERVAL_MS: '0',
      AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
      NOTIFY_POLL_MS: '0',
      ...SETTINGS,
    });
    second = { app: await createApp(config, { database, logger: false }), database };
  });
  afterAll(async () => {
    await second.app.close();
    await second.database.close();
  });

  it('deliver each event once per endpoint, sharing the work', { timeout: TEST_TIMEOUT_MS }, async () => {
    yos.clear();
    islington.clear();
    await burst(a.app, 300, 'two');
    const dispatchers = [a.app.get(NotificationDispatcher), second.app.get(NotificationDispatcher)];
    await until(async () => {
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.drain(50)));
      return deliveredOf(yos, 'two') >= 300;
    }, 'all 300 changes at Derby YOS');
    const derby = addressesByChild(yos, 'two');
    expect(deliveredOf(yos, 'two')).toBe(300);
    for (const list of derby.values()) expect(strictlyIncreasing(list)).toBe(true);
    expect(yos.received.length).toBe(yos.distinct().length);
    expect(strictlyIncreasing(yos.distinct().map((item) => Number(item.event.sequence)))).toBe(true);
  });

  it(
    'resume a delivery when the instance sending it dies mid-delivery, with the same webhook-id',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      yos.clear();
      yos.delayMs = 1500;
      await burst(a.app, 2, 'crash');
      const dying = second.app.get(NotificationDispatcher);
      await dying.routeBatch();
      // The second instance starts sending and "dies": its database connections are cut mid-request.
      void dying.deliverDue().catch(() => undefined);
      await until(() => yos.received.length >= 1, 'the first delivery to start');
      expect(yos.received).toHaveLength(1);
      const inFlight = String(yos.received[0]?.headers['webhook-id']);
      await second.database.dataSource.destroy();
      yos.delayMs = 0;
      // Its lease runs out; the surviving instance takes over from the first undelivered event.
      await until(async () => {
        await a.app.get(NotificationDispatcher).drain();
        return yos.distinct().length >= 2;
      }, 'the surviving instance to deliver both');
      const ids = yos.received.map((item) => String(item.headers['webhook-id']));
      expect(ids.filter((id) => id === inFlight)).toHaveLength(2);
      expect(addressesByChild(yos, 'crash').get(`child/${JORDAN.id}`)).toEqual([0]);
      expect(addressesByChild(yos, 'crash').get(`child/${KAYLA.id}`)).toEqual([1]);
      await second.database.dataSource.initialize();
    },
  );

  it('give a subscriber on one instance the events committed and routed on the other', { timeout: TEST_TIMEOUT_MS }, async () => {
    await second.app.listen(0, '127.0.0.1');
    const url = (await second.app.getUrl()).replace(/^http/, 'ws') + '/graphql';
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${a.token('derby-yos-integration')}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
    });
    const stream = client.iterate<{ notificationReceived: { childId: string; cloudEvent: string } }>({
      query: 'subscription { notificationReceived { childId cloudEvent } }',
    });
    const live = second.app.get(LiveNotifications);
    await until(() => live.opened() >= 1, 'the subscription to register');
    await burst(a.app, 1, 'live');
    await a.app.get(NotificationDispatcher).routeBatch();
    const next = await Promise.race([
      stream.next(),
      new Promise<IteratorResult<FormattedExecutionResult<{ notificationReceived: { childId: string } }, unknown>>>((_, reject) =>
        setTimeout(() => reject(new Error('nothing arrived')), PATIENCE_MS),
      ),
    ]);
    const value: FormattedExecutionResult<{ notificationReceived: { childId: string } }, unknown> | undefined = next.done
      ? undefined
      : next.value;
    expect(value?.data?.notificationReceived.childId).toBe(JORDAN.id);
    await client.dispose();
  });
});
