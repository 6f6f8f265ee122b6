import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { DirectoryLock } from 'src/database/directory-lock.js';
import { OpenDatabase } from 'src/database/data-source.js';
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
