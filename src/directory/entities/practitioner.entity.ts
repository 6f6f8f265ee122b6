import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';

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

  /** The directory team, whose duty contact other agencies see beside the practitioner's own. */
  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  directoryTeam?: Relation<TeamEntity>;

  /** Work contact details, for practitioners of other agencies who share a child. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
