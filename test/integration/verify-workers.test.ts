import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog } from 'src/disclosure/chain/verifier.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { flipSealedBytes, verifiedOutcome } from '../support/sealed-entries.js';

const run = promisify(execFile);
const url = inject('testDatabaseUrl');

/**
 * The worker threads of `audit:verify` as built (a worker runs compiled JavaScript): the code is
 * compiled as `npm run build` compiles it, and a script beside it runs the verifier with two
 * worker threads on the test database. Only on a PostgreSQL server: a worker cannot reach PGlite.
 */
const CHECK = `
import pg from 'pg';
import { verifyLog } from './src/disclosure/chain/verifier.js';
import { workerHelpers } from './src/disclosure/chain/verify-helpers.js';
const { DATABASE_URL, KEY_ID, KEY_PEM, PAGE_SIZE } = process.env;
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
const helpers = workerHelpers(DATABASE_URL, 2);
let stretches = 0;
const counting = { ...helpers, run: (task, progress) => { stretches += 1; return helpers.run(task, progress); } };
const report = await verifyLog({ query: async (sql, values) => (await client.query(sql, values)).rows }, {
  trustedKeys: new Map([[KEY_ID, KEY_PEM]]), pageSize: Number(PAGE_SIZE), helpers: counting,
});
await client.end();
const { ok, receipts, checkpoints, chainHead, firstProblem, committed } = report;
console.log(JSON.stringify({ stretches, report: { ok, receipts, checkpoints, chainHead, firstProblem, committed } }));
`;

let t: TestApp;
let db: DataSource;
let key: CheckpointKey;
let build: string;
let pageSize: number;

beforeAll(async () => {
  if (!url) return;
  t = await startTestApp({ AUDIT_SEAL_BATCH_SIZE: '3' });
  db = t.app.get(DataSource);
  key = t.app.get(CheckpointKey);
  for (let read = 0; read < 6; read++) {
    const response = await t.gql('dana.hughes', 'query($id: ID!) { child(id: $id) { givenName } }', { id: JORDAN.id });
    expect(response.body.errors).toBeUndefined();
  }
  await t.app.get(SealerService).sealAll();
  const [row] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_seal');
  pageSize = Math.max(2, Math.floor(Number(row?.n ?? 0) / 20));
  build = mkdtempSync(join(tmpdir(), 'tandem-verify-workers-'));
  await run('npx', ['swc', 'src', '-d', build, '--quiet'], { timeout: 180_000 });
  copyFileSync('package.json', join(build, 'package.json'));
  symlinkSync(resolve('node_modules'), join(build, 'node_modules'), 'dir');
  writeFileSync(join(build, 'check.mjs'), CHECK);
}, 240_000);
afterAll(async () => {
  if (build) rmSync(build, { recursive: true, force: true });
  await t?.close();
});

async function withWorkers(): Promise<{ stretches: number; report: ReturnType<typeof verifiedOutcome> }> {
  const { stdout } = await run('node', [join(build, 'check.mjs')], {
    env: { ...process.env, DATABASE_URL: url, KEY_ID: key.keyId, KEY_PEM: key.publicKeyPem(), PAGE_SIZE: String(pageSize) },
    timeout: 120_000,
  });
  return JSON.parse(stdout) as { stretches: number; report: ReturnType<typeof verifiedOutcome> };
}

/** Flips a bit of the newest sealed entry's bytes (committed: a worker reads on its own connection), or back. */
async function flipNewest(): Promise<string> {
  const [seal] = await db.query<{ seq: string }[]>('SELECT seq FROM disclosure_seal ORDER BY seq DESC LIMIT 1');
  if (!seal) throw new Error('nothing sealed');
  await db.transaction((manager) => flipSealedBytes(manager, seal.seq));
  return seal.seq;
}

describe('audit:verify with worker threads', () => {
  const trusted = () => ({ trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]), pageSize });

  it.skipIf(!url)(
    'checks stretches of the chain in worker threads and reports what one run through it reports',
    async () => {
      const whole = await verifyLog(db, trusted());
      const split = await withWorkers();
      expect(whole.ok).toBe(true);
      // However the shared log splits at its checkpoints, at least one stretch went to a worker.
      expect(split.stretches).toBeGreaterThanOrEqual(1);
      expect(split.report).toEqual(verifiedOutcome(whole));
    },
    120_000,
  );

  it.skipIf(!url)(
    'names an entry altered in a worker’s stretch as one run names it',
    async () => {
      const seq = await flipNewest();
      try {
        const whole = await verifyLog(db, trusted());
        expect(whole.firstProblem).toMatchObject({ seq, problem: expect.stringMatching(/altered/) as string });
        const split = await withWorkers();
        expect(split.stretches).toBeGreaterThanOrEqual(1);
        expect(split.report).toEqual(verifiedOutcome(whole));
      } finally {
        // The run's log is shared by every test file: put the bytes back.
        await flipNewest();
      }
      expect((await verifyLog(db, trusted())).ok).toBe(true);
    },
    120_000,
  );
});
