import { Entity, PrimaryColumn } from 'typeorm';

/** Receipts committed but not yet sealed into the chain; the sealer takes them in batches. */
@Entity()
export class DisclosurePendingEntity {
  @PrimaryColumn({ type: 'bigint' })
  receiptId: string;
}
