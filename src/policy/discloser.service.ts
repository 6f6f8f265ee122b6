import { type Locating, locatingFor } from 'src/policy/contact-restriction.js';
import { Inject, Injectable } from '@nestjs/common';
import { ContextSlot, type Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { SubjectAttributes } from 'src/policy/access-subject.js';
import { GrantRequirement } from 'src/policy/agreements/agreement.schema.js';
import {
  type ChildGrant,
  type ClassGrant,
  type Described,
  type Disclosed,
  disclosed,
  type Disclosure,
  type DisclosureFacts,
  type PermissionRef,
  type RecordPermissions,
  Unlabelled,
} from 'src/policy/disclosed.js';
import { DUTY_OWNER, dutyOwnerGrant, type OwnedDuty, worksDuty } from 'src/policy/duty-owner.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { project, type Withheld } from 'src/policy/projection.js';
import { ReferralPolicy, ruleOf, type ReferralTerms } from 'src/policy/referral-policy.js';
import { Relationship } from 'src/policy/relationship.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

const NO_AGENCIES: ReadonlySet<string> = new Set();

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
  constructor(
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(ReferralPolicy) private readonly referrals: ReferralPolicy,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  /**
   * A record, placement, legal-status entry or risk flag, decided on `attributes`. A class let
   * through only by a gated grant (C1, C2) names the recorded permission it relied on, from
   * `permissions` (a record's).
   */
  async disclose<T extends object>(
    principal: Principal,
    value: Described<T>,
    attributes: SubjectAttributes,
    permissions?: RecordPermissions,
  ): Promise<Disclosed<T & { withheld: Withheld[] }>> {
    const facts: DisclosureFacts = value.disclosure;
    const [projected, child] = await Promise.all([
      this.policy.project(principal, facts.model, value, attributes),
      this.childGrant(principal, facts.childId),
    ]);
    // The projection is a copy made for this decision alone: it takes its withheld list in place
    // (a second copy cost more than the first). Object.assign, not `{ ...facts, grants, child }`:
    // V8 (Node 20) takes microseconds for a spread followed by more properties (docs/TOOLCHAIN.md).
    return disclosed(
      Object.assign(projected.value, { withheld: projected.withheld }),
      Object.assign({}, facts, { grants: withPermissions(projected.grants, projected.gates, permissions), child }),
    );
  }

  /**
   * A referral as its receiving agency sees it before it is involved: only the classes the
   * referral clause (`terms`, null when none is in force any more) discloses, under that clause.
   */
  discloseReferral<T extends object>(value: Described<T>, terms: ReferralTerms | null): Disclosed<T & { withheld: Withheld[] }> {
    return this.underClause(
      value,
      terms,
      terms?.clause.classes ?? [],
      'A referral discloses only what its sharing agreement’s referral clause allows',
    );
  }

  /**
   * A protocol notice (a remand to the front door, a move to the host YOS) as an agency not yet
   * involved receives it: only the classes the clause's `noticeClasses` give, under that clause.
   */
  discloseNotice<T extends object>(
    value: Described<T>,
    terms: ReferralTerms,
    locating: Locating | null,
  ): Disclosed<T & { withheld: Withheld[] }> {
    return this.underClause(
      value,
      terms,
      terms.clause.noticeClasses ?? [],
      'A notice to an agency not yet involved discloses only what its sharing agreement’s notice clause allows',
      locating,
    );
  }

  /**
   * A protocol duty as its owning agency reads it before it is involved with the child (DUTY-OWNER):
   * only case administration (the duty itself, and the child's opaque id it carries) leaves, on the
   * duty's own source as the basis; nothing else of the child. Null when the caller does not work
   * the duty for that agency (`ownsDuty`). For callers who cannot see the child: one who can is
   * decided by the policy (`disclose`), not here.
   */
  async discloseToDutyOwner<T extends object>(
    principal: Principal,
    value: Described<T>,
    duty: OwnedDuty,
  ): Promise<Disclosed<T & { withheld: Withheld[] }> | null> {
    if (!(await this.ownsDuty(principal, duty))) return null;
    const access = await this.policy.childAccess(principal, value.disclosure.childId);
    const grant = dutyOwnerGrant(duty);
    return this.only(
      value,
      (sensitivity) =>
        sensitivity === SensitivityClass.CASE_ADMINISTRATION
          ? { grant, reason: 'A duty’s owning agency reads the duty it must do' }
          : null,
      { rule: DUTY_OWNER, reason: 'A duty’s owning agency not involved with the child receives only the duty' },
      grant,
      // The caller works for the owning agency, which it knows; no field names another's staff.
      locatingFor(access, principal.agency.id),
    );
  }

  /**
   * Whether the caller works the duty for its owning agency (see `worksDuty`). Like every read of
   * child data it needs a purpose of use (BAD_USER_INPUT without one).
   */
  async ownsDuty(principal: Principal, duty: OwnedDuty): Promise<boolean> {
    principal.requirePurpose();
    if (principal.agency.id !== duty.ownerAgencyId) return false;
    // Only a SYSTEM caller needs its case system checked against the agency's.
    const ownCaseSystem =
      principal.roles.includes(Role.SYSTEM) &&
      (await this.directory.caseSystemsOf(duty.ownerAgencyId)).some((system) => system.id === principal.caseSystem.id);
    return worksDuty(principal, duty, ownCaseSystem);
  }

  /** `value` with only `classes` let through, each under the clause (`terms`; DEFAULT-DENY when none is in force). */
  private underClause<T extends object>(
    value: Described<T>,
    terms: ReferralTerms | null,
    classes: readonly SensitivityClass[],
    refusal: string,
    locating: Locating | null = null,
  ): Disclosed<T & { withheld: Withheld[] }> {
    const allowed = new Set(classes);
    const identity = terms
      ? this.referrals.grant(terms, SensitivityClass.IDENTITY_BASIC)
      : { rule: 'DEFAULT-DENY', lawfulBasis: null, agreement: null };
    return this.only(
      value,
      (sensitivity) =>
        terms && allowed.has(sensitivity)
          ? { grant: this.referrals.grant(terms, sensitivity), reason: terms.clause.summary }
          : null,
      { rule: terms ? ruleOf(terms) : 'DEFAULT-DENY', reason: refusal },
      identity,
      locating,
    );
  }

  /**
   * `value` with only the classes `allow` grants let through (each under its grant), every other
   * refused as `refusal` says, and the child's identity under `identity`: for things that leave by
   * a rule of their own rather than by the caller's policy.
   */
  private only<T extends object>(
    value: Described<T>,
    allow: (sensitivity: SensitivityClass) => { readonly grant: ClassGrant; readonly reason: string } | null,
    refusal: { readonly rule: string; readonly reason: string },
    identity: ClassGrant,
    locating: Locating | null,
  ): Disclosed<T & { withheld: Withheld[] }> {
    const facts: DisclosureFacts = value.disclosure;
    const grants = new Map<SensitivityClass, ClassGrant>();
    const withheld: Withheld[] = [];
    const projected = project(
      facts.model,
      value,
      (sensitivity) => {
        // C10 holds whatever a rule gives: where the child lives stays hidden from the restricted party.
        if (locating && sensitivity === SensitivityClass.PLACEMENT_LOCATION) return locating.refusal;
        const allowed = allow(sensitivity);
        if (allowed) {
          grants.set(sensitivity, allowed.grant);
          return { allowed: true, rule: allowed.grant.rule, reason: allowed.reason };
        }
        return { allowed: false, ...refusal };
      },
      withheld,
      '',
      locating,
    );
    return disclosed(
      Object.assign({}, projected, { withheld }),
      Object.assign({}, facts, { grants, child: { identity, breakGlass: false, afterAllocationEnded: false } }),
    );
  }

  /** The child itself (identity only: its own fields are all IDENTITY_BASIC), once the caller may see it. */
  async discloseChild<T extends object>(principal: Principal, value: Described<T>): Promise<Disclosed<T>> {
    const facts: DisclosureFacts = value.disclosure;
    const child = await this.childGrant(principal, facts.childId);
    return disclosed(
      { ...value },
      Object.assign({}, facts, { grants: new Map([[SensitivityClass.IDENTITY_BASIC, child.identity]]), child }),
    );
  }

  /**
   * What the caller has just recorded, returned to them as written (they hold it already): every
   * class it carries leaves under the child's identity grant.
   */
  async discloseWritten<T extends object>(principal: Principal, value: Described<T>): Promise<Disclosed<T>> {
    const facts: DisclosureFacts = value.disclosure;
    const child = await this.childGrant(principal, facts.childId);
    return disclosed({ ...value }, Object.assign({}, facts, { grants: new Map<SensitivityClass, ClassGrant>(), child }));
  }

  /** A thing without labelled fields (e.g. an allocation in a notification): the child's grant alone. */
  async discloseUnlabelled(principal: Principal, facts: Omit<DisclosureFacts, 'model'>): Promise<Disclosure> {
    const child = await this.childGrant(principal, facts.childId);
    return Object.assign({}, facts, { model: Unlabelled, grants: new Map<SensitivityClass, ClassGrant>(), child });
  }

  /**
   * C10 in lists of things that name an agency (involvements, allocations, signatures…): the
   * agencies whose name would tell the caller where the child is, left out of such lists; empty
   * unless a contact restriction names the caller or its agency.
   */
  async locatingAgencies(principal: Principal, childId: string): Promise<ReadonlySet<string>> {
    return locatingFor(await this.policy.childAccess(principal, childId), principal.agency.id)?.agencies ?? NO_AGENCIES;
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
      breakGlass: principal.statedPurpose === PurposeOfUse.EMERGENCY,
      afterAllocationEnded: access.allocationEnded && !otherRelationship,
    };
  }
}

/** The permission a gate relied on: a court order, else a consent (C1); the third party's permission (C2). */
function permissionFor(gate: GrantRequirement, permissions: RecordPermissions): PermissionRef | null {
  switch (gate) {
    case GrantRequirement.COURT_ORDER_OR_CONSENT:
      return permissions.courtOrder ?? permissions.consent;
    case GrantRequirement.THIRD_PARTY_PERMISSION:
      return permissions.thirdParty;
  }
}

/**
 * The grants with each gated class naming the recorded permission it relied on. Most things have
 * no gated class: their grants are the decision's own map (made for this decision alone), not a copy.
 */
function withPermissions(
  grants: ReadonlyMap<SensitivityClass, ClassGrant>,
  gates: ReadonlyMap<SensitivityClass, GrantRequirement> | undefined,
  permissions: RecordPermissions | undefined,
): ReadonlyMap<SensitivityClass, ClassGrant> {
  if (!gates || gates.size === 0) return grants;
  const opened = new Map(grants);
  for (const [sensitivity, gate] of gates) {
    const permission = permissions ? permissionFor(gate, permissions) : null;
    const grant = opened.get(sensitivity);
    if (permission && grant) opened.set(sensitivity, Object.assign({}, grant, { permission }));
  }
  return opened;
}
