import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RangeHelpers } from 'src/disclosure/chain/verify-stretches.js';
import type { RangeOutcome, RangeTask } from 'src/disclosure/chain/verify-range.js';
import { isWorkerMessage, outcomeOf, type WorkerRequest } from 'src/disclosure/chain/verify-transfer.js';

/**
 * Worker threads for `audit:verify` on a PostgreSQL server, one per core beyond the first (at most
 * three), each checking a stretch of the chain on a connection of its own: the chain is checked
 * in several places at once while PostgreSQL serves each. None on one core, and none for the
 * embedded database (a worker cannot reach it).
 */
export function workerHelpers(databaseUrl: string, count = Math.min(3, availableParallelism() - 1)): RangeHelpers | undefined {
  if (count < 1) return undefined;
  const running = new Set<Worker>();
  return {
    count,
    run(task: RangeTask, onProgress: (checked: number) => void): Promise<RangeOutcome> {
      const request: WorkerRequest = { databaseUrl, task };
      const worker = new Worker(new URL('./verify-worker.js', import.meta.url), { workerData: request });
      running.add(worker);
      return new Promise<RangeOutcome>((resolve, reject) => {
        worker.on('message', (message: unknown) => {
          if (!isWorkerMessage(message)) return reject(new Error('A verify worker sent something unexpected'));
          if (message.kind === 'progress') onProgress(message.checked);
          else if (message.kind === 'done') resolve(outcomeOf(message.outcome));
          else reject(new Error(`A verify worker stopped: ${message.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          running.delete(worker);
          // After "done" this settles nothing; before it, the stretch was not checked.
          reject(new Error(`A verify worker exited (${code}) before its stretch was checked`));
        });
      });
    },
    async stop(): Promise<void> {
      await Promise.all([...running].map((worker) => worker.terminate()));
    },
  };
}
