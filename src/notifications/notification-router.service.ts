import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType, MUST_ACKNOWLEDGE } from 'src/events/event-type.js';
import { EVENTS_CHANNEL } from 'src/events/outbox.service.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import type { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import { audienceOf, cloudEvent, subjectKey } from 'src/notifications/notification-builder.js';
import { escalationDeadline } from 'src/notifications/notification-escalation.service.js';
import { NotificationListener } from 'src/notifications/notification-listener.service.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { type DeliveryReceipt, RecipientViews, systemPrincipal } from 'src/notifications/recipient-view.service.js';
import { route } from 'src/notifications/routing.js';
import { deliveriesFor } from 'src/notifications/webhooks/webhook-delivery.service.js';

/** Shared by every instance: one router at a time assigns sequence numbers. */
const ROUTER_LOCK_KEY = 7_284_117_205;
const ROUTE_BATCH = 100;

/** Reads shared by every event of a batch, so the policy's per-request caches serve all of them. */
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

/** One recipient case system's notification of an event, rendered before the transaction. */
interface Prepared {
  readonly caseSystemId: string;
  readonly caseSystemCode: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly data: Record<string, unknown>;
  readonly receipt: DeliveryReceipt;
}

interface Plan {
  readonly prepared: Prepared[];
  readonly caretaking: ReturnType<typeof route>['caretaking'];
}

/**
 * Turns committed domain events into notifications: decides the recipients (`routing.ts`),
 * renders each recipient's view with its own policy outside any transaction, then in one short
 * transaction under an advisory lock assigns each recipient's sequence numbers, writes the
 * notifications and their webhook deliveries, marks the events routed and announces them.
 */
@Injectable()
export class NotificationRouter {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(NotificationListener) private readonly listener: NotificationListener,
  ) {}

  /** Routes one batch of committed events in order; returns how many were routed here. */
  async routeBatch(): Promise<number> {
    const events = await this.repository.unroutedBatch(ROUTE_BATCH);
    if (events.length === 0) return 0;
    // Each recipient's view is decided outside the transaction (the policy reads through the pool).
    const plans = new Map<string, Plan>();
    const agencies = await this.directory.agencyRecords();
    // One principal per recipient and one read per child for the whole batch, so the policy's
    // per-request caches and batches serve every event of it.
    const batch: BatchCache = { principals: new Map(), children: new Map() };
    for (const event of events) plans.set(event.id, await this.prepare(event, agencies, batch));
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
        for (const target of plan?.prepared ?? []) {
          const seqNumber = nextSeq.get(target.caseSystemId) ?? 1n;
          nextSeq.set(target.caseSystemId, seqNumber + 1n);
          const notification = this.notification(event, target, seqNumber.toString());
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

  /** Who must hear of the event and what each recipient case system may see of it. */
  private async prepare(
    event: DomainEventEntity,
    agencies: Awaited<ReturnType<AgencyDirectory['agencyRecords']>>,
    batch: BatchCache,
  ): Promise<Plan> {
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
}
