import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config.js';
import { OpenDatabase } from 'src/database/data-source.js';
import { refuseOwnerConnection } from 'src/database/owner-connection.js';
import { Sql } from 'src/common/database/sql.js';
import { describeDirectoryLoad, loadDirectory } from 'src/directory/directory-loader.js';
import { seedDemoData } from 'src/seed/demo-seed.js';

/** Opens the database (server or embedded), applies migrations, and closes it on shutdown. */
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OpenDatabase) private readonly database: OpenDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  /** `existing` lets tests share one open database between application instances. */
  static register(existing?: OpenDatabase) {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      providers: [
        existing
          ? { provide: OpenDatabase, useValue: existing }
          : {
              provide: OpenDatabase,
              inject: [AppConfig],
              useFactory: async (config: AppConfig) => {
                // Migrations as the tables' owner, when given, so the gateway itself can run as a role
                // that may only insert into and read the disclosure log.
                if (config.databaseUrl && config.databaseOwnerUrl) {
                  // Two connections: one holds the migration lock while the other migrates.
                  const owner = await OpenDatabase.open({ url: config.databaseOwnerUrl, poolSize: 2 });
                  try {
                    await owner.migrate();
                  } finally {
                    await owner.close();
                  }
                }
                const database = await OpenDatabase.open(
                  config.databaseUrl
                    ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
                    : { embeddedDir: config.dataDir },
                );
                logger.log(database.embedded ? `Embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server');
                try {
                  if (!config.databaseOwnerUrl) await database.migrate();
                  await refuseOwnerConnection(database.dataSource, {
                    production: config.isProduction,
                    allowOwnerConnection: config.audit.allowOwnerConnection,
                  });
                  // The directory comes from its reviewed files on every start, production or not,
                  // before anything (the demo data, the agreements) refers to its agencies.
                  logger.log(`Directory: ${describeDirectoryLoad(await loadDirectory(database.dataSource))}`);
                } catch (error) {
                  await database.close();
                  throw error;
                }
                if (config.seedDemoData) logger.log(`Demo data: ${await seedDemoData(database.dataSource)}`);
                return database;
              },
            },
        { provide: DataSource, inject: [OpenDatabase], useFactory: (database: OpenDatabase) => database.dataSource },
        Sql,
        ...(existing ? [] : [DatabaseLifecycle]),
      ],
      exports: [DataSource, OpenDatabase, Sql],
    };
  }
}
