import { Inject } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import { ChildDetailsService } from 'src/children/child-details.service.js';
import { Child, type Placement } from 'src/children/models/child.model.js';
import { PlacementConnection } from 'src/children/models/connections.js';

/** Related data of a child the caller already sees, batched per request. */
@Resolver(() => Child)
export class ChildFieldsResolver {
  constructor(@Inject(ChildDetailsService) private readonly details: ChildDetailsService) {}

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  caseReferences(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.caseReferences(principal, child.id);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  identifiers(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.identifiers(principal, child.id);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  legalStatus(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.currentLegalStatus(principal, child.id);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  legalStatusHistory(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.legalStatusHistory(principal, child.id);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  currentPlacement(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.currentPlacement(principal, child.id);
  }

  @ResolveField(() => PlacementConnection, { description: 'Placement history, newest first, including planned moves.' })
  @RequirePermission(Permission.CHILD_READ)
  placements(
    @CurrentPrincipal() principal: Principal,
    @Parent() child: Child,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<Placement>> {
    return this.details.placementPage(principal, child.id, first, after);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  involvements(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.involvementsOf(principal, child.id);
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  allocations(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.allocationsOf(principal, child.id);
  }
}
