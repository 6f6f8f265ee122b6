import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module.js';
import { ChildrenModule } from 'src/children/children.module.js';
import { AppConfig } from 'src/config/app-config.js';
import { ConfigModule } from 'src/config/config.module.js';
import type { OpenDatabase } from 'src/database/data-source.js';
import { DatabaseModule } from 'src/database/database.module.js';
import { TandemGraphQLModule } from 'src/graphql/graphql.module.js';
import { HealthController } from 'src/health/health.controller.js';
import { RecordsModule } from 'src/records/records.module.js';
import { Clock } from 'src/common/clock/clock.js';
import { ObligationsModule } from 'src/obligations/obligations.module.js';
import { VisitsModule } from 'src/visits/visits.module.js';
import { PolicyApiModule } from 'src/policy-api/policy-api.module.js';
import { AuditApiModule } from 'src/audit-api/audit-api.module.js';
import { NotificationsModule } from 'src/notifications/notifications.module.js';
import { SyncModule } from 'src/sync/sync.module.js';
import { ConsoleModule } from 'src/console/console.module.js';

@Module({})
export class AppModule {
  static register(config: AppConfig, database?: OpenDatabase, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        DatabaseModule.register(database),
        AuthModule,
        ChildrenModule,
        RecordsModule,
        VisitsModule,
        ObligationsModule.register(clock),
        PolicyApiModule,
        AuditApiModule,
        NotificationsModule,
        SyncModule,
        TandemGraphQLModule,
        ConsoleModule,
      ],
      controllers: [HealthController],
    };
  }
}
