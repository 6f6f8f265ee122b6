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
} from 'typeorm';
import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';

/** One period of a child's legal status; the open episode (no end date) is the current status. */
@Entity()
@Index(['childId', 'startDate'])
@Index('legal_status_episode_one_open', ['childId'], { unique: true, where: '"end_date" IS NULL' })
@Check('legal_status_episode_dates', '"end_date" IS NULL OR "end_date" >= "start_date"')
export class LegalStatusEpisodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: LegalStatusBasis, enumName: 'legal_status_basis' })
  basis: LegalStatusBasis;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /** What caused the change, e.g. "Remanded by Derby Youth Court". */
  @Column({ type: 'text', nullable: true })
  sourceEvent: string | null;

  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_agency_id' })
  recordedByAgency?: Relation<AgencyEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
