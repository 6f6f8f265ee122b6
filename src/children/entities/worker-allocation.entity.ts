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
import { AllocationRole } from 'src/vocabulary/children.enums.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';

/** A practitioner allocated to a child in a role, from a start date until an end date. */
@Entity()
@Index(['childId'])
@Index(['practitionerId'])
@Index('worker_allocation_one_open_per_role', ['childId', 'practitionerId', 'role'], {
  unique: true,
  where: '"end_date" IS NULL',
})
@Check('worker_allocation_dates', '"end_date" IS NULL OR "end_date" >= "start_date"')
export class WorkerAllocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'uuid' })
  practitionerId: string;

  @ManyToOne(() => PractitionerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'practitioner_id' })
  practitioner?: Relation<PractitionerEntity>;

  /** The practitioner's agency at the time of allocation. */
  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  @Column({ type: 'enum', enum: AllocationRole, enumName: 'allocation_role' })
  role: AllocationRole;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
