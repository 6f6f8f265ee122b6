import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SealResult, SealerService } from 'src/disclosure/chain/sealer.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let sealer: SealerService;
beforeAll(async () => {
  // The loop on (its timer a minute away: the test wakes it), batches of two.
  t = await startTestApp({ AUDIT_SEAL_INTERVAL_MS: '60000', AUDIT_SEAL_BATCH_SIZE: '2' });
  sealer = t.app.get(SealerService);
});
afterAll(() => t.close());

describe('a pass of the sealer', () => {
  it('seals batches until one drains the queue, then waits for its next pass even while receipts keep coming', async () => {
    // Every batch sealed receipts, as under load; the third found fewer than two waiting.
    const results: SealResult[] = [
      { receipts: 8, checkpointId: 1, drained: false },
      { receipts: 8, checkpointId: 2, drained: false },
      { receipts: 4, checkpointId: 3, drained: true },
    ];
    // Each batch settles on a later turn of the event loop, as a statement's would.
    const batches = vi
      .spyOn(sealer, 'sealBatch')
      .mockImplementation(
        () =>
          new Promise((resolve) =>
            setImmediate(() => resolve(results.shift() ?? { receipts: 4, checkpointId: 9, drained: false })),
          ),
      );
    try {
      sealer.wake();
      await vi.waitFor(() => expect(batches).toHaveBeenCalledTimes(3));
      // Shutting the loop down waits for the pass in progress: it ended after the third batch.
      await sealer.onApplicationShutdown();
      expect(batches).toHaveBeenCalledTimes(3);
    } finally {
      batches.mockRestore();
    }
  });
});
