import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How far the incremental anomaly scan has read the sealed log: every receipt up to `lastSeq` in
 * the chain has been examined exactly once. One row; moved in the transaction that records what
 * the scan found, so a pass that fails leaves it where it was.
 */
@Entity('anomaly_scan_state')
@Check('anomaly_scan_state_one_row', '"id" = 1')
export class AnomalyScanStateEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'bigint' })
  lastSeq: string;

  @Column({ type: 'timestamptz' })
  scannedAt: Date;
}

/**
 * Running counts behind the windowed anomalies: receipts read out of hours per user and hour
 * (OUT_OF_HOURS_BULK), distinct children per user and window (MANY_CHILDREN). Kept for a day past
 * their window (the scan prunes them), so a flag is raised the moment a count passes its threshold.
 */
@Entity('anomaly_bucket')
@Index('anomaly_bucket_start_idx', ['bucketStart'])
export class AnomalyBucketEntity {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  kind: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  userSubject: string;

  @PrimaryColumn({ type: 'timestamptz' })
  bucketStart: Date;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'integer' })
  count: number;

  @Column({ type: 'bigint' })
  firstReceiptId: string;
}

/** The children each user read in each many-children window (so each is counted once). */
@Entity('anomaly_bucket_child')
@Index('anomaly_bucket_child_start_idx', ['bucketStart'])
export class AnomalyBucketChildEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  userSubject: string;

  @PrimaryColumn({ type: 'timestamptz' })
  bucketStart: Date;

  @PrimaryColumn({ type: 'uuid' })
  childId: string;
}
