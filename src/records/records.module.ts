import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { RecordsService } from 'src/records/records.service.js';
import { RecordRestrictions } from 'src/records/record-restrictions.service.js';
import { RECORDS_RESOLVERS } from 'src/records/resolvers/index.js';

@Module({
  imports: [EventsModule, ChildrenModule, DisclosureModule],
  providers: [RecordRepository, RecordRestrictions, RecordsService, ...RECORDS_RESOLVERS],
  exports: [RecordsService],
})
export class RecordsModule {}
