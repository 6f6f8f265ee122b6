import { describe, expect, it } from 'vitest';
import { type ConnectionSource, verifyLogOnOwnConnection } from 'src/disclosure/chain/verifier.js';

/** A pool that records what is asked of it; an empty log (every query answers no rows) unless `fail` matches. */
function pool(max: number | undefined, fail?: RegExp) {
  const asked: string[] = [];
  const answer = <T>(where: string, sql: string): Promise<T> => {
    asked.push(`${where}: ${sql.trim().split(/\s+/).slice(0, 3).join(' ')}`);
    return fail?.test(sql) ? Promise.reject(new Error('the database went away')) : Promise.resolve([] as T);
  };
  const source: ConnectionSource = {
    options: { extra: max === undefined ? undefined : { max } },
    query: (sql) => answer('pool', sql),
    createQueryRunner: () => ({
      connect: () => answer('own', 'connect'),
      query: (sql) => answer('own', sql),
      release: () => {
        asked.push('own: release');
        return Promise.resolve();
      },
    }),
  };
  return { source, asked };
}

describe('verifying on a connection of its own', () => {
  it('reads without parallel workers there, and gives the connection back as it came', async () => {
    const { source, asked } = pool(10);
    const report = await verifyLogOnOwnConnection(source, { trustedKeys: new Map() });
    expect(report.ok).toBe(true);
    expect(asked.filter((line) => line.startsWith('pool'))).toEqual([]);
    expect(asked.slice(0, 2)).toEqual(['own: connect', 'own: SET max_parallel_workers_per_gather =']);
    expect(asked.slice(-2)).toEqual(['own: RESET max_parallel_workers_per_gather', 'own: release']);
  });

  it('resets and releases the connection when the run fails', async () => {
    const { source, asked } = pool(undefined, /disclosure_checkpoint/);
    await expect(verifyLogOnOwnConnection(source, { trustedKeys: new Map() })).rejects.toThrow(/went away/);
    expect(asked.slice(-2)).toEqual(['own: RESET max_parallel_workers_per_gather', 'own: release']);
  });

  it('does not take a connection from a pool of one (the embedded database) or two', async () => {
    for (const max of [1, 2]) {
      const { source, asked } = pool(max);
      expect((await verifyLogOnOwnConnection(source, { trustedKeys: new Map() })).ok).toBe(true);
      expect(asked.every((line) => line.startsWith('pool'))).toBe(true);
    }
  });
});
