import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox: a domain event written in the same transaction as the change it
 * describes, with a snapshot of what changed (`facts`), so that routing and each recipient's view
 * are decided later from exactly what was committed.
 */
@Entity()
@Index('domain_event_unrouted_idx', ['id'], { where: 'routed_at IS NULL' })
@Index('domain_event_child_idx', ['childId', 'id'])
@Index('domain_event_duties_unchecked_idx', ['id'], { where: 'duties_checked_at IS NULL' })
export class DomainEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Index('domain_event_event_id_idx', { unique: true })
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'uuid' })
  childId: string;

  /** PLACEMENT, LEGAL_STATUS, ALLOCATION or a record kind. */
  @Column({ type: 'varchar', length: 40 })
  subjectKind: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'integer', nullable: true })
  subjectVersion: number | null;

  @Column({ type: 'jsonb' })
  facts: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 200 })
  recordedBySubject: string;

  @Column({ type: 'text' })
  recordedByName: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @Column({ type: 'varchar', length: 100 })
  correlationId: string;

  @Column({ type: 'timestamptz', nullable: true })
  routedAt: Date | null;

  /** When the duties engine read it (opened, satisfied or cancelled what it should); null until then. */
  @Column({ type: 'timestamptz', nullable: true })
  dutiesCheckedAt: Date | null;
}
