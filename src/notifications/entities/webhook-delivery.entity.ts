import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One notification's delivery to one endpoint. Its id is the `webhook-id`, the same on every retry,
 * so a receiver can drop duplicates.
 */
@Entity()
@Index('webhook_delivery_endpoint_idx', ['endpointId', 'seq'], { unique: true })
@Index('webhook_delivery_due_idx', ['endpointId', 'nextAttemptAt'], { where: `status = 'PENDING'` })
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  endpointId: string;

  @Column({ type: 'uuid' })
  notificationId: string;

  /** The notification's sequence number in its recipient's feed. */
  @Column({ type: 'bigint' })
  seq: string;

  /** PENDING, DELIVERED or DEAD (after the last retry; redeliver to try again). */
  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
