import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Where a run is: running, or what it found. */
export enum AuditVerificationState {
  RUNNING = 'RUNNING',
  PASSED = 'PASSED',
  FAILED = 'FAILED',
  /** It stopped before the end (shutdown, a database error): it says nothing about the log. */
  ERROR = 'ERROR',
}

/**
 * One check of the whole disclosure log by the verifier (`audit:verify` or an auditor's
 * startAuditVerification): who started it, how far it got and what it found. One runs at a time
 * (the partial unique index); a run whose heartbeat stops (its process died) is given up by the
 * next start. Not part of the log: a convenience record of its checks, which anyone can repeat.
 */
@Entity()
@Index('audit_verification_run_one_running', ['state'], { unique: true, where: `"state" = 'RUNNING'` })
@Index('audit_verification_run_started_idx', ['startedAt'])
@Check('audit_verification_run_finished', `("state" = 'RUNNING') = ("finished_at" IS NULL)`)
export class AuditVerificationRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: AuditVerificationState, enumName: 'audit_verification_state' })
  state: AuditVerificationState;

  /** API (an auditor through GraphQL) or CLI (`npm run audit:verify`). */
  @Column({ type: 'varchar', length: 10 })
  origin: string;

  /** The auditor's token subject, or the operating-system user who ran the command. */
  @Column({ type: 'text' })
  startedBy: string;

  @Column({ type: 'text', nullable: true })
  startedByName: string | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /** Moved on while the run works; a RUNNING run whose heartbeat is old was abandoned. */
  @Column({ type: 'timestamptz' })
  heartbeatAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Sealed receipts checked so far. */
  @Column({ type: 'bigint', default: 0 })
  checked: string;

  /** Sealed receipts to check (those under the checkpoints the run read first). */
  @Column({ type: 'bigint', default: 0 })
  total: string;

  @Column({ type: 'integer', nullable: true })
  checkpoints: number | null;

  /** The chain head the run arrived at (hex), when it passed. */
  @Column({ type: 'text', nullable: true })
  chainHead: string | null;

  /** The first problem found: the entry, its place in the chain and the batch (checkpoint). */
  @Column({ type: 'bigint', nullable: true })
  failureReceiptId: string | null;

  @Column({ type: 'bigint', nullable: true })
  failureSeq: string | null;

  @Column({ type: 'integer', nullable: true })
  failureCheckpointId: number | null;

  /** What was wrong (the verifier's words for the first problem), or why the run stopped. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  failures: string[];
}
