/**
 * `npm run bench:seed -- <children>`: a bench database on DATABASE_URL: the migrations, the demo
 * directory, then that many children known to Derby CSC and Derby YOS, each with three CSC plans
 * (one version each), allocated to the YOS case manager dana.hughes and to one of BENCH_READERS
 * more YOS case managers (bench.yos.NNN, child n to reader n mod BENCH_READERS). The product's own bench seeds
 * through this, and so does the peers harness (`npm run bench:seed`), so both read the same data.
 * A database that already holds bench children is left as it is. Runs the built code: `npm run build` first.
 */
import { pathToFileURL } from 'node:url';
import { OpenDatabase } from '../src/database/data-source.js';
import { seedDemoData } from '../src/seed/demo-seed.js';

const fmt = (value: number) => value.toLocaleString('en-GB');

/** YOS case managers who read the bench children besides dana.hughes (subjects bench.yos.000, .001, …). */
export const BENCH_READERS = 50;

/** The reader allocated to bench child n (its reference is BENCH-n, six digits). */
export function benchReader(n: number): string {
  return `bench.yos.${String(n % BENCH_READERS).padStart(3, '0')}`;
}

export async function seedBenchChildren(url: string, children: number): Promise<void> {
  const database = await OpenDatabase.open({ url });
  try {
    await database.migrate();
    await seedDemoData(database.dataSource);
    const [present] = await database.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM child_identifier WHERE value LIKE 'BENCH-%'`,
    );
    if ((present?.count ?? 0) > 0) {
      console.log(`${fmt(present?.count ?? 0)} bench children already present; nothing added`);
      return;
    }
    const started = Date.now();
    // Bulk children known to Derby CSC and Derby YOS, each with three CSC plans.
    await database.dataSource.query(
      `WITH kids AS (
         INSERT INTO child (given_name, family_name, date_of_birth, version)
         SELECT 'Child' || n, 'Bench' || lpad(n::text, 6, '0'), date '2008-01-01' + (n % 3000), 1 FROM generate_series(1, $1) AS n
         RETURNING id, family_name),
       refs AS (
         INSERT INTO child_identifier (child_id, case_system_id, value)
         SELECT kids.id, (SELECT cs.id FROM case_system cs WHERE cs.code = 'derby-yos-childview'), 'BENCH-' || substr(kids.family_name, 6) FROM kids
         RETURNING child_id),
       inv AS (
         INSERT INTO agency_involvement (child_id, agency_id, role, start_date)
         SELECT kids.id, a.id, CASE a.code WHEN 'derby-csc' THEN 'CSC'::involvement_role ELSE 'YOS_HOME'::involvement_role END, date '2026-01-01'
         FROM kids CROSS JOIN agency a WHERE a.code IN ('derby-csc', 'derby-yos')
         RETURNING child_id),
       alloc AS (
         INSERT INTO worker_allocation (child_id, practitioner_id, agency_id, role, start_date)
         SELECT kids.id, p.id, p.agency_id, 'YOS_CASE_MANAGER', date '2026-01-01'
         FROM kids CROSS JOIN practitioner p WHERE p.subject = 'dana.hughes'
         RETURNING child_id)
       INSERT INTO shared_record (child_id, kind, owning_agency_id, current_version)
       SELECT kids.id, k.kind::record_kind, (SELECT ag.id FROM agency ag WHERE ag.code = 'derby-csc'), 1
       FROM kids CROSS JOIN (VALUES ('CARE_PLAN'), ('PLACEMENT_PLAN'), ('DETENTION_PLACEMENT_PLAN')) AS k(kind)`,
      [children],
    );
    await database.dataSource.query(
      `INSERT INTO shared_record_version (record_id, version, content, author_subject, author_name, author_agency_id, author_case_system)
       SELECT r.id, 1,
         CASE r.kind
           WHEN 'CARE_PLAN' THEN '{"summary": "Remain in foster care; weekly contact with mother.", "remandOnly": false, "nextReviewDate": "2027-01-10"}'::jsonb
           WHEN 'PLACEMENT_PLAN' THEN '{"howPlacementMeetsNeeds": "Experienced carers near school.", "visitFrequency": "Every 6 weeks"}'::jsonb
           ELSE '{"establishmentName": "HMYOI Wetherby", "howNeedsWillBeMet": "Keyworker sessions.", "healthArrangements": "CAMHS follow-up.", "socialWorker": {"name": "Sam Okafor", "telephone": "01332 000 001"}}'::jsonb
         END,
         'sam.okafor', 'Sam Okafor', r.owning_agency_id, 'derby-csc-liquidlogic'
       FROM shared_record r WHERE NOT EXISTS (SELECT 1 FROM shared_record_version v WHERE v.record_id = r.id)`,
    );
    // Many readers: BENCH_READERS YOS case managers of a bench team, child n allocated to reader n mod BENCH_READERS.
    await database.dataSource.query(
      `WITH readers AS (
         INSERT INTO practitioner (subject, display_name, agency_id, team)
         SELECT 'bench.yos.' || lpad(r::text, 3, '0'), 'Bench Reader ' || r, a.id, 'Derby YOS Bench'
         FROM generate_series(0, $1 - 1) AS r CROSS JOIN agency a WHERE a.code = 'derby-yos'
         RETURNING id, agency_id, substr(subject, 11)::int AS r)
       INSERT INTO worker_allocation (child_id, practitioner_id, agency_id, role, start_date)
       SELECT i.child_id, readers.id, readers.agency_id, 'YOS_CASE_MANAGER', date '2026-01-01'
       FROM child_identifier i JOIN readers ON readers.r = substr(i.value, 7)::int % $1
       WHERE i.value LIKE 'BENCH-%'`,
      [BENCH_READERS],
    );
    await database.dataSource.query('ANALYZE');
    const [{ count }] = await database.dataSource.query<[{ count: number }]>('SELECT count(*)::int AS count FROM child');
    console.log(
      `Seeded ${fmt(count)} children (${fmt(count * 3)} plans), each allocated to dana.hughes and to one of ${BENCH_READERS} bench readers, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const children = Number(process.argv[2] ?? 10_000);
  const url = process.env.DATABASE_URL;
  if (!url || !Number.isInteger(children) || children < 1) {
    console.error('usage: DATABASE_URL=postgres://… npm run bench:seed -- <children>');
    process.exit(2);
  }
  await seedBenchChildren(url, children);
}
