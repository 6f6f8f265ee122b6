import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { LATE_COMMIT_WINDOW, SealerService } from 'src/disclosure/chain/sealer.service.js';
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
  // The loop's timer a minute away: the test decides when each batch runs and from where.
  t = await startTestApp({ AUDIT_LOG_FORM: 'compact', AUDIT_SEAL_INTERVAL_MS: '60000' });
  db = t.app.get(DataSource);
  sealer = t.app.get(SealerService);
  log = t.app.get(ResponseLog);
});
afterAll(() => t.close());

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

async function isSealed(responseId: string): Promise<boolean> {
  const rows = await db.query<unknown[]>('SELECT 1 FROM disclosure_seal WHERE response_id = $1', [responseId]);
  return rows.length > 0;
}

describe('the sealer’s passes and responses committed late', () => {
  it('takes from just below the newest response sealed, and from the start once a minute', () => {
    const later = Date.now() + 3_600_000;
    expect(sealer.passFrom(later)).toBe(0n);
    const windowed = sealer.passFrom(later + 1_000);
    expect(sealer.passFrom(later + 59_999)).toBe(windowed);
    expect(sealer.passFrom(later + 60_000)).toBe(0n);
  });

  // A transaction held open beside the others needs a server (the embedded database has one connection).
  it.skipIf(!inject('testDatabaseUrl'))(
    'seals a response numbered far below the newest sealed that commits late, at the next pass from the start',
    async () => {
      await sealer.sealAll();
      const bodies = await receiptsOfARead();
      // Numbered first, committed last: its transaction stays open while later responses are sealed.
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
        // The responses after it numbered twice the window past it, and sealed before it commits.
        await db.query(`SELECT setval('disclosure_receipt_id_seq', $1::bigint)`, [
          (BigInt(lateId) + 2n * LATE_COMMIT_WINDOW).toString(),
        ]);
        await receiptsOfARead();
        await sealer.sealAll();
        await late.commitTransaction();
      } finally {
        await late.release();
      }
      const later = Date.now() + 7_200_000;
      expect(sealer.passFrom(later)).toBe(0n);
      // A pass from just below the newest sealed does not reach it...
      const windowed = sealer.passFrom(later + 1_000);
      expect(windowed).toBeGreaterThan(BigInt(lateId));
      expect((await sealer.sealBatch(windowed)).receipts).toBe(0);
      expect(await isSealed(lateId)).toBe(false);
      // ...the pass from the start, a minute on, does; and the log verifies.
      expect((await sealer.sealBatch(sealer.passFrom(later + 60_000))).receipts).toBe(bodies.length);
      expect(await isSealed(lateId)).toBe(true);
      const key = t.app.get(CheckpointKey);
      const verified = await verifyLog(db, { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) });
      expect(verified.firstProblem).toBeNull();
    },
  );

  it.skipIf(!inject('testDatabaseUrl'))(
    'seals a response that commits late within the window at the very next pass',
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
        await late.commitTransaction();
      } finally {
        await late.release();
      }
      const later = Date.now() + 14_400_000;
      sealer.passFrom(later);
      const windowed = sealer.passFrom(later + 1_000);
      expect(windowed).toBeLessThanOrEqual(BigInt(lateId));
      expect((await sealer.sealBatch(windowed)).receipts).toBe(bodies.length);
      expect(await isSealed(lateId)).toBe(true);
    },
  );
});
