import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { purgeExpiredReceipts } from 'src/disclosure/chain/retention.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog, type VerifyOptions } from 'src/disclosure/chain/verifier.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { receiptsOfARead } from '../support/logged-receipts.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';

/**
 * Retention by whole months (docs/DISCLOSURE-LOG.md#retention): a month's partition of the response
 * log whose every response is in the batches removed is dropped, not deleted row by row; a month
 * with a response still unsealed stays; the cutoff is the start of its month plus an hour.
 */
let t: TestApp;
let db: DataSource;
let log: ResponseLog;
let sealer: SealerService;
let trusted: VerifyOptions;
beforeAll(async () => {
  t = await startTestApp({ AUDIT_LOG_FORM: 'compact' });
  db = t.app.get(DataSource);
  log = t.app.get(ResponseLog);
  sealer = t.app.get(SealerService);
  const key = t.app.get(CheckpointKey);
  trusted = { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) };
});
afterAll(() => t.close());

const DAY = 86_400_000;
/** 400 days back: a month that ended before any cutoff of 365 days (the cutoff's month starts at most 31 days earlier). */
const LONG_AGO = new Date(Date.now() - 400 * DAY);
const OLD_MONTH = `disclosure_response_${LONG_AGO.getUTCFullYear()}${String(LONG_AGO.getUTCMonth() + 1).padStart(2, '0')}`;

/** A real read's receipts, as if they had been written at `at`. */
async function readAt(at: Date): Promise<ReceiptBody[]> {
  return (await receiptsOfARead(t, db, JORDAN.id)).map((body) => ({ ...body, at: at.toISOString() }));
}

/** Everything queued, sealed in checkpoints said to be signed at `signedAt`. */
async function sealAllAt(manager: EntityManager, signedAt: Date): Promise<void> {
  while ((await sealer.seal(manager, signedAt)).receipts > 0);
}

async function exists(manager: EntityManager, table: string): Promise<boolean> {
  const [row] = await manager.query<{ t: string | null }[]>('SELECT to_regclass($1)::text AS t', [table]);
  return row?.t === table;
}

async function entriesIn(manager: EntityManager, table: string): Promise<number> {
  const [row] = await manager.query<{ n: string }[]>(`SELECT coalesce(sum(entries), 0) AS n FROM ${table}`);
  return Number(row?.n);
}

describe('retention by whole months', () => {
  it('drops a month whose every response is in the batches removed, counts its receipts, and the log still verifies', async () => {
    const bodies = await readAt(LONG_AGO);
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SELECT tandem_add_response_partitions(0, 14)');
      await log.write([bodies, bodies], manager);
      expect(await entriesIn(manager, OLD_MONTH)).toBe(2 * bodies.length);
      await sealAllAt(manager, LONG_AGO);
      // Whatever the session writes dates as: bounds read back as 'SQL' dates in a zone named 'WIB' once failed every run.
      await manager.query(`SET LOCAL DateStyle = 'SQL, DMY'`);
      await manager.query(`SET LOCAL TimeZone = 'Asia/Jakarta'`);
      const run = await purgeExpiredReceipts(manager, 365);
      await manager.query('RESET DateStyle; RESET TimeZone');
      expect(await exists(manager, OLD_MONTH)).toBe(false);
      expect(run.removed).toBeGreaterThanOrEqual(2 * bodies.length);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toBeNull();
      expect(report.committed).toBe(report.receipts + report.removedByRetention);
    });
  });

  it('keeps a month with a response still unsealed, removing its sealed ones row by row', async () => {
    const bodies = await readAt(LONG_AGO);
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SELECT tandem_add_response_partitions(0, 14)');
      await log.write([bodies], manager);
      await sealAllAt(manager, LONG_AGO);
      // Written after the batch was sealed: still in the sealer's queue.
      await log.write([bodies], manager);
      const run = await purgeExpiredReceipts(manager, 365);
      expect(run.removed).toBeGreaterThanOrEqual(bodies.length);
      expect(await exists(manager, OLD_MONTH)).toBe(true);
      expect(await entriesIn(manager, OLD_MONTH)).toBe(bodies.length);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toBeNull();
      expect(report.pending).toBeGreaterThanOrEqual(bodies.length);
      expect(report.committed).toBe(report.receipts + report.pending + report.removedByRetention);
    });
  });

  it('cuts at the start of the cutoff’s month plus an hour: a batch sealed later waits for the next month', async () => {
    const cutoff = new Date(Date.now() - 365 * DAY);
    const monthStart = Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), 1);
    const early = new Date(monthStart - DAY);
    const late = new Date(cutoff.getTime() - 60_000);
    const bodies = await readAt(LONG_AGO);
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SELECT tandem_add_response_partitions(0, 14)');
      await log.write([bodies], manager);
      await sealAllAt(manager, early);
      const [first] = await manager.query<{ id: number }[]>('SELECT max(id) AS id FROM disclosure_checkpoint');
      await log.write([bodies], manager);
      await sealAllAt(manager, late);
      const [second] = await manager.query<{ id: number }[]>('SELECT max(id) AS id FROM disclosure_checkpoint');
      const run = await purgeExpiredReceipts(manager, 365);
      // Before an hour into the month (an hour each month) the later batch is inside the cutoff too.
      const lateIsInside = late.getTime() < monthStart + 3_600_000;
      expect(run.throughCheckpointId).toBe(lateIsInside ? second?.id : first?.id);
      expect(await exists(manager, OLD_MONTH)).toBe(!lateIsInside);
      expect((await verifyLog(manager, trusted)).firstProblem).toBeNull();
    });
  });

  it('drops a month only for retention, and only one retention would remove', async () => {
    const [rights] = await db.query<{ gateway: boolean; public_may: boolean; retention: boolean }[]>(
      `SELECT has_function_privilege('tandem_gateway', p.oid, 'EXECUTE') AS gateway,
              has_function_privilege('public', p.oid, 'EXECUTE') AS public_may,
              has_function_privilege('tandem_retention', p.oid, 'EXECUTE') AS retention
       FROM pg_proc p WHERE p.proname = 'tandem_drop_response_month'`,
    );
    expect(rights).toEqual({ gateway: false, public_may: false, retention: true });
    // Read before the transaction: adding months locks the log's table until it ends.
    const bodies = await readAt(LONG_AGO);
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SELECT tandem_add_response_partitions(0, 14)');
      await log.write([bodies], manager);
      await sealAllAt(manager, LONG_AGO);
      const [{ seq } = { seq: '0' }] = await manager.query<{ seq: string }[]>(
        'SELECT max(last_seq) AS seq FROM disclosure_checkpoint',
      );
      const drop = (table: string, cutoff: string, dropping = false) =>
        manager.query<{ held: string | null }[]>(`SELECT tandem_drop_response_month($1::regclass, $2, ${cutoff}, $3) AS held`, [
          table,
          seq,
          dropping,
        ]);
      // A cutoff inside the last 365 days, or batches sealed after it, are refused outright.
      await manager.query('SAVEPOINT refused');
      await expect(drop(OLD_MONTH, `now()`)).rejects.toThrow(/only by retention/);
      await manager.query('ROLLBACK TO SAVEPOINT refused');
      await expect(drop(OLD_MONTH, `now() - interval '500 days'`)).rejects.toThrow(/only by retention/);
      await manager.query('ROLLBACK TO SAVEPOINT refused');
      // The default partition, a table that is no month, and a month not over by the cutoff stay.
      const cutoff = `now() - interval '366 days'`;
      for (const table of ['disclosure_response_default', 'disclosure_receipt', 'disclosure_response'])
        expect((await drop(table, cutoff))[0]?.held).toBeNull();
      expect(await exists(manager, 'disclosure_response_default')).toBe(true);
      // The month is wholly in the batch; but while its responses keep their seals it is not dropped.
      const [{ held } = { held: null }] = await drop(OLD_MONTH, cutoff);
      expect(Number(held)).toBe(bodies.length);
      expect((await drop(OLD_MONTH, cutoff, true))[0]?.held).toBeNull();
      expect(await exists(manager, OLD_MONTH)).toBe(true);
    });
  });

  it.skipIf(!inject('testDatabaseUrl'))(
    'deletes a month row by row when its drop would wait more than two seconds for the table',
    async () => {
      // Committed: the test's own transaction must not hold the table while another connection locks it.
      await db.query('SELECT tandem_add_response_partitions(0, 14)');
      const bodies = await readAt(LONG_AGO);
      const holder = db.createQueryRunner();
      await holder.connect();
      try {
        await inRolledBackTransaction(db, async (manager) => {
          await log.write([bodies], manager);
          await sealAllAt(manager, LONG_AGO);
          // A reader of the log that stays: a drop needs the table to itself.
          await holder.startTransaction();
          await holder.query('LOCK TABLE disclosure_response IN ACCESS SHARE MODE');
          const run = await purgeExpiredReceipts(manager, 365);
          expect(run.removed).toBeGreaterThanOrEqual(bodies.length);
          expect(await exists(manager, OLD_MONTH)).toBe(true);
          expect(await entriesIn(manager, OLD_MONTH)).toBe(0);
          const report = await verifyLog(manager, trusted);
          expect(report.firstProblem).toBeNull();
          expect(report.committed).toBe(report.receipts + report.pending + report.removedByRetention);
        });
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    },
  );
});
