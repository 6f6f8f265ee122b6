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
  VersionColumn,
} from 'typeorm';
import { PlacementStatus, PlacementType } from 'src/vocabulary/children.enums.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';

/**
 * A placement and the change that moved the child into it: planned in advance (PLANNED), then
 * effective (CURRENT), then ENDED by the next change; or a planned move CANCELLED before it took effect.
 */
@Entity()
@Index(['childId', 'createdAt'])
@Index('placement_one_current', ['childId'], { unique: true, where: `"status" = 'CURRENT'` })
@Check('placement_dates', '"end_date" IS NULL OR "effective_date" IS NULL OR "end_date" >= "effective_date"')
// As text: a check may not name an enum value added in the same transaction (the migration adds
// CANCELLED). Renamed from placement_effective_when_current so that the migration replaces it.
@Check('placement_effective_once_made', `"status"::text IN ('PLANNED', 'CANCELLED') OR "effective_date" IS NOT NULL`)
@Check('placement_cancelled_with_reason', `("status"::text = 'CANCELLED') = ("cancellation_reason" IS NOT NULL)`)
export class PlacementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: PlacementStatus, enumName: 'placement_status' })
  status: PlacementStatus;

  @Column({ type: 'enum', enum: PlacementType, enumName: 'placement_type' })
  placementType: PlacementType;

  /** The carer, home or establishment name. */
  @Column({ type: 'text', nullable: true })
  placementName: string | null;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text', nullable: true })
  postcode: string | null;

  /** The local authority area the placement is in, to tell in-borough from out-of-borough moves. */
  @Column({ type: 'uuid' })
  areaLocalAuthorityId: string;

  @ManyToOne(() => LocalAuthorityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_local_authority_id' })
  areaLocalAuthority?: Relation<LocalAuthorityEntity>;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'date', nullable: true })
  plannedDate: string | null;

  @Column({ type: 'date', nullable: true })
  effectiveDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /**
   * Why a planned move was called off; set exactly when the status is CANCELLED. Optional because a
   * placement rebuilt from an event's snapshot does not carry it.
   */
  @Column({ type: 'text', nullable: true })
  cancellationReason?: string | null;

  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_agency_id' })
  recordedByAgency?: Relation<AgencyEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn()
  version: number;
}
