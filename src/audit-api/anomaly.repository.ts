import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bankHolidaysBetween } from 'src/common/time/working-days.js';

export interface AnomalyRow {
  id: string;
  kind: string;
  user_subject: string;
  agency_id: string;
  child_id: string | null;
  window_start: Date;
  window_end: Date;
  count: number;
  first_receipt_id: string;
  detected_at: Date;
  disposition: string | null;
  note: string | null;
  auditor_name: string | null;
  disposed_at: Date | null;
}

export interface Thresholds {
  readonly windowMinutes: number;
  readonly children: number;
  readonly outOfHours: number;
  readonly workStart: string;
  readonly workEnd: string;
}

/**
 * The key of a per-request flag (break-glass, after an allocation ended, a refused emergency
 * look-up): the kind, the request's correlation id (client-supplied, so length-prefixed: no two
 * requests share a key whatever their ids hold), the user, the child. `kind`: an SQL expression.
 */
export function requestFlagKey(kind: string): string {
  return `${kind} || ':' || length(correlation_id) || ':' || correlation_id || ':' || user_subject || ':' || coalesce(child_id::text, '')`;
}

/**
 * Both detections (ranged and incremental) may reach the same request: each keeps the larger
 * count it saw, so neither adds what the other counted. Returns whether the flag is new.
 */
export const REQUEST_FLAG_CONFLICT = `ON CONFLICT (key) DO UPDATE SET count = greatest(disclosure_anomaly.count, excluded.count),
  window_start = least(disclosure_anomaly.window_start, excluded.window_start),
  window_end = greatest(disclosure_anomaly.window_end, excluded.window_end),
  first_receipt_id = least(disclosure_anomaly.first_receipt_id, excluded.first_receipt_id)
RETURNING (xmax = 0) AS inserted`;

/** Anomaly detection over a time range of the log, idempotent by each flag's key. */
@Injectable()
export class AnomalyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async detect(from: Date, to: Date, thresholds: Thresholds): Promise<number> {
    const range = [from, to];
    let flagged = 0;
    // Each with the row's flag that says some entry of it has the entry's (indexed for break-glass).
    for (const [kind, column, rowColumn] of [
      ['BREAK_GLASS', 'break_glass', 'any_break_glass'],
      ['AFTER_ALLOCATION_ENDED', 'after_allocation_ended', 'flagged'],
    ] as const) {
      // One flag per request and child: the receipts of one read belong together.
      const rows = await this.dataSource.query<{ inserted: boolean }[]>(
        `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)
         SELECT '${kind}', ${requestFlagKey(`'${kind}'`)}, user_subject, min(agency_id::text)::uuid, child_id,
           min(recorded_at), max(recorded_at), count(*), min(id), now()
         FROM disclosure_entry
         WHERE ${column} AND ${rowColumn} AND entry_kind = 'DISCLOSURE' AND recorded_at >= $1 AND recorded_at < $2
         GROUP BY correlation_id, user_subject, child_id
         ${REQUEST_FLAG_CONFLICT}`,
        range,
      );
      flagged += rows.filter((row) => row.inserted).length;
    }
    // An emergency look-up that was refused (no emergency clause, over the hourly rate, out of reach, or no such child).
    const refused = await this.dataSource.query<{ inserted: boolean }[]>(
      `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)
       SELECT 'BREAK_GLASS_REFUSED', ${requestFlagKey(`'BREAK_GLASS_REFUSED'`)},
         user_subject, min(agency_id::text)::uuid, child_id, min(recorded_at), max(recorded_at), count(*), min(id), now()
       FROM disclosure_entry
       WHERE entry_kind = 'CONSULTATION' AND flagged AND purpose = 'EMERGENCY' AND recorded_at >= $1 AND recorded_at < $2
       GROUP BY correlation_id, user_subject, child_id
       ${REQUEST_FLAG_CONFLICT}`,
      range,
    );
    flagged += refused.filter((row) => row.inserted).length;
    // Outside working hours (Europe/London), at the weekend or on a bank holiday, more records than the threshold in one hour.
    const outOfHours = await this.dataSource.query<unknown[]>(
      `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)
       SELECT 'OUT_OF_HOURS_BULK', 'OUT_OF_HOURS_BULK:' || user_subject || ':' || hour::text, user_subject, min(agency_id::text)::uuid, NULL,
         hour, hour + interval '1 hour', count(*), min(id), now()
       FROM (
         SELECT id, user_subject, agency_id, date_trunc('hour', recorded_at) AS hour,
           (recorded_at AT TIME ZONE 'Europe/London') AS local_time
         FROM disclosure_entry
         WHERE entry_kind = 'DISCLOSURE' AND recorded_at >= $1 AND recorded_at < $2
       ) r
       WHERE extract(isodow FROM local_time) >= 6 OR local_time::time < $3::time OR local_time::time >= $4::time
         OR local_time::date = ANY($6::date[])
       GROUP BY user_subject, hour
       HAVING count(*) > $5
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [...range, thresholds.workStart, thresholds.workEnd, thresholds.outOfHours, bankHolidaysBetween(from, to)],
    );
    const manyChildren = await this.dataSource.query<unknown[]>(
      `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)
       SELECT 'MANY_CHILDREN', 'MANY_CHILDREN:' || user_subject || ':' || bucket::text, user_subject, min(agency_id::text)::uuid, NULL,
         bucket, bucket + make_interval(mins => $3), count(DISTINCT child_id), min(id), now()
       FROM (
         SELECT id, user_subject, agency_id, child_id,
           to_timestamp(floor(extract(epoch FROM recorded_at) / ($3 * 60)) * ($3 * 60)) AS bucket
         FROM disclosure_entry
         WHERE entry_kind = 'DISCLOSURE' AND child_id IS NOT NULL AND recorded_at >= $1 AND recorded_at < $2
       ) r
       GROUP BY user_subject, bucket
       HAVING count(DISTINCT child_id) > $4
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [...range, thresholds.windowMinutes, thresholds.children],
    );
    return flagged + outOfHours.length + manyChildren.length;
  }

  /** `agencyIds`: only flags an auditor's scope of these agencies covers (inScope); all when absent. */
  list(
    kind: string | undefined,
    undisposedOnly: boolean,
    limit: number,
    beforeDetected?: { at: string; id: string },
    agencyIds?: readonly string[],
  ) {
    const parameters: unknown[] = [limit];
    const conditions: string[] = [];
    if (agencyIds) {
      parameters.push(agencyIds);
      conditions.push(inScope(parameters.length));
    }
    if (kind) {
      parameters.push(kind);
      conditions.push(`a.kind = $${parameters.length}`);
    }
    if (undisposedOnly) conditions.push('d.disposition IS NULL');
    if (beforeDetected) {
      parameters.push(beforeDetected.at, beforeDetected.id);
      conditions.push(`(a.detected_at, a.id) < ($${parameters.length - 1}::timestamptz, $${parameters.length}::uuid)`);
    }
    return this.dataSource.query<AnomalyRow[]>(
      `SELECT a.*, d.disposition, d.note, d.auditor_name, d.recorded_at AS disposed_at
       FROM disclosure_anomaly a
       LEFT JOIN LATERAL (
         SELECT disposition, note, auditor_name, recorded_at FROM anomaly_disposition
         WHERE anomaly_id = a.id ORDER BY recorded_at DESC LIMIT 1
       ) d ON true
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY a.detected_at DESC, a.id DESC LIMIT $1`,
      parameters,
    );
  }

  async exists(id: string, agencyIds?: readonly string[]): Promise<boolean> {
    const rows = agencyIds
      ? await this.dataSource.query<unknown[]>(`SELECT 1 FROM disclosure_anomaly a WHERE a.id = $1 AND ${inScope(2)}`, [
          id,
          agencyIds,
        ])
      : await this.dataSource.query<unknown[]>('SELECT 1 FROM disclosure_anomaly WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /**
   * Whether an auditor whose scope is `agencyIds` may dispose of the flag: one on their agencies'
   * users, or about a child one of their agencies was involved with before the flagged access (an
   * involvement made afterwards, by a link, say, lets them see the flag, not close it for the others).
   */
  async disposable(id: string, agencyIds: readonly string[]): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM disclosure_anomaly a WHERE a.id = $1 AND (a.agency_id = ANY($2::uuid[]) OR (a.child_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM agency_involvement i
         WHERE i.child_id = a.child_id AND i.agency_id = ANY($2::uuid[]) AND i.created_at <= a.window_start)))`,
      [id, agencyIds],
    );
    return rows.length > 0;
  }

  /** The database's clock, which stamps each flag's `detected_at`. */
  async now(): Promise<Date> {
    const [row] = await this.dataSource.query<{ now: Date }[]>('SELECT now() AS now');
    return row?.now ?? new Date(0);
  }

  /** How many flags detected since `since` the scope covers (all when `agencyIds` is absent). */
  async countDetectedSince(since: Date, agencyIds?: readonly string[]): Promise<number> {
    const [row] = agencyIds
      ? await this.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM disclosure_anomaly a WHERE a.detected_at >= $1 AND ${inScope(2)}`,
          [since, agencyIds],
        )
      : await this.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM disclosure_anomaly WHERE detected_at >= $1',
          [since],
        );
    return row?.n ?? 0;
  }

  async dispose(entry: { anomalyId: string; disposition: string; note: string; subject: string; name: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO anomaly_disposition (anomaly_id, disposition, note, auditor_subject, auditor_name, recorded_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [entry.anomalyId, entry.disposition, entry.note, entry.subject, entry.name],
    );
  }
}

/**
 * Flags an auditor's scope (the agencies whose ids are parameter `$n`) covers: those on its
 * agencies' users, and those about a child one of its agencies is or was involved with (another
 * authority's user's emergency read of their child, refused or not), as the log's entries are
 * covered by recipient or owner.
 */
function inScope(n: number): string {
  return `(a.agency_id = ANY($${n}::uuid[]) OR (a.child_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM agency_involvement i WHERE i.child_id = a.child_id AND i.agency_id = ANY($${n}::uuid[]))))`;
}
