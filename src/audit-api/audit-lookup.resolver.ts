import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { AuditChild, DisclosureSeal } from 'src/audit-api/audit-lookup.models.js';
import { DisclosureEntry } from 'src/audit-api/audit-log.models.js';
import { AuditLookupService } from 'src/audit-api/audit-lookup.service.js';

@Resolver(() => DisclosureEntry)
export class AuditLookupResolver {
  constructor(@Inject(AuditLookupService) private readonly lookup: AuditLookupService) {}

  @ResolveField(() => DisclosureSeal, {
    nullable: true,
    description: 'Where the entry sits in the hash chain and the checkpoint that signed it; null while it waits to be sealed.',
  })
  @RequirePermission(Permission.AUDIT_LOG_READ)
  seal(@CurrentPrincipal() principal: Principal, @Parent() entry: DisclosureEntry): Promise<DisclosureSeal | null> {
    return this.lookup.seal(principal, entry.id);
  }

  @Query(() => [AuditChild], {
    description:
      'Auditors (and team managers for their team): find a child for a subject-access report by family name with given name or date of birth, or by a case reference — only children your scope disclosed, received or changed (a refused look-up or an audit query naming a child does not find it); logged.',
  })
  @RequirePermission(Permission.AUDIT_LOG_READ)
  auditChildren(
    @CurrentPrincipal() principal: Principal,
    @Args('familyName', { type: () => String, nullable: true, description: 'Family name (exact, any case).' })
    familyName: string | null,
    @Args('givenName', { type: () => String, nullable: true, description: 'Given name (exact, any case).' })
    givenName: string | null,
    @Args('dateOfBirth', { type: () => LocalDateScalar, nullable: true, description: 'Date of birth.' })
    dateOfBirth: string | null,
    @Args('caseReference', { type: () => String, nullable: true, description: "A case system's reference for the child." })
    caseReference: string | null,
  ): Promise<AuditChild[]> {
    return this.lookup.children(principal, { familyName, givenName, dateOfBirth, caseReference });
  }
}
