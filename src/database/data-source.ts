import { DataSource, type DataSourceOptions } from 'typeorm';
import { CONNECTION_WAIT_MS } from 'src/common/database/connection-wait.js';
import { DEFAULT_DATABASE_POOL_SIZE } from 'src/config/environment.js';
import { ENTITIES } from 'src/database/entities.js';
import { EmbeddedPostgres } from 'src/database/embedded-postgres.js';
import { SnakeNamingStrategy } from 'src/database/snake-naming.strategy.js';
import { MIGRATIONS } from '../../migrations/index.js';

/** Where the database is: a PostgreSQL server by URL, or an embedded one (a directory, or memory). */
export type DatabaseTarget =
  | { readonly url: string; readonly poolSize?: number; readonly connectionWaitMs?: number }
  | { readonly embeddedDir: string | undefined };

const MIGRATION_LOCK_KEY = 7_284_117_203;

/** The one DataSource definition used by the gateway, the CLI commands and the tests. */
export function dataSourceOptions(
  driver: { url: string; poolSize?: number; connectionWaitMs?: number } | { extra: Record<string, unknown> },
): DataSourceOptions {
  return {
    type: 'postgres',
    // At least two connections: migrations hold their lock on one while they run on another.
    ...('url' in driver
      ? {
          url: driver.url,
          extra: {
            max: Math.max(2, driver.poolSize ?? DEFAULT_DATABASE_POOL_SIZE),
            connectionTimeoutMillis: driver.connectionWaitMs ?? CONNECTION_WAIT_MS,
            // Connections stay open (node-postgres closes one idle for 10 s by default): a closed one
            // takes its prepared statements and the server's caches with it, which the first requests
            // after a quiet spell paid for again; and the idle timer cost every query a timer set and
            // cleared. The pool is bounded by `max`, and drops a connection that errors.
            idleTimeoutMillis: 0,
            // …and TCP keep-alive finds one a firewall or NAT dropped silently, rather than the next query hanging on it.
            keepAlive: true,
          },
        }
      : { extra: driver.extra }),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
  };
}

/** An open database: the DataSource and what must be closed after it. */
export class OpenDatabase {
  constructor(
    readonly dataSource: DataSource,
    readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(target: DatabaseTarget): Promise<OpenDatabase> {
    if ('url' in target) {
      const dataSource = new DataSource(dataSourceOptions(target));
      await dataSource.initialize();
      return new OpenDatabase(dataSource, undefined);
    }
    const embedded = await EmbeddedPostgres.open(target.embeddedDir);
    try {
      const dataSource = new DataSource(dataSourceOptions({ extra: embedded.driverOptions() }));
      await dataSource.initialize();
      return new OpenDatabase(dataSource, embedded);
    } catch (error) {
      await embedded.close();
      throw error;
    }
  }

  /** Applies pending migrations; on a server, one instance at a time. */
  async migrate(): Promise<void> {
    if (this.embedded) {
      await this.dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }

  async close(): Promise<void> {
    try {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    } finally {
      await this.embedded?.close();
    }
  }
}
