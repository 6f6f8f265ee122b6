import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A receipt's place in the hash chain: its sequence number, leaf hash and chain link. Append-only. */
@Entity()
@Index('disclosure_seal_receipt_idx', ['receiptId'], { unique: true })
export class DisclosureSealEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bigint' })
  receiptId: string;

  @Column({ type: 'integer' })
  checkpointId: number;

  @Column({ type: 'bytea' })
  leafHash: Buffer;

  @Column({ type: 'bytea' })
  chainHash: Buffer;
}
