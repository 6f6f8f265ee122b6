import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AnomalyService } from 'src/audit-api/anomaly.service.js';

/** Each pass reads only what was sealed since the last, so it can run often. */
const EVERY_15_SECONDS_MS = 15_000;

/** Scans newly sealed receipts for anomalies while the sealer runs on a timer (not in tests, where it is 0). */
@Injectable()
export class AnomalySchedule extends BackgroundWorker {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AnomalyService) private readonly anomalies: AnomalyService,
  ) {
    super('Anomalies');
  }

  protected intervalMs(): number {
    return this.config.audit.sealIntervalMs > 0 ? EVERY_15_SECONDS_MS : 0;
  }

  protected async pass(): Promise<void> {
    await this.anomalies.scanNew();
  }
}
