import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AppConfig } from 'src/config/app-config.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { type CheckpointStatement, statementBytes } from 'src/disclosure/chain/checkpoint-statement.js';
import { chainHash, GENESIS, leafHash, merkleRoot, sha256Hex } from 'src/disclosure/chain/hashing.js';
import { MAX_ENTRIES } from 'src/disclosure/compact/response-columns.js';

/** Shared with tandem_purge_disclosures: one sealer (or retention run) at a time, across instances. */
export const SEALER_LOCK_KEY = 7_284_117_204;

/**
 * Takes compact responses off their queue and reads them, as the receipts are taken: each by its id
 * and time (an id is unique only within a month's partition), the range of the batch's months
 * pruning the other partitions. Only responses numbered $2 or later (0: all; see LATE_COMMIT_WINDOW).
 */
const TAKE_RESPONSES = `WITH taken AS (
  DELETE FROM disclosure_response_pending WHERE response_id IN (
    SELECT response_id FROM disclosure_response_pending WHERE response_id >= $2 ORDER BY response_id LIMIT $1 FOR UPDATE SKIP LOCKED
  ) RETURNING response_id, recorded_at
)
SELECT p.id, p.recorded_at, p.entries, p.body FROM disclosure_response p
WHERE p.id = ANY (ARRAY(SELECT response_id FROM taken))
  AND p.recorded_at >= (SELECT min(recorded_at) FROM taken) AND p.recorded_at <= (SELECT max(recorded_at) FROM taken)
  AND (p.id, p.recorded_at) IN (SELECT response_id, recorded_at FROM taken)
ORDER BY p.id`;

export interface SealResult {
  readonly receipts: number;
  readonly checkpointId: number | null;
  /** Fewer rows were waiting than a batch holds: the queue was empty once this batch was taken. */
  readonly drained: boolean;
}

const NOTHING: SealResult = { receipts: 0, checkpointId: null, drained: true };

/**
 * The loop's passes take responses from this far below the newest one sealed (by anyone), not from
 * the queue's start: the queue's deleted rows stay in its index until a vacuum, and with autovacuum
 * off (or behind) a take from the start walked all of them (25 ms a pass after 300,000 responses,
 * growing with the log). A response is numbered (MAX_ENTRIES numbers of the receipts' sequence
 * each) before it commits, so one may commit below the newest sealed: the window (20,000
 * responses) catches those, and a pass from the start once a minute anything later still.
 */
export const LATE_COMMIT_WINDOW = 20_000n * BigInt(MAX_ENTRIES);
const FROM_START_EVERY_MS = 60_000;

/** Where a batch takes responses from: the queue's start, or LATE_COMMIT_WINDOW below the newest sealed. */
export type SealScope = 'all' | 'recent';

/**
 * Where the loop's passes take responses from (an SQL expression): LATE_COMMIT_WINDOW below the
 * newest response sealed, on the seals' index, so shared by every instance and only as committed.
 * The anomaly scan reads the queue's oldest waiting response from the same place.
 */
export const RECENT_RESPONSES_FROM = `greatest((SELECT coalesce(max(response_id), 0) FROM disclosure_seal WHERE response_id IS NOT NULL) - ${LATE_COMMIT_WINDOW}, 0)`;

/**
 * Chains committed receipts in batches, away from the requests that wrote them (so requests never
 * queue on the chain head): takes a batch off the queue, links each receipt's leaf hash into the
 * chain, and signs a checkpoint over the batch's Merkle root. One sealer at a time, by advisory
 * lock; the queue rows are taken with SKIP LOCKED, so other instances simply find nothing to do.
 * Runs every AUDIT_SEAL_INTERVAL_MS (0: only when called), sealing what waits then; under load it
 * does not go round again at once for what arrived meanwhile (that was a batch of a few dozen
 * responses some 20 times a second, ten statements and a signature each), but waits its interval.
 */
@Injectable()
export class SealerService extends BackgroundWorker {
  /** The last batch asked for: each waits for the one before, whoever asked (the loop, the CLI, a test). */
  private batches: Promise<unknown> = Promise.resolve();
  private partitionsAddedAt = -Infinity;
  /**
   * When this instance last drained the queue from its start while holding the lock, on the
   * monotonic clock (performance.now()): a wall clock set back must not put the next such pass off.
   */
  private drainedFromStartAt = -Infinity;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(CheckpointKey) private readonly key: CheckpointKey,
  ) {
    super('Sealing');
  }

  protected intervalMs(): number {
    return this.config.audit.sealIntervalMs;
  }

  /** Seals full batches until one finds fewer waiting (the rest waits for the next pass); at shutdown, stops after the batch in progress. */
  protected async pass(): Promise<void> {
    await this.addPartitions();
    const scope = this.scopeAt(performance.now());
    while (!this.isStopped) {
      const { drained } = await this.sealBatch(scope);
      if (drained) return;
    }
  }

  /**
   * The scope of a pass of the loop at `now` (performance.now()): from the start when this instance
   * has not drained the queue from its start, holding the lock, for a minute; else the recent ones.
   */
  scopeAt(now: number): SealScope {
    return now - this.drainedFromStartAt >= FROM_START_EVERY_MS ? 'all' : 'recent';
  }

  /**
   * The compact log's months ahead, at most once an hour: partitions are added two months before
   * they are needed, so one is always there (responses of a month without one go to the default
   * partition, which keeps them, and that month is then never split off). Never throws: sealing
   * goes on whatever happens here, and a failed attempt is tried again at the next pass.
   */
  async addPartitions(now: number = Date.now()): Promise<void> {
    if (now - this.partitionsAddedAt < 3_600_000) return;
    try {
      await this.dataSource.query('SELECT tandem_add_response_partitions(2)');
      this.partitionsAddedAt = now;
    } catch (error) {
      this.logger.warn(`Could not add the compact log's partitions: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Lets a batch asked for outside the loop (the CLI, a test) finish before the database closes. */
  protected override async stop(): Promise<void> {
    await this.batches;
  }

  /** Seals until the queue is empty (tests and benchmarks). */
  async sealAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { receipts } = await this.sealBatch();
      total += receipts;
      if (receipts === 0) return total;
    }
  }

  /**
   * Seals one batch (of every waiting response by default, see SealScope); nothing when another
   * sealer holds the lock or the queue is empty.
   */
  sealBatch(scope: SealScope = 'all'): Promise<SealResult> {
    const run = this.batches.then(async () => {
      const startedAt = performance.now();
      const { result, locked } = await this.dataSource.transaction((manager) => this.sealIn(manager, new Date(), scope));
      // Committed, from the start, and nothing left: whatever committed before it began is sealed.
      if (scope === 'all' && locked && result.drained) this.drainedFromStartAt = startedAt;
      return result;
    });
    this.batches = run.catch(() => undefined);
    return run;
  }

  /** One batch inside the caller's transaction; `signedAt` is for tests of retention only. */
  async seal(manager: EntityManager, signedAt: Date = new Date()): Promise<SealResult> {
    return (await this.sealIn(manager, signedAt, 'all')).result;
  }

  /** One batch of `scope`, and whether it held the lock. */
  private async sealIn(
    manager: EntityManager,
    signedAt: Date,
    scope: SealScope,
  ): Promise<{ result: SealResult; locked: boolean }> {
    const [lock] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      SEALER_LOCK_KEY,
    ]);
    if (!lock?.locked) return { result: NOTHING, locked: false };
    let from = 0n;
    if (scope === 'recent') {
      const [recent] = await manager.query<{ start: string }[]>(`SELECT (${RECENT_RESPONSES_FROM})::text AS start`);
      from = BigInt(recent?.start ?? '0');
    }
    // One statement: take a batch off the queue (rows another sealer holds are skipped) and read it.
    // `= ANY (ARRAY(…))` keeps the read on the primary key: a join to the CTE is planned for the
    // whole LIMIT and chose a full scan of the log.
    const receipts = await manager.query<{ id: string; body: Buffer }[]>(
      `WITH taken AS (
         DELETE FROM disclosure_pending WHERE receipt_id IN (
           SELECT receipt_id FROM disclosure_pending ORDER BY receipt_id LIMIT $1 FOR UPDATE SKIP LOCKED
         ) RETURNING receipt_id
       )
       SELECT r.id, r.body FROM disclosure_receipt r WHERE r.id = ANY (ARRAY(SELECT receipt_id FROM taken)) ORDER BY r.id`,
      [this.config.audit.sealBatchSize],
    );
    const responses =
      receipts.length < this.config.audit.sealBatchSize
        ? await manager.query<{ id: string; recorded_at: Date; entries: number; body: Buffer }[]>(TAKE_RESPONSES, [
            this.config.audit.sealBatchSize - receipts.length,
            from.toString(),
          ])
        : [];
    if (receipts.length === 0 && responses.length === 0) return { result: NOTHING, locked: true };
    const [previous] = await manager.query<{ id: number; last_seq: string; chain_head: Buffer; statement: Buffer }[]>(
      'SELECT id, last_seq, chain_head, statement FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1',
    );
    let seq = BigInt(previous?.last_seq ?? '0');
    let head = previous?.chain_head ?? GENESIS;
    const checkpointId = (previous?.id ?? 0) + 1;
    const firstSeq = seq + 1n;
    const leaves: Buffer[] = [];
    const seals = {
      seq: [] as string[],
      receipt: [] as (string | null)[],
      response: [] as (string | null)[],
      responseAt: [] as (Date | null)[],
      leaf: [] as Buffer[],
      chain: [] as Buffer[],
    };
    const link = (body: Buffer, receipt: string | null, response: { id: string; recorded_at: Date } | null) => {
      seq += 1n;
      const leaf = leafHash(body);
      head = chainHash(head, leaf, seq);
      leaves.push(leaf);
      seals.seq.push(seq.toString());
      seals.receipt.push(receipt);
      seals.response.push(response?.id ?? null);
      seals.responseAt.push(response?.recorded_at ?? null);
      seals.leaf.push(leaf);
      seals.chain.push(head);
    };
    for (const receipt of receipts) link(receipt.body, receipt.id, null);
    for (const response of responses) link(response.body, null, response);
    await manager.query(
      `INSERT INTO disclosure_seal (seq, receipt_id, response_id, response_recorded_at, checkpoint_id, leaf_hash, chain_hash)
       SELECT seq, receipt_id, response_id, response_recorded_at, $5, leaf_hash, chain_hash
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[], $6::bytea[], $7::bytea[])
         AS t(seq, receipt_id, response_id, response_recorded_at, leaf_hash, chain_hash)`,
      [seals.seq, seals.receipt, seals.response, seals.responseAt, checkpointId, seals.leaf, seals.chain],
    );
    const statement: CheckpointStatement = {
      v: 1,
      log: 'tandem-disclosures',
      checkpoint: checkpointId,
      firstSeq: firstSeq.toString(),
      lastSeq: seq.toString(),
      treeSize: leaves.length,
      merkleRoot: merkleRoot(leaves).toString('hex'),
      chainHead: head.toString('hex'),
      previous: previous ? sha256Hex(previous.statement) : null,
      signedAt: signedAt.toISOString(),
      keyId: this.key.keyId,
    };
    const bytes = statementBytes(statement);
    await manager.query(
      `INSERT INTO audit_signing_key (key_id, public_key_pem, first_used_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING`,
      [this.key.keyId, this.key.publicKeyPem(), signedAt],
    );
    await manager.query(
      `INSERT INTO disclosure_checkpoint (id, first_seq, last_seq, merkle_root, chain_head, signed_at, key_id, statement, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        checkpointId,
        statement.firstSeq,
        statement.lastSeq,
        Buffer.from(statement.merkleRoot, 'hex'),
        head,
        signedAt,
        this.key.keyId,
        bytes,
        this.key.sign(bytes),
      ],
    );
    return {
      result: {
        receipts: receipts.length + responses.reduce((sum, response) => sum + response.entries, 0),
        checkpointId,
        drained: receipts.length + responses.length < this.config.audit.sealBatchSize,
      },
      locked: true,
    };
  }
}
