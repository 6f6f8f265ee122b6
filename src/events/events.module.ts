import { Module } from '@nestjs/common';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { OutboxService } from 'src/events/outbox.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';

/** The unit of work every change goes through, and the outbox it writes events to. */
@Module({ imports: [DisclosureModule], providers: [OutboxService, UnitOfWork], exports: [OutboxService, UnitOfWork] })
export class EventsModule {}
