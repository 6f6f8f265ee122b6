import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataSource } from 'typeorm';
import { recordedVerification, runVerification, VerificationRuns } from 'src/audit-api/verification-runs.js';
import { type Queryable, verifyLog } from 'src/disclosure/chain/verifier.js';
import { CheckpointKey, verifySignature } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { AuditVerificationState } from 'src/disclosure/entities/audit-verification-run.entity.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
let db: DataSource;
const audit = { purpose: 'AUDIT' };

interface Run {
  id: string;
  state: string;
  origin: string;
  startedAt: string;
  finishedAt: string | null;
  startedBy: string;
  checked: number;
  total: number;
  checkpoints: number | null;
  chainHead: string | null;
  failure: { entryId: string | null; seq: string | null; checkpointId: number | null; problem: string } | null;
  failures: string[];
}
const RUN =
  'id state origin startedAt finishedAt startedBy checked total checkpoints chainHead failure { entryId seq checkpointId problem } failures';
const START = `mutation { startAuditVerification { ${RUN} } }`;
const LATEST = `{ auditVerification { ${RUN} } }`;

beforeAll(async () => {
  // These tests alter, remove and forge receipts in the JSON form's rows (the compact form's own
  // are in compact-log.test.ts), so requests here log in that form.
  t = await startTestApp({ AUDIT_LOG_FORM: 'json' });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

async function start(headers: Record<string, string> = {}): Promise<Run> {
  const response = await t.gql<{ startAuditVerification: Run }>('audrey.fox', START, {}, { ...audit, headers });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data?.startAuditVerification as Run;
}

async function latest(): Promise<Run | null> {
  const response = await t.gql<{ auditVerification: Run | null }>('audrey.fox', LATEST, {}, audit);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data?.auditVerification ?? null;
}

/** Polls the latest run until it has finished: bounded generously, as the run's log is the whole test run's. */
function finished(runId: string): Promise<Run> {
  return vi.waitFor(
    async () => {
      const run = await latest();
      expect(run?.id).toBe(runId);
      expect(run?.state).not.toBe('RUNNING');
      return run as Run;
    },
    { timeout: 150_000, interval: 100 },
  );
}

/** A sealed receipt of a read made now: its id and its bytes. */
async function sealedRead(): Promise<{ id: string; body: Buffer }> {
  const correlationId = `verify-${randomUUID()}`;
  const read = await t.gql(
    'dana.hughes',
    `query($id: ID!) { record(id: $id) { kind } }`,
    { id: recordOf(JORDAN, RecordKind.CARE_PLAN) },
    { headers: { 'x-correlation-id': correlationId } },
  );
  expect(read.body.errors).toBeUndefined();
  await t.app.get(SealerService).sealAll();
  const [row] = await db.query<{ id: string; body: Buffer }[]>(
    'SELECT id, body FROM disclosure_receipt WHERE correlation_id = $1',
    [correlationId],
  );
  if (!row) throw new Error('no receipt');
  return row;
}

/** Rewrites a receipt's bytes as the tables' owner, around the append-only trigger, and commits. */
async function overwrite(id: string, body: Buffer): Promise<void> {
  await db.transaction(async (manager) => {
    await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER');
    await manager.query('UPDATE disclosure_receipt SET body = $1 WHERE id = $2', [body, id]);
    await manager.query('ALTER TABLE disclosure_receipt ENABLE TRIGGER USER');
  });
}

describe('verifying the log from the server', () => {
  it('runs in the background, shows its progress, and passes on an untouched log', async () => {
    await sealedRead();
    const correlationId = `start-${randomUUID()}`;
    const started = await start({ 'x-correlation-id': correlationId });
    expect(started).toMatchObject({ state: 'RUNNING', origin: 'API', startedBy: 'audrey.fox', finishedAt: null });
    const run = await finished(started.id);
    expect(run).toMatchObject({ state: 'PASSED', failure: null, failures: [] });
    expect(run.checked).toBeGreaterThan(0);
    expect(run.checked).toBe(run.total);
    expect(run.checkpoints).toBeGreaterThan(0);
    expect(run.chainHead).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(run.finishedAt ?? 0).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    // Each start is an auditor's action in the log.
    const [logged] = await loggedReceipts(db, { correlationId });
    expect(logged?.entryKind).toBe('AUDIT_QUERY');
    expect(logged?.body).toMatchObject({
      operation: { name: 'startAuditVerification' },
      query: { runId: started.id, started: true },
    });
  }, 180_000);

  it('fails on a receipt altered in SQL, naming the entry as audit:verify does', async () => {
    const { id, body } = await sealedRead();
    const forged = Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), purpose: 'SAFEGUARDING' }));
    await overwrite(id, forged);
    try {
      const run = await finished((await start()).id);
      expect(run.state).toBe('FAILED');
      expect(run.failure).toMatchObject({ entryId: id, problem: expect.stringMatching(/altered/) as string });
      expect(run.failure?.checkpointId).toBeGreaterThan(0);
      expect(run.failures).toEqual([
        `FAILED at receipt ${id} (seq ${run.failure?.seq}, checkpoint ${run.failure?.checkpointId}): ${run.failure?.problem}`,
      ]);
      expect(run.checked).toBeLessThan(run.total);
    } finally {
      // The run's log is shared by every test file: put the bytes back.
      await overwrite(id, body);
    }
    expect((await finished((await start()).id)).state).toBe('PASSED');
  }, 300_000);

  it('runs one at a time: a start while audit:verify runs gives that run, which records its result in the same place', async () => {
    await db.query(`UPDATE audit_verification_run SET state = 'ERROR', finished_at = now() WHERE state = 'RUNNING'`);
    // The command begins a run as `npm run audit:verify` does, and has yet to check anything.
    const runs = new VerificationRuns(db);
    const cli = await runs.begin({ origin: 'CLI', subject: 'ops.user', name: null });
    expect(cli.started).toBe(true);
    const second = await start();
    expect(second).toMatchObject({ id: cli.run.id, origin: 'CLI', state: 'RUNNING', startedBy: 'ops.user' });
    await runs.finish(cli.run.id, {
      state: AuditVerificationState.ERROR,
      checked: 0,
      total: 0,
      checkpoints: null,
      chainHead: null,
      problem: null,
      failures: ['test'],
    });
    // The command's whole way: begin, verify, record.
    const key = t.app.get(CheckpointKey);
    const result = await recordedVerification(
      db,
      { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) },
      { origin: 'CLI', subject: 'ops.user', name: null },
    );
    expect('report' in result && result.report.ok).toBe(true);
    expect(await latest()).toMatchObject({ origin: 'CLI', state: 'PASSED', startedBy: 'ops.user', failures: [] });
  }, 180_000);

  it('leaves a batch the sealer signs while it runs to the next run, where the bare verifier would cry wolf', async () => {
    const key = t.app.get(CheckpointKey);
    const trustedKeys = new Map([[key.keyId, key.publicKeyPem()]]);
    /** The database, with a new batch sealed just as the verifier reads its first page of the chain. */
    const sealingMidway = async (): Promise<Queryable> => {
      await sealedRead();
      const pending = await t.gql('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: JORDAN.id });
      expect(pending.body.errors).toBeUndefined();
      let sealed = false;
      return {
        query: async <T>(sql: string, parameters?: unknown[]): Promise<T> => {
          if (!sealed && sql.includes('FROM disclosure_seal s LEFT JOIN')) {
            sealed = true;
            expect(await t.app.get(SealerService).sealAll()).toBeGreaterThan(0);
          }
          return db.query<T>(sql, parameters);
        },
      };
    };
    const bare = await verifyLog(await sealingMidway(), { trustedKeys });
    expect(bare.firstProblem?.problem).toBe('sealed outside any checkpoint');
    const runs = new VerificationRuns(db);
    await db.query(`UPDATE audit_verification_run SET state = 'ERROR', finished_at = now() WHERE state = 'RUNNING'`);
    const { run } = await runs.begin({ origin: 'CLI', subject: 'ops.user', name: null });
    const report = await runVerification(await sealingMidway(), runs, run.id, { trustedKeys });
    expect(report.firstProblem).toBeNull();
    expect(await latest()).toMatchObject({ id: run.id, state: 'PASSED', checked: report.receipts, total: report.receipts });
  }, 180_000);

  it('gives up a run whose process stopped, and starts afresh', async () => {
    const runs = new VerificationRuns(db);
    const stale = await runs.begin({ origin: 'CLI', subject: 'crashed.process', name: null });
    await db.query(`UPDATE audit_verification_run SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [stale.run.id]);
    const fresh = await start();
    expect(fresh.id).not.toBe(stale.run.id);
    const [abandoned] = await db.query<{ state: string; failures: string[] }[]>(
      'SELECT state, failures FROM audit_verification_run WHERE id = $1',
      [stale.run.id],
    );
    expect(abandoned).toMatchObject({ state: 'ERROR', failures: [expect.stringMatching(/Abandoned/) as string] });
    expect((await finished(fresh.id)).state).toBe('PASSED');
  }, 180_000);
});

describe('what the console’s Integrity page reads', () => {
  it('gives the latest checkpoints and the public key that signs them', async () => {
    await sealedRead();
    const response = await t.gql<{
      auditPublicKey: { keyId: string; publicKey: string; algorithm: string };
      disclosureCheckpoints: {
        id: number;
        keyId: string;
        statement: string;
        signature: string;
        signedAt: string;
        firstSeq: string;
        lastSeq: string;
        receipts: number;
      }[];
    }>(
      'audrey.fox',
      `{ auditPublicKey { keyId publicKey algorithm }
         disclosureCheckpoints(first: 3, newestFirst: true) { id keyId statement signature signedAt firstSeq lastSeq receipts } }`,
      {},
      audit,
    );
    expect(response.body.errors).toBeUndefined();
    const key = t.app.get(CheckpointKey);
    const published = response.body.data?.auditPublicKey;
    expect(published).toEqual({ keyId: key.keyId, publicKey: key.publicKeyPem(), algorithm: 'Ed25519' });
    const checkpoints = response.body.data?.disclosureCheckpoints ?? [];
    const [{ newest } = { newest: 0 }] = await db.query<{ newest: number }[]>(
      'SELECT max(id) AS newest FROM disclosure_checkpoint',
    );
    expect(checkpoints[0]?.id).toBe(newest);
    expect(checkpoints.map((checkpoint) => checkpoint.id)).toEqual(
      [...checkpoints.map((checkpoint) => checkpoint.id)].sort((a, b) => b - a),
    );
    for (const checkpoint of checkpoints) {
      expect(checkpoint.keyId).toBe(published?.keyId);
      expect(
        verifySignature(
          published?.publicKey ?? '',
          Buffer.from(checkpoint.statement),
          Buffer.from(checkpoint.signature, 'base64'),
        ),
      ).toBe(true);
      expect(JSON.parse(checkpoint.statement)).toMatchObject({
        checkpoint: checkpoint.id,
        firstSeq: checkpoint.firstSeq,
        lastSeq: checkpoint.lastSeq,
        treeSize: checkpoint.receipts,
        signedAt: checkpoint.signedAt,
      });
    }
  });

  it('is for auditors only', async () => {
    for (const subject of ['dana.hughes', 'marcus.reid', 'tara.nolan']) {
      expect(codes(await t.gql(subject, START, {}, audit)), subject).toEqual(['FORBIDDEN']);
      expect(codes(await t.gql(subject, LATEST, {}, audit)), subject).toEqual(['FORBIDDEN']);
      expect(codes(await t.gql(subject, '{ auditPublicKey { keyId } }', {}, audit)), subject).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.gql('audrey.fox', START, {}, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(null, LATEST, {}, audit))).toEqual(['UNAUTHENTICATED']);
  });
});
