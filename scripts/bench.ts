/**
 * `npm run bench`: throughput and latency of the gateway on PostgreSQL with ≥ 10,000 children.
 *
 * Creates a database of its own on the server named by BENCH_DATABASE_URL or DATABASE_URL (default
 * the local server), seeds it, runs the gateway as a separate process (so the load generator does
 * not share its CPU), and measures, in interleaved rounds of the same run:
 *   - baseline: `{ __typename }` with no token (HTTP + GraphQL + Fastify overhead only);
 *   - child-with-plans: a YOS user reads one random child by its YOS reference with the CSC care
 *     plan, placement plan and detention placement plan (authenticated, typed content).
 * Prints throughput per round, medians, p50/p99 latency and the ratio.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DevelopmentSigningKey } from '../src/auth/keys/development-signing-key.js';
import { OpenDatabase } from '../src/database/data-source.js';
import { seedDemoData } from '../src/seed/demo-seed.js';
import { demoUser } from '../src/seed/demo-directory.js';

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4517);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const CHILD_WITH_PLANS = `query($ref: String!) { childByCaseReference(reference: $ref) { id givenName familyName dateOfBirth
  legalStatus { basis startDate } currentPlacement { placementType placementName address }
  records(kinds: [CARE_PLAN, PLACEMENT_PLAN, DETENTION_PLACEMENT_PLAN]) { edges { node { id kind version author { name }
    ... on CarePlan { content { summary remandOnly contingencyOnCeasingToBeLookedAfter nextReviewDate } }
    ... on PlacementPlan { content { howPlacementMeetsNeeds visitFrequency } }
    ... on DetentionPlacementPlan { content { establishmentName howNeedsWillBeMet healthArrangements socialWorker { name telephone } } } } } } } }`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function seed(url: string): Promise<void> {
  const database = await OpenDatabase.open({ url });
  try {
    await database.migrate();
    await seedDemoData(database.dataSource);
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
      [CHILDREN],
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
    await database.dataSource.query('ANALYZE');
    const [{ count }] = await database.dataSource.query<[{ count: number }]>('SELECT count(*)::int AS count FROM child');
    console.log(`Seeded ${count} children (${count * 3} plans) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await database.close();
  }
}

function startGateway(
  url: string,
  dataDir: string,
  port: number,
  extraEnv: Record<string, string>,
): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/src/main.js'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        PORT: String(port),
        SEED_DEMO_DATA: 'false',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('GraphQL endpoint')) {
        resolve(
          () =>
            new Promise<void>((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        );
      }
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, body: string, token: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (response.statusCode !== 200 || text.includes('"errors"'))
            reject(new Error(`Unexpected response: ${text.slice(0, 300)}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function round(
  port: number,
  makeBody: () => string,
  token: string | undefined,
): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = Date.now() + ROUND_SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) latencies.push(await post(port, makeBody(), token));
    }),
  );
  return { perSecond: latencies.length / ((Date.now() - started) / 1000), latencies };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function main(): Promise<void> {
  const name = `tandem_bench_${randomBytes(5).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE ${name}`);
  let stop: (() => Promise<void>) | undefined;
  try {
    await seed(url.toString());
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
    const user = demoUser('dana.hughes');
    if (!user) throw new Error('demo user missing');
    const token = DevelopmentSigningKey.loadOrCreate(dataDir).sign(
      { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
      { issuer: 'tandem-development', audience: 'tandem', expiresInSeconds: 3600 },
    );
    if (process.env.BENCH_LOG_SLOW_MS)
      await admin(`ALTER DATABASE ${name} SET log_min_duration_statement = ${Number(process.env.BENCH_LOG_SLOW_MS)}`);
    const stopPolicy = await startGateway(url.toString(), dataDir, PORT, {});
    const stopBypass = await startGateway(url.toString(), dataDir, PORT + 1, { POLICY_BYPASS_FOR_BENCHMARK: 'true' });
    stop = async () => {
      await stopPolicy();
      await stopBypass();
    };
    const baselineBody = JSON.stringify({ query: '{ __typename }' });
    const childBody = () =>
      JSON.stringify({
        query: CHILD_WITH_PLANS,
        variables: { ref: `BENCH-${String(1 + Math.floor(Math.random() * CHILDREN)).padStart(6, '0')}` },
      });
    const scenarios = [
      { label: 'baseline', run: () => round(PORT, () => baselineBody, undefined) },
      { label: 'child, policy on', run: () => round(PORT, childBody, token) },
      { label: 'child, bypassed', run: () => round(PORT + 1, childBody, token) },
    ].filter((scenario) => process.env.BENCH_ONLY !== 'child' || scenario.label !== 'baseline');

    console.log(`Warm-up, then ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s each, ${CONCURRENCY} concurrent requests`);
    for (const scenario of scenarios) await scenario.run();
    const results = new Map(
      scenarios.map((scenario) => [scenario.label, { perSecond: [] as number[], latencies: [] as number[] }]),
    );
    for (let index = 0; index < ROUNDS; index += 1) {
      const line: string[] = [];
      for (const scenario of scenarios) {
        const outcome = await scenario.run();
        const result = results.get(scenario.label);
        result?.perSecond.push(outcome.perSecond);
        result?.latencies.push(...outcome.latencies);
        line.push(`${scenario.label} ${outcome.perSecond.toFixed(0)} req/s`);
      }
      console.log(`  round ${index + 1}: ${line.join(', ')}`);
    }
    console.log(`\nPostgreSQL, ${CHILDREN} children (child-with-plans: a YOS case manager reads one child and its CSC plans):`);
    for (const [label, result] of results) {
      const sorted = [...result.latencies].sort((a, b) => a - b);
      console.log(
        `${label.padEnd(18)} median ${median(result.perSecond).toFixed(0).padStart(6)} req/s   p50 ${percentile(sorted, 50).toFixed(2)} ms   p99 ${percentile(sorted, 99).toFixed(2)} ms   (${result.latencies.length} requests)`,
      );
    }
    const rate = (label: string) => median(results.get(label)?.perSecond ?? []);
    if (results.has('baseline'))
      console.log(`ratio child (policy on) / baseline: ${(rate('child, policy on') / rate('baseline')).toFixed(3)}`);
    console.log(
      `ratio policy on / bypassed: ${(rate('child, policy on') / rate('child, bypassed')).toFixed(3)} (policy cost ${((1 - rate('child, policy on') / rate('child, bypassed')) * 100).toFixed(1)}% of throughput)`,
    );
  } finally {
    if (stop) await stop();
    agent.destroy();
    if (process.env.BENCH_KEEP_DATABASE) console.log(`Kept database ${name}`);
    else await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

await main();
