import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { type EventType, MUST_ACKNOWLEDGE } from 'src/events/event-type.js';
import { EVENTS_CHANNEL } from 'src/events/outbox.service.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import type { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import { cloudEvent } from 'src/notifications/notification-builder.js';
import { escalationDeadline } from 'src/notifications/notification-escalation.service.js';
import { NotificationListener } from 'src/notifications/notification-listener.service.js';
import {
  type BatchCache,
  NotificationPlanner,
  type Plan,
  type Prepared,
} from 'src/notifications/notification-planner.service.js';
import { NoticeReferrals, referralKey } from 'src/notifications/notice-referrals.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { deliveriesFor } from 'src/notifications/webhooks/webhook-delivery.service.js';

/** Shared by every instance: one router at a time assigns sequence numbers. */
const ROUTER_LOCK_KEY = 7_284_117_205;
const ROUTE_BATCH = 100;

/**
 * Turns committed domain events into notifications: the planner decides the recipients and renders
 * each recipient's view outside any transaction; then in one short transaction under an advisory
 * lock this opens the referrals protocol notices ask, assigns each recipient's sequence numbers,
 * writes the notifications and their webhook deliveries, marks the events routed and announces them.
 */
@Injectable()
export class NotificationRouter {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(NotificationPlanner) private readonly planner: NotificationPlanner,
    @Inject(NoticeReferrals) private readonly noticeReferrals: NoticeReferrals,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(NotificationListener) private readonly listener: NotificationListener,
  ) {}

  /** Routes one batch of committed events in order; returns how many were routed here. */
  async routeBatch(): Promise<number> {
    const events = await this.repository.unroutedBatch(ROUTE_BATCH);
    if (events.length === 0) return 0;
    // Each recipient's view is decided outside the transaction (the policy reads through the pool).
    const plans = new Map<string, Plan>();
    // One principal per recipient and one read per child for the whole batch, so the policy's
    // per-request caches and batches serve every event of it.
    const batch: BatchCache = {
      agencies: await this.directory.agencyRecords(),
      principals: new Map(),
      children: new Map(),
      told: new Map(),
    };
    for (const event of events) plans.set(event.id, await this.planner.plan(event, batch));
    const created: NotificationEntity[] = [];
    const routed = await this.dataSource.transaction(async (manager) => {
      if (!(await this.repository.tryRouterLock(manager, ROUTER_LOCK_KEY))) return 0;
      const open = await this.repository.lockUnrouted(
        manager,
        events.map((event) => event.id),
      );
      const { nextSeq, endpoints } = await this.reserve(manager, events, open, plans);
      const done: string[] = [];
      const deliveries: WebhookDeliveryEntity[] = [];
      for (const event of events) {
        if (!open.has(event.id)) continue;
        const plan = plans.get(event.id);
        const referralIds = await this.openReferrals(manager, plan);
        for (const target of plan?.prepared ?? []) {
          const seqNumber = nextSeq.get(target.caseSystemId) ?? 1n;
          nextSeq.set(target.caseSystemId, seqNumber + 1n);
          const notification = this.notification(event, withReferral(target, referralIds), seqNumber.toString());
          created.push(notification);
          deliveries.push(...deliveriesFor(notification, endpoints.get(target.caseSystemId) ?? []));
        }
        done.push(event.id);
      }
      await this.repository.insertNotifications(manager, created);
      await this.repository.insertDeliveries(manager, deliveries);
      if (done.length > 0) {
        await this.repository.markRouted(manager, done);
        await this.repository.notify(manager, EVENTS_CHANNEL, 'routed');
        await this.listener.announce(manager, created);
      }
      return done.length;
    });
    this.listener.publishUnheard(created);
    return routed;
  }

  /**
   * Sequence numbers for the whole batch, one counter update per recipient (the first number of
   * each recipient's run), with each recipient's active endpoints.
   */
  private async reserve(
    manager: EntityManager,
    events: readonly DomainEventEntity[],
    open: ReadonlySet<string>,
    plans: ReadonlyMap<string, Plan>,
  ): Promise<{ nextSeq: Map<string, bigint>; endpoints: Map<string, WebhookEndpointEntity[]> }> {
    const counts = new Map<string, number>();
    for (const event of events) {
      if (!open.has(event.id)) continue;
      for (const target of plans.get(event.id)?.prepared ?? []) {
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
    return { nextSeq, endpoints };
  }

  private notification(event: DomainEventEntity, target: Prepared, seq: string): NotificationEntity {
    const id = randomUUID();
    const type = event.type as EventType;
    return {
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
      receipt: target.receipt,
      late: event.facts.late === true,
      createdAt: new Date(),
      escalateAt: MUST_ACKNOWLEDGE.has(type)
        ? escalationDeadline(new Date(), this.config.notifications.escalateAfterMinutes)
        : null,
      escalatedAt: null,
      escalationOf: null,
      acknowledgedAt: null,
      acknowledgedBySubject: null,
      acknowledgedByName: null,
    };
  }

  /**
   * Opens the referrals the event's notices ask (reusing one already pending), in the routing
   * transaction, and finds the pending referral each other notice names: by key, the id to name.
   */
  private async openReferrals(manager: EntityManager, plan: Plan | undefined): Promise<Map<string, string | null>> {
    const ids = new Map<string, string | null>();
    for (const referral of plan?.referrals ?? []) {
      if (!ids.has(referralKey(referral))) ids.set(referralKey(referral), await this.noticeReferrals.open(manager, referral));
    }
    for (const target of plan?.prepared ?? []) {
      if (target.referral && !ids.has(referralKey(target.referral))) {
        ids.set(referralKey(target.referral), await this.noticeReferrals.pending(manager, target.referral));
      }
    }
    return ids;
  }
}

/** The prepared notification naming the referral its notice asks (or, for the home YOS, the caretaking it asks). */
function withReferral(target: Prepared, ids: ReadonlyMap<string, string | null>): Prepared {
  if (!target.referral) return target;
  const referralId = ids.get(referralKey(target.referral)) ?? null;
  const data = { ...target.data };
  for (const key of ['notice', 'caretaking']) {
    const block = data[key];
    if (block && typeof block === 'object') data[key] = { ...block, referralId };
  }
  return { ...target, data };
}
