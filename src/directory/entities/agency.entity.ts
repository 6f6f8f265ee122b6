import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';

@Entity()
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A short stable code, e.g. "derby-yos"; tokens name the caller's agency by it. */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: AgencyKind, enumName: 'agency_kind' })
  kind: AgencyKind;

  /** Null for agencies that serve no single authority (the secure estate). */
  @Column({ type: 'uuid', nullable: true })
  localAuthorityId: string | null;

  @ManyToOne(() => LocalAuthorityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'local_authority_id' })
  localAuthority?: Relation<LocalAuthorityEntity>;

  /** The team that receives contacts, referrals and notices when nobody is allocated (CSCT, ICAT). */
  @Column({ type: 'uuid', nullable: true })
  frontDoorTeamId: string | null;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'front_door_team_id' })
  frontDoorTeam?: Relation<TeamEntity>;

  /** The team that answers outside office hours (an Emergency Duty Team). */
  @Column({ type: 'uuid', nullable: true })
  outOfHoursTeamId: string | null;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'out_of_hours_team_id' })
  outOfHoursTeam?: Relation<TeamEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
