import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A receipt's place in the hash chain, or a compact response's (its receipts together): its
 * sequence number, leaf hash and chain link. Append-only.
 */
@Entity()
// Each index holds only the seals of its form: a B-tree keeps NULLs, a byte-heavy nothing per seal.
@Index('disclosure_seal_receipt_idx', ['receiptId'], { unique: true, where: 'receipt_id IS NOT NULL' })
@Index('disclosure_seal_response_idx', ['responseId'], { unique: true, where: 'response_id IS NOT NULL' })
@Check(
  'disclosure_seal_one_entry',
  '(receipt_id IS NULL) <> (response_id IS NULL) AND (response_id IS NULL) = (response_recorded_at IS NULL)',
)
export class DisclosureSealEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bigint', nullable: true })
  receiptId: string | null;

  /** A compact response, with its month (the partition it is in). */
  @Column({ type: 'bigint', nullable: true })
  responseId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  responseRecordedAt: Date | null;

  @Column({ type: 'integer' })
  checkpointId: number;

  @Column({ type: 'bytea' })
  leafHash: Buffer;

  @Column({ type: 'bytea' })
  chainHash: Buffer;
}
