import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DeliveryReceipt } from 'src/notifications/recipient-view.service.js';

/**
 * One event as one recipient case system receives it: its place in that recipient's sequence,
 * the CloudEvent filtered by the recipient's policy, what the receipt of each delivery must say,
 * and whether a person has acknowledged it.
 */
@Entity()
@Index('notification_feed_idx', ['caseSystemId', 'seq'], { unique: true })
@Index('notification_escalation_idx', ['escalateAt'], { where: 'acknowledged_at IS NULL AND escalated_at IS NULL' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  caseSystemId: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'uuid' })
  childId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** What each delivery's disclosure receipt says: the thing, fields disclosed and withheld, bases. */
  @Column({ type: 'jsonb' })
  receipt: DeliveryReceipt;

  @Column({ type: 'boolean', default: false })
  late: boolean;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** When an unacknowledged notification escalates to the team manager's queue; null: never. */
  @Column({ type: 'timestamptz', nullable: true })
  escalateAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  /** For an escalation: the notification it escalates. */
  @Column({ type: 'uuid', nullable: true })
  escalationOf: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  acknowledgedBySubject: string | null;

  @Column({ type: 'text', nullable: true })
  acknowledgedByName: string | null;
}
