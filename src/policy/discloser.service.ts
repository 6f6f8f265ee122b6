import { Inject, Injectable } from '@nestjs/common';
import { ContextSlot, type Principal } from 'src/auth/principal.js';
import type { SubjectAttributes } from 'src/policy/access-subject.js';
import {
  type ChildGrant,
  type Described,
  type Disclosed,
  disclosed,
  type Disclosure,
  type DisclosureFacts,
  Unlabelled,
} from 'src/policy/disclosed.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { Withheld } from 'src/policy/projection.js';
import { Relationship } from 'src/policy/relationship.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** Per request: how the caller sees each child, decided once. */
const CHILD_GRANTS = new ContextSlot('childGrants', () => new Map<string, Promise<ChildGrant>>());

/**
 * Turns what a mapper made into what may leave: the policy's projection (each field the caller may
 * not have set to null and listed in `withheld`) with its decision attached — each class's grant
 * and how the caller sees the child — so the disclosure log writes the receipt from the value
 * alone and never asks the policy again.
 */
@Injectable()
export class Discloser {
  constructor(@Inject(PolicyService) private readonly policy: PolicyService) {}

  /** A record, placement, legal-status entry or risk flag, decided on `attributes`. */
  async disclose<T extends object>(
    principal: Principal,
    value: Described<T>,
    attributes: SubjectAttributes,
  ): Promise<Disclosed<T & { withheld: Withheld[] }>> {
    const facts: DisclosureFacts = value.disclosure;
    const [projected, child] = await Promise.all([
      this.policy.project(principal, facts.model, value, attributes),
      this.childGrant(principal, facts.childId),
    ]);
    return disclosed({ ...projected.value, withheld: projected.withheld }, { ...facts, grants: projected.grants, child });
  }

  /** The child itself (identity only: its own fields are all IDENTITY_BASIC), once the caller may see it. */
  async discloseChild<T extends object>(principal: Principal, value: Described<T>): Promise<Disclosed<T>> {
    const facts: DisclosureFacts = value.disclosure;
    const child = await this.childGrant(principal, facts.childId);
    return disclosed({ ...value }, { ...facts, grants: new Map([[SensitivityClass.IDENTITY_BASIC, child.identity]]), child });
  }

  /**
   * What the caller has just recorded, returned to them as written (they hold it already): every
   * class it carries leaves under the child's identity grant.
   */
  async discloseWritten<T extends object>(principal: Principal, value: Described<T>): Promise<Disclosed<T>> {
    const facts: DisclosureFacts = value.disclosure;
    const child = await this.childGrant(principal, facts.childId);
    return disclosed({ ...value }, { ...facts, grants: new Map(), child });
  }

  /** A thing without labelled fields (e.g. an allocation in a notification): the child's grant alone. */
  async discloseUnlabelled(principal: Principal, facts: Omit<DisclosureFacts, 'model'>): Promise<Disclosure> {
    const child = await this.childGrant(principal, facts.childId);
    return { ...facts, model: Unlabelled, grants: new Map(), child };
  }

  /** How the caller sees a child: the rule for its identity, break-glass, after an allocation ended. */
  childGrant(principal: Principal, childId: string): Promise<ChildGrant> {
    const grants = principal.slot(CHILD_GRANTS);
    let grant = grants.get(childId);
    if (!grant) {
      grant = this.decideChild(principal, childId);
      grants.set(childId, grant);
    }
    return grant;
  }

  private async decideChild(principal: Principal, childId: string): Promise<ChildGrant> {
    const [access, identity] = await Promise.all([
      this.policy.childAccess(principal, childId),
      this.policy.childGrant(principal, childId),
    ]);
    const otherRelationship = access.relationship.some((relationship) => relationship !== Relationship.ALLOCATED);
    return {
      identity,
      breakGlass: principal.statedPurpose === PurposeOfUse.EMERGENCY && access.relationship.length === 0,
      afterAllocationEnded: access.allocationEnded && !otherRelationship,
    };
  }
}
