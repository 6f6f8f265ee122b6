import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { ReferralStatus } from 'src/vocabulary/referral-status.js';

/**
 * One agency asking another to become involved with a child, under a sharing agreement's referral
 * clause. Only the receiving agency can make itself involved, by accepting.
 */
@Entity()
@Index(['toAgencyId', 'createdAt'])
@Index(['fromAgencyId', 'createdAt'])
@Index('child_referral_one_pending', ['childId', 'toAgencyId', 'role'], { unique: true, where: `"status" = 'PENDING'` })
export class ChildReferralEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'uuid' })
  fromAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_agency_id' })
  fromAgency?: Relation<AgencyEntity>;

  @Column({ type: 'uuid' })
  toAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_agency_id' })
  toAgency?: Relation<AgencyEntity>;

  /** The involvement the receiving agency is asked to take on. */
  @Column({ type: 'enum', enum: InvolvementRole, enumName: 'involvement_role' })
  role: InvolvementRole;

  @Column({ type: 'enum', enum: ReferralStatus, enumName: 'referral_status' })
  status: ReferralStatus;

  /** The referral clause it was made under, e.g. "derby-yos-police@v2 §2". */
  @Column({ type: 'text' })
  clause: string;

  /** Who asked (token subject and name). */
  @Column({ type: 'text' })
  referredBy: string;

  @Column({ type: 'text' })
  referredByName: string;

  /** Who accepted or declined, and when; null while pending. */
  @Column({ type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  decidedByName: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The involvement an acceptance made. */
  @Column({ type: 'uuid', nullable: true })
  involvementId: string | null;

  /**
   * The protocol event whose notice opened it (a remand to the front door, an out-of-borough move to
   * the host YOS: the domain event's `eventId`); null for a referral someone made with referChild.
   */
  @Column({ type: 'uuid', nullable: true })
  openedByEventId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
