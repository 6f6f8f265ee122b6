import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { type RangeHelpers, stretches, verifyLog, type VerifyReport } from 'src/disclosure/chain/verifier.js';
import type { CheckpointRow } from 'src/disclosure/chain/verify-checks.js';
import { runRange, type Queryable, type RangeTask } from 'src/disclosure/chain/verify-range.js';
import { GENESIS } from 'src/disclosure/chain/hashing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';
import { flipSealedBytes, verifiedOutcome } from '../support/sealed-entries.js';

let t: TestApp;
let db: DataSource;
let trustedKeys: ReadonlyMap<string, string>;
let pageSize: number;

beforeAll(async () => {
  // Small batches: many checkpoints, so the chain splits into stretches at many places.
  t = await startTestApp({ AUDIT_SEAL_BATCH_SIZE: '3' });
  db = t.app.get(DataSource);
  const key = t.app.get(CheckpointKey);
  trustedKeys = new Map([[key.keyId, key.publicKeyPem()]]);
  for (let read = 0; read < 8; read++) {
    const response = await t.gql(
      'dana.hughes',
      'query($id: ID!) { child(id: $id) { givenName records { edges { node { kind } } } } }',
      { id: JORDAN.id },
    );
    expect(response.body.errors).toBeUndefined();
  }
  await t.app.get(SealerService).sealAll();
  const [row] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_seal');
  // Pages of a twentieth of the log: enough seals for three stretches, few enough pages to be quick.
  pageSize = Math.max(2, Math.floor(Number(row?.n ?? 0) / 20));
});
afterAll(() => t.close());

/** Helpers that check their stretches on this thread, as a worker thread does (runRange), counting them. */
function inThread(manager: Queryable, count = 2): RangeHelpers & { readonly tasks: RangeTask[] } {
  const tasks: RangeTask[] = [];
  return {
    count,
    tasks,
    run: (task, onProgress) => {
      tasks.push(task);
      return runRange(manager, task, (checked) => Promise.resolve(onProgress(checked)));
    },
    stop: () => Promise.resolve(),
  };
}

/** One statement at a time on a transaction's one connection, whichever stretch asks. */
function oneAtATime(manager: Queryable): Queryable {
  let last: Promise<unknown> = Promise.resolve();
  return {
    query: <T>(sql: string, parameters?: unknown[]): Promise<T> => {
      const next = last.then(() => manager.query<T>(sql, parameters));
      last = next.catch(() => undefined);
      return next;
    },
  };
}

async function both(manager: Queryable): Promise<{ whole: VerifyReport; split: VerifyReport; tasks: RangeTask[] }> {
  const whole = await verifyLog(manager, { trustedKeys, pageSize });
  const shared = oneAtATime(manager);
  const helpers = inThread(shared);
  const split = await verifyLog(shared, { trustedKeys, pageSize, helpers });
  return { whole, split, tasks: helpers.tasks };
}

/** The stretches a run with two helpers checks (as verifyLog splits them). */
async function plannedStretches(manager: Queryable): Promise<RangeTask[]> {
  const live = await manager.query<CheckpointRow[]>('SELECT * FROM disclosure_checkpoint ORDER BY id');
  return stretches(live, { afterSeq: '0', previous: GENESIS, bound: null, pageSize }, 3);
}

describe('audit:verify in stretches', () => {
  it('checks the chain in stretches, each from its predecessor’s signed head, and reports what one run through it reports', async () => {
    const { whole, split, tasks } = await both(db);
    expect(whole.ok).toBe(true);
    // However the shared log splits at its checkpoints (earlier files sealed big batches), a stretch went to a helper.
    expect(tasks.length).toBeGreaterThanOrEqual(1);
    expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
  });

  it('splits at checkpoints: contiguous stretches, the last reaching to the end of the log', async () => {
    const planned = await plannedStretches(db);
    const live = await db.query<CheckpointRow[]>('SELECT * FROM disclosure_checkpoint ORDER BY id');
    expect(planned.length).toBeGreaterThanOrEqual(2);
    expect(planned.flatMap((task) => task.checkpoints.map((checkpoint) => checkpoint.id))).toEqual(live.map((row) => row.id));
    planned.forEach((task, index) => {
      const before = planned[index - 1]?.checkpoints.at(-1);
      expect(task.afterSeq).toBe(before?.last_seq ?? '0');
      expect(task.previous.equals(before?.chain_head ?? GENESIS)).toBe(true);
      expect(task.bound).toBe(index === planned.length - 1 ? null : task.checkpoints.at(-1)?.last_seq);
      expect(task.following).toEqual(index === planned.length - 1 ? null : { bound: null });
    });
  });

  it('names the same first problem as one run, where a later stretch was altered', async () => {
    const planned = await plannedStretches(db);
    const seq = planned.length > 1 ? planned.at(-1)?.checkpoints.at(-1)?.first_seq : undefined;
    if (!seq) throw new Error('no second stretch');
    await inRolledBackTransaction(db, async (manager) => {
      await flipSealedBytes(manager, seq);
      const { whole, split } = await both(manager);
      expect(whole.firstProblem).toMatchObject({ seq, problem: expect.stringMatching(/altered/) as string });
      expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
    });
  });

  it('names the earliest problem when two stretches have one', async () => {
    const planned = await plannedStretches(db);
    const early = planned[0]?.checkpoints.at(-1)?.last_seq;
    const late = planned.length > 1 ? planned.at(-1)?.checkpoints[0]?.first_seq : undefined;
    if (!early || !late) throw new Error('no second stretch');
    await inRolledBackTransaction(db, async (manager) => {
      await flipSealedBytes(manager, late);
      await flipSealedBytes(manager, early);
      const { whole, split } = await both(manager);
      expect(whole.firstProblem?.seq).toBe(early);
      expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
    });
  });

  it('names a gap at the end of a stretch as one run names it (the sequence jumps to the next stretch)', async () => {
    const [first] = await plannedStretches(db);
    const end = first?.checkpoints.at(-1)?.last_seq;
    if (!end) throw new Error('no first stretch');
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_seal DISABLE TRIGGER USER');
      await manager.query('DELETE FROM disclosure_seal WHERE seq = $1', [end]);
      const { whole, split } = await both(manager);
      expect(whole.firstProblem?.problem).toMatch(/sequence jumps/);
      expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
    });
  });

  it('checks a stretch itself when its helper cannot (a worker that would not start), and stops the helpers after', async () => {
    const whole = await verifyLog(db, { trustedKeys, pageSize });
    let stopped = 0;
    const failing: RangeHelpers = {
      count: 2,
      run: () => Promise.reject(new Error('no worker')),
      stop: () => {
        stopped += 1;
        return Promise.resolve();
      },
    };
    const split = await verifyLog(db, { trustedKeys, pageSize, helpers: failing });
    expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
    expect(stopped).toBeGreaterThan(0);
  });

  it('stops when its progress says stop, with that error', async () => {
    const stop = new Error('stopped by the test');
    const run = verifyLog(db, {
      trustedKeys,
      pageSize,
      helpers: inThread(db),
      onPage: (checked) => (checked > 0 ? Promise.reject(stop) : Promise.resolve()),
    });
    await expect(run).rejects.toBe(stop);
  });

  it('checks as of its start in stretches as one pass does: what is sealed after its checkpoints were read is the next run’s', async () => {
    const whole = await verifyLog(db, { trustedKeys, pageSize, asOfStart: true });
    const helpers = inThread(db);
    const split = await verifyLog(db, { trustedKeys, pageSize, asOfStart: true, helpers });
    expect(whole.ok).toBe(true);
    expect(helpers.tasks.length).toBeGreaterThanOrEqual(1);
    expect(helpers.tasks.at(-1)?.bound).toBe(helpers.tasks.at(-1)?.checkpoints.at(-1)?.last_seq);
    expect(verifiedOutcome(split)).toEqual(verifiedOutcome(whole));
  });
});
