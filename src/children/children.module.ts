import { Module } from '@nestjs/common';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { PolicyModule } from 'src/policy/policy.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { EventsModule } from 'src/events/events.module.js';
import { ChildDetailsService } from 'src/children/child-details.service.js';
import { ChildrenService } from 'src/children/children.service.js';
import { ChildReadAheads } from 'src/children/child-read-ahead.js';
import { LegalStatusService } from 'src/children/legal-status.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { ResponsibilityInputsRepository } from 'src/children/repositories/responsibility-inputs.repository.js';
import { ResponsibilityModule } from 'src/responsibility/responsibility.module.js';
import { PlacementService } from 'src/children/placement.service.js';
import { RelationshipService } from 'src/children/relationship.service.js';
import { ReferralService } from 'src/children/referral.service.js';
import { ReferralRepository } from 'src/children/repositories/referral.repository.js';
import { AllocationRepository } from 'src/children/repositories/allocation.repository.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { LegalStatusRepository } from 'src/children/repositories/legal-status.repository.js';
import { PlacementRepository } from 'src/children/repositories/placement.repository.js';
import { CaseReferenceService } from 'src/children/case-reference.service.js';
import { ChildMatchingService } from 'src/children/child-matching.service.js';
import { ChildMergeService } from 'src/children/child-merge.service.js';
import { ChildMergeRepository } from 'src/children/repositories/child-merge.repository.js';
import { CHILDREN_RESOLVERS } from 'src/children/resolvers/index.js';

@Module({
  imports: [DirectoryModule, PolicyModule, DisclosureModule, EventsModule, ResponsibilityModule],
  providers: [
    ChildRepository,
    InvolvementRepository,
    AllocationRepository,
    LegalStatusRepository,
    ResponsibilityInputsRepository,
    PlacementRepository,
    ReferralRepository,
    ChildMergeRepository,
    ChildMatchingService,
    ChildrenService,
    ChildReadAheads,
    CaseReferenceService,
    ChildMergeService,
    ChildDetailsService,
    PlacementService,
    LegalStatusService,
    ChildResponsibilityService,
    RelationshipService,
    ReferralService,
    ...CHILDREN_RESOLVERS,
  ],
  exports: [DirectoryModule, PolicyModule, ChildrenService, ChildDetailsService, ChildResponsibilityService, ChildReadAheads],
})
export class ChildrenModule {}
