import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { PlacementService } from 'src/children/placement.service.js';
import { Placement } from 'src/children/models/child.model.js';
import { CancelPlannedPlacementInput, CorrectPlannedPlacementInput } from 'src/children/models/placement.inputs.js';

/** Changes to a planned move before it takes effect, by the agency that planned it (CSC). */
@Resolver()
export class PlacementResolver {
  constructor(@Inject(PlacementService) private readonly placements: PlacementService) {}

  @Mutation(() => Placement, {
    description:
      'Calls off a planned move (CSC, the agency that planned it): everyone told of the plan is told (PLACEMENT_CHANGE_CANCELLED).',
  })
  @RequirePermission(Permission.PLACEMENT_RECORD)
  cancelPlannedPlacement(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The planned placement, the version you read and why.' }) input: CancelPlannedPlacementInput,
  ): Promise<Placement> {
    return this.placements.cancelPlanned(principal, input);
  }

  @Mutation(() => Placement, {
    description:
      'Corrects a planned move (CSC, the agency that planned it): everyone told of the plan is told again (PLACEMENT_CHANGE_PLANNED, same placement id, higher version).',
  })
  @RequirePermission(Permission.PLACEMENT_RECORD)
  correctPlannedPlacement(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The planned placement, the version you read and what changes.' })
    input: CorrectPlannedPlacementInput,
  ): Promise<Placement> {
    return this.placements.correctPlanned(principal, input);
  }
}
