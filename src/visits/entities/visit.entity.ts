import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

/** One person who made a visit, as recorded: the lead first. */
export interface StoredVisitor {
  readonly name: string;
  /** An allocation role (SOCIAL_WORKER, VISITING_REPRESENTATIVE, …) or a job title. */
  readonly role: string;
  readonly agencyId: string;
  readonly lead: boolean;
}

/**
 * A visit to the child (statutory, former-looked-after in detention, personal adviser, joint, YOS
 * supervision): who went, in which role, on which day, and whether the child was seen alone. Not
 * versioned: a visit is a fact recorded once.
 */
@Entity()
@Index(['childId', 'visitDate'])
@Index(['childId', 'kind', 'visitDate'])
@Check('visit_has_visitors', `jsonb_typeof("visitors") = 'array' AND jsonb_array_length("visitors") >= 1`)
// 001 §7.8: in private unless the child refuses; a refusal means the child was not seen alone.
@Check('visit_refused_not_alone', 'NOT "refused_to_be_seen_alone" OR "seen_alone" = false')
export class VisitEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => ChildEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Relation<ChildEntity>;

  @Column({ type: 'enum', enum: VisitKind, enumName: 'visit_kind' })
  kind: VisitKind;

  @Column({ type: 'date' })
  visitDate: string;

  /** The lead visitor first, then anyone who came with them. */
  @Column({ type: 'jsonb' })
  visitors: StoredVisitor[];

  /** Null where seeing the child alone does not apply (say, a YOS supervision visit). */
  @Column({ type: 'boolean', nullable: true })
  seenAlone: boolean | null;

  @Column({ type: 'boolean', default: false })
  refusedToBeSeenAlone: boolean;

  /** The establishment or address where the child was seen. */
  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** The token subject of who recorded it. */
  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'text' })
  recordedByName: string;

  @Column({ type: 'uuid' })
  recordedByAgencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by_agency_id' })
  recordedByAgency?: Relation<AgencyEntity>;

  /** Set by the gateway (not the database) so the page cursor holds it exactly. */
  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}
