import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { DirectoryLock } from 'src/database/directory-lock.js';
import { CONNECTION_WAIT_MS } from 'src/common/database/connection-wait.js';
import { OpenDatabase, dataSourceOptions } from 'src/database/data-source.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import { seedDemoData } from 'src/seed/demo-seed.js';
import { resetDatabase, testDatabase } from '../support/test-database.js';

describe('migrations', () => {
  it('leave nothing for the entities to add: the schema comes from migrations alone', async () => {
    const database = await testDatabase();
    const sql = await database.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('never synchronize', async () => {
    const database = await testDatabase();
    expect(database.dataSource.options.synchronize).toBeFalsy();
    expect(database.dataSource.options.migrationsRun).toBeFalsy();
  });
});

describe("a server's pool", () => {
  it('bounds the wait for a free connection by default', () => {
    const options = dataSourceOptions({ url: 'postgres://tandem@db.invalid/tandem' });
    expect(options.extra).toMatchObject({ connectionTimeoutMillis: CONNECTION_WAIT_MS });
  });

  // PGlite has one connection (and its own bound): two open transactions need a server.
  it.skipIf(!inject('testDatabaseUrl'))(
    'fails transactions that hold every connection while waiting for another, instead of waiting for ever, and serves afterwards',
    async () => {
      const url = inject('testDatabaseUrl');
      if (!url) throw new Error('no server');
      const small = await OpenDatabase.open({ url, poolSize: 2, connectionWaitMs: 2000 });
      try {
        const { dataSource } = small;
        // Each holds a connection for its transaction and then asks the pool for another, as a
        // directory reload inside a write would.
        const stuck = () =>
          dataSource.transaction(async (manager) => {
            await manager.query('SELECT 1');
            await dataSource.query('SELECT 1');
          });
        const outcomes = await Promise.allSettled([stuck(), stuck()]);
        expect(outcomes.map((outcome) => outcome.status)).toContain('rejected');
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(String(outcome.reason)).toMatch(/timeout exceeded when trying to connect/i);
        }
        expect(await dataSource.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
      } finally {
        await small.close();
      }
    },
  );
});

describe('demo data', () => {
  it('is seeded idempotently', async () => {
    const database = await resetDatabase();
    const count = async () => ({
      children: await database.dataSource.getRepository(ChildEntity).count(),
      versions: await database.dataSource.getRepository(SharedRecordVersionEntity).count(),
    });
    const before = await count();
    expect(await seedDemoData(database.dataSource)).toBe('already present');
    expect(await count()).toEqual(before);
    expect(before.children).toBe(3);
  });
});

describe('the embedded database directory', () => {
  const sleepers: ReturnType<typeof spawn>[] = [];
  afterAll(() => sleepers.forEach((sleeper) => sleeper.kill()));

  function liveOtherProcess(): number {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    if (sleeper.pid === undefined) throw new Error('could not start a process');
    return sleeper.pid;
  }

  it('refuses to start when another process holds it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tandem-lock-'));
    writeFileSync(join(directory, 'tandem.lock'), String(liveOtherProcess()));
    expect(() => DirectoryLock.acquire(directory)).toThrow(/in use by process/);
    await expect(OpenDatabase.open({ embeddedDir: directory })).rejects.toThrow(/in use by process/);
  });

  it('takes over a lock left by a process that has died, and frees it on release', () => {
    const directory = mkdtempSync(join(tmpdir(), 'tandem-lock-'));
    writeFileSync(join(directory, 'tandem.lock'), '2147483646');
    const lock = DirectoryLock.acquire(directory);
    expect(readFileSync(join(directory, 'tandem.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(() => DirectoryLock.acquire(directory).release()).not.toThrow();
  });
});
