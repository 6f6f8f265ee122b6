import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AnomalyService } from 'src/audit-api/anomaly.service.js';
import { AnomalyScanRepository, SEALED_ENTRIES } from 'src/audit-api/anomaly-scan.repository.js';
import { AnomalyRepository } from 'src/audit-api/anomaly.repository.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The incremental scan (the schedule's detection): each sealed receipt examined once, in chain
// order, by one instance at a time. Receipts here are dated at least three hours back so that the
// other files' ranged detections (the last two windows) never see them.

let t: TestApp;
let db: DataSource;
let disclosure: DisclosureService;
let sealer: SealerService;
let anomalies: AnomalyService;
beforeAll(async () => {
  t = await startTestApp({ AUDIT_ANOMALY_CHILDREN_THRESHOLD: '3', AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD: '4' });
  db = t.app.get(DataSource);
  disclosure = t.app.get(DisclosureService);
  sealer = t.app.get(SealerService);
  anomalies = t.app.get(AnomalyService);
  // Whatever the earlier files left unsealed or unscanned is behind us before the test starts.
  await sealer.sealAll();
  await anomalies.scanNew(10_000);
});
afterAll(() => t.close());

const AGENCY = '00000000-0000-4000-8000-00000000a001';
const CASE_SYSTEM = '00000000-0000-4000-8000-00000000c001';

function receipt(
  user: string,
  at: string,
  options: { child?: string; correlationId?: string; breakGlass?: boolean; emergencyRefusal?: boolean } = {},
): ReceiptBody {
  const refused = options.emergencyRefusal === true;
  return {
    v: 1,
    entry: refused ? 'CONSULTATION' : 'DISCLOSURE',
    outcome: refused ? 'DENIED' : 'DISCLOSED',
    at,
    correlationId: options.correlationId ?? randomUUID(),
    operation: { channel: 'GRAPHQL', name: 'scanTest', hash: null },
    user: { subject: user, name: 'Scan Test', roles: ['YOS_CASE_MANAGER'] },
    recipient: { agencyId: AGENCY, agencyCode: 'scan-test', caseSystemId: CASE_SYSTEM, caseSystemCode: 'scan-test-cs' },
    purpose: refused || options.breakGlass ? 'EMERGENCY' : 'CASE_MANAGEMENT',
    justification: null,
    breakGlass: options.breakGlass ?? false,
    afterAllocationEnded: false,
    child: options.child ?? randomUUID(),
    record: null,
    disclosed: refused ? [] : ['givenName'],
    withheld: [],
    bases: [],
  };
}

/** The start of a clock hour 3 to 20 hours ago that is night in London (before 07:00 or from 19:00). */
function nightHourAgo(): Date {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  for (let back = 3; back <= 20; back++) {
    const start = new Date(hour.getTime() - back * 3_600_000);
    const local = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(start),
    );
    if (local < 7 || local >= 19) return start;
  }
  throw new Error('no night hour in the last day');
}

async function flagsOf(user: string): Promise<{ kind: string; count: number; child_id: string | null }[]> {
  return db.query(`SELECT kind, count, child_id FROM disclosure_anomaly WHERE user_subject = $1 ORDER BY kind, child_id`, [user]);
}

async function watermark(): Promise<bigint> {
  const [row] = await db.query<{ last_seq: string }[]>('SELECT last_seq FROM anomaly_scan_state WHERE id = 1');
  return BigInt(row?.last_seq ?? '0');
}

describe('incremental anomaly scan', () => {
  it('flags what crosses a threshold from what was sealed since the last pass, each receipt once', async () => {
    const user = `scan-${randomUUID()}`;
    const children = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // Minutes of one clock hour at night in London, 3 to 20 hours ago (the scan keeps a day's counts).
    const night = nightHourAgo();
    const saturday = (minute: number) => new Date(night.getTime() + (10 + minute) * 60_000).toISOString();
    await disclosure.write(children.slice(0, 3).map((child, i) => receipt(user, saturday(i), { child })));
    await sealer.sealAll();
    const before = await watermark();
    expect(await anomalies.scanNew()).toEqual({ examined: 3, flagged: 0 });
    expect(await watermark()).toBe(before + 3n);
    expect(await flagsOf(user)).toEqual([]);

    // The fourth child and a fifth out-of-hours receipt cross both thresholds (3 children, 4 receipts).
    await disclosure.write([
      receipt(user, saturday(3), { child: children[3] }),
      receipt(user, saturday(4), { child: children[0] }),
    ]);
    await sealer.sealAll();
    expect(await anomalies.scanNew()).toEqual({ examined: 2, flagged: 2 });
    expect(await flagsOf(user)).toEqual([
      { kind: 'MANY_CHILDREN', count: 4, child_id: null },
      { kind: 'OUT_OF_HOURS_BULK', count: 5, child_id: null },
    ]);

    // Nothing new: nothing examined again, no count moves.
    expect(await anomalies.scanNew()).toEqual({ examined: 0, flagged: 0 });
    // A child read again in the same window is not a new child; the out-of-hours count goes on.
    await disclosure.write([receipt(user, saturday(5), { child: children[1] })]);
    await sealer.sealAll();
    expect(await anomalies.scanNew()).toEqual({ examined: 1, flagged: 0 });
    expect(await flagsOf(user)).toEqual([
      { kind: 'MANY_CHILDREN', count: 4, child_id: null },
      { kind: 'OUT_OF_HOURS_BULK', count: 6, child_id: null },
    ]);
  });

  it('flags each break-glass request and refused emergency look-up once, however often it is scanned or detected', async () => {
    const user = `scan-${randomUUID()}`;
    const child = randomUUID();
    const correlationId = randomUUID();
    const at = new Date(Date.now() - 4 * 3_600_000).toISOString();
    // One request's receipts sealed apart: one flag, counting the most receipts seen at once.
    await disclosure.write([receipt(user, at, { child, correlationId, breakGlass: true })]);
    await sealer.sealAll();
    await anomalies.scanNew();
    await disclosure.write([
      receipt(user, at, { child, correlationId, breakGlass: true }),
      receipt(user, at, { child: randomUUID(), emergencyRefusal: true }),
    ]);
    await sealer.sealAll();
    expect(await anomalies.scanNew()).toEqual({ examined: 2, flagged: 1 });
    const flags = await flagsOf(user);
    expect(flags.map((flag) => [flag.kind, flag.count])).toEqual([
      ['BREAK_GLASS', 1],
      ['BREAK_GLASS_REFUSED', 1],
    ]);
    // An auditor's ranged detection over the same receipts adds nothing to what the scan counted,
    // and the scan adds nothing to what a detection counted first.
    const second = `scan-${randomUUID()}`;
    const pair = randomUUID();
    await disclosure.write([
      receipt(second, at, { child, correlationId: pair, breakGlass: true }),
      receipt(second, at, { child, correlationId: pair, breakGlass: true }),
    ]);
    const ranged = t.app.get(AnomalyRepository);
    const thresholds = { windowMinutes: 60, children: 3, outOfHours: 4, workStart: '08:00', workEnd: '18:00' };
    const window = [new Date(Date.now() - 5 * 3_600_000), new Date(Date.now() - 3 * 3_600_000)] as const;
    expect(await ranged.detect(window[0], window[1], thresholds)).toBeGreaterThanOrEqual(1);
    await sealer.sealAll();
    await anomalies.scanNew();
    expect(await ranged.detect(window[0], window[1], thresholds)).toBe(0);
    // The detection saw both of the first request's receipts at once: the flag keeps that count.
    expect((await flagsOf(user)).map((flag) => flag.count)).toEqual([2, 1]);
    expect((await flagsOf(second)).map((flag) => [flag.kind, flag.count])).toEqual([['BREAK_GLASS', 2]]);
  });

  it('keeps two requests apart whatever their correlation ids hold, and one user with two agencies in one flag', async () => {
    const user = `scan-${randomUUID()}`;
    const child = randomUUID();
    const at = new Date(Date.now() - 4 * 3_600_000).toISOString();
    // "a:b" by user "x" and "a" by user "b:x" used to make the same key.
    const crafted = receipt(`${user}:x`, at, { child, correlationId: 'a', breakGlass: true });
    await disclosure.write([
      receipt(user, at, { child, correlationId: `a:${user}`, breakGlass: true }),
      crafted,
      { ...receipt(user, at, { child, correlationId: 'two-agencies', breakGlass: true }) },
      {
        ...receipt(user, at, { child, correlationId: 'two-agencies', breakGlass: true }),
        recipient: {
          agencyId: '00000000-0000-4000-8000-00000000a002',
          agencyCode: 'b',
          caseSystemId: CASE_SYSTEM,
          caseSystemCode: 'c',
        },
      },
    ]);
    await sealer.sealAll();
    expect(await anomalies.scanNew()).toEqual({ examined: 4, flagged: 3 });
    expect((await flagsOf(user)).map((flag) => flag.count).sort()).toEqual([1, 2]);
    expect((await flagsOf(`${user}:x`)).map((flag) => flag.count)).toEqual([1]);
  });

  it('reads nothing that is not yet sealed, and one instance scans at a time', async () => {
    const user = `scan-${randomUUID()}`;
    await disclosure.write([receipt(user, new Date(Date.now() - 4 * 3_600_000).toISOString(), { breakGlass: true })]);
    expect(await anomalies.scanNew()).toEqual({ examined: 0, flagged: 0 });
    await sealer.sealAll();
    const repository = t.app.get(AnomalyScanRepository);
    const thresholds = { windowMinutes: 60, children: 3, outOfHours: 4, workStart: '08:00', workEnd: '18:00' };
    // Two passes at once: one takes the lock, the other steps aside (null), and the receipt is counted once.
    const steps = await Promise.all([repository.step(100, thresholds, []), repository.step(100, thresholds, [])]);
    const taken = steps.filter((step) => step !== null);
    expect(taken.reduce((sum, step) => sum + (step?.examined ?? 0), 0)).toBe(1);
    expect((await flagsOf(user)).map((flag) => flag.count)).toEqual([1]);
  });

  it('looks each sealed entry up by its primary key, even when the planner would rather read the whole log', async () => {
    // Stale statistics (autovacuum off or behind) once made a step hash the month's partition whole,
    // reading every response at every step. Nested loops and sequential scans switched off stand in
    // for that judgement here: a join then hashes or merges the log, and only a look-up of its own
    // per seal (which has no other way to run) keeps to the primary key.
    const sql = SEALED_ENTRIES('r.id, r.user_subject', 's.seq > $1::bigint AND s.seq <= $2::bigint');
    const plan = await db.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_nestloop = off');
      await manager.query('SET LOCAL enable_seqscan = off');
      return manager.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, ['0', '1000']);
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Hash Join|Merge Join/);
    expect(text).toMatch(/Index Cond: \(\(id = s(_\d+)?\.response_id\) AND \(recorded_at = s(_\d+)?\.response_recorded_at\)\)/);
    expect(text).toMatch(/Index Cond: \(id = s(_\d+)?\.receipt_id\)/);
  });

  // A transaction held open beside other writes needs a server (the embedded database has one connection).
  it.skipIf(!inject('testDatabaseUrl'))(
    'keeps the counts a response committed after later ones were sealed will add to',
    async () => {
      const user = `scan-${randomUUID()}`;
      // Thirty hours back: were the waiting response not seen, its window's counts would be past keeping.
      const at = new Date(Date.now() - 30 * 3_600_000).toISOString();
      const log = t.app.get(ResponseLog);
      // The dictionary values these receipts use, stored and committed first: values new to the store
      // would travel with the held transaction's insert, and the later writes would wait for it.
      await log.write([[receipt(`${user}:values`, at)]]);
      // The fourth child's response is numbered first and commits only after the other three are sealed.
      let written: () => void = () => undefined;
      let release: () => void = () => undefined;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const late = db.transaction(async (manager) => {
        try {
          await log.write([[receipt(user, at)]], manager);
        } finally {
          written();
        }
        await held;
      });
      try {
        await wrote;
        await log.write([[receipt(user, at)], [receipt(user, at)], [receipt(user, at)]]);
        await sealer.sealAll();
      } finally {
        release();
        await late;
      }
      // Scans the three while the fourth waits to be sealed: their window's counts must stay for it.
      await anomalies.scanNew(10_000);
      expect(await flagsOf(user)).toEqual([]);
      await sealer.sealAll();
      await anomalies.scanNew(10_000);
      expect((await flagsOf(user)).map((flag) => [flag.kind, flag.count])).toEqual([['MANY_CHILDREN', 4]]);
    },
  );
});
