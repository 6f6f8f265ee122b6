import { GENESIS } from 'src/disclosure/chain/hashing.js';
import {
  checkCheckpointChain,
  type CheckpointRow,
  type ExportedCheckpoint,
  fail,
  Failure,
  type Problem,
} from 'src/disclosure/chain/verify-checks.js';
import { loadDictionary, type Queryable, verifyRange } from 'src/disclosure/chain/verify-range.js';
import { checkStretches, type RangeHelpers, stretches } from 'src/disclosure/chain/verify-stretches.js';

export type { ExportedCheckpoint, Problem } from 'src/disclosure/chain/verify-checks.js';

export type { Queryable } from 'src/disclosure/chain/verify-range.js';
export { type RangeHelpers, stretches };

/** A DataSource that can lend one connection of its own (TypeORM's), with its pool's size (`extra.max`, pg's default 10). */
export interface ConnectionSource extends Queryable {
  createQueryRunner(): OwnConnection;
  readonly options: { readonly extra?: { readonly max?: number } };
}

interface OwnConnection extends Queryable {
  connect(): Promise<unknown>;
  release(): Promise<void>;
}

export interface VerifyOptions {
  /** Public keys (PEM) trusted to sign checkpoints, by key id. A checkpoint signed by any other key fails. */
  readonly trustedKeys: ReadonlyMap<string, string>;
  /** Checkpoints held outside the database: each must be in the log exactly as held. */
  readonly heldCheckpoints?: readonly ExportedCheckpoint[];
  readonly pageSize?: number;
  /**
   * Checks only the receipts the checkpoints read at the start cover: against a live gateway the
   * sealer signs batches meanwhile, which would otherwise show as sealed outside any checkpoint.
   * Those are the next run's.
   */
  readonly asOfStart?: boolean;
  /** Called after each page of the chain with the receipts checked and the total to check; may throw to stop the run. */
  readonly onPage?: (checked: number, total: number) => Promise<void>;
  /** Others that check stretches of the chain beside this thread (worker threads); none: this thread checks it all. */
  readonly helpers?: RangeHelpers;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly receipts: number;
  readonly checkpoints: number;
  readonly removedByRetention: number;
  readonly pending: number;
  /** Receipts ever committed, as counted in the transactions that wrote them (disclosure_tally). */
  readonly committed: number;
  readonly seconds: number;
  readonly receiptsPerSecond: number;
  readonly chainHead: string | null;
  readonly firstProblem: Problem | null;
}

/** The shortest retention the database allows (tandem_purge_disclosures): 365 days. */
const MIN_RETENTION_MS = 365 * 86_400_000;

/**
 * Checks the whole log: every sealed receipt's bytes against its leaf hash and its indexed columns,
 * every chain link, every checkpoint's Merkle root, chain head, link to the previous checkpoint and
 * Ed25519 signature by a trusted key, that nothing committed went unsealed or was removed before
 * sealing, and that checkpoints held outside match. Stops at the first problem and names it.
 */
export async function verifyLog(dataSource: Queryable, options: VerifyOptions): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const pageSize = options.pageSize ?? 20_000;
  let receipts = 0;
  let committed = 0;
  let chainHead: string | null = null;
  const checkpoints = await dataSource.query<CheckpointRow[]>('SELECT * FROM disclosure_checkpoint ORDER BY id');
  const [retention] = await dataSource.query<
    {
      through_checkpoint_id: number;
      through_seq: string;
      boundary_chain_hash: Buffer;
      removed: string;
      cutoff: Date;
      left_behind: string;
    }[]
  >(
    `SELECT through_checkpoint_id, through_seq, boundary_chain_hash, cutoff,
       (SELECT count(*) FROM disclosure_seal s WHERE s.seq <= r.through_seq) AS left_behind,
       (SELECT coalesce(sum(receipts_removed), 0) FROM disclosure_retention) AS removed
     FROM disclosure_retention r ORDER BY id DESC LIMIT 1`,
  );
  const [{ pending } = { pending: '0' }] = await dataSource.query<{ pending: string }[]>(
    // Receipts waiting in either queue (a response waits with every receipt it holds).
    `SELECT (SELECT count(*) FROM disclosure_pending) + (SELECT coalesce(sum(entries), 0) FROM disclosure_response_pending) AS pending`,
  );
  const finish = (problem: Problem | null): VerifyReport => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      ok: problem === null,
      receipts,
      checkpoints: checkpoints.length,
      removedByRetention: Number(retention?.removed ?? 0),
      pending: Number(pending),
      committed,
      seconds,
      receiptsPerSecond: seconds > 0 ? Math.round(receipts / seconds) : 0,
      chainHead,
      firstProblem: problem,
    };
  };
  try {
    checkCheckpointChain(checkpoints, options);
    const dictionary = await loadDictionary(dataSource);
    const purgedThrough = retention ? retention.through_checkpoint_id : 0;
    const afterSeq = retention ? retention.through_seq : '0';
    const previous: Buffer = retention ? retention.boundary_chain_hash : GENESIS;
    if (retention) {
      const boundary = checkpoints.find((checkpoint) => checkpoint.id === retention.through_checkpoint_id);
      if (!boundary?.chain_head.equals(retention.boundary_chain_hash) || boundary.last_seq !== retention.through_seq) {
        fail(null, null, retention.through_checkpoint_id, 'the retention boundary does not match its signed checkpoint');
      }
      // A retention record is not signed: it must also say what a real run would have done.
      if (!(boundary.signed_at < retention.cutoff) || retention.cutoff.getTime() > Date.now() - MIN_RETENTION_MS) {
        fail(
          null,
          retention.through_seq,
          retention.through_checkpoint_id,
          'a retention record claims receipts younger than any retention allows',
        );
      }
      if (Number(retention.left_behind) > 0) {
        fail(
          null,
          retention.through_seq,
          retention.through_checkpoint_id,
          'a retention record claims receipts were removed that are still in the log',
        );
      }
    }
    const live = checkpoints.filter((checkpoint) => checkpoint.id > purgedThrough);
    const bound = options.asOfStart ? (checkpoints.at(-1)?.last_seq ?? retention?.through_seq ?? '0') : null;
    const total = options.onPage ? await countReceipts(dataSource, bound) : 0;
    await options.onPage?.(0, total);
    const tasks = stretches(live, { afterSeq, previous, bound, pageSize }, (options.helpers?.count ?? 0) + 1);
    const outcome = await checkStretches(
      tasks,
      (task, onPage) => verifyRange(dataSource, dictionary, task, onPage),
      { helpers: options.helpers, onPage: options.onPage },
      total,
    );
    receipts = outcome.receipts;
    if (outcome.problem) throw new Failure(outcome.problem);
    const head = outcome.head;
    chainHead = head.toString('hex');
    const [unsealed] = await dataSource.query<{ id: string }[]>(
      `(SELECT r.id FROM disclosure_receipt r
        WHERE NOT EXISTS (SELECT 1 FROM disclosure_seal s WHERE s.receipt_id = r.id)
          AND NOT EXISTS (SELECT 1 FROM disclosure_pending p WHERE p.receipt_id = r.id)
        ORDER BY r.id LIMIT 1)
       UNION ALL
       (SELECT r.id FROM disclosure_response r
        WHERE NOT EXISTS (SELECT 1 FROM disclosure_seal s WHERE s.response_id = r.id AND s.response_recorded_at = r.recorded_at)
          AND NOT EXISTS (SELECT 1 FROM disclosure_response_pending p WHERE p.response_id = r.id AND p.recorded_at = r.recorded_at)
        ORDER BY r.id LIMIT 1)`,
    );
    if (unsealed) fail(unsealed.id, null, null, 'a committed receipt is neither sealed nor waiting to be sealed');
    await checkNothingRemovedBeforeSealing(dataSource, (count) => (committed = count));
    return finish(null);
  } catch (error) {
    if (error instanceof Failure) return finish(error.detail);
    throw error;
  }
}

/**
 * verifyLog on a connection of its own when `db` can lend one, with no parallel workers for its
 * pages: they are read in order while this process hashes the one before, and workers competed with
 * the hashing for the same cores and cost their set-up on every page (a 300,000-receipt log on 2
 * cores read at 34,000 rows/s with them, 55,000 without). A transaction, or a pool of fewer than three, is verified as it is.
 */
export async function verifyLogOnOwnConnection(db: Queryable | ConnectionSource, options: VerifyOptions): Promise<VerifyReport> {
  // A pool of one (the embedded database) cannot lend its connection and still record progress; a
  // pool of two would leave the gateway one connection for the whole run.
  if (!('createQueryRunner' in db) || (db.options.extra?.max ?? 10) < 3) return verifyLog(db, options);
  const connection = db.createQueryRunner();
  await connection.connect();
  try {
    await connection.query('SET max_parallel_workers_per_gather = 0');
    return await verifyLog(connection, options);
  } finally {
    // The connection goes back to the pool as it came.
    await connection.query('RESET max_parallel_workers_per_gather').catch(() => undefined);
    await connection.release();
  }
}

/** The receipts to check: those of every seal, or of those up to `bound` (a compact response counts its receipts). */
async function countReceipts(dataSource: Queryable, bound: string | null): Promise<number> {
  const [row] = await dataSource.query<{ n: string }[]>(
    `SELECT count(s.receipt_id) + coalesce(sum(p.entries), 0) AS n
     FROM disclosure_seal s LEFT JOIN disclosure_response p ON p.id = s.response_id AND p.recorded_at = s.response_recorded_at
     WHERE $1::bigint IS NULL OR s.seq <= $1::bigint`,
    [bound],
  );
  return Number(row?.n ?? 0);
}

/**
 * Receipts removed before they were sealed leave no gap in the chain. What shows them: a place in
 * the sealer's queue whose receipt is gone, or fewer receipts in the log (plus those retention
 * removed) than the transactions that wrote them counted; the three counts in one statement, so
 * from one snapshot while the gateway writes.
 */
async function checkNothingRemovedBeforeSealing(dataSource: Queryable, report: (committed: number) => void): Promise<void> {
  const [orphan] = await dataSource.query<{ receipt_id: string }[]>(
    `(SELECT p.receipt_id FROM disclosure_pending p
      WHERE NOT EXISTS (SELECT 1 FROM disclosure_receipt r WHERE r.id = p.receipt_id)
      ORDER BY p.receipt_id LIMIT 1)
     UNION ALL
     (SELECT p.response_id FROM disclosure_response_pending p
      WHERE NOT EXISTS (SELECT 1 FROM disclosure_response r WHERE r.id = p.response_id AND r.recorded_at = p.recorded_at)
      ORDER BY p.response_id LIMIT 1)`,
  );
  if (orphan) fail(orphan.receipt_id, null, null, 'a receipt waiting to be sealed was removed');
  // A response counts as the receipts it holds (disclosure_tally counted them so).
  const [counts] = await dataSource.query<{ committed: string; present: string; removed: string }[]>(
    `SELECT (SELECT coalesce(sum(receipts), 0) FROM disclosure_tally) AS committed,
       (SELECT count(*) FROM disclosure_receipt) + (SELECT coalesce(sum(entries), 0) FROM disclosure_response) AS present,
       (SELECT coalesce(sum(receipts_removed), 0) FROM disclosure_retention) AS removed`,
  );
  const committed = BigInt(counts?.committed ?? '0');
  const accounted = BigInt(counts?.present ?? '0') + BigInt(counts?.removed ?? '0');
  report(Number(committed));
  if (accounted < committed) {
    fail(null, null, null, `${committed - accounted} committed receipts are missing: removed before they were sealed`);
  }
  if (accounted > committed) {
    fail(null, null, null, `${accounted - committed} receipts were written around the log's writer (not counted when committed)`);
  }
}
