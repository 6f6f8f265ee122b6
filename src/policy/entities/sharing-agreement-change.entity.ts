import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The audit trail of agreement changes: which version was loaded, from what, by whom, when. */
@Entity()
export class SharingAgreementChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  agreementId: string;

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
