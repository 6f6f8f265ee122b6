import { verifySignature } from 'src/disclosure/chain/checkpoint-key.js';
import { type CheckpointStatement, statementBytes } from 'src/disclosure/chain/checkpoint-statement.js';
import { chainHash, GENESIS, leafHash, merkleRoot, sha256Hex } from 'src/disclosure/chain/hashing.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';

/** A checkpoint as exported for the other agency to hold. */
export interface ExportedCheckpoint {
  readonly statement: CheckpointStatement;
  readonly signature: string;
}

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

export interface Problem {
  readonly receiptId: string | null;
  readonly seq: string | null;
  readonly checkpointId: number | null;
  readonly problem: string;
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

interface CheckpointRow {
  id: number;
  first_seq: string;
  last_seq: string;
  merkle_root: Buffer;
  chain_head: Buffer;
  signed_at: Date;
  key_id: string;
  statement: Buffer;
  signature: Buffer;
}

interface SealRow {
  seq: string;
  receipt_id: string;
  checkpoint_id: number;
  leaf_hash: Buffer;
  chain_hash: Buffer;
  id: string | null;
  recorded_at: Date | null;
  entry_kind: string | null;
  outcome: string | null;
  user_subject: string | null;
  agency_id: string | null;
  case_system_id: string | null;
  child_id: string | null;
  record_kind: string | null;
  record_id: string | null;
  record_version: number | null;
  owning_agency_id: string | null;
  purpose: string | null;
  break_glass: boolean | null;
  after_allocation_ended: boolean | null;
  correlation_id: string | null;
  body: Buffer | null;
}

/** Decodes only UTF-8, replacing nothing: a receipt's bytes are the UTF-8 of its JSON text. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The shortest retention the database allows (tandem_purge_disclosures): 365 days. */
const MIN_RETENTION_MS = 365 * 86_400_000;

class Failure extends Error {
  constructor(readonly detail: Problem) {
    super(detail.problem);
  }
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
    'SELECT count(*) AS pending FROM disclosure_pending',
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
    const total = options.onPage ? await countSeals(dataSource, bound) : 0;
    await options.onPage?.(0, total);
    let index = 0;
    let leaves: Buffer[] = [];
    let lastSeq = expectedSeq - 1n;
    // The next page is read while this one is hashed: the database and the hashing overlap. Bodies
    // come as their stored bytes: text would be decoded by the client (a leading BOM dropped, a
    // session's client_encoding converting) before it was hashed.
    const readPage = (after: bigint) =>
      dataSource.query<SealRow[]>(
        `SELECT s.seq, s.receipt_id, s.checkpoint_id, s.leaf_hash, s.chain_hash, r.id,
           r.recorded_at, r.entry_kind, r.outcome,
           r.user_subject, r.agency_id, r.case_system_id, r.child_id, r.record_kind, r.record_id, r.record_version,
           r.owning_agency_id, r.purpose, r.break_glass, r.after_allocation_ended, r.correlation_id, r.body
         FROM disclosure_seal s LEFT JOIN disclosure_receipt r ON r.id = s.receipt_id
         WHERE s.seq > $1 AND ($3::bigint IS NULL OR s.seq <= $3::bigint) ORDER BY s.seq LIMIT $2`,
        [after.toString(), pageSize, bound],
      );
    const prefetch = (after: bigint) => {
      const read = readPage(after);
      // A run that stops at a problem leaves the page in flight unread; its failure is not unhandled.
      read.catch(() => undefined);
      return read;
    };
    let next = prefetch(lastSeq);
    for (;;) {
      const page = await next;
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
        if (!row.body || row.id === null) fail(row.receipt_id, row.seq, checkpoint.id, 'the receipt was removed');
        const leaf = leafHash(row.body);
        if (!leaf.equals(row.leaf_hash))
          fail(row.receipt_id, row.seq, checkpoint.id, "the receipt's bytes do not match its sealed hash (altered)");
        const link = chainHash(previous, leaf, seq);
        if (!link.equals(row.chain_hash))
          fail(row.receipt_id, row.seq, checkpoint.id, 'the chain link does not follow from the previous one');
        const mismatch = columnMismatch(row);
        if (mismatch === NOT_A_RECEIPT)
          fail(row.receipt_id, row.seq, checkpoint.id, 'the sealed bytes are not a receipt (written around the log)');
        if (mismatch)
          fail(row.receipt_id, row.seq, checkpoint.id, `column ${mismatch} differs from the sealed receipt (altered)`);
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
      `SELECT r.id FROM disclosure_receipt r
       WHERE NOT EXISTS (SELECT 1 FROM disclosure_seal s WHERE s.receipt_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM disclosure_pending p WHERE p.receipt_id = r.id)
       ORDER BY r.id LIMIT 1`,
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

/** The seals to check: all, or those up to `bound`. */
async function countSeals(dataSource: Queryable, bound: string | null): Promise<number> {
  const [row] = await dataSource.query<{ n: string }[]>(
    'SELECT count(*) AS n FROM disclosure_seal WHERE $1::bigint IS NULL OR seq <= $1::bigint',
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
    `SELECT p.receipt_id FROM disclosure_pending p
     WHERE NOT EXISTS (SELECT 1 FROM disclosure_receipt r WHERE r.id = p.receipt_id)
     ORDER BY p.receipt_id LIMIT 1`,
  );
  if (orphan) fail(orphan.receipt_id, null, null, 'a receipt waiting to be sealed was removed');
  const [counts] = await dataSource.query<{ committed: string; present: string; removed: string }[]>(
    `SELECT (SELECT coalesce(sum(receipts), 0) FROM disclosure_tally) AS committed,
       (SELECT count(*) FROM disclosure_receipt) AS present,
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

function fail(receiptId: string | null, seq: string | null, checkpointId: number | null, problem: string): never {
  throw new Failure({ receiptId, seq, checkpointId, problem });
}

/** Every checkpoint: its statement matches its columns, links to the one before, and is signed by a trusted key. */
function checkCheckpointChain(checkpoints: readonly CheckpointRow[], options: VerifyOptions): void {
  let previous: CheckpointRow | undefined;
  for (const checkpoint of checkpoints) {
    // The statement's bytes are compared whole (its checkpoint number among them): never parsed, so no
    // stored statement can stop the run.
    const expected: CheckpointStatement = {
      v: 1,
      log: 'tandem-disclosures',
      checkpoint: checkpoint.id,
      firstSeq: checkpoint.first_seq,
      lastSeq: checkpoint.last_seq,
      treeSize: Number(BigInt(checkpoint.last_seq) - BigInt(checkpoint.first_seq) + 1n),
      merkleRoot: checkpoint.merkle_root.toString('hex'),
      chainHead: checkpoint.chain_head.toString('hex'),
      previous: previous ? sha256Hex(previous.statement) : null,
      signedAt: checkpoint.signed_at.toISOString(),
      keyId: checkpoint.key_id,
    };
    if (!statementBytes(expected).equals(checkpoint.statement)) {
      fail(
        null,
        checkpoint.first_seq,
        checkpoint.id,
        'the checkpoint differs from what was signed, or does not follow the one before',
      );
    }
    if (previous && BigInt(checkpoint.first_seq) !== BigInt(previous.last_seq) + 1n) {
      fail(null, checkpoint.first_seq, checkpoint.id, 'checkpoints do not cover the chain contiguously');
    }
    const key = options.trustedKeys.get(checkpoint.key_id);
    if (!key) fail(null, checkpoint.first_seq, checkpoint.id, `signed by key ${checkpoint.key_id}, which is not trusted`);
    if (!verifySignature(key, checkpoint.statement, checkpoint.signature)) {
      fail(null, checkpoint.first_seq, checkpoint.id, 'the checkpoint signature is not valid');
    }
    previous = checkpoint;
  }
  const byId = new Map(checkpoints.map((checkpoint) => [checkpoint.id, checkpoint]));
  for (const held of options.heldCheckpoints ?? []) {
    const found = byId.get(held.statement.checkpoint);
    if (
      !found ||
      !found.statement.equals(statementBytes(held.statement)) ||
      found.signature.toString('base64') !== held.signature
    ) {
      fail(
        null,
        held.statement.firstSeq,
        held.statement.checkpoint,
        'a checkpoint held outside the log is not in it as held (the log was rewritten)',
      );
    }
  }
}

const NOT_A_RECEIPT = Symbol('not a receipt');

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The first indexed column that does not say what the sealed bytes say, if any. */
function columnMismatch(row: SealRow): string | typeof NOT_A_RECEIPT | null {
  let body: ReceiptBody;
  try {
    body = JSON.parse(STRICT_UTF8.decode(row.body ?? Buffer.alloc(0))) as ReceiptBody;
  } catch {
    return NOT_A_RECEIPT;
  }
  if (!isObject(body) || !isObject(body.user) || !isObject(body.recipient)) return NOT_A_RECEIPT;
  const expected: [string, unknown, unknown][] = [
    ['recorded_at', row.recorded_at?.toISOString(), body.at],
    ['entry_kind', row.entry_kind, body.entry],
    ['outcome', row.outcome, body.outcome],
    ['user_subject', row.user_subject, body.user.subject],
    ['agency_id', row.agency_id, body.recipient.agencyId],
    ['case_system_id', row.case_system_id, body.recipient.caseSystemId],
    ['child_id', row.child_id, body.child],
    ['record_kind', row.record_kind, body.record?.kind ?? null],
    ['record_id', row.record_id, body.record?.id ?? null],
    ['record_version', row.record_version, body.record?.version ?? null],
    ['owning_agency_id', row.owning_agency_id, body.record?.owningAgencyId ?? null],
    ['purpose', row.purpose, body.purpose],
    ['break_glass', row.break_glass, body.breakGlass],
    ['after_allocation_ended', row.after_allocation_ended, body.afterAllocationEnded],
    ['correlation_id', row.correlation_id, body.correlationId],
  ];
  return expected.find(([, actual, sealed]) => actual !== sealed)?.[0] ?? null;
}
