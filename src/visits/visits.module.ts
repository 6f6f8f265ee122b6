import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { VisitRepository } from 'src/visits/repositories/visit.repository.js';
import { VisitReader } from 'src/visits/visit-reader.service.js';
import { VisitWriter } from 'src/visits/visit-writer.service.js';
import { VISITS_RESOLVERS } from 'src/visits/resolvers/index.js';

/** Visits to children (DOMAIN §3 visit duties); ChildrenModule brings the directory and the policy. */
@Module({
  imports: [EventsModule, ChildrenModule],
  providers: [VisitRepository, VisitReader, VisitWriter, ...VISITS_RESOLVERS],
})
export class VisitsModule {}
