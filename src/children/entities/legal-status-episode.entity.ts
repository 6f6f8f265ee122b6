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
import { CourtOutcome, LegalDimension, LegalStatusBasis, YroRequirement } from 'src/vocabulary/children.enums.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';

/**
 * One period of a child's legal status in one dimension (care or justice); the open episode of each
 * dimension (no end date) is the current status in it. Justice episodes recorded from a court
 * outcome carry what the protocols' notices carry (001 §6.2–6.5, §7.5).
 */
@Entity()
@Index(['childId', 'startDate'])
@Index('legal_status_episode_one_open', ['childId', 'dimension'], { unique: true, where: '"end_date" IS NULL' })
@Check('legal_status_episode_dates', '"end_date" IS NULL OR "end_date" >= "start_date"')
export class LegalStatusEpisodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: LegalDimension, enumName: 'legal_dimension' })
  dimension: LegalDimension;

  @Column({ type: 'enum', enum: LegalStatusBasis, enumName: 'legal_status_basis' })
  basis: LegalStatusBasis;

  /** The court outcome that opened a justice episode; null for care episodes. */
  @Column({ type: 'enum', enum: CourtOutcome, enumName: 'court_outcome', nullable: true })
  outcome: CourtOutcome | null;

  @Column({ type: 'text', nullable: true })
  court: string | null;

  @Column({ type: 'date', nullable: true })
  hearingDate: string | null;

  @Column({ type: 'date', nullable: true })
  nextHearingDate: string | null;

  /** Remand or bail conditions, as the court set them. */
  @Column({ type: 'text', nullable: true })
  conditions: string | null;

  /** The secure establishment (remand to YDA, custody). */
  @Column({ type: 'uuid', nullable: true })
  placeOfDetentionAgencyId: string | null;

  @Column({ type: 'date', nullable: true })
  expectedReleaseDate: string | null;

  @Column({ type: 'enum', enum: YroRequirement, enumName: 'yro_requirement', array: true, default: () => "'{}'" })
  requirements: YroRequirement[];

  @Column({ type: 'text', nullable: true })
  assetPlusReference: string | null;

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
