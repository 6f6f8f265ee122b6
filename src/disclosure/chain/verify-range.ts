import { chainHash, leafHash, merkleRoot } from 'src/disclosure/chain/hashing.js';
import {
  type CheckpointRow,
  columnMismatch,
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

/** A DataSource, a transaction's EntityManager, or a connection of a worker thread's own. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * A stretch of the chain to check on its own: the seals after `afterSeq` up to `bound` (all those
 * after, when null), which the `checkpoints` cover in order, the first linking from `previous`.
 * Stretches begin where a checkpoint begins, whose predecessor's signed chain head is `previous`:
 * each can be checked without the ones before, on another thread.
 */
export interface RangeTask {
  readonly afterSeq: string;
  readonly previous: Buffer;
  readonly checkpoints: readonly CheckpointRow[];
  readonly bound: string | null;
  /** Set when stretches follow this one: the run's own bound (seals after it are not the run's). */
  readonly following: { readonly bound: string | null } | null;
  readonly pageSize: number;
}

/** What a stretch came to: the receipts it checked, and the first problem in it (none when it holds). */
export interface RangeOutcome {
  readonly receipts: number;
  readonly head: Buffer;
  readonly problem: Problem | null;
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

/** A page of the chain: its seals, and the compact responses some of them seal, by id. */
interface Page {
  readonly seals: SealRow[];
  readonly responses: ReadonlyMap<string, ResponseRow>;
}

/** Checks a stretch on `db`, with the dictionary read there (a worker thread's way in). */
export async function runRange(
  db: Queryable,
  task: RangeTask,
  onPage: (checked: number) => Promise<void>,
): Promise<RangeOutcome> {
  let dictionary: StoredDictionary;
  try {
    dictionary = await loadDictionary(db);
  } catch (error) {
    if (error instanceof Failure) return { receipts: 0, head: task.previous, problem: error.detail };
    throw error;
  }
  return verifyRange(db, dictionary, task, onPage);
}

/**
 * Every sealed receipt of the stretch: its bytes against its leaf hash and its indexed columns,
 * every chain link, and each checkpoint's Merkle root and chain head. Stops at the first problem
 * and returns it, with the receipts checked before it. A stretch that ends before the log does
 * must end exactly at its last checkpoint.
 */
export async function verifyRange(
  db: Queryable,
  dictionary: StoredDictionary,
  task: RangeTask,
  onPage: (checked: number) => Promise<void>,
): Promise<RangeOutcome> {
  const { checkpoints: live, bound, pageSize } = task;
  let receipts = 0;
  let previous = task.previous;
  let expectedSeq = BigInt(task.afterSeq) + 1n;
  let index = 0;
  let leaves: Buffer[] = [];
  // The next page is read while this one is hashed: the database and the hashing overlap. Bodies
  // come as their stored bytes: text would be decoded by the client (a leading BOM dropped, a
  // session's client_encoding converting) before it was hashed.
  const readPage = async (after: bigint): Promise<Page> => {
    const seals = await db.query<SealRow[]>(
      `SELECT s.seq, s.receipt_id, s.response_id, s.response_recorded_at, s.checkpoint_id, s.leaf_hash, s.chain_hash, r.id,
         r.recorded_at, r.entry_kind, r.outcome,
         r.user_subject, r.agency_id, r.case_system_id, r.child_id, r.record_kind, r.record_id, r.record_version,
         r.owning_agency_id, r.purpose, r.break_glass, r.after_allocation_ended, r.correlation_id, r.body
       FROM disclosure_seal s LEFT JOIN disclosure_receipt r ON r.id = s.receipt_id
       WHERE s.seq > $1 AND ($3::bigint IS NULL OR s.seq <= $3::bigint) ORDER BY s.seq LIMIT $2`,
      [after.toString(), pageSize, bound],
    );
    return { seals, responses: await readResponses(db, seals) };
  };
  const prefetch = (after: bigint) => {
    const read = readPage(after);
    // A run that stops at a problem leaves the page in flight unread; its failure is not unhandled.
    read.catch(() => undefined);
    return read;
  };
  let next = prefetch(expectedSeq - 1n);
  try {
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
        if (seq === BigInt(checkpoint.last_seq)) {
          if (!merkleRoot(leaves).equals(checkpoint.merkle_root))
            fail(null, row.seq, checkpoint.id, "the batch's Merkle root does not match its checkpoint");
          if (!checkpoint.chain_head.equals(link))
            fail(null, row.seq, checkpoint.id, 'the chain head does not match its checkpoint');
          leaves = [];
          index += 1;
        }
      }
      await onPage(receipts);
    }
    if (index < live.length) {
      // Read on its own, this stretch stops at its bound; read in one go, the next seal would come
      // here. Named as that run names it.
      if (task.following) await failAtNextSeal(db, expectedSeq, task.following.bound);
      const missing = live[index];
      fail(null, missing?.first_seq ?? null, missing?.id ?? null, 'a checkpoint covers entries that are no longer in the log');
    }
  } catch (error) {
    if (error instanceof Failure) return { receipts, head: previous, problem: error.detail };
    throw error;
  }
  return { receipts, head: previous, problem: null };
}

/** The seal after a gap at the end of a stretch, as the whole run would have met it. */
async function failAtNextSeal(db: Queryable, expectedSeq: bigint, bound: string | null): Promise<void> {
  const [row] = await db.query<{ seq: string; receipt_id: string | null; checkpoint_id: number }[]>(
    `SELECT seq, receipt_id, checkpoint_id FROM disclosure_seal
     WHERE seq >= $1 AND ($2::bigint IS NULL OR seq <= $2::bigint) ORDER BY seq LIMIT 1`,
    [expectedSeq.toString(), bound],
  );
  if (row)
    fail(
      row.receipt_id,
      row.seq,
      row.checkpoint_id,
      `sequence jumps from ${expectedSeq - 1n} to ${row.seq}: entries are missing`,
    );
}

/** The dictionary the responses' numbers refer to, every entry checked to be canonical JSON. */
export async function loadDictionary(db: Queryable): Promise<StoredDictionary> {
  const dictionary = new StoredDictionary({
    all: async () => (await db.query<EntryRow[]>(ALL_ENTRIES)).map(entryOf),
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
async function readResponses(db: Queryable, seals: readonly SealRow[]): Promise<Map<string, ResponseRow>> {
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
  const rows = await db.query<ResponseRow[]>(
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
