import { Inject } from '@nestjs/common';
import { Args, Field, ID, InputType, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { Child } from 'src/children/models/child.model.js';
import { Obligation } from 'src/obligations/obligation.model.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import { ObligationsService } from 'src/obligations/obligations.service.js';

@InputType({ description: 'A manager waives a duty of their agency, with a reason.' })
export class WaiveObligationInput {
  @Field(() => ID, { description: 'The duty.' })
  obligationId: string;

  @Field({ description: 'Why it need not be done (kept in its history).' })
  reason: string;
}

const STATES = { type: () => [ObligationState], nullable: true, description: 'Only these states; the open ones when omitted.' };

/** The duties: a child's, the caller's worklist, their team's, their agency's overdue ones; waivers. */
@Resolver(() => Child)
export class ObligationsResolver {
  constructor(@Inject(ObligationsService) private readonly duties: ObligationsService) {}

  @ResolveField(() => [Obligation], { description: "The child's protocol duties (DOMAIN §3), soonest due first." })
  @RequirePermission(Permission.CHILD_READ)
  obligations(
    @CurrentPrincipal() principal: Principal,
    @Parent() child: Child,
    @Args('states', { ...STATES, description: 'Only these states; all when omitted.' }) states: ObligationState[] | null,
  ): Promise<Obligation[]> {
    return this.duties.forChild(principal, child.id, states);
  }

  @Query(() => [Obligation], { description: 'My worklist: the open duties I own as the allocated worker, soonest due first.' })
  @RequirePermission(Permission.CHILD_READ)
  myObligations(@CurrentPrincipal() principal: Principal, @Args('states', STATES) states: ObligationState[] | null) {
    return this.duties.mine(principal, states);
  }

  @Query(() => [Obligation], { description: "My team's queue: the open duties owned by my team (or my front door)." })
  @RequirePermission(Permission.CHILD_READ)
  teamObligations(@CurrentPrincipal() principal: Principal, @Args('states', STATES) states: ObligationState[] | null) {
    return this.duties.team(principal, states);
  }

  @Query(() => [Obligation], { description: 'For managers: every overdue or escalated duty my agency owns.' })
  @RequirePermission(Permission.CHILD_READ)
  overdueObligations(@CurrentPrincipal() principal: Principal) {
    return this.duties.overdue(principal);
  }

  @Mutation(() => Obligation, { description: 'A manager of the owning agency waives a duty, with a reason.' })
  @RequirePermission(Permission.ALLOCATION_MANAGE)
  waiveObligation(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The duty and why it is waived.' }) input: WaiveObligationInput,
  ) {
    return this.duties.waive(principal, input.obligationId, input.reason);
  }
}
