import { Inject } from '@nestjs/common';
import { Args, ID, Info, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import { ChildrenService } from 'src/children/children.service.js';
import { Child } from 'src/children/models/child.model.js';
import { ChildConnection } from 'src/children/models/connections.js';
import { ChildIdentityInput } from 'src/children/models/child.inputs.js';

@Resolver()
export class ChildQueryResolver {
  constructor(@Inject(ChildrenService) private readonly children: ChildrenService) {}

  @Query(() => Child, {
    nullable: true,
    description: "A child by Tandem's id. NOT_FOUND if it does not exist or your agency is not involved with it.",
  })
  @RequirePermission(Permission.CHILD_READ)
  child(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: "Tandem's id." }) id: string,
    @Info() info: GraphQLResolveInfo,
  ) {
    const { fieldNodes, fragments, variableValues, schema } = info;
    return this.children.get(principal, id, { selection: { fieldNodes, fragments, variableValues, schema } });
  }

  @Query(() => Child, {
    nullable: true,
    description:
      'A child by its reference in a case system (yours unless `caseSystem` names another; only yours under emergency access).',
  })
  @RequirePermission(Permission.CHILD_READ)
  childByCaseReference(
    @CurrentPrincipal() principal: Principal,
    @Args('reference', { description: 'The reference in that case system.' }) reference: string,
    @Args('caseSystem', { nullable: true, type: () => String, description: 'A case-system code; yours if omitted.' })
    caseSystem: string | null,
  ) {
    return this.children.getByReference(principal, reference, caseSystem ?? undefined);
  }

  @Query(() => Child, {
    nullable: true,
    description:
      'A child by given name, family name and date of birth; the way to look a child up under emergency access. CONFLICT when you may see more than one match.',
  })
  @RequirePermission(Permission.CHILD_READ)
  childByIdentity(
    @CurrentPrincipal() principal: Principal,
    @Args('identity', { description: 'Who the child is.' }) identity: ChildIdentityInput,
  ) {
    return this.children.getByIdentity(principal, identity);
  }

  @Query(() => ChildConnection, { name: 'children', description: 'Children your agency is involved with, by family name.' })
  @RequirePermission(Permission.CHILD_READ)
  listChildren(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<Child>> {
    return this.children.list(principal, first, after);
  }
}
