import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';

/**
 * One immutable version of a shared record's content; an update adds a version, never edits one,
 * and so does finalising a draft (a FINAL version with the draft's content).
 */
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

  /**
   * DRAFT (only the owner sees it) or FINAL. The default is FINAL because every version written
   * before drafts existed was shared as soon as it was written.
   */
  @Column({
    type: 'enum',
    enum: RecordVersionStatus,
    enumName: 'record_version_status',
    default: RecordVersionStatus.FINAL,
  })
  status: RecordVersionStatus;

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
