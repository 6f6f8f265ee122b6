import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ObligationState } from 'src/obligations/obligation-state.js';

/** Every change of a duty's state, with who or what moved it and why: its history. */
@Entity()
@Index(['obligationId', 'at'])
export class ObligationTransitionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  obligationId: string;

  @Column({ type: 'enum', enum: ObligationState, enumName: 'obligation_state', nullable: true })
  fromState: ObligationState | null;

  @Column({ type: 'enum', enum: ObligationState, enumName: 'obligation_state' })
  toState: ObligationState;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** A person's subject, or `tandem:obligations` for the clock and the evidence. */
  @Column({ type: 'text' })
  by: string;

  @Column({ type: 'text' })
  reason: string;
}
