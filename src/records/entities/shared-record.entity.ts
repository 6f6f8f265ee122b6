import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

/** A shared assessment or plan about one child, owned by one agency; its content lives in versions. */
@Entity()
@Check('shared_record_withdrawal_complete', '("withdrawn_at" IS NULL) = ("withdrawal_reason" IS NULL)')
@Index(['childId', 'updatedAt', 'id'])
@Index(['childId', 'kind'])
export class SharedRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: RecordKind, enumName: 'record_kind' })
  kind: RecordKind;

  @Column({ type: 'uuid' })
  owningAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owning_agency_id' })
  owningAgency?: Relation<AgencyEntity>;

  /** The latest version number; an update must name it (optimistic concurrency). */
  @Column({ type: 'integer' })
  currentVersion: number;

  /** C1: a court order allowing court-proceedings material to leave CSC. */
  @Column({ type: 'text', nullable: true })
  courtOrderReference: string | null;

  /** C1: recorded specific consent to disclose court-proceedings material. */
  @Column({ type: 'text', nullable: true })
  consentReference: string | null;

  /** C2: the third party's permission to disclose what they supplied. */
  @Column({ type: 'text', nullable: true })
  thirdPartyPermissionReference: string | null;

  /** The disclosure_permission rows behind the three references above (the latest of each kind). */
  @Column({ type: 'uuid', nullable: true })
  courtOrderPermissionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  consentPermissionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  thirdPartyPermissionId: string | null;

  /** When the owner withdrew the record (it stays readable, marked withdrawn); null while it stands. */
  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  /** Why it was withdrawn: set exactly when withdrawnAt is. */
  @Column({ type: 'text', nullable: true })
  withdrawalReason: string | null;

  @Column({ type: 'text', nullable: true })
  withdrawnByName: string | null;

  @Column({ type: 'uuid', nullable: true })
  withdrawnByAgencyId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /**
   * When the record last changed as other agencies see it: its latest FINAL version, or its
   * withdrawal. Set by the database (a trigger), never by a save: a draft does not move it, so
   * another agency's list order and cursors do not show when the owner saved one.
   */
  @Column({ type: 'timestamptz', nullable: true, insert: false, update: false })
  sharedAt: Date | null;
}
