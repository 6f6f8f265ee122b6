import { Inject } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { LegalDimension } from 'src/vocabulary/children.enums.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import type { Page } from 'src/common/pagination/connection.js';
import { ChildDetailsService } from 'src/children/child-details.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { CareLeaverStatus, LeadProfessional, LookedAfterStatus } from 'src/children/models/responsibility.model.js';
import { Child, type Placement } from 'src/children/models/child.model.js';
import { PlacementConnection } from 'src/children/models/connections.js';

/** Related data of a child the caller already sees, batched per request. */
@Resolver(() => Child)
export class ChildFieldsResolver {
  constructor(
    @Inject(ChildDetailsService) private readonly details: ChildDetailsService,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

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
  careStatus(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.currentLegalStatus(principal, child.id, { dimension: LegalDimension.CARE, field: 'careStatus' });
  }

  @ResolveField()
  @RequirePermission(Permission.CHILD_READ)
  justiceStatus(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.currentLegalStatus(principal, child.id, { dimension: LegalDimension.JUSTICE, field: 'justiceStatus' });
  }

  @ResolveField(() => LookedAfterStatus, {
    nullable: true,
    description:
      'Looked-after status derived by Table 4.2 from both legal-status histories, with rule and citation; null if never looked after.',
  })
  @RequirePermission(Permission.CHILD_READ)
  lookedAfterStatus(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.unlessBreakGlass(principal, child.id, 'lookedAfterStatus', null, () =>
      this.responsibility.lookedAfterStatus(principal, child.id),
    );
  }

  @ResolveField(() => [LookedAfterStatus], {
    nullable: true,
    description: 'Every step of the looked-after state machine, newest first.',
  })
  @RequirePermission(Permission.CHILD_READ)
  lookedAfterHistory(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.unlessBreakGlass(principal, child.id, 'lookedAfterHistory', [], () =>
      this.responsibility.lookedAfterHistory(principal, child.id),
    );
  }

  @ResolveField(() => CareLeaverStatus, {
    nullable: true,
    description: 'Care-leaver category computed today by Table 4.5-A (with the authority variant), with rule and citation.',
  })
  @RequirePermission(Permission.CHILD_READ)
  careLeaverStatus(
    @CurrentPrincipal() principal: Principal,
    @Parent() child: Child,
    @Args('asOf', {
      type: () => LocalDateScalar,
      nullable: true,
      description: 'The date to compute for; today (London) if omitted.',
    })
    asOf: string | null,
  ) {
    return this.details.unlessBreakGlass(principal, child.id, 'careLeaverStatus', null, () =>
      this.responsibility.careLeaverStatus(principal, child.id, asOf),
    );
  }

  @ResolveField(() => LeadProfessional, {
    nullable: true,
    description:
      "The lead professional computed by the child's authority's policy (DOMAIN §4.1), with rule, citation and inputs.",
  })
  @RequirePermission(Permission.CHILD_READ)
  leadProfessional(@CurrentPrincipal() principal: Principal, @Parent() child: Child) {
    return this.details.unlessBreakGlass(principal, child.id, 'leadProfessional', null, () =>
      this.responsibility.leadProfessional(principal, child.id),
    );
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
