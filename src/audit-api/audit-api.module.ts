import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { AnomalyRepository } from 'src/audit-api/anomaly.repository.js';
import { AuditRepository } from 'src/audit-api/audit.repository.js';
import { AuditResolver } from 'src/audit-api/audit.resolver.js';
import { AuditService } from 'src/audit-api/audit.service.js';

/** Runs anomaly detection every minute while the sealer runs on a timer (not in tests). */
class AnomalySchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Anomalies');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.audit.sealIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.audit
        .detect(null)
        .catch((error: unknown) => this.logger.error(error instanceof Error ? error.message : String(error)));
    }, 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

@Module({
  imports: [DirectoryModule, DisclosureModule],
  providers: [AuditRepository, AnomalyRepository, AuditService, AuditResolver, AnomalySchedule],
})
export class AuditApiModule {}
