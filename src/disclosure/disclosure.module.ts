import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { PolicyModule } from 'src/policy/policy.module.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { DisclosureRepository } from 'src/disclosure/disclosure.repository.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { ResponseLogRepository } from 'src/disclosure/response-log.repository.js';

/** The disclosure log: its writer, used by every module that lets child data out or changes it, and its sealer. */
@Module({
  imports: [PolicyModule],
  providers: [
    DisclosureRepository,
    DisclosureService,
    ResponseLogRepository,
    ResponseLog,
    {
      provide: CheckpointKey,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => CheckpointKey.load(config.audit.signingKeyPem, config.dataDir),
    },
    SealerService,
  ],
  exports: [DisclosureService, SealerService, CheckpointKey, ResponseLog],
})
export class DisclosureModule {}
