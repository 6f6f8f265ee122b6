import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';
import { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';

export interface AllocatedWorker {
  readonly subject: string;
  readonly name: string;
  readonly team: string | null;
  readonly agencyId: string;
  readonly role: string;
}

/** Events, notifications, endpoints and deliveries: the only code here that speaks SQL. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async unroutedBatch(limit: number): Promise<DomainEventEntity[]> {
    return this.dataSource
      .getRepository(DomainEventEntity)
      .createQueryBuilder('e')
      .where('e.routed_at IS NULL')
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  events(eventIds: readonly string[]): Promise<DomainEventEntity[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(DomainEventEntity)
      .createQueryBuilder('e')
      .where('e.event_id IN (:...eventIds)', { eventIds })
      .getMany();
  }

  /** Of these events, the ones still unrouted, locked for routing by this transaction. */
  async lockUnrouted(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const rows = await manager.query<{ id: string }[]>(
      'SELECT id FROM domain_event WHERE id = ANY($1::bigint[]) AND routed_at IS NULL FOR UPDATE',
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  async markRouted(manager: EntityManager, ids: readonly string[]): Promise<void> {
    await manager.query('UPDATE domain_event SET routed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async tryRouterLock(manager: EntityManager, key: number): Promise<boolean> {
    const [row] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return row?.locked ?? false;
  }

  involvements(childId: string): Promise<{ agencyId: string; role: InvolvementRole }[]> {
    return this.dataSource.query(
      `SELECT agency_id AS "agencyId", role::text AS role FROM agency_involvement WHERE child_id = $1 AND end_date IS NULL`,
      [childId],
    );
  }

  allocatedWorkers(childId: string): Promise<AllocatedWorker[]> {
    return this.dataSource.query(
      `SELECT p.subject, p.display_name AS name, p.team, p.agency_id AS "agencyId", wa.role::text AS role
       FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
       WHERE wa.child_id = $1 AND wa.end_date IS NULL ORDER BY wa.start_date`,
      [childId],
    );
  }

  async childIdentity(childId: string): Promise<{ givenName: string; familyName: string; dateOfBirth: string } | undefined> {
    const [row] = await this.dataSource.query<{ givenName: string; familyName: string; dateOfBirth: string }[]>(
      `SELECT given_name AS "givenName", family_name AS "familyName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth" FROM child WHERE id = $1`,
      [childId],
    );
    return row;
  }

  /** The next sequence number of a recipient's feed (one counter per case system). */
  async nextSeq(manager: EntityManager, caseSystemId: string): Promise<string> {
    const [row] = await manager.query<{ last_seq: string }[]>(
      `INSERT INTO case_system_feed (case_system_id, last_seq) VALUES ($1, 1)
       ON CONFLICT (case_system_id) DO UPDATE SET last_seq = case_system_feed.last_seq + 1 RETURNING last_seq`,
      [caseSystemId],
    );
    if (!row) throw new Error('No sequence number');
    return row.last_seq;
  }

  /** Reserves `count` sequence numbers for a recipient; returns the last of them. */
  async reserveSeqs(manager: EntityManager, caseSystemId: string, count: number): Promise<string> {
    const [row] = await manager.query<{ last_seq: string }[]>(
      `INSERT INTO case_system_feed (case_system_id, last_seq) VALUES ($1, $2)
       ON CONFLICT (case_system_id) DO UPDATE SET last_seq = case_system_feed.last_seq + $2 RETURNING last_seq`,
      [caseSystemId, count],
    );
    if (!row) throw new Error('No sequence numbers');
    return row.last_seq;
  }

  async insertNotifications(manager: EntityManager, notifications: readonly NotificationEntity[]): Promise<void> {
    for (let index = 0; index < notifications.length; index += 500) {
      await manager.getRepository(NotificationEntity).insert(notifications.slice(index, index + 500) as never);
    }
  }

  async insertNotification(manager: EntityManager, notification: NotificationEntity): Promise<void> {
    await manager.getRepository(NotificationEntity).insert(notification as never);
  }

  activeEndpoints(manager: EntityManager, caseSystemId: string): Promise<WebhookEndpointEntity[]> {
    return manager.getRepository(WebhookEndpointEntity).find({ where: { caseSystemId, status: 'ACTIVE' } });
  }

  async insertDeliveries(manager: EntityManager, deliveries: readonly WebhookDeliveryEntity[]): Promise<void> {
    for (let index = 0; index < deliveries.length; index += 1000) {
      await manager.getRepository(WebhookDeliveryEntity).insert(deliveries.slice(index, index + 1000));
    }
  }

  /**
   * The agencies told of a planned move (any version of it), each with the notice it was told by
   * (the payload's `notice`: who asked, as what), or null when it was told as an involved agency.
   */
  async toldOfPlan(placementId: string): Promise<{ agencyId: string; notice: { from: string; role: InvolvementRole } | null }[]> {
    const rows = await this.dataSource.query<{ agencyId: string; from: string | null; role: InvolvementRole | null }[]>(
      `SELECT DISTINCT n.agency_id AS "agencyId", n.payload #>> '{data,notice,from}' AS "from", n.payload #>> '{data,notice,role}' AS role
       FROM notification n JOIN domain_event e ON e.event_id = n.event_id
       WHERE e.subject_id = $1 AND e.type = $2 AND n.type = $2`,
      [placementId, EventType.PLACEMENT_CHANGE_PLANNED],
    );
    return rows.map((row) => ({
      agencyId: row.agencyId,
      notice: row.from && row.role ? { from: row.from, role: row.role } : null,
    }));
  }

  async notify(manager: EntityManager, channel: string, payload: string): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  notificationsByIds(ids: readonly string[]): Promise<NotificationEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.id IN (:...ids)', { ids })
      .orderBy('n.seq', 'ASC')
      .getMany();
  }

  feed(caseSystemId: string, afterSeq: string, limit: number): Promise<NotificationEntity[]> {
    return this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.case_system_id = :caseSystemId AND n.seq > :afterSeq', { caseSystemId, afterSeq })
      .orderBy('n.seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  notification(id: string): Promise<NotificationEntity | null> {
    return this.dataSource.getRepository(NotificationEntity).findOneBy({ id });
  }

  async acknowledge(id: string, by: { subject: string; name: string }): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH done AS (
         UPDATE notification SET acknowledged_at = now(), acknowledged_by_subject = $2, acknowledged_by_name = $3
         WHERE id = $1 AND acknowledged_at IS NULL RETURNING id
       ) SELECT id FROM done`,
      [id, by.subject, by.name],
    );
    return rows.length > 0;
  }

  /** Unacknowledged notifications past their escalation time, claimed so each escalates once. */
  overdue(manager: EntityManager, limit: number): Promise<NotificationEntity[]> {
    return manager
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.acknowledged_at IS NULL AND n.escalated_at IS NULL AND n.escalate_at <= now()')
      .orderBy('n.escalate_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async markEscalated(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE notification SET escalated_at = now() WHERE id = $1', [id]);
  }

  // Webhook endpoints and deliveries.

  endpoint(id: string): Promise<WebhookEndpointEntity | null> {
    return this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id });
  }

  endpointsOf(caseSystemId: string): Promise<WebhookEndpointEntity[]> {
    return this.dataSource.getRepository(WebhookEndpointEntity).find({ where: { caseSystemId }, order: { createdAt: 'ASC' } });
  }

  async insertEndpoint(endpoint: Omit<WebhookEndpointEntity, 'id'>): Promise<WebhookEndpointEntity> {
    return this.dataSource.getRepository(WebhookEndpointEntity).save(endpoint as WebhookEndpointEntity);
  }

  async updateEndpoint(id: string, patch: Partial<WebhookEndpointEntity>): Promise<void> {
    await this.dataSource.getRepository(WebhookEndpointEntity).update({ id }, patch);
  }

  /** Leases one endpoint with deliveries due, so one instance at a time delivers to it, in order. */
  async leaseDueEndpoint(
    leaseMs: number,
    skip: readonly string[] = [],
  ): Promise<{ endpoint: WebhookEndpointEntity; token: string } | undefined> {
    const rows = await this.dataSource.query<{ id: string; lease_token: string }[]>(
      `WITH due AS (
         SELECT e.id FROM webhook_endpoint e
         WHERE e.status = 'ACTIVE' AND (e.lease_until IS NULL OR e.lease_until < now()) AND e.id <> ALL($2::uuid[])
           AND EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.status = 'PENDING' AND d.next_attempt_at <= now())
         ORDER BY e.id LIMIT 1 FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE webhook_endpoint SET lease_until = now() + make_interval(secs => $1::double precision / 1000), lease_token = gen_random_uuid()
         WHERE id IN (SELECT id FROM due) RETURNING id, lease_token
       ) SELECT id, lease_token FROM leased`,
      [leaseMs, skip],
    );
    const [row] = rows as { id: string; lease_token: string }[];
    const endpoint = row ? await this.endpoint(row.id) : null;
    return row && endpoint ? { endpoint, token: row.lease_token } : undefined;
  }

  /** Extends the lease if this holder still has it; false when another instance took it over. */
  async renewLease(endpointId: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH renewed AS (
         UPDATE webhook_endpoint SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
         WHERE id = $1 AND lease_token = $2 AND lease_until > now() RETURNING id
       ) SELECT id FROM renewed`,
      [endpointId, token, leaseMs],
    );
    return rows.length > 0;
  }

  async releaseLease(endpointId: string, token: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE webhook_endpoint SET lease_until = NULL, lease_token = NULL WHERE id = $1 AND lease_token = $2',
      [endpointId, token],
    );
  }

  /** Records an attempt's outcome unless the delivery was settled meanwhile (by an instance that took over). */
  async settleDelivery(id: string, patch: Partial<WebhookDeliveryEntity>): Promise<void> {
    await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder()
      .update()
      .set(patch)
      .where(`id = :id AND status = 'PENDING'`, { id })
      .execute();
  }

  /** The endpoint's lowest pending deliveries, in sequence order: later ones wait for earlier ones. */
  headOfLineWindow(endpointId: string, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where(`d.endpoint_id = :endpointId AND d.status = 'PENDING'`, { endpointId })
      .orderBy('d.seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Enables an endpoint where it stopped: it gets a delivery of each notification of its case
   * system routed while it was disabled (those of the types it takes), and its pending ones are due
   * at once. In one transaction holding its case system's feed row, which routing and escalation
   * take before they read the active endpoints: a notification routed meanwhile gets its delivery
   * from one side or the other, never from neither or both.
   */
  async enableEndpoint(endpointId: string, caseSystemId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO case_system_feed (case_system_id, last_seq) VALUES ($1, 0) ON CONFLICT (case_system_id) DO NOTHING`,
        [caseSystemId],
      );
      await manager.query('SELECT 1 FROM case_system_feed WHERE case_system_id = $1 FOR UPDATE', [caseSystemId]);
      await manager.query(
        `UPDATE webhook_endpoint SET status = 'ACTIVE', disabled_reason = NULL, consecutive_gone = 0 WHERE id = $1`,
        [endpointId],
      );
      await manager.query(
        `INSERT INTO webhook_delivery (id, endpoint_id, notification_id, seq, status, attempts, next_attempt_at, created_at)
         SELECT gen_random_uuid(), e.id, n.id, n.seq, 'PENDING', 0, now(), now()
           FROM webhook_endpoint e JOIN notification n ON n.case_system_id = e.case_system_id
          WHERE e.id = $1 AND n.created_at >= e.created_at
            AND n.seq > coalesce((SELECT max(d.seq) FROM webhook_delivery d WHERE d.endpoint_id = e.id), 0)
            AND (cardinality(e.event_types) = 0 OR n.type = ANY(e.event_types))`,
        [endpointId],
      );
      await manager.query(`UPDATE webhook_delivery SET next_attempt_at = now() WHERE endpoint_id = $1 AND status = 'PENDING'`, [
        endpointId,
      ]);
    });
  }

  async updateDelivery(id: string, patch: Partial<WebhookDeliveryEntity>): Promise<void> {
    await this.dataSource.getRepository(WebhookDeliveryEntity).update({ id }, patch);
  }

  delivery(id: string): Promise<WebhookDeliveryEntity | null> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).findOneBy({ id });
  }

  deliveriesOf(endpointId: string, status: string | undefined, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).find({
      where: status ? { endpointId, status } : { endpointId },
      order: { seq: 'DESC' },
      take: limit,
    });
  }
}
