import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';

/** A person who works for an agency and can be allocated to children; `subject` is their token subject. */
@Entity()
@Index(['agencyId', 'team'])
export class PractitionerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  subject: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  /** The team within the agency, for team managers' oversight. */
  @Column({ type: 'text', nullable: true })
  team: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
