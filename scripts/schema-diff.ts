import type { QueryRunner } from 'typeorm';
import { OpenDatabase } from 'src/database/data-source.js';

export interface SchemaDiff {
  readonly up: readonly { query: string; parameters?: unknown[] }[];
  readonly down: readonly { query: string; parameters?: unknown[] }[];
}

/**
 * Applies every migration to a fresh database and asks TypeORM what SQL would make the schema match
 * the entities. An empty diff means the migrations are up to date.
 */
export async function diffEntitiesAgainstMigrations(): Promise<SchemaDiff> {
  const url = process.env.DATABASE_URL;
  const database = await OpenDatabase.open(url ? { url } : { embeddedDir: undefined });
  try {
    await database.migrate();
    const sql = await database.dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries, down: sql.downQueries };
  } finally {
    await database.close();
  }
}

export type { QueryRunner };
