/**
 * The audit part of `npm run bench`: `audit:verify` on a log of ≥ 1,000,000 receipts.
 *
 * In a database of its own: builds receipt bodies in JavaScript shaped like those the gateway writes
 * for the child-with-plans read (one for the child, one per plan, now and then a consultation that
 * found nothing), turns them into rows with the gateway's own `rowOf` (canonical bytes), inserts them
 * through `DisclosureRepository.insert` (the gateway's one unnest INSERT into disclosure_receipt and
 * disclosure_pending) in large batches, seals them all with `SealerService.sealAll` (the gateway's
 * sealer, batches of AUDIT_SEAL_BATCH_SIZE=10,000), then runs `auditCommand(['verify'])`, the code
 * behind `npm run audit:verify`, and prints its output as the CLI does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCommand } from '../src/cli/audit-command.js';
import { AppConfig } from '../src/config/app-config.js';
import { OpenDatabase } from '../src/database/data-source.js';
import { CheckpointKey } from '../src/disclosure/chain/checkpoint-key.js';
import { SealerService } from '../src/disclosure/chain/sealer.service.js';
import { Sql } from '../src/common/database/sql.js';
import { DisclosureRepository } from '../src/disclosure/disclosure.repository.js';
import { type ReceiptBody, type ReceiptRow, rowOf } from '../src/disclosure/receipt.js';
import { logQuery } from '../src/audit-api/audit.repository.js';
import { AnomalyRepository, type Thresholds } from '../src/audit-api/anomaly.repository.js';
import { AnomalyScanRepository } from '../src/audit-api/anomaly-scan.repository.js';
import { bankHolidaysBetween } from '../src/common/time/working-days.js';
import type { DataSource } from 'typeorm';

const INSERT_BATCH = 10_000;
const SEAL_BATCH_SIZE = 10_000;

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

// The demo directory's Derby YOS and Derby CSC, as in the receipts the gateway writes for the bench read.
const AGENCY_YOS = '00000000-0000-4000-8000-000000000101';
const AGENCY_CSC = '00000000-0000-4000-8000-000000000102';
const CASE_SYSTEM_YOS = '00000000-0000-4000-8000-000000000201';
const USERS = Array.from({ length: 40 }, (_, index) => ({
  subject: `practitioner.${String(index).padStart(2, '0')}`,
  name: `Practitioner ${index}`,
  roles: ['YOS_CASE_MANAGER'],
}));
export const CHILDREN = Array.from({ length: 10_000 }, () => ({
  id: randomUUID(),
  records: [randomUUID(), randomUUID(), randomUUID()],
}));

/** The bases a derby-yos-csc §2.1 read gives, class by class, with the agreement's lawful bases. */
const AGREEMENT = { clause: '2.1', id: 'derby-yos-csc', version: 1 };
const RULE = 'derby-yos-csc@v1 §2.1';
const basis = (sensitivity: string, lawfulBasis: string) => ({
  class: sensitivity,
  rule: RULE,
  lawfulBasis,
  agreement: AGREEMENT,
});
const CARE_PLANNING = basis('CARE_PLANNING', 'UK GDPR Art 6(1)(e) public task; Children Act 1989 s17');
const CASE_ADMINISTRATION = basis('CASE_ADMINISTRATION', 'UK GDPR Art 6(1)(e) public task; Children Act 2004 s11');
const PLANS = [
  {
    kind: 'CARE_PLAN',
    disclosed: [
      'author.name',
      'content.contingencyOnCeasingToBeLookedAfter',
      'content.nextReviewDate',
      'content.remandOnly',
      'content.summary',
      'id',
      'kind',
      'version',
    ],
    bases: [CARE_PLANNING, CASE_ADMINISTRATION],
  },
  {
    kind: 'PLACEMENT_PLAN',
    disclosed: ['author.name', 'content.howPlacementMeetsNeeds', 'content.visitFrequency', 'id', 'kind', 'version'],
    bases: [CARE_PLANNING, CASE_ADMINISTRATION],
  },
  {
    kind: 'DETENTION_PLACEMENT_PLAN',
    disclosed: [
      'author.name',
      'content.establishmentName',
      'content.healthArrangements',
      'content.howNeedsWillBeMet',
      'content.socialWorker.name',
      'content.socialWorker.telephone',
      'id',
      'kind',
      'version',
    ],
    bases: [
      CARE_PLANNING,
      CASE_ADMINISTRATION,
      basis(
        'HEALTH',
        'UK GDPR Art 9(2)(g) with DPA 2018 Sch 1 para 6 (statutory purposes) and para 18 (safeguarding of children)',
      ),
      basis('IDENTITY_BASIC', 'UK GDPR Art 6(1)(e) public task; Children Act 1989 s17; Children Act 2004 s11'),
      basis('PLACEMENT_LOCATION', 'UK GDPR Art 6(1)(e) public task; Children Act 1989 s17'),
    ],
  },
];
const CHILD_DISCLOSED = ['dateOfBirth', 'familyName', 'givenName', 'id'];
const CHILD_BASES = [{ class: 'IDENTITY_BASIC', rule: 'RELATIONSHIP', lawfulBasis: null, agreement: null }];
const OPERATION_HASH = 'fa4418b9f6b7287fe24ec3e57592437fbad3b028cc0e1c2f6e04c43a7db9a4a5';

/**
 * The receipts of request `n` (1 for the child, 3 plans; every 50th request instead a lookup that
 * found nothing), `at` spreading them over the last 30 days. Returns how many it added.
 */
export function requestReceipts(n: number, at: Date, into: ReceiptBody[]): number {
  const user = USERS[n % USERS.length] as (typeof USERS)[number];
  const caller = {
    v: 1 as const,
    at: at.toISOString(),
    correlationId: randomUUID(),
    user,
    recipient: {
      agencyId: AGENCY_YOS,
      agencyCode: 'derby-yos',
      caseSystemId: CASE_SYSTEM_YOS,
      caseSystemCode: 'derby-yos-childview',
    },
    purpose: 'CASE_MANAGEMENT',
    justification: null,
  };
  const operation = { channel: 'GRAPHQL' as const, name: null, hash: OPERATION_HASH };
  if (n % 50 === 49) {
    into.push({
      ...caller,
      entry: 'CONSULTATION',
      outcome: 'NOT_FOUND',
      operation,
      breakGlass: false,
      afterAllocationEnded: false,
      child: null,
      record: null,
      disclosed: [],
      withheld: [],
      bases: [],
      lookup: `BENCH-${String(n).padStart(6, '0')}`,
    });
    return 1;
  }
  const child = CHILDREN[(n * 7919) % CHILDREN.length] as (typeof CHILDREN)[number];
  into.push({
    ...caller,
    entry: 'DISCLOSURE',
    outcome: 'DISCLOSED',
    operation,
    breakGlass: false,
    afterAllocationEnded: false,
    child: child.id,
    record: { kind: 'CHILD', id: child.id, version: 1, owningAgencyId: null },
    disclosed: CHILD_DISCLOSED,
    withheld: [],
    bases: CHILD_BASES,
  });
  PLANS.forEach((plan, index) =>
    into.push({
      ...caller,
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      operation,
      breakGlass: false,
      afterAllocationEnded: false,
      child: child.id,
      record: { kind: plan.kind, id: child.records[index] as string, version: 1, owningAgencyId: AGENCY_CSC },
      disclosed: plan.disclosed,
      withheld: [],
      bases: plan.bases,
    }),
  );
  return 4;
}

/**
 * The auditors' queries on this log, as the API runs them (the same SQL, from `logQuery`), with
 * their plans: each filter is served by an index and a page reads only the rows it returns.
 */
export async function printPlans(dataSource: { query<T>(sql: string, parameters?: unknown[]): Promise<T> }): Promise<void> {
  const child = CHILDREN[4242]?.id ?? '';
  const record = CHILDREN[4242]?.records[0] ?? '';
  const dayAgo = new Date(Date.now() - 86_400_000);
  // A page in the middle of the log, whichever form holds it (ids step by 1,024 since the compact form).
  const [{ middle } = { middle: '0' }] = await dataSource.query<{ middle: string }[]>(
    `SELECT ((greatest((SELECT max(id) FROM disclosure_receipt), (SELECT max(id) FROM disclosure_response), 0)
      + least((SELECT min(id) FROM disclosure_receipt), (SELECT min(id) FROM disclosure_response))) / 2)::text AS middle`,
  );
  const cases: [string, ReturnType<typeof logQuery>][] = [
    ['disclosures(filter: { childId }, first: 20)', logQuery({ childId: child }, 21)],
    [
      'disclosures(filter: { userSubject, from, to }, first: 20)',
      logQuery({ userSubject: 'practitioner.07', from: dayAgo, to: new Date() }, 21),
    ],
    ['disclosures(filter: { recordId }, first: 20)', logQuery({ recordId: record }, 21)],
    [
      'disclosures(filter: { agency, purpose }, first: 20, after: …)',
      logQuery({ agencyId: AGENCY_YOS, purpose: 'CASE_MANAGEMENT' }, 21, middle),
    ],
    ['disclosures(filter: { breakGlass: true }, first: 20)', logQuery({ breakGlass: true }, 21)],
    ['disclosures(filter: { outcome: NOT_FOUND }, first: 20)', logQuery({ outcome: 'NOT_FOUND' }, 21)],
    ['subjectAccessReport(childId) (page of 2000)', logQuery({ childId: child, entryKind: 'DISCLOSURE' }, 2000)],
  ];
  console.log('  query plans on that log (EXPLAIN ANALYZE):');
  for (const [name, { sql, parameters }] of cases) {
    const rows = await dataSource.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, parameters);
    console.log(`  ${name}`);
    for (const row of rows) console.log(`      ${row['QUERY PLAN']}`);
  }
}

/**
 * The anomaly scan's cost per 1,000 receipts: the incremental scan over the whole sealed log from
 * the chain's start (each receipt read once, in steps of 5,000), beside the ranged detection it
 * replaced run over the same log once. The ranged one ran every minute on every instance over the
 * last two hours, so each receipt was read 120 times per instance.
 */
export async function benchAnomalyScan(dataSource: DataSource, config: AppConfig, from: Date): Promise<void> {
  const audit = config.audit;
  const thresholds: Thresholds = {
    windowMinutes: audit.anomalyWindowMinutes,
    children: audit.anomalyChildrenThreshold,
    outOfHours: audit.anomalyOutOfHoursThreshold,
    workStart: audit.workingHours.start,
    workEnd: audit.workingHours.end,
  };
  const holidays = bankHolidaysBetween(from, new Date());
  await dataSource.query('UPDATE anomaly_scan_state SET last_seq = 0');
  const scan = new AnomalyScanRepository(dataSource);
  let examined = 0;
  let steps = 0;
  const started = process.hrtime.bigint();
  for (;;) {
    const step = await scan.step(5000, thresholds, holidays);
    if (!step || step.examined === 0) break;
    examined += step.examined;
    steps += 1;
  }
  const scanSeconds = since(started);
  const rangedStarted = process.hrtime.bigint();
  const flagged = await new AnomalyRepository(dataSource).detect(from, new Date(), thresholds);
  const rangedSeconds = since(rangedStarted);
  const perThousand = (seconds: number) => ((seconds * 1000 * 1000) / Math.max(1, examined)).toFixed(2);
  console.log(
    `  anomaly scan, incremental: ${fmt(examined)} receipts in ${steps} steps, ${scanSeconds.toFixed(1)} s = ${perThousand(scanSeconds)} ms per 1,000 receipts, each read once`,
  );
  console.log(
    `  anomaly detection, ranged (what ran before, once over the same log): ${rangedSeconds.toFixed(1)} s = ${perThousand(rangedSeconds)} ms per 1,000 receipts per pass (${fmt(flagged)} new flags); ` +
      `every minute over two hours it read each receipt 120 times on each instance`,
  );
}

export interface AuditBenchOptions {
  readonly url: string;
  readonly receipts: number;
  readonly pem: string;
}

/** Returns whether the log verified. */
export async function benchAudit({ url, receipts, pem }: AuditBenchOptions): Promise<boolean> {
  console.log(`audit:verify on ${fmt(receipts)} receipts (a database of its own):`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-audit-'));
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    AUDIT_SIGNING_KEY: pem,
    AUDIT_SEAL_INTERVAL_MS: '0',
    AUDIT_SEAL_BATCH_SIZE: String(SEAL_BATCH_SIZE),
  };
  const database = await OpenDatabase.open({ url, poolSize: 4 });
  try {
    await database.migrate();
    const dataSource = database.dataSource;
    const repository = new DisclosureRepository(new Sql(dataSource));

    // Build a batch while the one before is inserted (JavaScript on one core, PostgreSQL on the other):
    // built in slices with a turn of the event loop between them, so the insert in flight is sent at once.
    let buildSeconds = 0;
    let written = 0;
    let request = 0;
    const span = 30 * 24 * 3600 * 1000;
    const from = Date.now() - span;
    const insertStarted = process.hrtime.bigint();
    let inflight: Promise<void> = Promise.resolve();
    while (written < receipts) {
      const rows: ReceiptRow[] = [];
      while (rows.length < INSERT_BATCH && written + rows.length < receipts) {
        const built = process.hrtime.bigint();
        const bodies: ReceiptBody[] = [];
        while (bodies.length < 500 && written + rows.length + bodies.length < receipts) {
          requestReceipts(
            request,
            new Date(from + Math.floor((span * (written + rows.length + bodies.length)) / receipts)),
            bodies,
          );
          request += 1;
        }
        for (const body of bodies.slice(0, receipts - written - rows.length)) rows.push(rowOf(body));
        buildSeconds += since(built);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await inflight;
      inflight = repository.insert(rows);
      written += rows.length;
    }
    await inflight;
    const insertSeconds = since(insertStarted);
    console.log(
      `  inserted ${fmt(written)} receipts (${fmt(request)} requests' worth) with DisclosureRepository.insert, ${fmt(INSERT_BATCH)} a statement: ` +
        `${insertSeconds.toFixed(1)} s, ${fmt(written / insertSeconds)} receipts/s (of which ${buildSeconds.toFixed(1)} s building bodies and canonical bytes in JS)`,
    );

    const config = AppConfig.fromEnvironment(env);
    const sealer = new SealerService(dataSource, config, CheckpointKey.fromPem(pem));
    const sealStarted = process.hrtime.bigint();
    const sealed = await sealer.sealAll();
    const sealSeconds = since(sealStarted);
    const [{ checkpoints } = { checkpoints: 0 }] = await dataSource.query<{ checkpoints: number }[]>(
      'SELECT count(*)::int AS checkpoints FROM disclosure_checkpoint',
    );
    console.log(
      `  sealed ${fmt(sealed)} with SealerService.sealAll (batches of ${fmt(SEAL_BATCH_SIZE)}): ${fmt(checkpoints)} signed checkpoints in ${sealSeconds.toFixed(1)} s, ${fmt(sealed / sealSeconds)} receipts/s`,
    );

    const vacuumStarted = process.hrtime.bigint();
    await dataSource.query('VACUUM (ANALYZE) disclosure_receipt, disclosure_seal, disclosure_pending, disclosure_checkpoint');
    console.log(`  VACUUM ANALYZE of the log tables (what autovacuum leaves a log in): ${since(vacuumStarted).toFixed(1)} s`);

    await benchAnomalyScan(dataSource, config, new Date(from));

    console.log('  $ npm run audit:verify');
    let output = '';
    const code = await auditCommand(['verify'], env, {
      stdout: (text) => (output += text),
      stderr: (text) => (output += text),
    });
    for (const line of output.trimEnd().split('\n')) console.log(`  ${line}`);
    const ok = code === 0 && sealed === written;
    if (sealed !== written) console.log(`  MISMATCH: ${fmt(written)} receipts inserted, ${fmt(sealed)} sealed`);
    await printPlans(dataSource);
    return ok;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
