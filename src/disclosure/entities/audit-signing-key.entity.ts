import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The public half of each key that has signed checkpoints, for exports (trust comes from outside). */
@Entity()
export class AuditSigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  keyId: string;

  @Column({ type: 'text' })
  publicKeyPem: string;

  @Column({ type: 'timestamptz' })
  firstUsedAt: Date;
}
