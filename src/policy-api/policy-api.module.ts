import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { ExplainService } from 'src/policy-api/explain.service.js';
import { PolicyResolver } from 'src/policy-api/policy.resolver.js';
import { RestrictionRepository } from 'src/policy-api/restriction.repository.js';
import { RestrictionsService } from 'src/policy-api/restrictions.service.js';
import { RecordsModule } from 'src/records/records.module.js';
import { AlertRepository } from 'src/policy-api/alert.repository.js';
import { AlertsService } from 'src/policy-api/alerts.service.js';

/** The policy's GraphQL surface: explainAccess, the restrictions it enforces, and practitioners' alerts. */
@Module({
  imports: [ChildrenModule, RecordsModule, DisclosureModule, EventsModule],
  providers: [RestrictionRepository, RestrictionsService, ExplainService, AlertRepository, AlertsService, PolicyResolver],
})
export class PolicyApiModule {}
