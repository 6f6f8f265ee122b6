import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { AccessExplanation, ExplainAsUserInput } from 'src/policy-api/explain.model.js';
import { ExplainService } from 'src/policy-api/explain.service.js';
import { ChildRestriction, EndRestrictionInput, RecordRestrictionInput } from 'src/policy-api/restriction.model.js';
import { RestrictionsService } from 'src/policy-api/restrictions.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import type { Page } from 'src/common/pagination/connection.js';
import { type PractitionerAlert, PractitionerAlertConnection } from 'src/policy-api/alert.model.js';
import { AlertsService } from 'src/policy-api/alerts.service.js';

@Resolver()
export class PolicyResolver {
  constructor(
    @Inject(ExplainService) private readonly explainer: ExplainService,
    @Inject(RestrictionsService) private readonly restrictions: RestrictionsService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  @Query(() => PractitionerAlertConnection, {
    description: 'Your alerts as a practitioner, newest first: e.g. an emergency (break-glass) read of a child allocated to you.',
  })
  @RequirePermission(Permission.CHILD_READ)
  practitionerAlerts(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<PractitionerAlert>> {
    return this.alerts.mine(principal, first, after);
  }

  @Query(() => AccessExplanation, {
    description:
      'Why the policy discloses or withholds each sensitivity class of a child’s data: for yourself, or (auditors) for any user.',
  })
  @RequirePermission(Permission.ACCESS_EXPLAIN)
  explainAccess(
    @CurrentPrincipal() principal: Principal,
    @Args('childId', { type: () => ID, description: 'The child.' }) childId: string,
    @Args('purpose', { type: () => PurposeOfUse, description: 'The purpose to explain.' }) purpose: PurposeOfUse,
    @Args('recordId', { type: () => ID, nullable: true, description: 'A record of the child; per owning agency when absent.' })
    recordId: string | null,
    @Args('asUser', { type: () => ExplainAsUserInput, nullable: true, description: 'Auditors: the user to explain.' })
    asUser: ExplainAsUserInput | null,
  ): Promise<AccessExplanation> {
    return this.explainer.explain(principal, childId, purpose, recordId ?? null, asUser ?? null);
  }

  @Mutation(() => ChildRestriction, {
    description: 'Records a police investigation (C3) or a contact restriction (C10) on a child.',
  })
  @RequirePermission(Permission.RESTRICTION_MANAGE)
  recordRestriction(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RecordRestrictionInput,
  ): Promise<ChildRestriction> {
    return this.restrictions.record(principal, input);
  }

  @Mutation(() => ChildRestriction, {
    description:
      'Ends a restriction (e.g. the police decided no further action); only the agency that recorded it may, never the person it names.',
  })
  @RequirePermission(Permission.RESTRICTION_MANAGE)
  endRestriction(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: EndRestrictionInput,
  ): Promise<ChildRestriction> {
    return this.restrictions.end(principal, input);
  }
}
