import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { endOfNextWorkingDay } from 'src/common/time/working-days.js';
import { EventType } from 'src/events/event-type.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { NotificationListener } from 'src/notifications/notification-listener.service.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { deliveriesFor } from 'src/notifications/webhooks/webhook-delivery.service.js';

const ESCALATION_BATCH = 100;

/** When an unacknowledged notification escalates: after the configured minutes, else at the end of the next working day. */
export function escalationDeadline(from: Date, afterMinutes: number | undefined): Date {
  return afterMinutes ? new Date(from.getTime() + afterMinutes * 60_000) : endOfNextWorkingDay(from).dueAt;
}

/**
 * Unacknowledged notifications past their deadline escalate to the team manager's queue, once:
 * each escalation is a notification of its own, next in the recipient's sequence, delivered like
 * any other.
 */
@Injectable()
export class NotificationEscalation {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(NotificationListener) private readonly listener: NotificationListener,
  ) {}

  /** Escalates one batch of overdue notifications; returns how many escalated. */
  async escalate(): Promise<number> {
    const created: NotificationEntity[] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const overdue of await this.repository.overdue(manager, ESCALATION_BATCH)) {
        const notification = await this.escalation(manager, overdue);
        await this.repository.insertNotification(manager, notification);
        await this.repository.markEscalated(manager, overdue.id);
        const endpoints = await this.repository.activeEndpoints(manager, notification.caseSystemId);
        await this.repository.insertDeliveries(manager, deliveriesFor(notification, endpoints));
        created.push(notification);
      }
      await this.listener.announce(manager, created);
    });
    this.listener.publishUnheard(created);
    return created.length;
  }

  private async escalation(manager: EntityManager, overdue: NotificationEntity): Promise<NotificationEntity> {
    const seq = await this.repository.nextSeq(manager, overdue.caseSystemId);
    const id = randomUUID();
    const original = overdue.payload as { data?: { audience?: { teamQueue?: string }; notice?: unknown } };
    return {
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
          // A notice's clause, so the receiving team's manager, not yet involved, may see the escalation too.
          ...(original.data?.notice ? { notice: original.data.notice } : {}),
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
  }
}
