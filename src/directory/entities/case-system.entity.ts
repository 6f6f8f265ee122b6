import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';

/** A case-management system an agency connects to Tandem with (e.g. a CSC or YOS case system). */
@Entity()
export class CaseSystemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A short stable code, e.g. "derby-csc-case"; tokens name the calling system by it. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<AgencyEntity>;

  /** The team that answers for the system's webhook receiver (deliveries failing, endpoint disabled). */
  @Column({ type: 'uuid', nullable: true })
  webhookOwnerTeamId: string | null;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'webhook_owner_team_id' })
  webhookOwnerTeam?: Relation<TeamEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
