import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { join, resolve } from 'node:path';
import { DirectoryLock } from 'src/database/directory-lock.js';

/** A PostgreSQL that runs inside this process (PGlite), for users with nothing else installed. */
export class EmbeddedPostgres {
  private constructor(
    readonly pglite: PGlite,
    private readonly lock: DirectoryLock | undefined,
  ) {}

  /** Opens (creating on first use) the database kept in `dataDir`; `undefined` keeps it in memory. */
  static async open(dataDir: string | undefined): Promise<EmbeddedPostgres> {
    if (dataDir === undefined) {
      return new EmbeddedPostgres(await PGlite.create(), undefined);
    }
    const directory = resolve(dataDir);
    const lock = DirectoryLock.acquire(directory);
    try {
      return new EmbeddedPostgres(await PGlite.create(join(directory, 'pgdata')), lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** node-postgres options that route TypeORM's `postgres` driver into this PGlite. */
  driverOptions(): Record<string, unknown> {
    // One connection: PGlite is single-session, and a pool would interleave transactions.
    return { ...createPgConfig(this.pglite), max: 1, connectionTimeoutMillis: 5000 };
  }

  async close(): Promise<void> {
    try {
      await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}
