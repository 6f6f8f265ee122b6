import { type DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from 'src/common/clock/clock.js';
import { ChildrenModule } from 'src/children/children.module.js';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { PolicyModule } from 'src/policy/policy.module.js';
import { ResponsibilityModule } from 'src/responsibility/responsibility.module.js';
import { ObligationProcessor } from 'src/obligations/obligation-processor.service.js';
import { ObligationRepository } from 'src/obligations/obligation.repository.js';
import { ObligationSweeper } from 'src/obligations/obligation-sweeper.service.js';
import { ObligationsResolver } from 'src/obligations/obligations.resolver.js';
import { ObligationsService } from 'src/obligations/obligations.service.js';

/** The protocols' duties: opened by events, swept by the clock, read and waived through the API. */
@Module({})
export class ObligationsModule {
  /** `clock`: the system clock, or one a test moves. */
  static register(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ObligationsModule,
      imports: [ChildrenModule, DirectoryModule, EventsModule, PolicyModule, ResponsibilityModule],
      providers: [
        { provide: Clock, useValue: clock },
        ObligationRepository,
        ObligationProcessor,
        ObligationSweeper,
        ObligationsService,
        ObligationsResolver,
      ],
      exports: [ObligationProcessor, ObligationSweeper, Clock],
    };
  }
}
