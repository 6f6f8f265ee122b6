import { inject } from 'vitest';
import { OpenDatabase } from 'src/database/data-source.js';
import { DISCLOSURE_LOG_ENTITIES, ENTITIES } from 'src/database/entities.js';
import { seedDemoData } from 'src/seed/demo-seed.js';

let shared: Promise<OpenDatabase> | undefined;

/** The run's database, migrated once: the run's own PostgreSQL database, or in-memory PGlite. */
export function testDatabase(): Promise<OpenDatabase> {
  shared ??= (async () => {
    const url = inject('testDatabaseUrl');
    const database = await OpenDatabase.open(url ? { url, poolSize: 5 } : { embeddedDir: undefined });
    await database.migrate();
    return database;
  })();
  return shared;
}

/**
 * Empties every table but the append-only disclosure log (which refuses it, and whose chain runs
 * across the whole run) and loads the demo data again, so each file starts from the same state.
 */
export async function resetDatabase(): Promise<OpenDatabase> {
  const database = await testDatabase();
  const tables = ENTITIES.filter((entity) => !DISCLOSURE_LOG_ENTITIES.includes(entity))
    .map((entity) => `"${database.dataSource.getMetadata(entity).tableName}"`)
    .join(', ');
  await database.dataSource.query(`TRUNCATE ${tables} CASCADE`);
  await seedDemoData(database.dataSource);
  return database;
}
