import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { ChildrenService } from 'src/children/children.service.js';
import { LegalStatusService } from 'src/children/legal-status.service.js';
import { PlacementService } from 'src/children/placement.service.js';
import { RelationshipService } from 'src/children/relationship.service.js';
import { AgencyInvolvement, Child, LegalStatusEpisode, Placement, WorkerAllocation } from 'src/children/models/child.model.js';
import {
  AllocateWorkerInput,
  ConfirmPlacementChangeInput,
  EndRelationshipInput,
  RecordInvolvementInput,
  RecordCourtOutcomeInput,
  RecordLegalStatusInput,
  RecordPlacementChangeInput,
  RegisterChildInput,
  UpdateChildDetailsInput,
} from 'src/children/models/child.inputs.js';

@Resolver()
export class ChildMutationResolver {
  constructor(
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PlacementService) private readonly placements: PlacementService,
    @Inject(LegalStatusService) private readonly legalStatus: LegalStatusService,
    @Inject(RelationshipService) private readonly relationships: RelationshipService,
  ) {}

  @Mutation(() => Child, { description: "Registers a child with your case system's reference; your agency becomes involved." })
  @RequirePermission(Permission.CHILD_REGISTER)
  registerChild(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RegisterChildInput,
  ) {
    return this.children.register(principal, input);
  }

  @Mutation(() => Child, { description: "Corrects a child's identifying details (optimistic concurrency)." })
  @RequirePermission(Permission.CHILD_UPDATE)
  updateChildDetails(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: UpdateChildDetailsInput,
  ) {
    return this.children.updateDetails(principal, input);
  }

  @Mutation(() => Placement, { description: 'Records a placement change (CSC): planned in advance, or effective.' })
  @RequirePermission(Permission.PLACEMENT_RECORD)
  recordPlacementChange(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RecordPlacementChangeInput,
  ) {
    return this.placements.recordChange(principal, input);
  }

  @Mutation(() => Placement, { description: 'Confirms that a planned placement change took effect (CSC).' })
  @RequirePermission(Permission.PLACEMENT_RECORD)
  confirmPlacementChange(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: ConfirmPlacementChangeInput,
  ) {
    return this.placements.confirmChange(principal, input);
  }

  @Mutation(() => LegalStatusEpisode, { description: 'Records a change of legal status; the open episode ends.' })
  @RequirePermission(Permission.LEGAL_STATUS_RECORD)
  recordLegalStatus(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RecordLegalStatusInput,
  ) {
    return this.legalStatus.record(principal, input);
  }

  @Mutation(() => LegalStatusEpisode, {
    description:
      'The YOS records a court outcome or a release: it sets the justice status (the open justice episode ends) and tells CSC, or its front door when CSC is not involved.',
  })
  @RequirePermission(Permission.LEGAL_STATUS_RECORD)
  recordCourtOutcome(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The outcome and what the notice carries.' }) input: RecordCourtOutcomeInput,
  ) {
    return this.legalStatus.recordCourtOutcome(principal, input);
  }

  @Mutation(() => WorkerAllocation, { description: "Allocates one of your agency's practitioners to a child." })
  @RequirePermission(Permission.ALLOCATION_MANAGE)
  allocateWorker(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: AllocateWorkerInput,
  ) {
    return this.relationships.allocate(principal, input);
  }

  @Mutation(() => WorkerAllocation, { description: "Ends an allocation of your agency's practitioner." })
  @RequirePermission(Permission.ALLOCATION_MANAGE)
  endAllocation(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: EndRelationshipInput,
  ) {
    return this.relationships.endAllocation(principal, input);
  }

  @Mutation(() => AgencyInvolvement, {
    description: "Records your own agency's involvement with a child; another agency is asked with referChild.",
  })
  @RequirePermission(Permission.INVOLVEMENT_MANAGE)
  recordInvolvement(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RecordInvolvementInput,
  ) {
    return this.relationships.recordInvolvement(principal, input);
  }

  @Mutation(() => AgencyInvolvement, { description: 'Ends an involvement (your own, or a host YOS as home YOS).' })
  @RequirePermission(Permission.INVOLVEMENT_MANAGE)
  endInvolvement(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: EndRelationshipInput,
  ) {
    return this.relationships.endInvolvement(principal, input);
  }
}
