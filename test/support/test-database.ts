import { inject } from 'vitest';
import { OpenDatabase } from 'src/database/data-source.js';
import { ENTITIES } from 'src/database/entities.js';
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

/** Empties every table and loads the demo data again, so each file starts from the same state. */
export async function resetDatabase(): Promise<OpenDatabase> {
  const database = await testDatabase();
  const tables = ENTITIES.map((entity) => `"${database.dataSource.getMetadata(entity).tableName}"`).join(', ');
  await database.dataSource.query(`TRUNCATE ${tables} CASCADE`);
  await seedDemoData(database.dataSource);
  return database;
}
