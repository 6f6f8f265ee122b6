import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config.js';
import type { Principal } from 'src/auth/principal.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { endOfNextWorkingDay } from 'src/common/time/london.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { callerPart, type ReceiptBody } from 'src/disclosure/receipt.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import type { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import { EventType, MUST_ACKNOWLEDGE } from 'src/events/event-type.js';
import { audienceOf, cloudEvent, subjectKey } from 'src/notifications/notification-builder.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { EVENTS_CHANNEL, ROUTED_CHANNEL } from 'src/events/outbox.service.js';
import { type DeliveryReceipt, RecipientViews, systemPrincipal } from 'src/notifications/recipient-view.service.js';
import { route } from 'src/notifications/routing.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { signatureHeader } from 'src/notifications/webhooks/signature.js';
import { postWebhook } from 'src/notifications/webhooks/webhook-sender.js';

/** Shared by every instance: one router at a time assigns sequence numbers. */
const ROUTER_LOCK_KEY = 7_284_117_205;
const ROUTE_BATCH = 100;

interface BatchCache {
  readonly principals: Map<string, Principal>;
  readonly children: Map<
    string,
    [
      Awaited<ReturnType<NotificationsRepository['involvements']>>,
      Awaited<ReturnType<NotificationsRepository['childIdentity']>>,
      Awaited<ReturnType<NotificationsRepository['allocatedWorkers']>>,
    ]
  >;
}

interface Prepared {
  readonly caseSystemId: string;
  readonly caseSystemCode: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly data: Record<string, unknown>;
  readonly receipt: DeliveryReceipt;
}

/**
 * Routes committed events to the case systems that must know and delivers them: every instance
 * runs one, and they share the work through PostgreSQL (an advisory lock for routing, leases taken
 * with SKIP LOCKED for delivery), so each event reaches each endpoint once, in sequence order.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private announced: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(LiveNotifications) private readonly live: LiveNotifications,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Live subscribers hear of notifications routed on other instances even when this one only dispatches on demand.
    await this.listen();
    if (this.config.notifications.pollMs === 0) return;
    this.timer = setInterval(() => this.wake(), this.config.notifications.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /** Runs a pass now, or right after the one in progress (never when it runs only on demand, NOTIFY_POLL_MS=0). */
  wake(): void {
    if (this.stopped || this.config.notifications.pollMs === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: unknown) => this.logger.error(`Dispatch failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Routes, escalates and delivers until nothing is due (tests and the CLI call it directly). */
  async drain(maxPasses = 100): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const routed = await this.routeBatch();
      const escalated = await this.escalate();
      const delivered = await this.deliverDue();
      if (routed === 0 && escalated === 0 && delivered === 0) return;
    }
  }

  private async pass(): Promise<void> {
    await this.drain(10);
  }

  /** Tells every instance (at commit) which notifications were routed, for their live subscribers. */
  private async announce(
    manager: Parameters<NotificationsRepository['notify']>[0],
    created: readonly NotificationEntity[],
  ): Promise<void> {
    // NOTIFY payloads are limited to 8000 bytes: 150 ids at a time.
    for (let index = 0; index < created.length; index += 150) {
      const ids = created.slice(index, index + 150).map((notification) => notification.id);
      await this.repository.notify(manager, ROUTED_CHANNEL, ids.join(','));
    }
  }

  /**
   * LISTEN on PostgreSQL: for events committed by any instance (so delivery does not wait for the
   * next poll) and for notifications routed by any instance (for this one's live subscribers).
   * Embedded PGlite has one instance: it publishes to its subscribers directly.
   */
  async listen(): Promise<void> {
    if (!this.config.databaseUrl || this.listener) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl });
    const lost = (why: string) => {
      if (this.listener !== client) return;
      this.logger.warn(`Event listener lost (${why}); reconnecting`);
      this.listener = undefined;
      void client.end().catch(() => undefined);
      // Until it is back, this instance polls and publishes to its own subscribers.
      if (!this.stopped) setTimeout(() => void this.listen(), 1000).unref();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (message) => {
      if (message.channel === ROUTED_CHANNEL && message.payload) {
        const ids = message.payload.split(',');
        // In the order announced, so subscribers see each recipient's sequence in order.
        this.announced = this.announced
          .then(() => this.repository.notificationsByIds(ids))
          .then((rows) => this.live.publish(rows))
          .catch((error: unknown) =>
            this.logger.warn(`Live notifications: ${error instanceof Error ? error.message : String(error)}`),
          );
      } else this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${ROUTED_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(`Cannot LISTEN for events, polling only: ${error instanceof Error ? error.message : String(error)}`);
      await client.end().catch(() => undefined);
    }
  }

  /** Routes one batch of committed events in order; returns how many were routed here. */
  async routeBatch(): Promise<number> {
    const events = await this.repository.unroutedBatch(ROUTE_BATCH);
    if (events.length === 0) return 0;
    // Each recipient's view is decided outside the transaction (the policy reads through the pool).
    const prepared = new Map<string, { prepared: Prepared[]; caretaking: ReturnType<typeof route>['caretaking'] }>();
    const agencies = await this.directory.agencyRecords();
    // One principal per recipient and one read per child for the whole batch, so the policy's
    // per-request caches and batches serve every event of it.
    const batch: BatchCache = { principals: new Map(), children: new Map() };
    for (const event of events) prepared.set(event.id, await this.prepare(event, agencies, batch));
    const created: NotificationEntity[] = [];
    const routed = await this.dataSource.transaction(async (manager) => {
      if (!(await this.repository.tryRouterLock(manager, ROUTER_LOCK_KEY))) return 0;
      const open = await this.repository.lockUnrouted(
        manager,
        events.map((event) => event.id),
      );
      // Sequence numbers for the whole batch: one counter update per recipient, in event order.
      const counts = new Map<string, number>();
      for (const event of events) {
        if (!open.has(event.id)) continue;
        for (const target of prepared.get(event.id)?.prepared ?? []) {
          counts.set(target.caseSystemId, (counts.get(target.caseSystemId) ?? 0) + 1);
        }
      }
      const nextSeq = new Map<string, bigint>();
      const endpoints = new Map<string, WebhookEndpointEntity[]>();
      for (const [caseSystemId, count] of counts) {
        const last = BigInt(await this.repository.reserveSeqs(manager, caseSystemId, count));
        nextSeq.set(caseSystemId, last - BigInt(count) + 1n);
        endpoints.set(caseSystemId, await this.repository.activeEndpoints(manager, caseSystemId));
      }
      const done: string[] = [];
      const deliveries: WebhookDeliveryEntity[] = [];
      for (const event of events) {
        if (!open.has(event.id)) continue;
        const plan = prepared.get(event.id);
        for (const target of plan?.prepared ?? []) {
          const seqNumber = nextSeq.get(target.caseSystemId) ?? 1n;
          nextSeq.set(target.caseSystemId, seqNumber + 1n);
          const seq = seqNumber.toString();
          const id = randomUUID();
          const type = event.type as EventType;
          const notification: NotificationEntity = {
            id,
            caseSystemId: target.caseSystemId,
            agencyId: target.agencyId,
            seq,
            eventId: event.eventId,
            type,
            childId: event.childId,
            payload: cloudEvent({
              notificationId: id,
              seq,
              type,
              event,
              recipient: { caseSystem: target.caseSystemCode, agency: target.agencyCode },
              data: target.data,
            }),
            receipt: target.receipt as unknown as Record<string, unknown>,
            late: event.facts.late === true,
            createdAt: new Date(),
            escalateAt: MUST_ACKNOWLEDGE.has(type) ? this.escalationTime(new Date()) : null,
            escalatedAt: null,
            escalationOf: null,
            acknowledgedAt: null,
            acknowledgedBySubject: null,
            acknowledgedByName: null,
          };
          created.push(notification);
          deliveries.push(...deliveriesFor(notification, endpoints.get(target.caseSystemId) ?? []));
        }
        if (plan?.caretaking) {
          await this.repository.openCaretakingTask(manager, {
            childId: event.childId,
            placementId: event.subjectId,
            homeAgencyId: plan.caretaking.homeAgencyId,
            hostAgencyId: plan.caretaking.hostAgencyId,
            status: 'OPEN',
            eventId: event.eventId,
            createdAt: new Date(),
          });
        }
        done.push(event.id);
      }
      await this.repository.insertNotifications(manager, created);
      await this.repository.insertDeliveries(manager, deliveries);
      if (done.length > 0) {
        await this.repository.markRouted(manager, done);
        await this.repository.notify(manager, EVENTS_CHANNEL, 'routed');
        await this.announce(manager, created);
      }
      return done.length;
    });
    if (!this.listener) this.live.publish(created);
    return routed;
  }

  private async prepare(
    event: DomainEventEntity,
    agencies: Awaited<ReturnType<AgencyDirectory['agencyRecords']>>,
    batch: BatchCache,
  ): Promise<{ prepared: Prepared[]; caretaking: ReturnType<typeof route>['caretaking'] }> {
    let child = batch.children.get(event.childId);
    if (!child) {
      child = await Promise.all([
        this.repository.involvements(event.childId),
        this.repository.childIdentity(event.childId),
        this.repository.allocatedWorkers(event.childId),
      ]);
      batch.children.set(event.childId, child);
    }
    const [involvements, identity, workers] = child;
    const facts = event.facts;
    const routing = route({
      type: event.type as EventType,
      recordedByAgencyId: event.recordedByAgencyId,
      ownerAgencyId:
        (facts.owningAgencyId as string | undefined) ?? (facts.allocation as { agencyId?: string } | undefined)?.agencyId ?? null,
      placementAreaId: (facts.placement as { areaLocalAuthorityId?: string } | undefined)?.areaLocalAuthorityId ?? null,
      involvements,
      agencies,
    });
    const recordedBy = await this.directory.agency(event.recordedByAgencyId);
    const prepared: Prepared[] = [];
    for (const target of routing.routes) {
      const agency = agencies.find((candidate) => candidate.id === target.agencyId);
      if (!agency) continue;
      // The home YOS hears that caretaking must be arranged with the host YOS (DOMAIN §4.4).
      const caretakingTask =
        routing.caretaking && routing.caretaking.homeAgencyId === agency.id
          ? { hostAgency: (await this.directory.agency(routing.caretaking.hostAgencyId)).code, status: 'OPEN' }
          : undefined;
      for (const caseSystem of await this.directory.caseSystemsOf(agency.id)) {
        let principal = batch.principals.get(caseSystem.id);
        if (!principal) {
          principal = systemPrincipal(caseSystem, agency, event.correlationId);
          batch.principals.set(caseSystem.id, principal);
        }
        const view = await this.views.render(event, principal, identity);
        if (!view) continue;
        prepared.push({
          caseSystemId: caseSystem.id,
          caseSystemCode: caseSystem.code,
          agencyId: agency.id,
          agencyCode: agency.code,
          receipt: view.receipt,
          data: {
            event: {
              type: event.type,
              occurredAt: event.occurredAt.toISOString(),
              recordedBy: { name: event.recordedByName, agency: { code: recordedBy.code, name: recordedBy.name } },
              late: facts.late === true,
              why: target.why,
            },
            audience: audienceOf(workers, agency.id),
            child: view.child,
            [subjectKey(event.subjectKind)]: view.subject,
            ...(caretakingTask ? { caretakingTask } : {}),
          },
        });
      }
    }
    return { prepared, caretaking: routing.caretaking };
  }

  private async queueDeliveries(
    manager: Parameters<NotificationsRepository['activeEndpoints']>[0],
    notification: NotificationEntity,
  ): Promise<void> {
    const endpoints = await this.repository.activeEndpoints(manager, notification.caseSystemId);
    await this.repository.insertDeliveries(manager, deliveriesFor(notification, endpoints));
  }

  private escalationTime(from: Date): Date {
    const minutes = this.config.notifications.escalateAfterMinutes;
    return minutes ? new Date(from.getTime() + minutes * 60_000) : endOfNextWorkingDay(from);
  }

  /** An unacknowledged placement change goes to the team manager's queue (once). */
  async escalate(): Promise<number> {
    const created: NotificationEntity[] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const overdue of await this.repository.overdue(manager, 100)) {
        const seq = await this.repository.nextSeq(manager, overdue.caseSystemId);
        const id = randomUUID();
        const original = overdue.payload as { data?: { audience?: { teamQueue?: string } } };
        const notification: NotificationEntity = {
          ...overdue,
          id,
          seq,
          type: EventType.ACKNOWLEDGEMENT_OVERDUE,
          payload: {
            ...overdue.payload,
            id,
            type: 'uk.tandem.acknowledgement.overdue',
            sequence: seq,
            time: new Date().toISOString(),
            data: {
              escalates: { id: overdue.id, sequence: overdue.seq, type: overdue.type },
              audience: { queue: 'TEAM_MANAGER', team: original.data?.audience?.teamQueue ?? 'FRONT_DOOR' },
              child: { id: overdue.childId },
            },
          },
          receipt: { ...overdue.receipt, disclosed: ['child.id', 'escalates'], withheld: [] },
          late: false,
          createdAt: new Date(),
          escalateAt: null,
          escalatedAt: null,
          escalationOf: overdue.id,
          acknowledgedAt: null,
          acknowledgedBySubject: null,
          acknowledgedByName: null,
        };
        await this.repository.insertNotification(manager, notification);
        await this.repository.markEscalated(manager, overdue.id);
        await this.queueDeliveries(manager, notification);
        created.push(notification);
      }
      await this.announce(manager, created);
    });
    if (!this.listener) this.live.publish(created);
    return created.length;
  }

  /** Delivers to every endpoint with something due; returns how many deliveries were attempted. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    const leaseMs = this.config.notifications.leaseMs;
    // Each endpoint once per pass: a failing one waits for its backoff, the others go on.
    const visited: string[] = [];
    for (let endpoints = 0; endpoints < 50; endpoints += 1) {
      const lease = await this.repository.leaseDueEndpoint(leaseMs, visited);
      if (!lease) break;
      visited.push(lease.endpoint.id);
      try {
        attempted += await this.deliverTo(lease.endpoint, lease.token, leaseMs);
      } finally {
        await this.repository.releaseLease(lease.endpoint.id, lease.token);
      }
    }
    return attempted;
  }

  /** In sequence order; a delivery that fails holds back the ones after it until it succeeds or dies. */
  private async deliverTo(endpoint: WebhookEndpointEntity, token: string, leaseMs: number): Promise<number> {
    let attempted = 0;
    let leasedAt = Date.now();
    for (;;) {
      // The next few in sequence order, with their notifications, in two queries.
      const window = await this.repository.headOfLineWindow(endpoint.id, 50);
      if (window.length === 0) return attempted;
      const notifications = new Map(
        (await this.repository.notificationsByIds(window.map((delivery) => delivery.notificationId))).map((n) => [n.id, n]),
      );
      for (const delivery of window) {
        if (delivery.nextAttemptAt.getTime() > Date.now()) return attempted;
        const notification = notifications.get(delivery.notificationId);
        if (!notification) {
          await this.repository.updateDelivery(delivery.id, { status: 'DEAD', lastError: 'Notification missing' });
          continue;
        }
        attempted += 1;
        const ok = await this.attempt(endpoint, delivery, notification);
        if (!ok) return attempted;
        if (Date.now() - leasedAt > leaseMs / 3) {
          // Stalled past the lease? Another instance has the endpoint now: stop here.
          if (!(await this.repository.renewLease(endpoint.id, token, leaseMs))) return attempted;
          leasedAt = Date.now();
        }
      }
    }
  }

  private async attempt(
    endpoint: WebhookEndpointEntity,
    delivery: WebhookDeliveryEntity,
    notification: NotificationEntity,
  ): Promise<boolean> {
    const settings = this.config.notifications;
    const body = JSON.stringify(notification.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()) {
      secrets.push(endpoint.previousSecret);
    }
    const attempt = delivery.attempts + 1;
    try {
      // Each attempt sends the data, so each is a disclosure; nothing is sent unless its receipt is written.
      await this.disclosure.write([await this.receiptFor(notification, delivery, attempt)]);
    } catch (error) {
      await this.repository.settleDelivery(delivery.id, {
        nextAttemptAt: new Date(Date.now() + settings.retryBaseMs),
        lastError: `Not sent: the disclosure log could not record it (${error instanceof Error ? error.message : String(error)})`,
      });
      return false;
    }
    const result = await postWebhook(
      endpoint.url,
      {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, delivery.id, timestamp, body),
      },
      body,
      {
        allowPrivateNetworks: settings.allowPrivateNetworks,
        allowHttp: settings.allowHttp,
        timeoutMs: settings.webhookTimeoutMs,
      },
    );
    const now = new Date();
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      await this.repository.settleDelivery(delivery.id, {
        status: 'DELIVERED',
        attempts: attempt,
        lastStatus: result.status,
        lastError: null,
        deliveredAt: now,
      });
      if (endpoint.consecutiveGone > 0) await this.repository.updateEndpoint(endpoint.id, { consecutiveGone: 0 });
      return true;
    }
    if (result.status === 410) {
      const gone = endpoint.consecutiveGone + 1;
      endpoint.consecutiveGone = gone;
      await this.repository.updateEndpoint(
        endpoint.id,
        gone >= settings.disableAfterGone
          ? { consecutiveGone: gone, status: 'DISABLED', disabledReason: `The receiver answered 410 Gone ${gone} times in a row` }
          : { consecutiveGone: gone },
      );
    }
    const dead = attempt >= settings.maxAttempts;
    await this.repository.settleDelivery(delivery.id, {
      status: dead ? 'DEAD' : 'PENDING',
      attempts: attempt,
      lastStatus: result.status,
      lastError: result.error ?? `HTTP ${result.status ?? '-'}`,
      nextAttemptAt: dead ? now : new Date(now.getTime() + backoff(attempt, settings.retryBaseMs, settings.retryMaxMs)),
    });
    // A dead delivery no longer holds back the ones after it; the receiver sees the gap and catches up.
    return dead;
  }

  private async receiptFor(
    notification: NotificationEntity,
    delivery: WebhookDeliveryEntity,
    attempt: number,
  ): Promise<ReceiptBody> {
    const caseSystem = await this.directory.caseSystem(notification.caseSystemId);
    const agency = await this.directory.agency(notification.agencyId);
    const principal = systemPrincipal(
      { id: notification.caseSystemId, code: caseSystem.code, name: caseSystem.name },
      { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthority?.id ?? null },
      (notification.payload.tandemeventid as string | undefined) ?? notification.id,
    );
    return deliveryReceipt(principal, notification, {
      channel: 'WEBHOOK',
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt,
    });
  }
}

/** One pending delivery per active endpoint of the recipient that wants this event type. */
function deliveriesFor(notification: NotificationEntity, endpoints: readonly WebhookEndpointEntity[]): WebhookDeliveryEntity[] {
  return endpoints
    .filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(notification.type))
    .map((endpoint) => ({
      id: randomUUID(),
      endpointId: endpoint.id,
      notificationId: notification.id,
      seq: notification.seq,
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: new Date(),
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
      createdAt: new Date(),
    }));
}

/** The receipt of a notification leaving the gateway, by webhook, subscription or catch-up. */
export function deliveryReceipt(
  principal: Parameters<typeof callerPart>[0],
  notification: NotificationEntity,
  via: {
    channel: ReceiptBody['operation']['channel'];
    deliveryId: string | null;
    endpointId: string | null;
    attempt: number | null;
  },
): ReceiptBody {
  const receipt = notification.receipt as unknown as DeliveryReceipt;
  return {
    ...callerPart(principal, new Date()),
    entry: 'DISCLOSURE',
    outcome: 'DISCLOSED',
    operation: { channel: via.channel, name: notification.type, hash: null },
    breakGlass: false,
    afterAllocationEnded: false,
    child: notification.childId,
    record: { kind: receipt.kind, id: receipt.id, version: receipt.version, owningAgencyId: receipt.owningAgencyId },
    disclosed: [...receipt.disclosed],
    withheld: [...receipt.withheld],
    bases: [...receipt.bases],
    delivery: {
      notificationId: notification.id,
      seq: notification.seq,
      deliveryId: via.deliveryId,
      endpointId: via.endpointId,
      attempt: via.attempt,
    },
  };
}

/** Exponential backoff with ±20% jitter, capped: 30 s, 1 min, 2 min … 2 h, about a day over 18 attempts. */
export function backoff(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const plain = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
