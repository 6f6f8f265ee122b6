import pg from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Sql } from 'src/common/database/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The statements of the key read and of the policy's look-ups: each only reads. */
const READS = [
  'tandem_child_access',
  'tandem_child_by_id',
  'tandem_child_by_reference_with_access',
  'tandem_child_with_access',
  'tandem_current_placements',
  'tandem_legal_status_history',
  'tandem_record_version_summaries',
  'tandem_record_versions',
];

function serverPool(): pg.Pool {
  const { driver } = t.app.get(DataSource);
  const master: unknown = driver instanceof PostgresDriver ? driver.master : undefined;
  if (!(master instanceof pg.Pool)) throw new Error('not on a server');
  return master;
}

/** Every connection of the pool at once, with the named statements each has prepared. */
async function preparedOnEachConnection(): Promise<string[][]> {
  const pool = serverPool();
  const clients = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (client) =>
        (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map(
          (row) => row.name,
        ),
      ),
    );
  } finally {
    for (const client of clients) client.release();
  }
}

async function logSize(): Promise<number> {
  const [row] = await t.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM disclosure_entry');
  return row?.n ?? -1;
}

describe.skipIf(!inject('testDatabaseUrl'))('warm start on a PostgreSQL server', () => {
  it('has every connection of the pool open, with the reading statements prepared, before the first request', async () => {
    const pool = serverPool();
    expect(pool.totalCount).toBe(pool.options.max);
    const prepared = await preparedOnEachConnection();
    expect(prepared).toHaveLength(pool.options.max);
    for (const names of prepared) expect(names).toEqual(expect.arrayContaining(READS));
  });

  it('is set to keep its connections (and what they prepared) open when idle, with TCP keep-alive', () => {
    // node-postgres closes a connection idle for idleTimeoutMillis (10 s unless set); 0 is never.
    expect(serverPool().options.idleTimeoutMillis).toBe(0);
    expect(serverPool().options.keepAlive).toBe(true);
  });

  it('writes nothing: no receipt, however often it runs', async () => {
    const before = await logSize();
    const warmed = await t.app.get(Sql).warm();
    expect(warmed).toEqual({ connections: serverPool().options.max, statements: expect.any(Number) as number });
    expect(warmed.statements).toBeGreaterThanOrEqual(READS.length);
    expect(await logSize()).toBe(before);
  });

  it('runs no statement that writes, and fails rather than write through one that does not say so', async () => {
    const tally = async () =>
      (await t.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM disclosure_tally'))[0]?.n;
    const before = { tally: await tally(), log: await logSize() };
    const sql = t.app.get(Sql);
    // Left out by its text: never run.
    await expect(
      sql.warm([['tandem_test_warm_insert', 'INSERT INTO disclosure_tally (receipts) VALUES ($1)']]),
    ).resolves.toMatchObject({ statements: 0 });
    // A read that writes (a sequence advanced) is refused by the read-only transaction.
    await expect(
      sql.warm([['tandem_test_warm_nextval', "SELECT nextval('disclosure_tally_id_seq') WHERE $1::int IS NULL"]]),
    ).rejects.toThrow(/read-only transaction/);
    expect({ tally: await tally(), log: await logSize() }).toEqual(before);
    // The pool is whole afterwards: no connection came back mid-transaction, and a read still works.
    expect(await preparedOnEachConnection()).toHaveLength(serverPool().options.max);
    expect((await t.gql('dana.hughes', '{ me { subject } }')).body.errors).toBeUndefined();
  });

  it('leaves the warmed connections serving requests as before: a read, then its receipts', async () => {
    const before = await logSize();
    const response = await t.gql('dana.hughes', 'query($id: ID!) { child(id: $id) { id givenName } }', { id: JORDAN.id });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ child: { id: JORDAN.id, givenName: JORDAN.givenName } });
    expect(await logSize()).toBeGreaterThan(before);
  });
});

describe.skipIf(inject('testDatabaseUrl'))('warm start on embedded PGlite', () => {
  it('has nothing to warm: one connection, statements sent as text', async () => {
    expect(await t.app.get(Sql).warm()).toEqual({ connections: 0, statements: 0 });
  });
});
