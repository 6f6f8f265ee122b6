import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { RestrictionKind } from 'src/vocabulary/restriction-kind.js';

/**
 * A restriction on what may be shared about a child: an open police investigation into harmful
 * sexual behaviour (C3), or a contact restriction naming a person or agency (C10).
 */
@Entity()
@Index(['childId', 'kind'])
export class ChildRestrictionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: RestrictionKind, enumName: 'restriction_kind' })
  kind: RestrictionKind;

  /** C10: the user (token subject) the restriction is against, if a person. */
  @Column({ type: 'text', nullable: true })
  restrictedSubject: string | null;

  /** C10: the agency the restriction is against, if an agency. */
  @Column({ type: 'uuid', nullable: true })
  restrictedAgencyId: string | null;

  @Column({ type: 'text' })
  details: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
