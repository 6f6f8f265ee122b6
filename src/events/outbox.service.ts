import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import type { DomainEvent } from 'src/events/domain-event.js';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';

export const EVENTS_CHANNEL = 'tandem_events';
/** Notifications routed on any instance, by id, for every instance's live subscribers. */
export const ROUTED_CHANNEL = 'tandem_routed';

/**
 * Writes domain events through the transaction of the change they describe (transactional outbox):
 * both commit or neither does. Services raise them through `UnitOfWork`; the dispatcher routes
 * them afterwards.
 */
@Injectable()
export class OutboxService {
  async record(manager: EntityManager, principal: Principal, event: DomainEvent): Promise<string> {
    const eventId = randomUUID();
    const row: Omit<DomainEventEntity, 'id'> = {
      eventId,
      type: event.type,
      childId: event.childId,
      subjectKind: event.subjectKind,
      subjectId: event.subjectId,
      subjectVersion: event.subjectVersion,
      facts: event.facts,
      occurredAt: new Date(),
      recordedBySubject: principal.subject,
      recordedByName: principal.name,
      recordedByAgencyId: principal.agency.id,
      correlationId: principal.correlationId,
      routedAt: null,
      dutiesCheckedAt: null,
    };
    await manager.getRepository(DomainEventEntity).insert(row as never);
    // Wakes the dispatchers of every instance when the transaction commits (not before, not if it rolls back).
    await manager.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, 'event']);
    return eventId;
  }
}
