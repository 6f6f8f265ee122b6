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
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';

/** An agency's part in a child's case (home or host YOS, CSC, leaving care, secure estate). */
@Entity()
@Index(['agencyId', 'childId'])
@Index('agency_involvement_one_open_per_role', ['childId', 'agencyId', 'role'], {
  unique: true,
  where: '"end_date" IS NULL',
})
@Check('agency_involvement_dates', '"end_date" IS NULL OR "end_date" >= "start_date"')
export class AgencyInvolvementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  @Column({ type: 'enum', enum: InvolvementRole, enumName: 'involvement_role' })
  role: InvolvementRole;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
