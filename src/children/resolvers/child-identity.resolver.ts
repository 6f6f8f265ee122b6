import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { CaseReferenceService } from 'src/children/case-reference.service.js';
import { ChildMatchingService } from 'src/children/child-matching.service.js';
import { ChildMergeService } from 'src/children/child-merge.service.js';
import { Child } from 'src/children/models/child.model.js';
import {
  ChildMatch,
  ChildMerge,
  LinkCaseReferenceInput,
  MatchChildInput,
  MergeChildrenInput,
} from 'src/children/models/child-identity.model.js';

/** One child across case systems: matching, linking a reference, merging duplicates. */
@Resolver()
export class ChildIdentityResolver {
  constructor(
    @Inject(ChildMatchingService) private readonly matching: ChildMatchingService,
    @Inject(CaseReferenceService) private readonly references: CaseReferenceService,
    @Inject(ChildMergeService) private readonly merges: ChildMergeService,
  ) {}

  @Query(() => ChildMatch, {
    description:
      'Whether Tandem already holds the child you describe: a confident match gives its id and the attributes that agreed, a possible one only that there is one to review. Needs a purpose that allows matching (CASE_MANAGEMENT, SAFEGUARDING, PLACEMENT_PLANNING); every request is logged.',
  })
  @RequirePermission(Permission.CHILD_REGISTER)
  matchChild(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The child as your case system describes them.' }) input: MatchChildInput,
  ): Promise<ChildMatch> {
    return this.matching.match(principal, input);
  }

  @Mutation(() => Child, {
    description:
      "Attaches your case system's reference to a child Tandem holds (one matchChild or registerChild told you of in the last day, or one you see); your agency becomes involved.",
  })
  @RequirePermission(Permission.CHILD_REGISTER)
  linkCaseReference(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The child and your reference.' }) input: LinkCaseReferenceInput,
  ): Promise<Child> {
    return this.references.link(principal, input);
  }

  @Mutation(() => ChildMerge, {
    description:
      'Merges a duplicate child into the surviving one (managers): what the duplicate had follows the survivor and its id resolves to it. Undo with unmergeChildren within MERGE_UNDO_DAYS.',
  })
  @RequirePermission(Permission.CHILD_MERGE)
  mergeChildren(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The surviving child and the duplicate.' }) input: MergeChildrenInput,
  ): Promise<ChildMerge> {
    return this.merges.merge(principal, input);
  }

  @Mutation(() => ChildMerge, {
    description: 'Undoes a merge: exactly what moved moves back, and the two ids are separate again.',
  })
  @RequirePermission(Permission.CHILD_MERGE)
  unmergeChildren(
    @CurrentPrincipal() principal: Principal,
    @Args('mergeId', { type: () => ID, description: 'The merge (mergeChildren returned its id).' }) mergeId: string,
  ): Promise<ChildMerge> {
    return this.merges.unmerge(principal, mergeId);
  }
}
