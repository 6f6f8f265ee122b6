import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';

/** A team of an agency (a front door, an emergency duty team, a case team) and its duty contact. */
@Entity()
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A short stable code, e.g. "hammersmith-fulham-icat"; directory files refer to the team by it. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  @Column({ type: 'text' })
  name: string;

  /** The team's duty line, for practitioners of other agencies; null until the authority supplies it. */
  @Column({ type: 'text', nullable: true })
  dutyPhone: string | null;

  @Column({ type: 'text', nullable: true })
  dutyEmail: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
