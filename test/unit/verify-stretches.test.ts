import { describe, expect, it } from 'vitest';
import { stretches } from 'src/disclosure/chain/verifier.js';
import type { CheckpointRow } from 'src/disclosure/chain/verify-checks.js';
import { GENESIS } from 'src/disclosure/chain/hashing.js';

/** Checkpoints of the given sizes, one after another from seq 1, each with a head of its own. */
function checkpoints(sizes: readonly number[]): CheckpointRow[] {
  let last = 0;
  return sizes.map((size, index) => {
    const row: CheckpointRow = {
      id: index + 1,
      first_seq: String(last + 1),
      last_seq: String(last + size),
      merkle_root: Buffer.alloc(32),
      chain_head: Buffer.alloc(32, index + 1),
      signed_at: new Date(0),
      key_id: 'k',
      statement: Buffer.alloc(0),
      signature: Buffer.alloc(0),
    };
    last += size;
    return row;
  });
}

const START = { afterSeq: '0', previous: GENESIS, bound: '99', pageSize: 10 };

describe('stretches of the chain', () => {
  it('is one stretch, the whole log to the run’s bound, under two pages of seals', () => {
    const live = checkpoints([5, 5, 9]);
    expect(stretches(live, START, 3)).toEqual([{ ...START, checkpoints: live, following: null }]);
  });

  it('is one stretch when no one helps', () => {
    const live = checkpoints(Array<number>(10).fill(10));
    expect(stretches(live, START, 1)).toHaveLength(1);
  });

  it('splits at checkpoints into about equal shares, each from the head its predecessor signed', () => {
    const live = checkpoints(Array<number>(12).fill(10));
    const tasks = stretches(live, START, 3);
    expect(tasks.map((task) => task.checkpoints.map((row) => row.id))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ]);
    expect(tasks.map((task) => task.afterSeq)).toEqual(['0', '40', '80']);
    expect(tasks.map((task) => task.previous)).toEqual([GENESIS, live[3]?.chain_head, live[7]?.chain_head]);
    expect(tasks.map((task) => task.bound)).toEqual(['40', '80', '99']);
    expect(tasks.map((task) => task.following)).toEqual([{ bound: '99' }, { bound: '99' }, null]);
  });

  it('gives each stretch at least one checkpoint, and the last all that remain', () => {
    const live = checkpoints([100, 1, 1]);
    const tasks = stretches(live, START, 3);
    expect(tasks.map((task) => task.checkpoints.map((row) => row.id))).toEqual([[1], [2], [3]]);
    const big = stretches(checkpoints([1, 1, 100]), START, 3);
    expect(big.flatMap((task) => task.checkpoints.map((row) => row.id))).toEqual([1, 2, 3]);
    expect(big.at(-1)?.checkpoints.map((row) => row.id)).toContain(3);
  });
});
