import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
let db: DataSource;
let sealer: SealerService;
beforeAll(async () => {
  t = await startTestApp({ AUDIT_SEAL_BATCH_SIZE: '2' });
  db = t.app.get(DataSource);
  sealer = t.app.get(SealerService);
});
afterAll(() => t.close());

/** Rows waiting in either queue (a compact response is one row however many receipts it holds). */
async function waitingRows(): Promise<number> {
  const [row] = await db.query<{ n: string }[]>(
    'SELECT (SELECT count(*) FROM disclosure_pending) + (SELECT count(*) FROM disclosure_response_pending) AS n',
  );
  return Number(row?.n ?? 0);
}

describe('the sealer’s batches', () => {
  it('says a batch drained the queue only when it took fewer rows than a batch holds', async () => {
    await sealer.sealAll();
    for (let read = 0; read < 3; read++) {
      const response = await t.gql('dana.hughes', 'query($id: ID!) { child(id: $id) { givenName } }', { id: JORDAN.id });
      expect(response.body.errors).toBeUndefined();
    }
    const waiting = await waitingRows();
    expect(waiting).toBeGreaterThanOrEqual(3);
    const drained: boolean[] = [];
    for (;;) {
      const result = await sealer.sealBatch();
      drained.push(result.drained);
      if (result.drained) break;
    }
    // Batches of two: full ones first, then the one that found fewer than two (none when the rows were even).
    expect(drained).toEqual([...Array<boolean>(Math.floor(waiting / 2)).fill(false), true]);
    expect(await waitingRows()).toBe(0);
    expect(await sealer.sealBatch()).toEqual({ receipts: 0, checkpointId: null, drained: true });
  });
});
