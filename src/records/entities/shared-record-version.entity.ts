import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';

/** One immutable version of a shared record's content; an update adds a version, never edits one. */
@Entity()
@Check('shared_record_version_positive', '"version" >= 1')
export class SharedRecordVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  recordId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @ManyToOne(() => SharedRecordEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'record_id' })
  record?: Relation<SharedRecordEntity>;

  /** The typed content of the record kind, validated before it is written. */
  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @Column({ type: 'text' })
  authorSubject: string;

  @Column({ type: 'text' })
  authorName: string;

  @Column({ type: 'uuid' })
  authorAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_agency_id' })
  authorAgency?: Relation<AgencyEntity>;

  /** The case system the version was written through. */
  @Column({ type: 'text' })
  authorCaseSystem: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
