import {
  type ConnectionSource,
  type Problem,
  type Queryable,
  verifyLogOnOwnConnection,
  type VerifyOptions,
  type VerifyReport,
} from 'src/disclosure/chain/verifier.js';
import { AuditVerificationState } from 'src/disclosure/entities/audit-verification-run.entity.js';

/**
 * Verification runs of the disclosure log, recorded in `audit_verification_run` whoever starts them
 * (an auditor through the API, or `npm run audit:verify`), so "the last result and when it ran" is
 * one thing. Plain functions over the verifier's Queryable: the CLI uses them with its own
 * DataSource, the gateway in the background.
 */

export interface VerificationRunRow {
  readonly id: string;
  readonly state: AuditVerificationState;
  readonly origin: string;
  readonly started_by: string;
  readonly started_by_name: string | null;
  readonly started_at: Date;
  readonly heartbeat_at: Date;
  readonly finished_at: Date | null;
  readonly checked: string;
  readonly total: string;
  readonly checkpoints: number | null;
  readonly chain_head: string | null;
  readonly failure_receipt_id: string | null;
  readonly failure_seq: string | null;
  readonly failure_checkpoint_id: number | null;
  readonly failures: string[];
}

export interface RunStarter {
  /** API or CLI. */
  readonly origin: 'API' | 'CLI';
  readonly subject: string;
  readonly name: string | null;
}

/** A RUNNING run whose heartbeat is older than this was abandoned (its process stopped). */
export const ABANDONED_AFTER_SECONDS = 120;
/** How often a run writes its progress (and so its heartbeat) at most, and at least. */
const PROGRESS_MS = 1_000;
const HEARTBEAT_MS = 15_000;
/** Receipts per page: a page is what the progress moves by. */
const PAGE_SIZE = 2_000;

/** The first problem, as `audit:verify` prints it. */
export function problemLine(problem: Problem): string {
  return `FAILED at receipt ${problem.receiptId ?? '-'} (seq ${problem.seq ?? '-'}, checkpoint ${problem.checkpointId ?? '-'}): ${problem.problem}`;
}

export class VerificationRuns {
  constructor(private readonly db: Queryable) {}

  async latest(): Promise<VerificationRunRow | null> {
    const [row] = await this.db.query<VerificationRunRow[]>(
      'SELECT * FROM audit_verification_run ORDER BY started_at DESC, id DESC LIMIT 1',
    );
    return row ?? null;
  }

  /**
   * Starts a run, or gives the one already running (`started: false`); one runs at a time, across
   * instances and the CLI, by the partial unique index on RUNNING. A run whose heartbeat stopped is
   * closed as ERROR first, so a crashed process does not block verification for ever.
   */
  async begin(starter: RunStarter): Promise<{ run: VerificationRunRow; started: boolean }> {
    await this.db.query(
      `UPDATE audit_verification_run SET state = 'ERROR', finished_at = now(),
         failures = array_append(failures, 'Abandoned: the process running it stopped before it finished')
       WHERE state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1)`,
      [ABANDONED_AFTER_SECONDS],
    );
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [inserted] = await this.db.query<VerificationRunRow[]>(
        `INSERT INTO audit_verification_run (state, origin, started_by, started_by_name, started_at, heartbeat_at)
         VALUES ('RUNNING', $1, $2, $3, now(), now())
         ON CONFLICT (state) WHERE state = 'RUNNING' DO NOTHING RETURNING *`,
        [starter.origin, starter.subject, starter.name],
      );
      if (inserted) return { run: inserted, started: true };
      const [running] = await this.db.query<VerificationRunRow[]>(`SELECT * FROM audit_verification_run WHERE state = 'RUNNING'`);
      if (running) return { run: running, started: false };
      // The running one finished between the two statements: try again.
    }
    throw new Error('Could not start a verification run');
  }

  async progress(id: string, checked: number, total: number): Promise<void> {
    await this.db.query(
      `UPDATE audit_verification_run SET checked = $2, total = $3, heartbeat_at = now() WHERE id = $1 AND state = 'RUNNING'`,
      [id, checked, total],
    );
  }

  async finish(id: string, outcome: RunOutcome): Promise<void> {
    await this.db.query(
      `UPDATE audit_verification_run SET state = $2, finished_at = now(), heartbeat_at = now(), checked = $3, total = $4,
         checkpoints = $5, chain_head = $6, failure_receipt_id = $7, failure_seq = $8, failure_checkpoint_id = $9, failures = $10
       WHERE id = $1 AND state = 'RUNNING'`,
      [
        id,
        outcome.state,
        outcome.checked,
        outcome.total,
        outcome.checkpoints,
        outcome.chainHead,
        outcome.problem?.receiptId ?? null,
        outcome.problem?.seq ?? null,
        outcome.problem?.checkpointId ?? null,
        outcome.failures,
      ],
    );
  }
}

export interface RunOutcome {
  readonly state: Exclude<AuditVerificationState, AuditVerificationState.RUNNING>;
  readonly checked: number;
  readonly total: number;
  readonly checkpoints: number | null;
  readonly chainHead: string | null;
  readonly problem: Problem | null;
  readonly failures: readonly string[];
}

/** Thrown into the verifier when the process stops: the run ends as ERROR, saying nothing about the log. */
class VerificationStopped extends Error {
  constructor() {
    super('Stopped: the gateway shut down before the run finished');
  }
}

/**
 * Runs the verifier on the receipts the checkpoints read at its start cover (a live gateway seals
 * meanwhile), writing its progress at most once a second and a heartbeat, and records the result:
 * PASSED, FAILED with the first problem, or ERROR when it stopped (`stopped`: the gateway shuts down).
 */
export async function runVerification(
  db: Queryable | ConnectionSource,
  runs: VerificationRuns,
  runId: string,
  options: VerifyOptions,
  stopped: () => boolean = () => false,
): Promise<VerifyReport> {
  const progress = { checked: 0, total: 0, written: 0 };
  // Beats while a long statement runs, so another instance does not take the run for abandoned.
  const heartbeat = setInterval(() => {
    runs.progress(runId, progress.checked, progress.total).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const report = await verifyLogOnOwnConnection(db, {
      pageSize: PAGE_SIZE,
      ...options,
      asOfStart: true,
      onPage: async (checked, total) => {
        if (stopped()) throw new VerificationStopped();
        Object.assign(progress, { checked, total });
        if (Date.now() - progress.written < PROGRESS_MS) return;
        progress.written = Date.now();
        await runs.progress(runId, checked, total);
      },
    });
    await runs.finish(runId, {
      state: report.ok ? AuditVerificationState.PASSED : AuditVerificationState.FAILED,
      checked: report.receipts,
      total: Math.max(progress.total, report.receipts),
      checkpoints: report.checkpoints,
      chainHead: report.chainHead,
      problem: report.firstProblem,
      failures: report.firstProblem ? [problemLine(report.firstProblem)] : [],
    });
    return report;
  } catch (error) {
    await runs
      .finish(runId, {
        state: AuditVerificationState.ERROR,
        checked: progress.checked,
        total: progress.total,
        checkpoints: null,
        chainHead: null,
        problem: null,
        failures: [error instanceof Error ? error.message : String(error)],
      })
      .catch(() => undefined);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * `audit:verify`'s way in: begins a run recorded like the API's (or, when one is running already,
 * gives that one and checks nothing), runs it and records the result.
 */
export async function recordedVerification(
  db: Queryable | ConnectionSource,
  options: VerifyOptions,
  starter: RunStarter,
): Promise<{ readonly report: VerifyReport } | { readonly running: VerificationRunRow }> {
  const runs = new VerificationRuns(db);
  const { run, started } = await runs.begin(starter);
  if (!started) return { running: run };
  return { report: await runVerification(db, runs, run.id, options) };
}
