import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AuditVerificationState } from 'src/disclosure/entities/audit-verification-run.entity.js';
import { requireAudit } from 'src/audit-api/log-entries.js';
import { problemLine, runVerification, type VerificationRunRow, VerificationRuns } from 'src/audit-api/verification-runs.js';
import { AuditVerificationOrigin, type AuditSigningKey, type AuditVerificationRun } from 'src/audit-api/verification.models.js';

/**
 * The log's integrity for the auditors' console: a verification started on the server and run in
 * the background with the verifier `audit:verify` uses (one at a time, whoever starts it), its
 * latest result, and the key that signs checkpoints. Auditors only (purpose AUDIT); each start is
 * logged as an auditor's action. The status and the key say nothing about anyone, so reading them
 * is not logged (the console polls the status while a run goes).
 */
@Injectable()
export class AuditVerificationService implements OnApplicationShutdown {
  private readonly logger = new Logger('AuditVerification');
  private readonly runs: VerificationRuns;
  /** The run this process is working on, if any. */
  private active: Promise<void> | undefined;
  private stopping = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CheckpointKey) private readonly key: CheckpointKey,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {
    this.runs = new VerificationRuns(dataSource);
  }

  /** Starts a verification, or gives the one already running (started here, elsewhere or by the CLI). */
  async start(principal: Principal): Promise<AuditVerificationRun> {
    requireAudit(principal);
    if (this.stopping) throw new Error('The gateway is shutting down');
    const { run, started } = await this.runs.begin({ origin: 'API', subject: principal.subject, name: principal.name });
    try {
      await this.disclosure.recordAuditQuery(principal, 'startAuditVerification', { runId: run.id, started });
    } catch (error) {
      // Not logged, not run: the action and its record go together.
      if (started) await this.runs.finish(run.id, notRun('Not started: the disclosure log could not be written'));
      throw error;
    }
    if (started) this.launch(run.id);
    return toRun(run);
  }

  async latest(principal: Principal): Promise<AuditVerificationRun | null> {
    requireAudit(principal);
    const row = await this.runs.latest();
    return row ? toRun(row) : null;
  }

  publicKey(principal: Principal): AuditSigningKey {
    requireAudit(principal);
    return { keyId: this.key.keyId, publicKey: this.key.publicKeyPem(), algorithm: 'Ed25519' };
  }

  /** Stops the run in progress at its next statement (it ends as ERROR) and waits for it. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.active;
  }

  /**
   * Runs in this process, not waited for. Trusts the configured signing key only, as `audit:verify`
   * does without `--trust`: keys found in the database are not evidence of anything.
   */
  private launch(runId: string): void {
    const trustedKeys = new Map([[this.key.keyId, this.key.publicKeyPem()]]);
    const started = Date.now();
    this.active = runVerification(this.dataSource, this.runs, runId, { trustedKeys }, () => this.stopping)
      .then((report) =>
        this.logger.log(
          `Verification ${runId}: ${report.ok ? 'passed' : 'FAILED'}, ${report.receipts} receipts in ${Date.now() - started} ms`,
        ),
      )
      .catch((error: unknown) =>
        this.logger.error(`Verification ${runId} stopped: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.active = undefined;
      });
  }
}

function notRun(reason: string) {
  return {
    state: AuditVerificationState.ERROR,
    checked: 0,
    total: 0,
    checkpoints: null,
    chainHead: null,
    problem: null,
    failures: [reason],
  } as const;
}

function toRun(row: VerificationRunRow): AuditVerificationRun {
  const failure =
    row.state === AuditVerificationState.FAILED
      ? {
          entryId: row.failure_receipt_id,
          seq: row.failure_seq,
          checkpointId: row.failure_checkpoint_id,
          problem: row.failures[0] ?? 'unknown',
        }
      : null;
  return {
    id: row.id,
    state: row.state,
    origin: row.origin === 'CLI' ? AuditVerificationOrigin.CLI : AuditVerificationOrigin.API,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    startedBy: row.started_by,
    startedByName: row.started_by_name,
    checked: Number(row.checked),
    total: Number(row.total),
    checkpoints: row.checkpoints,
    chainHead: row.chain_head,
    failure,
    failures: failure
      ? [
          problemLine({
            receiptId: failure.entryId,
            seq: failure.seq,
            checkpointId: failure.checkpointId,
            problem: failure.problem,
          }),
        ]
      : [...row.failures],
  };
}
