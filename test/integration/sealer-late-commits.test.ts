import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AppConfig } from 'src/config/app-config.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { LATE_COMMIT_WINDOW, SEALER_LOCK_KEY, type SealResult, SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog } from 'src/disclosure/chain/verifier.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
let db: DataSource;
let sealer: SealerService;
let log: ResponseLog;
beforeAll(async () => {
  // The loop's timer a minute away: the test wakes it, or runs batches itself.
  t = await startTestApp({ AUDIT_LOG_FORM: 'compact', AUDIT_SEAL_INTERVAL_MS: '60000' });
  db = t.app.get(DataSource);
  sealer = t.app.get(SealerService);
  log = t.app.get(ResponseLog);
});
afterAll(() => t.close());

/** A sealer of its own (another instance, as it starts): it has never drained the queue. */
function freshSealer(): SealerService {
  return new SealerService(db, t.app.get(AppConfig), t.app.get(CheckpointKey));
}

async function receiptsOfARead(): Promise<ReceiptBody[]> {
  const correlationId = `late-${randomUUID()}`;
  const response = await t.gql(
    'dana.hughes',
    'query($id: ID!) { child(id: $id) { givenName } }',
    { id: JORDAN.id },
    { headers: { 'x-correlation-id': correlationId } },
  );
  expect(response.body.errors).toBeUndefined();
  return (await loggedReceipts(db, { correlationId })).map((receipt) => receipt.body);
}

async function newestWaiting(): Promise<string> {
  const [row] = await db.query<{ id: string | null }[]>('SELECT max(response_id)::text AS id FROM disclosure_response_pending');
  if (!row?.id) throw new Error('nothing waiting');
  return row.id;
}

async function isSealed(responseId: string): Promise<boolean> {
  const rows = await db.query<unknown[]>('SELECT 1 FROM disclosure_seal WHERE response_id = $1', [responseId]);
  return rows.length > 0;
}

async function verifies(): Promise<void> {
  const key = t.app.get(CheckpointKey);
  const verified = await verifyLog(db, { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) });
  expect(verified.firstProblem).toBeNull();
}

describe('the sealer’s passes and responses committed late', () => {
  it('takes from the start until it has drained the queue from there, then the recent responses for a minute', async () => {
    const fresh = freshSealer();
    expect(fresh.scopeAt(performance.now())).toBe('all');
    await fresh.sealAll();
    expect(fresh.scopeAt(performance.now() + 1_000)).toBe('recent');
    expect(fresh.scopeAt(performance.now() + 61_000)).toBe('all');
  });

  // Another connection holding the lock needs a server (the embedded database has one connection).
  it.skipIf(!inject('testDatabaseUrl'))(
    'does not count a pass from the start that another sealer kept from the lock',
    async () => {
      const fresh = freshSealer();
      const other = db.createQueryRunner();
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock($1)', [SEALER_LOCK_KEY]);
        expect(await fresh.sealBatch('all')).toEqual({ receipts: 0, checkpointId: null, drained: true });
      } finally {
        await other.query('SELECT pg_advisory_unlock($1)', [SEALER_LOCK_KEY]);
        await other.release();
      }
      expect(fresh.scopeAt(performance.now() + 1_000)).toBe('all');
    },
  );

  it('leaves a response committed far below the newest sealed to the next pass from the start, which seals it', async () => {
    await sealer.sealAll();
    const [sequence] = await db.query<{ value: string }[]>('SELECT last_value::text AS value FROM disclosure_receipt_id_seq');
    const before = BigInt(sequence?.value ?? '0');
    // Responses numbered twice the window on are sealed first...
    await db.query(`SELECT setval('disclosure_receipt_id_seq', $1::bigint)`, [(before + 2n * LATE_COMMIT_WINDOW).toString()]);
    await receiptsOfARead();
    await sealer.sealAll();
    const [high] = await db.query<{ value: string }[]>('SELECT last_value::text AS value FROM disclosure_receipt_id_seq');
    // ...then one numbered where the sequence stood before commits (as one numbered first and committed last would).
    await db.query(`SELECT setval('disclosure_receipt_id_seq', $1::bigint)`, [before.toString()]);
    const bodies = await receiptsOfARead();
    const late = await newestWaiting();
    expect(BigInt(late)).toBeLessThan(before + LATE_COMMIT_WINDOW);
    // The loop's next pass (the queue drained from its start a moment ago) takes the recent responses only.
    const batches = vi.spyOn(sealer, 'sealBatch');
    try {
      sealer.wake();
      await vi.waitFor(() => expect(batches).toHaveBeenCalled());
      const first = batches.mock.results[0]?.value as Promise<SealResult>;
      expect(await first).toEqual({ receipts: 0, checkpointId: null, drained: true });
      expect(batches).toHaveBeenNthCalledWith(1, 'recent');
    } finally {
      batches.mockRestore();
    }
    expect(await isSealed(late)).toBe(false);
    // A pass from the start seals it, and the log verifies.
    expect((await sealer.sealBatch('all')).receipts).toBe(bodies.length);
    expect(await isSealed(late)).toBe(true);
    await verifies();
    // Later responses numbered after every one sealed, as the sequence gives them.
    await db.query(`SELECT setval('disclosure_receipt_id_seq', $1::bigint)`, [high?.value ?? '1']);
  });

  // A transaction held open beside the others needs a server.
  it.skipIf(!inject('testDatabaseUrl'))(
    'seals a response that commits late within the window at the very next pass of recent responses',
    async () => {
      await sealer.sealAll();
      const bodies = await receiptsOfARead();
      const late = db.createQueryRunner();
      await late.connect();
      let lateId = '';
      try {
        await late.startTransaction();
        await log.insert([log.encode(bodies)], late.manager);
        const [row] = await late.manager.query<{ id: string }[]>(
          'SELECT max(response_id)::text AS id FROM disclosure_response_pending',
        );
        lateId = row?.id ?? '';
        await receiptsOfARead();
        await sealer.sealAll();
        expect(await isSealed(lateId)).toBe(false);
        await late.commitTransaction();
      } finally {
        await late.release();
      }
      expect((await sealer.sealBatch('recent')).receipts).toBe(bodies.length);
      expect(await isSealed(lateId)).toBe(true);
      await verifies();
    },
  );
});
