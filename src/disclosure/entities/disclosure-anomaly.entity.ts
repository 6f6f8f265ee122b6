import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Something in the log an auditor should look at; `key` makes detection idempotent. */
@Entity()
@Index('disclosure_anomaly_detected_idx', ['detectedAt'])
export class DisclosureAnomalyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** BREAK_GLASS, AFTER_ALLOCATION_ENDED, OUT_OF_HOURS_BULK or MANY_CHILDREN. */
  @Column({ type: 'varchar', length: 30 })
  kind: string;

  @Index('disclosure_anomaly_key_idx', { unique: true })
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  userSubject: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'uuid', nullable: true })
  childId: string | null;

  @Column({ type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'timestamptz' })
  windowEnd: Date;

  /** Receipts (or distinct children, for MANY_CHILDREN) behind the flag. */
  @Column({ type: 'integer' })
  count: number;

  @Column({ type: 'bigint' })
  firstReceiptId: string;

  @Column({ type: 'timestamptz' })
  detectedAt: Date;
}
