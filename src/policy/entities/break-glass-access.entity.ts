import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An emergency (break-glass) read of a child outside the caller's relationships, flagged for audit. */
@Entity()
@Index(['childId', 'subject', 'expiresAt'])
@Index(['subject', 'grantedAt'])
export class BreakGlassAccessEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'text' })
  justification: string;

  /** The EmergencyReason given (X-Access-Reason); null on grants made before reasons were required. */
  @Column({ type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ type: 'timestamptz' })
  grantedAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
