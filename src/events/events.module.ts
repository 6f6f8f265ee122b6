import { Module } from '@nestjs/common';
import { OutboxService } from 'src/events/outbox.service.js';

/** The outbox writer, for the modules whose changes raise protocol events. */
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class EventsModule {}
