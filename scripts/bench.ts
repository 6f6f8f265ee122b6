/**
 * `npm run bench`: throughput and latency of the gateway on PostgreSQL with ≥ 10,000 children, the
 * cost of disclosure receipts, how fast the sealer chains them, and `audit:verify` on ≥ 1,000,000.
 *
 * Creates databases of its own on the server named by BENCH_DATABASE_URL or DATABASE_URL (default the
 * local server) and drops them at the end (BENCH_KEEP_DATABASE keeps them). Four parts, in one run
 * (BENCH_ONLY=child, BENCH_ONLY=audit, BENCH_ONLY=compact, BENCH_ONLY=notify, BENCH_ONLY=match or BENCH_ONLY=duties runs one):
 *
 * child: seeds the children, runs three gateways as separate processes (so the load generator does
 * not share their event loop), all with the same audit settings (one Ed25519 AUDIT_SIGNING_KEY made
 * here, AUDIT_SEAL_INTERVAL_MS=500 (the default; BENCH_SEAL_INTERVAL_MS), AUDIT_SEAL_BATCH_SIZE=10000), and measures in interleaved rounds:
 *   - baseline: `{ __typename }` with no token (HTTP + GraphQL + Fastify overhead only);
 *   - child-with-plans: a YOS user reads one random child by its YOS reference with the CSC care
 *     plan, placement plan and detention placement plan, on gateway A (policy on, receipts on: the
 *     real thing), B (BENCH_VARIANT=policy-bypassed, receipts on) and C (BENCH_VARIANT=receipts-off,
 *     policy on). A/C is the cost of receipts, A/B the cost of the policy.
 * It prints medians of the rounds, p50/p99 latency, the ratios, and the CPU each request cost in the
 * gateways, in the bench database's PostgreSQL backends (read from /proc when the server is on this
 * machine) and in the load generator, with how busy the whole machine was (other programs included).
 * While a round writes receipts it samples the log's count of committed receipts and its queues;
 * after it, it times the sealer emptying the queues, so the next round starts with no backlog.
 * At the end every receipt written must be sealed, and the log must pass verifyLog.
 *
 * audit: BENCH_AUDIT_RECEIPTS (default 1,000,000) receipts into a database of its own, sealed, then
 * `audit:verify` (see bench-audit.ts).
 *
 * compact: BENCH_COMPACT_RECEIPTS (default 10,000,000) receipts of the same reads in the compact
 * form, sealed; bytes per receipt, the auditors' filters' plans and `audit:verify` (bench-compact-log.ts).
 *
 * notify: on the same seeded database, one gateway and a local webhook receiver: placement change
 * committed → webhook received (p50/p99/max), deliveries per second, order, duplicates and
 * signatures (see bench-notify.ts).
 *
 * match: BENCH_MATCH_CHILDREN (default 100,000) children in a database of its own, one gateway, and
 * `matchChild` p50/p99 over a few hundred requests, target p99 under 50 ms (see bench-match.ts).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DevelopmentSigningKey } from '../src/auth/keys/development-signing-key.js';
import { OpenDatabase } from '../src/database/data-source.js';
import { CheckpointKey } from '../src/disclosure/chain/checkpoint-key.js';
import { verifyLog } from '../src/disclosure/chain/verifier.js';
import { seedDemoData } from '../src/seed/demo-seed.js';
import { demoUser } from '../src/seed/demo-directory.js';
import { benchAudit } from './bench-audit.js';
import { benchCompactLog } from './bench-compact-log.js';
import { benchColdStart } from './bench-cold-start.js';
import { benchCompactForm } from './bench-compact.js';
import { agent, type BenchRequest, CONCURRENCY, fmt, machineCpu, median, percentile, post, processCpu } from './bench-load.js';
import { benchReader, BENCH_READERS, seedBenchChildren } from './bench-seed.js';
import { benchMatch, type Query } from './bench-match.js';
import { benchDuties } from './bench-duties.js';
import { benchNotify } from './bench-notify.js';

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 10_000);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 4517);
const AUDIT_RECEIPTS = Number(process.env.BENCH_AUDIT_RECEIPTS ?? 1_000_000);
const COMPACT_RECEIPTS = Number(process.env.BENCH_COMPACT_RECEIPTS ?? 10_000_000);
const MATCH_CHILDREN = Number(process.env.BENCH_MATCH_CHILDREN ?? 100_000);
const ONLY = process.env.BENCH_ONLY ?? '';
const SEAL_INTERVAL_MS = Number(process.env.BENCH_SEAL_INTERVAL_MS ?? 500);
const SEAL_BATCH_SIZE = 10_000;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const KEEP = Boolean(process.env.BENCH_KEEP_DATABASE);

const CHILD_WITH_PLANS = `query($ref: String!) { childByCaseReference(reference: $ref) { id givenName familyName dateOfBirth
  legalStatus { basis startDate } currentPlacement { placementType placementName address }
  records(kinds: [CARE_PLAN, PLACEMENT_PLAN, DETENTION_PLACEMENT_PLAN]) { edges { node { id kind version author { name }
    ... on CarePlan { content { summary remandOnly contingencyOnCeasingToBeLookedAfter nextReviewDate } }
    ... on PlacementPlan { content { howPlacementMeetsNeeds visitFrequency } }
    ... on DetentionPlacementPlan { content { establishmentName howNeedsWillBeMet healthArrangements socialWorker { name telephone } } } } } } } }`;

async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A database of the bench's own on the server, dropped at the end. */
async function createDatabase(prefix: string, created: string[]): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

let benchUrl: Promise<string> | undefined;

/** The seeded bench database, made once for the parts that use it (child, notify). */
function benchDatabase(created: string[]): Promise<string> {
  benchUrl ??= createDatabase('tandem_bench', created).then(async (url) => {
    await seedBenchChildren(url, CHILDREN);
    return url;
  });
  return benchUrl;
}

/** The audit settings of every gateway the bench starts. */
const auditEnv = (pem: string) => ({
  AUDIT_SIGNING_KEY: pem,
  AUDIT_SEAL_INTERVAL_MS: String(SEAL_INTERVAL_MS),
  AUDIT_SEAL_BATCH_SIZE: String(SEAL_BATCH_SIZE),
});

interface Gateway {
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

function startGateway(
  url: string,
  dataDir: string,
  port: number,
  extraEnv: Record<string, string>,
  nodeArgs = process.env.BENCH_GATEWAY_NODE_ARGS ?? '',
): Promise<Gateway> {
  const child = spawn(process.execPath, [...nodeArgs.split(' ').filter(Boolean), 'dist/scripts/bench-gateway.js'], {
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
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    // Keeps reading stdout for the whole run, so that a full pipe never blocks the gateway.
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('GraphQL endpoint')) {
        resolve({
          pid: child.pid ?? 0,
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners('exit');
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

interface RoundOutcome {
  readonly perSecond: number;
  readonly seconds: number;
  readonly latencies: number[];
}

async function round(port: number, makeRequest: () => BenchRequest): Promise<RoundOutcome> {
  const latencies: number[] = [];
  const deadline = Date.now() + ROUND_SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const request = makeRequest();
        latencies.push(await post(port, request.body, request.token));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: latencies.length / seconds, seconds, latencies };
}

/** The disclosure log's counters: cheap reads (index ends and the small queue), safe to take under load. */
interface LogState {
  /** Receipts committed, sealed and waiting to be sealed. */
  readonly written: number;
  readonly sealed: number;
  readonly pending: number;
  /** The newest entry's id. */
  readonly lastId: string;
}

async function logState(client: pg.Client): Promise<LogState> {
  const {
    rows: [row],
  } = await client.query<{ written: string; pending: string; last_id: string }>(
    // Receipts of both forms: committed ones as counted where they were written, waiting ones in either queue.
    `SELECT (SELECT coalesce(sum(receipts), 0) FROM disclosure_tally) AS written,
            (SELECT count(*) FROM disclosure_pending) + (SELECT coalesce(sum(entries), 0) FROM disclosure_response_pending) AS pending,
            greatest((SELECT max(id) FROM disclosure_receipt),
                     (SELECT id + entries - 1 FROM disclosure_response ORDER BY id DESC LIMIT 1), 0) AS last_id`,
  );
  const written = Number(row?.written ?? 0);
  const pending = Number(row?.pending ?? 0);
  return { written, sealed: written - pending, pending, lastId: row?.last_id ?? '0' };
}

/**
 * CPU used so far by the gateways, by the bench database's PostgreSQL backends (when the server is
 * on this machine; its background writers are not counted) and by this load generator.
 */
interface CpuSnapshot {
  readonly gateways: number;
  readonly backends: Map<number, number>;
  readonly load: number;
}

async function cpuSnapshot(client: pg.Client, gateways: readonly number[]): Promise<CpuSnapshot> {
  const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const backends = new Map<number, number>();
  for (const { pid } of rows) {
    const used = processCpu(pid);
    if (used !== undefined) backends.set(pid, used);
  }
  const usage = process.cpuUsage();
  return {
    gateways: gateways.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0),
    backends,
    load: (usage.user + usage.system) / 1e6,
  };
}

interface CpuUsed {
  readonly gateways: number;
  readonly postgres: number | undefined;
  readonly load: number;
}

function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsed {
  let postgres = 0;
  // A backend that appeared during the round (the pool grew) counts from zero.
  for (const [pid, used] of after.backends) postgres += used - (before.backends.get(pid) ?? 0);
  return {
    gateways: after.gateways - before.gateways,
    postgres: after.backends.size > 0 ? postgres : undefined,
    load: after.load - before.load,
  };
}

/** What the log did during one round that writes receipts, and after it until the queue was empty. */
interface SealingOutcome {
  readonly written: number;
  readonly sealedDuringLoad: number;
  readonly loadSeconds: number;
  readonly maxBacklog: number;
  readonly backlogAtEnd: number;
  readonly drainSeconds: number;
  readonly drained: number;
}

interface Measured extends RoundOutcome {
  readonly cpu: CpuUsed & { readonly machine: number | undefined };
}

/** Runs one round's load, with the CPU each side used while it ran. */
async function measured(client: pg.Client, gateways: readonly number[], run: () => Promise<RoundOutcome>): Promise<Measured> {
  const before = await cpuSnapshot(client, gateways);
  const machineBefore = machineCpu();
  const outcome = await run();
  const machineAfter = machineCpu();
  const cpu = cpuBetween(before, await cpuSnapshot(client, gateways));
  return {
    ...outcome,
    cpu: {
      ...cpu,
      machine: machineBefore !== undefined && machineAfter !== undefined ? machineAfter - machineBefore : undefined,
    },
  };
}

/** Waits for the running gateways' sealers to empty disclosure_pending; the log's state then. */
async function untilSealed(client: pg.Client, from: LogState): Promise<LogState> {
  let now = from;
  const deadline = Date.now() + 120_000;
  while (now.pending > 0) {
    if (Date.now() > deadline) throw new Error(`the sealer did not empty disclosure_pending (${now.pending} left)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = await logState(client);
  }
  return now;
}

/** Runs a round while sampling the log every 250 ms, then times the sealer emptying disclosure_pending. */
async function sealingRound(client: pg.Client, run: () => Promise<Measured>): Promise<[Measured, SealingOutcome]> {
  const before = await logState(client);
  let maxBacklog = before.pending;
  let sampling = true;
  let wake: (() => void) | undefined;
  const sampler = (async () => {
    while (sampling) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (sampling) maxBacklog = Math.max(maxBacklog, (await logState(client)).pending);
    }
  })();
  const outcome = await run();
  sampling = false;
  wake?.();
  await sampler;
  // Taken as soon as the load stops, so that the drain below is timed from there.
  const atEnd = await logState(client);
  const drainStarted = process.hrtime.bigint();
  const now = await untilSealed(client, atEnd);
  const drainSeconds = atEnd.pending > 0 ? Number(process.hrtime.bigint() - drainStarted) / 1e9 : 0;
  return [
    outcome,
    {
      written: atEnd.written - before.written,
      sealedDuringLoad: atEnd.sealed - before.sealed,
      loadSeconds: outcome.seconds,
      maxBacklog: Math.max(maxBacklog, atEnd.pending),
      backlogAtEnd: atEnd.pending,
      drainSeconds,
      drained: now.sealed - atEnd.sealed,
    },
  ];
}

/**
 * Receipts for callers written during a round that should write none, with what they were. The
 * gateway's own background work (an obligation falling overdue, user `tandem:…`) writes receipts
 * whenever it runs, and is not a round's.
 */
async function strayReceipts(client: pg.Client, label: string, before: LogState, after: LogState): Promise<string[]> {
  const { rows } = await client.query<{ id: string; entry: string; user: string; operation: string | null; at: Date }>(
    `SELECT id, entry_kind AS entry, user_subject AS user, recorded_at AS at,
            CASE WHEN compact THEN NULL ELSE convert_from(body, 'UTF8')::jsonb -> 'operation' ->> 'name' END AS operation
     FROM disclosure_entry WHERE id > $1 AND id <= $2 AND user_subject NOT LIKE 'tandem:%' ORDER BY id`,
    [before.lastId, after.lastId],
  );
  return rows.map(
    (row) => `${label}: #${row.id} ${row.entry} by ${row.user} (${row.operation ?? 'no operation'}) at ${row.at.toISOString()}`,
  );
}

interface Scenario {
  readonly label: string;
  readonly receipts: boolean;
  readonly run: () => Promise<RoundOutcome>;
}

interface ScenarioResult {
  readonly perSecond: number[];
  readonly latencies: number[];
  readonly sealing: SealingOutcome[];
  requests: number;
  seconds: number;
  cpu: { gateways: number; postgres: number | undefined; load: number; machine: number | undefined };
}

const sumOrUndefined = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a + b);

async function benchChild(created: string[], pem: string): Promise<boolean> {
  const url = await benchDatabase(created);
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const running: Gateway[] = [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const user = demoUser('dana.hughes');
    if (!user) throw new Error('demo user missing');
    const signing = DevelopmentSigningKey.loadOrCreate(dataDir);
    // Each request reads a random child as the bench reader allocated to it: BENCH_READERS readers, each its own token.
    const readerTokens = Array.from({ length: BENCH_READERS }, (_, index) =>
      signing.sign(
        {
          sub: benchReader(index),
          name: `Bench Reader ${index}`,
          agency: user.agency,
          case_system: user.caseSystem,
          roles: [...user.roles],
        },
        { issuer: 'tandem-development', audience: 'tandem', expiresInSeconds: 3600 },
      ),
    );
    if (process.env.BENCH_LOG_SLOW_MS)
      await admin(
        `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET log_min_duration_statement = ${Number(process.env.BENCH_LOG_SLOW_MS)}`,
      );
    const audit = auditEnv(pem);
    const gateways: { port: number; env: Record<string, string> }[] = [
      { port: PORT, env: {} },
      { port: PORT + 1, env: { BENCH_VARIANT: 'policy-bypassed' } },
      { port: PORT + 2, env: { BENCH_VARIANT: 'receipts-off' } },
    ];
    for (const gateway of gateways) running.push(await startGateway(url, dataDir, gateway.port, { ...audit, ...gateway.env }));
    const pids = running.map((gateway) => gateway.pid);
    console.log(
      `Gateways (separate processes; same audit settings: one Ed25519 AUDIT_SIGNING_KEY, AUDIT_SEAL_INTERVAL_MS=${SEAL_INTERVAL_MS}, AUDIT_SEAL_BATCH_SIZE=${SEAL_BATCH_SIZE}):`,
    );
    console.log(
      `  A :${PORT} policy on, receipts on   B :${PORT + 1} policy bypassed, receipts on   C :${PORT + 2} policy on, receipts off`,
    );

    const baselineBody = JSON.stringify({ query: '{ __typename }' });
    const childRequest = (): BenchRequest => {
      const n = 1 + Math.floor(Math.random() * CHILDREN);
      return {
        body: JSON.stringify({ query: CHILD_WITH_PLANS, variables: { ref: `BENCH-${String(n).padStart(6, '0')}` } }),
        token: readerTokens[n % BENCH_READERS],
      };
    };
    const A = 'child A, receipts on';
    const B = 'child B, policy bypassed';
    const C = 'child C, receipts off';
    const scenarios: Scenario[] = [
      { label: 'baseline (A)', receipts: false, run: () => round(PORT, () => ({ body: baselineBody, token: undefined })) },
      { label: A, receipts: true, run: () => round(PORT, childRequest) },
      { label: C, receipts: false, run: () => round(PORT + 2, childRequest) },
      { label: B, receipts: true, run: () => round(PORT + 1, childRequest) },
    ];
    const results = new Map<string, ScenarioResult>(
      scenarios.map((scenario) => [
        scenario.label,
        {
          perSecond: [],
          latencies: [],
          sealing: [],
          requests: 0,
          seconds: 0,
          cpu: { gateways: 0, postgres: 0, load: 0, machine: 0 },
        },
      ]),
    );
    const strays: string[] = [];
    const runScenario = async (scenario: Scenario) => {
      const run = () => measured(client, pids, scenario.run);
      if (!scenario.receipts) {
        const before = await logState(client);
        const outcome = await run();
        const after = await logState(client);
        const written = after.lastId !== before.lastId ? await strayReceipts(client, scenario.label, before, after) : [];
        strays.push(...written);
        return { outcome, sealing: undefined, stray: written.length };
      }
      const [outcome, sealing] = await sealingRound(client, run);
      return { outcome, sealing, stray: 0 };
    };

    console.log(`Warm-up, then ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s each, ${CONCURRENCY} concurrent requests`);
    for (const scenario of scenarios) await runScenario(scenario);
    let stray = 0;
    for (let index = 0; index < ROUNDS; index += 1) {
      const line: string[] = [];
      for (const scenario of scenarios) {
        const { outcome, sealing, stray: written } = await runScenario(scenario);
        stray += written;
        const result = results.get(scenario.label);
        if (!result) continue;
        result.perSecond.push(outcome.perSecond);
        // A loop, not push(...latencies): a spread of ~100,000 arguments overflows the call stack.
        for (const latency of outcome.latencies) result.latencies.push(latency);
        result.requests += outcome.latencies.length;
        result.seconds += outcome.seconds;
        result.cpu = {
          gateways: result.cpu.gateways + outcome.cpu.gateways,
          postgres: sumOrUndefined(result.cpu.postgres, outcome.cpu.postgres),
          load: result.cpu.load + outcome.cpu.load,
          machine: sumOrUndefined(result.cpu.machine, outcome.cpu.machine),
        };
        if (sealing) result.sealing.push(sealing);
        line.push(`${scenario.label.replace(/^child /, '')} ${fmt(outcome.perSecond)}`);
      }
      console.log(`  round ${index + 1} (req/s): ${line.join(', ')}`);
    }

    console.log(
      `\nPostgreSQL, ${fmt(CHILDREN)} children (child-with-plans: one of ${BENCH_READERS} YOS case managers, each with its own token, reads a random child allocated to them and its CSC plans); medians of ${ROUNDS} rounds:`,
    );
    for (const [label, result] of results) {
      const sorted = Float64Array.from(result.latencies).sort();
      console.log(
        `  ${label.padEnd(24)} ${fmt(median(result.perSecond)).padStart(7)} req/s   p50 ${percentile(sorted, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(2).padStart(6)} ms   (${fmt(result.requests)} requests)`,
      );
    }
    const rate = (label: string) => median(results.get(label)?.perSecond ?? []);
    const receiptsRatio = rate(A) / rate(C);
    const policyRatio = rate(A) / rate(B);
    console.log(`ratio child (A) / baseline: ${(rate(A) / rate('baseline (A)')).toFixed(3)}`);
    console.log(
      `ratio receipts on / off (A / C): ${receiptsRatio.toFixed(3)} (receipts cost ${((1 - receiptsRatio) * 100).toFixed(1)}% of throughput; target at most 20%: ${receiptsRatio >= 0.8 ? 'met' : 'NOT MET'})`,
    );
    console.log(
      `ratio policy on / bypassed (A / B, both with receipts): ${policyRatio.toFixed(3)} (policy cost ${((1 - policyRatio) * 100).toFixed(1)}% of throughput)`,
    );

    console.log(
      `CPU per request, all rounds (ms: the 3 gateway processes + the bench database's PostgreSQL backends + this load generator; and CPUs busy of ${cpus().length}):`,
    );
    for (const [label, { cpu, requests, seconds }] of results) {
      const ms = (value: number | undefined) => {
        if (value === undefined) return '?';
        const perRequest = (value * 1000) / requests;
        return perRequest.toFixed(perRequest < 0.1 ? 3 : 2);
      };
      const ours = cpu.gateways + (cpu.postgres ?? 0) + cpu.load;
      const busy =
        cpu.machine === undefined
          ? ''
          : `; ${(cpu.machine / seconds).toFixed(2)} CPUs busy, ${(Math.max(0, cpu.machine - ours) / seconds).toFixed(2)} of them other work (PostgreSQL's background writers, other programs)`;
      console.log(
        `  ${label.padEnd(24)} gateways ${ms(cpu.gateways)} + PostgreSQL ${ms(cpu.postgres)} + load ${ms(cpu.load)} = ${ms(ours)} ms${busy}`,
      );
    }

    const sealing = results.get(A)?.sealing ?? [];
    const requestsA = results.get(A)?.requests ?? 0;
    const writtenA = sealing.reduce((sum, item) => sum + item.written, 0);
    const drains = sealing.filter((item) => item.backlogAtEnd > 0);
    console.log(
      `receipts under load (A, medians of ${sealing.length} rounds): ${(writtenA / requestsA).toFixed(2)} receipts per request; ` +
        `written ${fmt(median(sealing.map((item) => item.written / item.loadSeconds)))}/s, sealed ${fmt(median(sealing.map((item) => item.sealedDuringLoad / item.loadSeconds)))}/s while the load ran`,
    );
    const drainMs = sealing.map((item) => item.drainSeconds * 1000);
    console.log(
      `sealer backlog (A): at most ${fmt(Math.max(0, ...sealing.map((item) => item.maxBacklog)))} pending during load, ` +
        `${fmt(median(sealing.map((item) => item.backlogAtEnd)))} (median) when it stopped; empty ${fmt(median(drainMs))} ms later (median; at most ${fmt(Math.max(0, ...drainMs))} ms)` +
        (drains.length > 0
          ? `, ${fmt(median(drains.map((item) => item.drained / Math.max(item.drainSeconds, 1e-3))))} receipts/s including the wait for the next ${SEAL_INTERVAL_MS} ms tick`
          : ''),
    );
    // Receipts per commit: receipts written in one transaction share its id (xmin); each commit is one WAL flush.
    const [shape] = (
      await client.query<{ receipts: string; commits: string; body: number; stored: string }>(
        // Both forms: a response row holds `entries` receipts; every table of the log, with its indexes and partitions.
        `SELECT sum(n) AS receipts, count(DISTINCT x) AS commits, (sum(bytes) / greatest(sum(n), 1))::float8 AS body,
           pg_total_relation_size('disclosure_receipt') + pg_total_relation_size('disclosure_seal')
             + pg_total_relation_size('disclosure_pending') + pg_total_relation_size('disclosure_response_pending')
             + pg_total_relation_size('disclosure_dictionary')
             + (SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i
                WHERE i.inhparent = 'disclosure_response'::regclass) AS stored
         FROM (SELECT 1 AS n, xmin::text AS x, octet_length(body) AS bytes FROM disclosure_receipt
               UNION ALL SELECT entries, xmin::text, octet_length(body) FROM disclosure_response) AS t`,
      )
    ).rows;
    const receiptCount = Number(shape?.receipts ?? 0);
    console.log(
      `receipts per commit (all rounds, warm-up included): ${(receiptCount / Math.max(1, Number(shape?.commits ?? 0))).toFixed(1)} ` +
        `(${fmt(receiptCount)} receipts in ${fmt(Number(shape?.commits ?? 0))} transactions); stored per receipt: ` +
        `${fmt(Number(shape?.stored ?? 0) / Math.max(1, receiptCount))} bytes with its seal, queue entry and every index ` +
        `(body ${fmt(shape?.body ?? 0)} bytes on average)`,
    );
    const compactExact = await benchCompactForm(client);
    const [lag] = (
      await client.query<{ p50: number; p99: number; max: number }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99, max(lag) AS max
         FROM (SELECT extract(epoch FROM c.signed_at - r.recorded_at)::float8 * 1000 AS lag
               FROM (SELECT s.checkpoint_id, coalesce(s.response_recorded_at, r.recorded_at) AS recorded_at
                     FROM disclosure_seal s LEFT JOIN disclosure_receipt r ON r.id = s.receipt_id) AS r
               JOIN disclosure_checkpoint c ON c.id = r.checkpoint_id) AS t`,
      )
    ).rows;
    console.log(
      `seal lag (receipt recorded → its checkpoint signed), A and B, all rounds: p50 ${fmt(lag?.p50 ?? NaN)} ms, p99 ${fmt(lag?.p99 ?? NaN)} ms, max ${fmt(lag?.max ?? NaN)} ms`,
    );
    if (stray > 0)
      console.log(
        `WARNING: ${fmt(stray)} receipts were written during rounds without receipts: ${strays.slice(0, 5).join('; ')}`,
      );
    const resultA = results.get(A);
    await benchColdStart({
      port: PORT + 5,
      start: () => startGateway(url, dataDir, PORT + 5, audit, process.env.BENCH_COLD_NODE_ARGS),
      makeRequest: childRequest,
      postgresCpu: async () => [...(await cpuSnapshot(client, [])).backends.values()].reduce((sum, used) => sum + used, 0),
      steady: {
        perSecond: rate(A),
        gatewayMsPerRead: resultA ? (resultA.cpu.gateways * 1000) / Math.max(1, resultA.requests) : NaN,
        postgresMsPerRead: resultA ? ((resultA.cpu.postgres ?? NaN) * 1000) / Math.max(1, resultA.requests) : NaN,
      },
    });
    // The fresh gateway stops after its batch in progress; A, B and C seal what it left queued.
    await untilSealed(client, await logState(client));

    for (const gateway of running.splice(0)) await gateway.stop();
    const {
      rows: [totals],
    } = await client.query<{ receipts: string; sealed: string; pending: string; checkpoints: string }>(
      // Receipts of both forms: those sealed are a receipt's seal or a response's receipts.
      `SELECT (SELECT count(*) FROM disclosure_entry) AS receipts,
              (SELECT count(*) FROM disclosure_seal WHERE receipt_id IS NOT NULL)
                + (SELECT coalesce(sum(r.entries), 0) FROM disclosure_seal s
                   JOIN disclosure_response r ON r.id = s.response_id AND r.recorded_at = s.response_recorded_at) AS sealed,
              (SELECT count(*) FROM disclosure_pending) + (SELECT coalesce(sum(entries), 0) FROM disclosure_response_pending) AS pending,
              (SELECT count(*) FROM disclosure_checkpoint) AS checkpoints`,
    );
    const receipts = Number(totals?.receipts);
    const sealed = Number(totals?.sealed);
    const pending = Number(totals?.pending);
    const nothingLost = receipts === sealed && pending === 0;
    console.log(
      `log after the child rounds (warm-up included): ${fmt(receipts)} receipts written, ${fmt(sealed)} sealed in ${fmt(Number(totals?.checkpoints))} checkpoints, ${fmt(pending)} pending: ${nothingLost ? 'nothing lost' : 'MISMATCH'}`,
    );
    const key = CheckpointKey.fromPem(pem);
    const report = await verifyLog(
      { query: async <T>(sql: string, parameters?: unknown[]) => (await client.query(sql, parameters)).rows as T },
      { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) },
    );
    console.log(
      `audit:verify of that log: ${report.ok ? 'OK' : `FAILED (${report.firstProblem?.problem ?? ''})`}, ${fmt(report.receipts)} receipts, ${fmt(report.checkpoints)} checkpoints, ${report.seconds.toFixed(2)} s`,
    );
    return nothingLost && report.ok && compactExact;
  } finally {
    for (const gateway of running) await gateway.stop();
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The match part on a database of its own: the demo data, then bench-match.ts seeds its children. */
async function benchMatchPart(url: string, pem: string): Promise<boolean> {
  const database = await OpenDatabase.open({ url });
  try {
    await database.migrate();
    await seedDemoData(database.dataSource);
    const query: Query = <T>(sql: string, parameters?: readonly unknown[]) =>
      database.dataSource.query<T[]>(sql, parameters ? [...parameters] : undefined);
    return await benchMatch({ url, port: PORT + 4, children: MATCH_CHILDREN, auditEnv: auditEnv(pem), query, startGateway });
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  if (!['', 'child', 'audit', 'compact', 'notify', 'match', 'duties'].includes(ONLY))
    throw new Error('BENCH_ONLY is child, audit, compact, notify, match or duties');
  const started = Date.now();
  const [server] = await admin<{ server_version: string }>('SHOW server_version');
  console.log(
    `Tandem bench: PostgreSQL ${server?.server_version ?? '?'}, ${cpus().length} CPUs, Node.js ${process.version}, load average ${loadavg()[0]?.toFixed(2) ?? '?'} at start`,
  );
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const created: string[] = [];
  let ok = true;
  try {
    if (ONLY === '' || ONLY === 'child') ok = (await benchChild(created, pem)) && ok;
    if (ONLY === '' || ONLY === 'audit') {
      console.log('');
      ok = (await benchAudit({ url: await createDatabase('tandem_bench_audit', created), receipts: AUDIT_RECEIPTS, pem })) && ok;
    }
    if (ONLY === '' || ONLY === 'compact') {
      console.log('');
      const url = await createDatabase('tandem_bench_compact', created);
      ok = (await benchCompactLog({ url, receipts: COMPACT_RECEIPTS, pem })) && ok;
    }
    if (ONLY === '' || ONLY === 'notify') {
      const url = await benchDatabase(created);
      console.log('');
      ok = (await benchNotify({ url, port: PORT + 3, auditEnv: auditEnv(pem), startGateway })) && ok;
    }
    if (ONLY === '' || ONLY === 'match') {
      console.log('');
      ok = (await benchMatchPart(await createDatabase('tandem_bench_match', created), pem)) && ok;
    }
    if (ONLY === '' || ONLY === 'duties') {
      console.log('');
      ok = (await benchDuties(await createDatabase('tandem_bench_duties', created), pem)) && ok;
    }
  } finally {
    agent.destroy();
    for (const name of created) {
      if (KEEP) console.log(`Kept database ${name}`);
      else await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  console.log(
    `\nBench took ${((Date.now() - started) / 60_000).toFixed(1)} min, load average ${loadavg()[0]?.toFixed(2) ?? '?'} at the end${ok ? '' : ' (with failures above)'}`,
  );
  if (!ok) process.exitCode = 1;
}

await main();
