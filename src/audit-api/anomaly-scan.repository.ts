import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RECENT_RESPONSES_FROM } from 'src/disclosure/chain/sealer.service.js';
import { REQUEST_FLAG_CONFLICT, requestFlagKey, type Thresholds } from 'src/audit-api/anomaly.repository.js';

/** One scan at a time across instances (the sealer's key + 1). */
export const ANOMALY_SCAN_LOCK_KEY = 7_284_117_205;

export interface ScanStep {
  /** Receipts examined in this step (0: the scan has caught up with the chain). */
  readonly examined: number;
  /** Flags raised for the first time. */
  readonly flagged: number;
  /** The chain position the scan has now read up to. */
  readonly lastSeq: string;
}

const DAY_MS = 86_400_000;

/**
 * The entries the seals (`s`) matching `where` cover, as rows of the log's entry views (`r`): a
 * seal's receipt, or each entry of its response (by id and month: an id is unique only within a
 * month's partition). Each seal looks its row up by primary key, whatever the statistics say:
 * as a join, a log whose statistics were stale (autovacuum off or behind) was hashed whole, a
 * full scan of the month's partition at every step (600 ms at 350,000 responses, growing with
 * the log). `OFFSET 0` keeps each look-up a subquery of its own, run once per seal.
 */
export const SEALED_ENTRIES = (columns: string, where: string): string =>
  `SELECT ${columns} FROM disclosure_seal s
    CROSS JOIN LATERAL (SELECT * FROM disclosure_receipt_entry e WHERE e.base = s.receipt_id OFFSET 0) r
    WHERE s.receipt_id IS NOT NULL AND (${where})
  UNION ALL
  SELECT ${columns} FROM disclosure_seal s
    CROSS JOIN LATERAL (
      SELECT * FROM disclosure_response_entry e WHERE e.base = s.response_id AND e.recorded_at = s.response_recorded_at OFFSET 0
    ) r WHERE s.response_id IS NOT NULL AND (${where})`;

/** The request (correlation id) of what the seal `s` covers. */
const SEALED_REQUEST = `coalesce(
  (SELECT x.correlation_id FROM disclosure_receipt x WHERE x.id = s.receipt_id),
  (SELECT x.correlation_id FROM disclosure_response x WHERE x.id = s.response_id AND x.recorded_at = s.response_recorded_at))`;

/** When what the seal `s` covers was recorded. */
const SEALED_AT = `coalesce(s.response_recorded_at, (SELECT x.recorded_at FROM disclosure_receipt x WHERE x.id = s.receipt_id))`;

/** The flag columns, in the order every insert below gives them. */
const FLAG = `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)`;

/** Adds a step's counts (CTE `hits`) to the running ones and raises (or updates) the flags over the threshold. */
const raise = (hits: string, kind: string, windowEnd: string, threshold: string) => `${hits}_counted AS (
  INSERT INTO anomaly_bucket (kind, user_subject, bucket_start, agency_id, count, first_receipt_id)
  SELECT '${kind}', user_subject, bucket_start, agency_id, n, first_id FROM ${hits}
  ON CONFLICT (kind, user_subject, bucket_start) DO UPDATE SET count = anomaly_bucket.count + excluded.count,
    first_receipt_id = least(anomaly_bucket.first_receipt_id, excluded.first_receipt_id)
  RETURNING user_subject, bucket_start, agency_id, count, first_receipt_id),
${hits}_flags AS (
  ${FLAG}
  SELECT '${kind}', '${kind}:' || user_subject || ':' || bucket_start::text, user_subject, agency_id, NULL, bucket_start, ${windowEnd},
    count, first_receipt_id, now()
  FROM ${hits}_counted WHERE count > ${threshold}
  ON CONFLICT (key) DO UPDATE SET count = greatest(disclosure_anomaly.count, excluded.count)
  RETURNING (xmax = 0) AS inserted)`;

/**
 * One step in one statement. `batch`: the receipts sealed after the watermark (`$1`, exclusive) up
 * to `$2`, in chain order, read once. Sequence numbers are gapless and one sealer commits them at a
 * time, so what is visible is always a prefix of the chain and nothing committed later can fall
 * behind the watermark. From them: each receipt adds to the flag of its request (the keys of a
 * ranged detection); disclosures out of working hours (`$3`/`$4`, Europe/London, weekends, the
 * bank holidays `$5`) add to their user's hour; children not yet counted in their user's window
 * (`$7` minutes) add to its count of distinct children; counts over their thresholds (`$6`, `$8`)
 * raise or update their flags. Returns how many flags are new.
 */
const STEP = `WITH batch AS MATERIALIZED (
  ${SEALED_ENTRIES('r.id, r.recorded_at, r.entry_kind, r.user_subject, r.agency_id, r.child_id, r.purpose, r.break_glass, r.after_allocation_ended, r.correlation_id', 's.seq > $1::bigint AND s.seq <= $2::bigint')}),
per_request AS (
  ${FLAG}
  SELECT kind, ${requestFlagKey('kind')}, user_subject, min(agency_id::text)::uuid,
    child_id, min(recorded_at), max(recorded_at), count(*), min(id), now()
  FROM (
    SELECT 'BREAK_GLASS' AS kind, * FROM batch WHERE break_glass AND entry_kind = 'DISCLOSURE'
    UNION ALL SELECT 'AFTER_ALLOCATION_ENDED', * FROM batch WHERE after_allocation_ended AND entry_kind = 'DISCLOSURE'
    UNION ALL SELECT 'BREAK_GLASS_REFUSED', * FROM batch WHERE entry_kind = 'CONSULTATION' AND purpose = 'EMERGENCY'
  ) flagged
  GROUP BY kind, correlation_id, user_subject, child_id
  ${REQUEST_FLAG_CONFLICT}),
night AS (
  SELECT user_subject, date_trunc('hour', recorded_at) AS bucket_start, min(agency_id::text)::uuid AS agency_id, count(*) AS n,
    min(id) AS first_id
  FROM (SELECT *, recorded_at AT TIME ZONE 'Europe/London' AS local_time FROM batch WHERE entry_kind = 'DISCLOSURE') b
  WHERE extract(isodow FROM local_time) >= 6 OR local_time::time < $3::time OR local_time::time >= $4::time
    OR local_time::date = ANY($5::date[])
  GROUP BY user_subject, date_trunc('hour', recorded_at)),
${raise('night', 'OUT_OF_HOURS_BULK', `bucket_start + interval '1 hour'`, '$6')},
seen AS (
  SELECT user_subject, to_timestamp(floor(extract(epoch FROM recorded_at) / ($7 * 60)) * ($7 * 60)) AS bucket_start, child_id,
    min(agency_id::text)::uuid AS agency_id, min(id) AS first_id
  FROM batch WHERE entry_kind = 'DISCLOSURE' AND child_id IS NOT NULL
  GROUP BY 1, 2, 3),
fresh AS (
  INSERT INTO anomaly_bucket_child (user_subject, bucket_start, child_id) SELECT user_subject, bucket_start, child_id FROM seen
  ON CONFLICT DO NOTHING RETURNING user_subject, bucket_start, child_id),
children AS (
  SELECT s.user_subject, s.bucket_start, min(s.agency_id::text)::uuid AS agency_id, count(*) AS n, min(s.first_id) AS first_id
  FROM fresh f JOIN seen s ON s.user_subject = f.user_subject AND s.bucket_start = f.bucket_start AND s.child_id = f.child_id
  GROUP BY s.user_subject, s.bucket_start),
${raise('children', 'MANY_CHILDREN', 'bucket_start + make_interval(mins => $7)', '$8')}
SELECT (SELECT count(*) FROM per_request WHERE inserted)
  + (SELECT count(*) FROM night_flags WHERE inserted)
  + (SELECT count(*) FROM children_flags WHERE inserted) AS flagged,
  (SELECT count(*) FROM batch) AS examined`;

/**
 * The incremental anomaly scan: each step reads the next receipts of the chain after the watermark,
 * adds them to the running counts, raises the flags they cross, and moves the watermark, all in one
 * transaction under an advisory lock (one instance scans; the others find the lock taken). Its
 * cost depends on how many receipts are new, not on the length of any window.
 */
@Injectable()
export class AnomalyScanRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** One step of at most `limit` receipts; null when another instance holds the scan. */
  step(limit: number, thresholds: Thresholds, bankHolidays: readonly string[]): Promise<ScanStep | null> {
    // Counts are kept for a day past the longest window (an hour, or the many-children window).
    const keepMs = DAY_MS + Math.max(60, thresholds.windowMinutes) * 60_000;
    return this.dataSource.transaction(async (manager) => {
      const [lock] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        ANOMALY_SCAN_LOCK_KEY,
      ]);
      if (!lock?.locked) return null;
      // The entries' view expands each response by generate_series, which the planner takes for a
      // thousand rows: a step looked costly enough to be compiled (JIT), tens of milliseconds more.
      await manager.query('SET LOCAL jit = off');
      const [state] = await manager.query<{ last_seq: string }[]>('SELECT last_seq FROM anomaly_scan_state WHERE id = 1');
      const from = state?.last_seq ?? '0';
      const [range] = await manager.query<{ to: string | null; examined: number }[]>(
        `SELECT max(seq)::text AS to, count(*)::int AS examined FROM disclosure_seal WHERE seq > $1::bigint AND seq <= $1::bigint + $2`,
        [from, limit],
      );
      if (!range?.to) return { examined: 0, flagged: 0, lastSeq: from };
      // A full step ends before a request whose receipts run on past it, so a request is counted in one step.
      const to = range.examined < limit ? range.to : await requestBoundary(manager, from, range.to);
      const [found] = await manager.query<{ flagged: string; examined: string }[]>(STEP, [
        from,
        to,
        thresholds.workStart,
        thresholds.workEnd,
        bankHolidays,
        thresholds.outOfHours,
        thresholds.windowMinutes,
        thresholds.children,
      ]);
      await saveWatermark(manager, to);
      await prune(manager, to, keepMs);
      return { examined: Number(found?.examined ?? 0), flagged: Number(found?.flagged ?? 0), lastSeq: to };
    });
  }
}

/**
 * The last position up to `to` whose receipt belongs to another request than the receipt after
 * `to` (sequence numbers are gapless); `to` itself when the whole step is one request.
 */
async function requestBoundary(manager: EntityManager, from: string, to: string): Promise<string> {
  const [row] = await manager.query<{ to: string | null }[]>(
    `SELECT max(s.seq)::text AS to FROM disclosure_seal s
     WHERE s.seq > $1::bigint AND s.seq <= $2::bigint AND ${SEALED_REQUEST} IS DISTINCT FROM (
       SELECT ${SEALED_REQUEST} FROM disclosure_seal s WHERE s.seq = $2::bigint + 1)`,
    [from, to],
  );
  return row?.to ?? to;
}

/**
 * Running counts whose window closed `keepMs` before the oldest receipt still to be scanned (the
 * next sealed one, or the first still waiting to be sealed; each by primary key, never a scan of
 * the log) can no longer be added to: dropped, under the scan's lock. Measured from the scan's
 * position, not the clock, so a backlog (the sealer stopped for a day) still meets its windows'
 * counts. The compact queue's responses are read from where the sealer's passes take them
 * (RECENT_RESPONSES_FROM), lowest ids first: its deleted rows stay until a vacuum, and a min() over
 * all of it read every one (60 ms a step at 450,000). One that commits further below is not seen
 * here: its counts are kept only if it was recorded less than a day before the scan's position
 * (the sealer's pass from the start takes it within about a minute). The JSON receipts' queue,
 * written only when a response cannot take the compact form, is still read from its start, as the
 * sealer reads it.
 */
async function prune(manager: EntityManager, lastSeq: string, keepMs: number): Promise<void> {
  const [oldest] = await manager.query<{ at: Date | null }[]>(
    `SELECT least(
       (SELECT ${SEALED_AT} FROM disclosure_seal s WHERE s.seq = $1::bigint + 1),
       (SELECT r.recorded_at FROM disclosure_receipt r WHERE r.id = (SELECT min(receipt_id) FROM disclosure_pending)),
       (SELECT min(q.recorded_at) FROM (
          SELECT p.recorded_at FROM disclosure_response_pending p
          WHERE p.response_id >= ${RECENT_RESPONSES_FROM}
          ORDER BY p.response_id LIMIT 1000) q),
       now()) AS at`,
    [lastSeq],
  );
  const before = new Date((oldest?.at ?? new Date()).getTime() - keepMs);
  await manager.query('DELETE FROM anomaly_bucket WHERE bucket_start < $1', [before]);
  await manager.query('DELETE FROM anomaly_bucket_child WHERE bucket_start < $1', [before]);
}

async function saveWatermark(manager: EntityManager, lastSeq: string): Promise<void> {
  await manager.query(
    `INSERT INTO anomaly_scan_state (id, last_seq, scanned_at) VALUES (1, $1, now())
     ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, scanned_at = excluded.scanned_at`,
    [lastSeq],
  );
}
