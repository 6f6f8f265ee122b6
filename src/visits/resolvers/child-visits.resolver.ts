import { Inject } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import { Child } from 'src/children/models/child.model.js';
import { type Visit, VisitConnection } from 'src/visits/models/visit.model.js';
import { VisitReader } from 'src/visits/visit-reader.service.js';

@Resolver(() => Child)
export class ChildVisitsResolver {
  constructor(@Inject(VisitReader) private readonly reader: VisitReader) {}

  @ResolveField(() => VisitConnection, {
    description: 'Visits to the child, latest visit first, each field decided by the policy.',
  })
  @RequirePermission(Permission.CHILD_READ)
  visits(
    @CurrentPrincipal() principal: Principal,
    @Parent() child: Child,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<Visit>> {
    return this.reader.pageForChild(principal, child.id, first, after);
  }
}
