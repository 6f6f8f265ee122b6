import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import { RecordLifecycle } from 'src/records/record-lifecycle.service.js';
import { SecureEstateRecords } from 'src/records/secure-estate-records.service.js';
import { ReleasePlanDecisions } from 'src/records/release-plan-decision.service.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { RecordLifecycleReader } from 'src/records/record-lifecycle-reader.service.js';
import { RecordsReadAhead } from 'src/records/records-read-ahead.js';
import { RecordWriter } from 'src/records/record-writer.service.js';
import { RiskFlags } from 'src/records/risk-flags.service.js';
import { RecordRestrictions } from 'src/records/record-restrictions.service.js';
import { RECORDS_RESOLVERS } from 'src/records/resolvers/index.js';

@Module({
  imports: [EventsModule, ChildrenModule, DisclosureModule],
  providers: [
    RecordRepository,
    RecordLifecycleRepository,
    RecordRestrictions,
    RecordReader,
    RecordLifecycleReader,
    RecordsReadAhead,
    RecordWriter,
    RecordLifecycle,
    SecureEstateRecords,
    ReleasePlanDecisions,
    RiskFlags,
    ...RECORDS_RESOLVERS,
  ],
  exports: [RecordReader],
})
export class RecordsModule {}
