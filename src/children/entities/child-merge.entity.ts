import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The rows one merge moved from the merged child to the survivor, by table, so an unmerge moves exactly those back. */
export type MovedRows = Readonly<Record<string, readonly string[]>>;

/**
 * One merge of a duplicate child into the surviving one. Receipts are append-only and keep the
 * merged id: the auditors' subject access report for the survivor reads the merged ids from here.
 * An unmerge sets `undoneAt`; the row stays, as the history of what was joined and parted.
 */
@Entity()
@Index(['survivorId'])
@Index('child_merge_one_active', ['mergedId'], { unique: true, where: '"undone_at" IS NULL' })
export class ChildMergeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  survivorId: string;

  @Column({ type: 'uuid' })
  mergedId: string;

  /** Ids of the rows moved, per table (placement, shared_record, …). */
  @Column({ type: 'jsonb' })
  moved: MovedRows;

  /** Who merged (token subject and name) and their agency. */
  @Column({ type: 'text' })
  mergedBy: string;

  @Column({ type: 'text' })
  mergedByName: string;

  @Column({ type: 'uuid' })
  mergedByAgencyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  mergedAt: Date;

  /** The last moment an unmerge is allowed (MERGE_UNDO_DAYS after the merge). */
  @Column({ type: 'timestamptz' })
  undoBefore: Date;

  @Column({ type: 'timestamptz', nullable: true })
  undoneAt: Date | null;

  @Column({ type: 'text', nullable: true })
  undoneBy: string | null;
}
