import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A retention run: receipts up to a checkpoint were removed; the chain link at that point stays so
 * the rest of the chain still verifies, and the checkpoints (signed) stay for what was removed.
 */
@Entity()
export class DisclosureRetentionEntity {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ type: 'integer' })
  throughCheckpointId: number;

  @Column({ type: 'bigint' })
  throughSeq: string;

  @Column({ type: 'bytea' })
  boundaryChainHash: Buffer;

  @Column({ type: 'bigint' })
  receiptsRemoved: string;

  @Column({ type: 'timestamptz' })
  cutoff: Date;

  @Column({ type: 'timestamptz' })
  performedAt: Date;
}
