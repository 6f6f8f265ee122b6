import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The audit trail of responsibility-policy changes: which version was loaded, from what, by whom, when. */
@Entity()
export class ResponsibilityPolicyChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  policyId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  checksum: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  actor: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
