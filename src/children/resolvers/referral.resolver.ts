import { Inject } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import { ReferralService } from 'src/children/referral.service.js';
import {
  AcceptReferralInput,
  ChildReferral,
  DeclineReferralInput,
  ReferChildInput,
  ReferralConnection,
} from 'src/children/models/referral.model.js';
import { ReferralStatus } from 'src/vocabulary/referral-status.js';

/**
 * Referrals between agencies. Asking needs the permission to manage involvements; answering is
 * decided by the roles the sharing agreement's referral clause names (a police officer, say, who
 * manages no involvements), so it needs only to read children.
 */
@Resolver(() => ChildReferral)
export class ReferralResolver {
  constructor(@Inject(ReferralService) private readonly service: ReferralService) {}

  @Query(() => ReferralConnection, {
    description: 'Referrals made to your agency (for the roles that answer them) and by it (for the roles that make them).',
  })
  @RequirePermission(Permission.CHILD_READ)
  referrals(
    @CurrentPrincipal() principal: Principal,
    @Args('status', { type: () => ReferralStatus, nullable: true, description: 'Only referrals in this state.' })
    status: ReferralStatus | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<ChildReferral>> {
    return this.service.list(principal, status ?? null, first, after);
  }

  @Mutation(() => ChildReferral, {
    description: "Asks another agency to become involved with a child, as a sharing agreement's referral clause allows.",
  })
  @RequirePermission(Permission.INVOLVEMENT_MANAGE)
  referChild(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the referral.' }) input: ReferChildInput,
  ): Promise<ChildReferral> {
    return this.service.refer(principal, input);
  }

  @Mutation(() => ChildReferral, { description: 'Accepts a referral made to your agency: your agency becomes involved.' })
  @RequirePermission(Permission.CHILD_READ)
  acceptReferral(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The referral and when the involvement starts.' }) input: AcceptReferralInput,
  ): Promise<ChildReferral> {
    return this.service.accept(principal, input);
  }

  @Mutation(() => ChildReferral, { description: 'Declines a referral made to your agency.' })
  @RequirePermission(Permission.CHILD_READ)
  declineReferral(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The referral.' }) input: DeclineReferralInput,
  ): Promise<ChildReferral> {
    return this.service.decline(principal, input);
  }
}
