import { chainHash, GENESIS, leafHash, merkleRoot } from 'src/disclosure/chain/hashing.js';
import {
  checkCheckpointChain,
  type CheckpointRow,
  columnMismatch,
  type ExportedCheckpoint,
  fail,
  Failure,
  NOT_A_RECEIPT,
  type Problem,
  type ReceiptColumns,
  responseMismatch,
  type ResponseRow,
} from 'src/disclosure/chain/verify-checks.js';
import { CompactFormError } from 'src/disclosure/compact/compact-bytes.js';
import { StoredDictionary } from 'src/disclosure/compact/stored-dictionary.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ALL_ENTRIES, entryOf, type EntryRow } from 'src/disclosure/response-log.repository.js';

export type { ExportedCheckpoint, Problem } from 'src/disclosure/chain/verify-checks.js';

/** A DataSource, or a transaction's EntityManager (tests verify inside a transaction they roll back). */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

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

interface SealRow extends ReceiptColumns {
  seq: string;
  receipt_id: string | null;
  response_id: string | null;
  response_recorded_at: Date | null;
  checkpoint_id: number;
  leaf_hash: Buffer;
  chain_hash: Buffer;
  id: string | null;
}

/** The shortest retention the database allows (tandem_purge_disclosures): 365 days. */
const MIN_RETENTION_MS = 365 * 86_400_000;

/** A page of the chain: its seals, and the compact responses some of them seal, by id. */
interface Page {
  readonly seals: SealRow[];
  readonly responses: ReadonlyMap<string, ResponseRow>;
}

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
    let expectedSeq = retention ? BigInt(retention.through_seq) + 1n : 1n;
    let previous: Buffer = retention ? retention.boundary_chain_hash : GENESIS;
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
    let index = 0;
    let leaves: Buffer[] = [];
    let lastSeq = expectedSeq - 1n;
    // The next page is read while this one is hashed: the database and the hashing overlap. Bodies
    // come as their stored bytes: text would be decoded by the client (a leading BOM dropped, a
    // session's client_encoding converting) before it was hashed.
    const readPage = async (after: bigint): Promise<Page> => {
      const seals = await dataSource.query<SealRow[]>(
        `SELECT s.seq, s.receipt_id, s.response_id, s.response_recorded_at, s.checkpoint_id, s.leaf_hash, s.chain_hash, r.id,
           r.recorded_at, r.entry_kind, r.outcome,
           r.user_subject, r.agency_id, r.case_system_id, r.child_id, r.record_kind, r.record_id, r.record_version,
           r.owning_agency_id, r.purpose, r.break_glass, r.after_allocation_ended, r.correlation_id, r.body
         FROM disclosure_seal s LEFT JOIN disclosure_receipt r ON r.id = s.receipt_id
         WHERE s.seq > $1 AND ($3::bigint IS NULL OR s.seq <= $3::bigint) ORDER BY s.seq LIMIT $2`,
        [after.toString(), pageSize, bound],
      );
      return { seals, responses: await readResponses(dataSource, seals) };
    };
    const prefetch = (after: bigint) => {
      const read = readPage(after);
      // A run that stops at a problem leaves the page in flight unread; its failure is not unhandled.
      read.catch(() => undefined);
      return read;
    };
    let next = prefetch(lastSeq);
    for (;;) {
      const { seals: page, responses } = await next;
      const last = page.at(-1);
      if (last) next = prefetch(BigInt(last.seq));
      if (page.length === 0) break;
      for (const row of page) {
        const seq = BigInt(row.seq);
        if (seq !== expectedSeq)
          fail(
            row.receipt_id,
            row.seq,
            row.checkpoint_id,
            `sequence jumps from ${expectedSeq - 1n} to ${seq}: entries are missing`,
          );
        const checkpoint = live[index];
        if (
          !checkpoint ||
          seq < BigInt(checkpoint.first_seq) ||
          seq > BigInt(checkpoint.last_seq) ||
          row.checkpoint_id !== checkpoint.id
        ) {
          fail(row.receipt_id, row.seq, row.checkpoint_id, 'sealed outside any checkpoint');
        }
        if (row.receipt_id !== null && row.response_id !== null)
          fail(row.receipt_id, row.seq, checkpoint.id, 'a seal points at both a receipt and a response');
        const response =
          row.response_id === null || row.response_recorded_at === null
            ? null
            : (responses.get(responseKey(row.response_id, row.response_recorded_at)) ?? null);
        const entryId = row.receipt_id ?? row.response_id;
        const body = row.response_id === null ? row.body : (response?.body ?? null);
        if (!body || (row.response_id === null && row.id === null))
          fail(
            entryId,
            row.seq,
            checkpoint.id,
            row.response_id === null ? 'the receipt was removed' : 'the response was removed',
          );
        const leaf = leafHash(body);
        if (!leaf.equals(row.leaf_hash))
          fail(entryId, row.seq, checkpoint.id, "the receipt's bytes do not match its sealed hash (altered)");
        const link = chainHash(previous, leaf, seq);
        if (!link.equals(row.chain_hash))
          fail(entryId, row.seq, checkpoint.id, 'the chain link does not follow from the previous one');
        if (response && row.response_recorded_at) {
          receipts += (await checkResponse(response, row.response_recorded_at, dictionary, row.seq, checkpoint.id)) - 1;
        } else {
          const mismatch = columnMismatch(row);
          if (mismatch === NOT_A_RECEIPT)
            fail(entryId, row.seq, checkpoint.id, 'the sealed bytes are not a receipt (written around the log)');
          if (mismatch) fail(entryId, row.seq, checkpoint.id, `column ${mismatch} differs from the sealed receipt (altered)`);
        }
        previous = link;
        leaves.push(leaf);
        receipts += 1;
        expectedSeq += 1n;
        lastSeq = seq;
        if (seq === BigInt(checkpoint.last_seq)) {
          if (!merkleRoot(leaves).equals(checkpoint.merkle_root))
            fail(null, row.seq, checkpoint.id, "the batch's Merkle root does not match its checkpoint");
          if (!checkpoint.chain_head.equals(link))
            fail(null, row.seq, checkpoint.id, 'the chain head does not match its checkpoint');
          leaves = [];
          index += 1;
        }
      }
      await options.onPage?.(receipts, total);
    }
    if (index < live.length) {
      const missing = live[index];
      fail(null, missing?.first_seq ?? null, missing?.id ?? null, 'a checkpoint covers entries that are no longer in the log');
    }
    chainHead = previous.toString('hex');
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

/** The dictionary the responses' numbers refer to, every entry checked to be canonical JSON. */
async function loadDictionary(dataSource: Queryable): Promise<StoredDictionary> {
  const dictionary = new StoredDictionary({
    all: async () => (await dataSource.query<EntryRow[]>(ALL_ENTRIES)).map(entryOf),
    reserve: (): Promise<number[]> => Promise.reject(new Error('The verifier adds nothing to the dictionary')),
  });
  try {
    await dictionary.load();
  } catch (error) {
    if (error instanceof CompactFormError) fail(null, null, null, `the dictionary: ${error.message}`);
    throw error;
  }
  return dictionary;
}

/**
 * A response is its id and its month's time together: the id alone is unique only within a
 * partition (PostgreSQL's keys on a partitioned table hold the partition key), so a second row with
 * a sealed response's id must not pass for it.
 */
function responseKey(id: string, recordedAt: Date): string {
  return `${id}@${recordedAt.getTime()}`;
}

/** The compact responses a page's seals point at, each looked for in the months of the page. */
async function readResponses(dataSource: Queryable, seals: readonly SealRow[]): Promise<Map<string, ResponseRow>> {
  const ids: string[] = [];
  let from: Date | undefined;
  let to: Date | undefined;
  for (const seal of seals) {
    if (seal.response_id === null || seal.response_recorded_at === null) continue;
    ids.push(seal.response_id);
    if (!from || seal.response_recorded_at < from) from = seal.response_recorded_at;
    if (!to || seal.response_recorded_at > to) to = seal.response_recorded_at;
  }
  if (ids.length === 0) return new Map();
  const rows = await dataSource.query<ResponseRow[]>(
    `SELECT id, recorded_at, correlation_id, user_subject, agency_id, case_system_id, purpose, entries, break_glass,
       after_allocation_ended, flagged, array_to_string(children, ',') AS children, array_to_string(records, ',') AS records,
       array_to_string(owners, ',') AS owners, entry_map, body
     FROM disclosure_response WHERE id = ANY ($1::bigint[]) AND recorded_at >= $2 AND recorded_at <= $3`,
    [ids, from, to],
  );
  return new Map(rows.map((row) => [responseKey(row.id, row.recorded_at), row]));
}

/** Decodes a sealed response and checks its columns against its receipts; how many receipts it holds. */
async function checkResponse(
  response: ResponseRow,
  sealedAt: Date,
  dictionary: StoredDictionary,
  seq: string,
  checkpointId: number,
): Promise<number> {
  let bodies: readonly ReceiptBody[];
  try {
    bodies = await dictionary.decode(response.body);
  } catch (error) {
    if (!(error instanceof CompactFormError)) throw error;
    fail(response.id, seq, checkpointId, `the sealed bytes are not a response (${error.message})`);
  }
  const mismatch = responseMismatch(response, sealedAt, bodies);
  if (mismatch) fail(response.id, seq, checkpointId, `column ${mismatch} differs from the sealed response (altered)`);
  return bodies.length;
}
