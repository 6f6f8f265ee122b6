/**
 * The duties part of `npm run bench` (BENCH_ONLY=duties), on a database of its own with the demo data
 * and BENCH_DUTY_CHILDREN (default 100,000) children known to Derby's YOS and CSC:
 *
 * - opening: BENCH_DUTY_EVENTS (default 2,000) remands to YDA, each a committed REMAND_RECORDED event
 *   the duties engine reads through the running application (ObligationProcessor), opening four
 *   duties each; it prints events/s and milliseconds per event;
 * - sweeping: four open duties for every child (400,000 at the default), due over 60 days; the clock
 *   is moved so that 1% fall due, and ObligationSweeper moves them; it prints the duties moved per
 *   second, and the plan of the sweep's query (which must be index-bound, never a scan of the table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/common/clock/clock.js';
import { AppConfig } from '../src/config/app-config.js';
import { OpenDatabase } from '../src/database/data-source.js';
import { ObligationProcessor } from '../src/obligations/obligation-processor.service.js';
import { ObligationSweeper } from '../src/obligations/obligation-sweeper.service.js';
import { seedDemoData } from '../src/seed/demo-seed.js';

const CHILDREN = Number(process.env.BENCH_DUTY_CHILDREN ?? 100_000);
const EVENTS = Number(process.env.BENCH_DUTY_EVENTS ?? 2_000);
const DERBY_YOS = '00000000-0000-4000-8000-000000000101';
const DERBY_CSC = '00000000-0000-4000-8000-000000000102';

const fmt = (value: number) => Math.round(value).toLocaleString('en-GB');
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function benchDuties(url: string, pem: string): Promise<boolean> {
  console.log(`Duties on ${fmt(CHILDREN)} children (a database of its own):`);
  const database = await OpenDatabase.open({ url, poolSize: 8 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-duties-'));
  try {
    await database.migrate();
    await seedDemoData(database.dataSource);
    const query = <T>(sql: string, parameters?: unknown[]) => database.dataSource.query<T[]>(sql, parameters);
    await query(
      `INSERT INTO child (id, given_name, family_name, date_of_birth, version)
       SELECT md5('duty-child-' || n)::uuid, 'Bench', 'Child ' || n, DATE '2009-01-01' + (n % 1500), 1 FROM generate_series(1, $1) n`,
      [CHILDREN],
    );
    await query(
      `INSERT INTO agency_involvement (child_id, agency_id, role, start_date)
       SELECT md5('duty-child-' || n)::uuid, a.id, a.role::involvement_role, DATE '2024-01-08'
         FROM generate_series(1, $1) n, (VALUES ($2::uuid, 'YOS_HOME'), ($3::uuid, 'CSC')) a(id, role)`,
      [CHILDREN, DERBY_YOS, DERBY_CSC],
    );
    // Four open duties a child, due from 3 May 2024 over 60 days: what the sweep must not scan.
    await query(
      `INSERT INTO obligation (child_id, definition_id, policy, title, citation, state, owner_agency_id, trigger_event_id,
                               trigger_type, trigger_date, due_at, due_soon_at, due_explanation, next_check_at, version)
       SELECT md5('duty-child-' || n)::uuid, d, 'derby-responsibility@v2', 'Bench duty', 'bench', 'OPEN', $2::uuid, md5('duty-event-' || n || d)::uuid,
              'REMAND_RECORDED', DATE '2024-05-03', t, t - interval '2 days', 'bench', t - interval '2 days', 1
         FROM generate_series(1, $1) n, unnest(ARRAY['D30-REMAND', 'D31-REMAND', 'D32-REMAND', 'L2-ALLOCATE']) d,
              LATERAL (SELECT TIMESTAMPTZ '2024-05-05 22:59:59+00' + ((n * 7 + length(d)) % 60) * interval '1 day') due(t)`,
      [CHILDREN, DERBY_CSC],
    );
    await query('ANALYZE obligation');
    await query('ANALYZE domain_event');

    const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'development',
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      AUDIT_SIGNING_KEY: pem,
      NOTIFY_POLL_MS: '0',
      AUDIT_SEAL_INTERVAL_MS: '0',
    });
    const app = await createApp(config, { database, logger: false, clock });
    try {
      // Opening: remands recorded as the YOS would, read by the engine.
      await query(
        `WITH e AS (
           INSERT INTO legal_status_episode (child_id, dimension, basis, outcome, start_date, recorded_by, recorded_by_agency_id, requirements)
           SELECT md5('duty-child-' || n)::uuid, 'JUSTICE', 'REMAND_YOUTH_DETENTION_ACCOMMODATION', 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
                  DATE '2024-05-03', 'bench', $2::uuid, '{}' FROM generate_series(1, $1) n
           RETURNING *)
         INSERT INTO domain_event (event_id, type, child_id, subject_kind, subject_id, subject_version, facts, occurred_at,
                                   recorded_by_subject, recorded_by_name, recorded_by_agency_id, correlation_id)
         SELECT gen_random_uuid(), 'REMAND_RECORDED', e.child_id, 'LEGAL_STATUS', e.id, NULL,
                jsonb_build_object('episode', jsonb_build_object('id', e.id, 'childId', e.child_id, 'basis', e.basis, 'startDate', e.start_date,
                  'endDate', NULL, 'sourceEvent', NULL, 'recordedBy', 'bench', 'recordedByAgencyId', e.recorded_by_agency_id,
                  'recordedAt', e.recorded_at, 'dimension', e.dimension, 'outcome', e.outcome, 'requirements', '[]'::jsonb),
                  'previousBasis', NULL),
                now(), 'bench', 'Bench', e.recorded_by_agency_id, 'bench'
           FROM e`,
        [EVENTS, DERBY_YOS],
      );
      const processor = app.get(ObligationProcessor);
      const openStarted = process.hrtime.bigint();
      while ((await processor.processBatch()) > 0);
      const openSeconds = since(openStarted);
      const [opened] = await query<{ count: number }>(
        `SELECT count(*)::int AS count FROM obligation
          WHERE citation <> 'bench' AND child_id IN (SELECT child_id FROM domain_event WHERE recorded_by_subject = 'bench')`,
      );
      console.log(
        `  opening: ${fmt(EVENTS)} remands read in ${openSeconds.toFixed(1)} s (${fmt(EVENTS / openSeconds)} events/s, ${((openSeconds * 1000) / EVENTS).toFixed(2)} ms an event), ${fmt(opened?.count ?? 0)} duties opened`,
      );

      // Sweeping: move the clock so that about 1% of the waiting duties fall due (or due soon).
      const [{ total } = { total: 0 }] = await query<{ total: number }>(
        `SELECT count(*)::int AS total FROM obligation WHERE state = 'OPEN'`,
      );
      const [{ at } = { at: new Date() }] = await query<{ at: Date }>(
        `SELECT next_check_at AS at FROM obligation WHERE state = 'OPEN' ORDER BY next_check_at OFFSET (SELECT (count(*) / 100)::int FROM obligation WHERE state = 'OPEN') LIMIT 1`,
      );
      const plan = await query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM obligation o WHERE o.state IN ('OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED') AND o.next_check_at IS NOT NULL AND o.next_check_at <= $1 AND o.owner_agency_id = $2 ORDER BY o.next_check_at LIMIT 200`,
        [at, DERBY_CSC],
      );
      clock.set(at);
      const sweeper = app.get(ObligationSweeper);
      const sweepStarted = process.hrtime.bigint();
      let moved = 0;
      for (let batch = await sweeper.sweep(); batch > 0; batch = await sweeper.sweep()) moved += batch;
      const sweepSeconds = since(sweepStarted);
      const lines = plan.map((row) => row['QUERY PLAN']);
      const indexed = lines.some((line) => line.includes('Index')) && !lines.some((line) => line.includes('Seq Scan'));
      console.log(
        `  sweeping: ${fmt(moved)} of ${fmt(total)} waiting duties moved in ${sweepSeconds.toFixed(1)} s (${fmt(moved / sweepSeconds)} duties/s); the query ${indexed ? 'is index-bound' : 'SCANS the table'}:`,
      );
      for (const row of plan) console.log(`    ${row['QUERY PLAN']}`);
      return indexed && moved > 0;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
