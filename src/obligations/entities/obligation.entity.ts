import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { ObligationState } from 'src/obligations/obligation-state.js';

/**
 * One duty a protocol event opened for a child: its definition (and the policy version it came
 * from), owner, due time with how it was computed, state and evidence. `nextCheckAt` is when the
 * state machine next needs to look (due soon, due, the next escalation): the sweep reads it through
 * a partial index, never scanning closed duties.
 */
@Entity()
@Index('obligation_once_per_trigger', ['definitionId', 'childId', 'triggerEventId'], { unique: true })
@Index('obligation_next_check_idx', ['nextCheckAt'], {
  where: `"state" IN ('OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED') AND "next_check_at" IS NOT NULL`,
})
@Index('obligation_child_idx', ['childId', 'createdAt'])
@Index('obligation_owner_idx', ['ownerAgencyId', 'state', 'dueAt'])
@Index('obligation_owner_subject_idx', ['ownerSubject', 'state'], { where: '"owner_subject" IS NOT NULL' })
@Check('obligation_closed', `("state" IN ('SATISFIED', 'WAIVED', 'CANCELLED')) = ("closed_at" IS NOT NULL)`)
export class ObligationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  /** The definition id (DOMAIN §3, e.g. D9) in `policy`. */
  @Column({ type: 'text' })
  definitionId: string;

  /** The responsibility policy file and version the definition was read from. */
  @Column({ type: 'text' })
  policy: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  citation: string;

  @Column({ type: 'enum', enum: ObligationState, enumName: 'obligation_state' })
  state: ObligationState;

  @Column({ type: 'uuid' })
  ownerAgencyId: string;

  /** The allocated worker who owns it, when one is allocated in the definition's role. */
  @Column({ type: 'text', nullable: true })
  ownerSubject: string | null;

  @Column({ type: 'text', nullable: true })
  ownerName: string | null;

  @Column({ type: 'text', nullable: true })
  ownerRole: string | null;

  /** The owner's team queue (the worker's team, or the agency's front door). */
  @Column({ type: 'text', nullable: true })
  ownerTeam: string | null;

  @Column({ type: 'uuid' })
  triggerEventId: string;

  @Column({ type: 'text' })
  triggerType: string;

  /** Day 0 (DECISIONS §7), London. */
  @Column({ type: 'date' })
  triggerDate: string;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz' })
  dueSoonAt: Date;

  /** How `dueAt` was computed, in words, for the worklist. */
  @Column({ type: 'text' })
  dueExplanation: string;

  /** 0 until escalated; then the index into the definition's escalation chain plus one. */
  @Column({ type: 'integer', default: 0 })
  escalationLevel: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  evidenceEventId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  closedBy: string | null;

  @Column({ type: 'text', nullable: true })
  closedReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @VersionColumn()
  version: number;
}
