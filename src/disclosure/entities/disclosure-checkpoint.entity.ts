import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed checkpoint over one sealed batch: the RFC 6962 Merkle root of its leaves, the chain head
 * after it and the previous checkpoint's hash. `statement` is the canonical bytes signed (Ed25519).
 * Append-only; never removed by retention.
 */
@Entity()
export class DisclosureCheckpointEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'bigint' })
  firstSeq: string;

  @Column({ type: 'bigint' })
  lastSeq: string;

  @Column({ type: 'bytea' })
  merkleRoot: Buffer;

  @Column({ type: 'bytea' })
  chainHead: Buffer;

  @Column({ type: 'timestamptz' })
  signedAt: Date;

  @Column({ type: 'varchar', length: 64 })
  keyId: string;

  @Column({ type: 'bytea' })
  statement: Buffer;

  @Column({ type: 'bytea' })
  signature: Buffer;
}
