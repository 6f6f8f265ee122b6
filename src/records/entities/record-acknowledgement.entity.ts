import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The other agency's acknowledgement of, or comment on, a version of a record it may not edit. */
@Entity()
@Index(['recordId', 'createdAt'])
export class RecordAcknowledgementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  recordId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
