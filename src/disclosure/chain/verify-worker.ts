import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { type RangeTask, runRange } from 'src/disclosure/chain/verify-range.js';
import { fromWorker, isWorkerRequest, type WorkerMessage, type WorkerRequest } from 'src/disclosure/chain/verify-transfer.js';

/**
 * A worker thread of `audit:verify`: checks one stretch of the chain on a connection of its own
 * (the same checks as the main thread's, in verify-range.ts) and posts its progress and outcome.
 */
async function main(request: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('verify-worker runs as a worker thread');
  const post = (message: WorkerMessage) => port.postMessage(message);
  const client = new pg.Client({ connectionString: request.databaseUrl, application_name: 'tandem audit:verify' });
  await client.connect();
  try {
    // As the main thread's connection: no parallel workers of PostgreSQL's competing for the same cores.
    await client.query('SET max_parallel_workers_per_gather = 0');
    // node-postgres's rows are untyped: the verifier's queries name the columns they read.
    const db = { query: async <T>(sql: string, parameters?: unknown[]) => (await client.query(sql, parameters)).rows as T };
    const task: RangeTask = fromWorker(request.task);
    const outcome = await runRange(db, task, (checked) => {
      post({ kind: 'progress', checked });
      return Promise.resolve();
    });
    post({ kind: 'done', outcome });
  } finally {
    await client.end();
  }
}

const request: unknown = workerData;
(isWorkerRequest(request) ? main(request) : Promise.reject(new Error('verify-worker started without its stretch'))).catch(
  (error: unknown) => {
    parentPort?.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerMessage);
  },
);
