import { locatingFor } from 'src/policy/contact-restriction.js';
import { Inject, Injectable } from '@nestjs/common';
import { permittedFieldsOf } from '@casl/ability/extra';
import { ContextSlot, type Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import {
  ALL_CLASSES,
  AbilityFactory,
  needToKnow,
  originOf,
  type RuleOrigin,
  type TandemAbility,
} from 'src/policy/ability.factory.js';
import type { ChildAccess, PolicyAction, SubjectAttributes, SubjectType } from 'src/policy/access-subject.js';
import {
  type AccessCaller,
  AccessRepository,
  type AccessRow,
  childAccessParameters,
  toChildAccess,
} from 'src/policy/access.repository.js';
import { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import { GrantRequirement } from 'src/policy/agreements/agreement.schema.js';
import { justificationProblem } from 'src/policy/emergency-access.js';
import { EmergencyReason, isEmergencyReason } from 'src/vocabulary/emergency-reason.js';
import { type ClassDecision, project, type Withheld } from 'src/policy/projection.js';
import { defaultDenial } from 'src/policy/default-denial.js';
import { classOutcome, DecisionCache, grantOf } from 'src/policy/decision-cache.js';
import type { ClassGrant } from 'src/policy/disclosed.js';
import { type FilterTarget, rowFilter, RowFilterCache, type SqlFilter } from 'src/policy/policy-sql.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { relationshipsOf } from 'src/policy/relationship.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { londonDateOf, londonToday } from 'src/common/time/london.js';

/** What a record looks like to the policy: its owner, kind, gates and dates. */
export interface RecordFacts {
  readonly childId: string;
  readonly owningAgencyId: string;
  readonly kind: RecordKind;
  readonly createdAt: Date;
  readonly courtOrderReference: string | null;
  readonly consentReference: string | null;
  readonly thirdPartyPermissionReference: string | null;
}

export interface ClassExplanation extends ClassDecision {
  readonly sensitivityClass: SensitivityClass;
  readonly origin: RuleOrigin | undefined;
  readonly lawfulBasis: string | null;
}

export const NO_ACCESS: ChildAccess = {
  relationship: [],
  agencyRoles: [],
  contactRestricted: false,
  policeInvestigationSince: null,
  allocationEnded: false,
};

/**
 * The one place access is decided. Services ask it for SQL row filters (so nothing the caller may
 * not see is loaded) and for the field-by-field projection of what they did load; every decision
 * names its rule.
 */
/** The request's ability, built on first use. */
const ABILITY = new ContextSlot<{ ability?: Promise<TandemAbility> }>('ability', () => ({}));
/** The last day an ended allocation counts, fixed on first use (see graceDate). */
const GRACE_DATE = new ContextSlot<{ date?: string }>('graceDate', () => ({}));
/** The day the sharing agreements are read on, fixed on first use (see agreementDay). */
const AGREEMENT_DAY = new ContextSlot<{ day?: string }>('agreementDay', () => ({}));
/** The children the caller read under break-glass in the last hour, read once per request. */
const RECENT_BREAK_GLASS = new ContextSlot<{ children?: Promise<string[]> }>('recentBreakGlass', () => ({}));

@Injectable()
export class PolicyService {
  private readonly loaders = new RequestLoaders('policy');
  private readonly decisions = new DecisionCache();
  private readonly filters = new RowFilterCache();
  private readonly c3ByAbility = new WeakMap<TandemAbility, boolean>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AbilityFactory) private readonly factory: AbilityFactory,
    @Inject(AccessRepository) private readonly access: AccessRepository,
    @Inject(AgreementRegistry) private readonly agreements: AgreementRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  /**
   * The request's ability, built once per request (and cached across requests by its inputs). Under
   * purpose EMERGENCY the request must give a real justification and a reason code, and an
   * emergency clause must name the caller's agency, role and reason; otherwise it is refused
   * before anything is looked up.
   */
  ability(principal: Principal): Promise<TandemAbility> {
    const slot = principal.slot(ABILITY);
    if (!slot.ability) {
      const purpose = principal.requirePurpose();
      const emergency = purpose === PurposeOfUse.EMERGENCY ? emergencyReasonOf(principal) : null;
      slot.ability = this.factory.forPrincipal(principal, purpose, emergency, this.agreementDay(principal)).then((ability) => {
        if (emergency && !ability.rulesFor('read', 'Child').some((rule) => originOf(rule)?.breakGlass)) {
          throw TandemError.forbidden(
            `No sharing agreement in force gives ${principal.roles.join('/')} at ${principal.agency.code} emergency access for ${emergency}`,
          );
        }
        return ability;
      });
    }
    return slot.ability;
  }

  /**
   * The day the sharing agreements are read on (which are in force, which expired), fixed once per
   * request like the grace date: the caller's ability and every field's decision in one response
   * come from the same agreements, even across midnight.
   */
  agreementDay(principal: Principal): string {
    const slot = principal.slot(AGREEMENT_DAY);
    slot.day ??= londonToday();
    return slot.day;
  }

  /**
   * The last day an ended allocation still counts, fixed once per request: every decision of one
   * request (the look-up's access row, the page's filter, later checks) uses the same day, even
   * across midnight.
   */
  graceDate(principal: Principal): string {
    const slot = principal.slot(GRACE_DATE);
    if (slot.date === undefined) {
      const date = new Date(Date.now() - this.config.policy.allocationGraceDays * 86_400_000);
      slot.date = londonDateOf(date);
    }
    return slot.date;
  }

  /** Children the caller may see, as SQL on a child id column. Lists never use break-glass. */
  async childFilter(principal: Principal, childId: string, options: { forList: boolean }): Promise<SqlFilter> {
    return this.filters.filter(await this.ability(principal), 'Child', { childId }, principal, this.graceDate(principal), {
      excludeBreakGlass: options.forList,
    });
  }

  /**
   * Whether the caller may see one child already looked up by id or reference: the same Child
   * rules as childFilter, decided on the caller's connection to that child (one cached-plan
   * function call) instead of in the lookup's SQL. Lists use childFilter.
   */
  async canSeeChild(principal: Principal, childId: string, options: { forWrite: boolean }): Promise<boolean> {
    const ability = await this.ability(principal);
    const access = await this.childAccess(principal, childId);
    const attributes: SubjectAttributes = { __type: 'Child', ...access, needToKnow: false };
    const rule = ability.relevantRuleFor('read', attributes);
    if (!rule || rule.inverted) return false;
    return !(options.forWrite && originOf(rule)?.breakGlass);
  }

  /**
   * Records the caller may see at least part of, as SQL on a record alias. With `childIds` (a page
   * of records for known children) the caller's connection to each child is loaded once and bound
   * into the SQL, instead of being re-checked per row.
   */
  async recordFilter(principal: Principal, target: Required<FilterTarget>, childIds?: readonly string[]): Promise<SqlFilter> {
    const known = childIds
      ? new Map(await Promise.all(childIds.map(async (id) => [id, await this.childAccess(principal, id)] as const)))
      : undefined;
    const ability = await this.ability(principal);
    if (!known) return this.filters.filter(ability, 'SharedRecord', target, principal, this.graceDate(principal));
    return rowFilter(ability, 'SharedRecord', target, principal, this.graceDate(principal), { known });
  }

  /**
   * The same records as recordFilter with the caller's connection known, for a statement that
   * reads that connection itself (childAccessJoin, as `accessAlias`): decided on that row in SQL
   * instead of after it was loaded, so the child and a page of its records come in one statement.
   */
  async recordFilterOnAccessRow(principal: Principal, target: Required<FilterTarget>, accessAlias: string): Promise<SqlFilter> {
    return this.filters.filter(await this.ability(principal), 'SharedRecord', target, principal, this.graceDate(principal), {
      accessRow: { alias: accessAlias, usable: new Set(relationshipsOf(principal.roles)) },
    });
  }

  /** The caller's connection to a child, batched per request. */
  childAccess(principal: Principal, childId: string): Promise<ChildAccess> {
    return this.accessLoader(principal).load(childId);
  }

  /** What a statement joining the caller's access to a child (childAccessJoin) binds for this caller. */
  accessParameters(principal: Principal): unknown[] {
    return childAccessParameters(this.accessCaller(principal));
  }

  /** The caller as a statement joining their access to a child (childAccessJoinOn) names it. */
  accessCaller(principal: Principal): AccessCaller {
    return { subject: principal.subject, agencyId: principal.agency.id, graceDate: this.graceDate(principal) };
  }

  /**
   * The caller's connection to a child read by the statement that read the child itself (one
   * round trip for both); later checks in the request use it as if the policy had loaded it.
   */
  primeChildAccess(principal: Principal, childId: string, row: AccessRow | null): void {
    this.accessLoader(principal).prime(childId, this.usable(principal, row ? toChildAccess(row) : NO_ACCESS));
  }

  private accessLoader(principal: Principal) {
    return this.loaders.loader<string, ChildAccess>(principal, 'childAccess', async (ids) => {
      const found = await this.access.forChildren(ids, this.accessCaller(principal));
      return ids.map((id) => this.usable(principal, found.get(id) ?? NO_ACCESS));
    });
  }

  /** A relationship counts only through the caller's roles (a practitioner is not a front door). */
  private usable(principal: Principal, access: ChildAccess): ChildAccess {
    const usable = new Set(relationshipsOf(principal.roles));
    // Object.assign, not `{ ...access, relationship }`: a spread first and a property after it takes
    // V8 (Node 20) microseconds an object (docs/TOOLCHAIN.md).
    return Object.assign({}, access, { relationship: access.relationship.filter((relationship) => usable.has(relationship)) });
  }

  recordAttributes(principal: Principal, record: RecordFacts, access: ChildAccess): SubjectAttributes {
    return {
      __type: 'SharedRecord',
      ...access,
      needToKnow: needToKnow(access.relationship, access.agencyRoles, record.owningAgencyId, principal.agency.id),
      owningAgencyId: record.owningAgencyId,
      kind: record.kind,
      hasCourtOrderOrConsent: record.courtOrderReference !== null || record.consentReference !== null,
      hasThirdPartyPermission: record.thirdPartyPermissionReference !== null,
      createdDuringPoliceInvestigation:
        access.policeInvestigationSince !== null && access.policeInvestigationSince <= record.createdAt,
    };
  }

  detailAttributes(principal: Principal, owningAgencyId: string | null, access: ChildAccess): SubjectAttributes {
    return {
      __type: 'ChildDetail',
      ...access,
      needToKnow: needToKnow(access.relationship, access.agencyRoles, owningAgencyId, principal.agency.id),
      owningAgencyId,
    };
  }

  /** A copy of the record (or placement, legal-status episode) with every field the caller may not have set to null. */
  async project<T extends object>(
    principal: Principal,
    type: Function,
    value: T,
    attributes: SubjectAttributes,
  ): Promise<{
    value: T;
    withheld: Withheld[];
    grants: ReadonlyMap<SensitivityClass, ClassGrant>;
    /** The classes let through only by a gated grant (C1, C2), with the gate each relied on. */
    gates?: ReadonlyMap<SensitivityClass, GrantRequirement>;
  }> {
    const decide = await this.decider(principal, attributes);
    const withheld: Withheld[] = [];
    const locating = locatingFor(attributes, principal.agency.id, attributes.owningAgencyId ?? null);
    const projected = project(type, value, decide, withheld, '', locating);
    return { value: projected, withheld, grants: decide.grants, gates: decide.gates };
  }

  /** The rule under which the caller sees a child at all (identity), for its disclosure receipt. */
  async childGrant(principal: Principal, childId: string): Promise<ClassGrant> {
    const ability = await this.ability(principal);
    const access = await this.childAccess(principal, childId);
    const origin = originOf(ability.relevantRuleFor('read', { __type: 'Child', ...access, needToKnow: false }));
    return grantOf(origin, SensitivityClass.IDENTITY_BASIC);
  }

  /** Whether the ability allows a write on a subject, with the rule that decided. */
  async canWrite(principal: Principal, action: Exclude<PolicyAction, 'read'>, attributes: SubjectAttributes): Promise<boolean> {
    return (await this.ability(principal)).can(action, attributes);
  }

  /** Per class: allowed or not, by which rule and agreement clause, on which lawful basis. */
  async explain(principal: Principal, attributes: SubjectAttributes): Promise<ClassExplanation[]> {
    const ability = await this.ability(principal);
    const decide = await this.decider(principal, attributes);
    return ALL_CLASSES.map((sensitivityClass) => {
      const decision = decide(sensitivityClass);
      const origin = originOf(ability.relevantRuleFor('read', attributes, sensitivityClass));
      return {
        sensitivityClass,
        ...decision,
        origin,
        lawfulBasis: decision.allowed
          ? (origin?.lawfulBasis?.[sensitivityClass] ?? (origin?.ruleId === 'OWN-AGENCY' ? 'Own record' : null))
          : null,
      };
    });
  }

  isAllocated(childId: string, caller: { readonly subject: string; readonly agencyId: string }, role: string): Promise<boolean> {
    return this.access.isAllocated(childId, caller, role);
  }

  involvedAgencyIds(childId: string): Promise<string[]> {
    return this.access.involvedAgencyIds(childId);
  }

  /**
   * C3: while a police investigation into the child is open, police and CPS see each record as it
   * stood before the investigation opened (its later versions, and that they exist, stay hidden).
   * The time of that cut-off, or null when none applies to the caller.
   */
  async versionCutoff(principal: Principal, childId: string): Promise<Date | null> {
    if (!(await this.limitedByC3(principal))) return null;
    return (await this.childAccess(principal, childId)).policeInvestigationSince;
  }

  /** Whether C3 applies to the caller at all (police and CPS): their lists never order records by a later change. */
  async limitedByC3(principal: Principal): Promise<boolean> {
    const ability = await this.ability(principal);
    // Asked for every record a request reads; an ability's rules never change, so its answer is kept with it.
    let limited = this.c3ByAbility.get(ability);
    if (limited === undefined) {
      limited = ability.rulesFor('read', 'SharedRecord').some((rule) => originOf(rule)?.ruleId === 'C3');
      this.c3ByAbility.set(ability, limited);
    }
    return limited;
  }

  /**
   * Under EMERGENCY, one user may read at most POLICY_BREAK_GLASS_MAX_CHILDREN_PER_HOUR children
   * by break-glass in an hour. Once that many, a look-up of any other child is refused whether it
   * exists or not (so the refusal says nothing of it), and logged for the auditors to review.
   */
  async checkEmergencyRate(principal: Principal, childId: string): Promise<void> {
    if (principal.statedPurpose !== PurposeOfUse.EMERGENCY) return;
    const slot = principal.slot(RECENT_BREAK_GLASS);
    slot.children ??= this.access.recentBreakGlass(principal.subject, this.rateWindowStart());
    const recent = await slot.children;
    if (!recent.includes(childId) && recent.length >= this.config.policy.breakGlassMaxChildrenPerHour) throw this.overRate();
  }

  /** Logs a break-glass read and alerts the child's allocated workers (once per time box). */
  async noteChildRead(principal: Principal, childId: string): Promise<void> {
    if (principal.requirePurpose() !== PurposeOfUse.EMERGENCY) return;
    const now = new Date();
    const reason = principal.accessReason ?? '';
    const outcome = await this.access.recordBreakGlass(
      {
        childId,
        subject: principal.subject,
        agencyId: principal.agency.id,
        justification: principal.justification ?? '',
        reasonCode: reason,
        grantedAt: now,
        expiresAt: new Date(now.getTime() + this.config.policy.breakGlassMinutes * 60_000),
      },
      `${principal.name} (${principal.agency.code}) read this child's record under emergency access (${reason}): ${principal.justification ?? ''}`,
      { maxChildren: this.config.policy.breakGlassMaxChildrenPerHour, since: this.rateWindowStart() },
    );
    if (outcome === 'OVER_RATE') throw this.overRate();
  }

  private rateWindowStart(): Date {
    return new Date(Date.now() - 3_600_000);
  }

  private overRate(): TandemError {
    return TandemError.forbidden(
      `Emergency access reaches at most ${this.config.policy.breakGlassMaxChildrenPerHour} children an hour: this look-up is refused and flagged for review`,
    );
  }

  private async decider(
    principal: Principal,
    attributes: SubjectAttributes,
  ): Promise<
    ((sensitivity: SensitivityClass) => ClassDecision) & {
      grants: Map<SensitivityClass, ClassGrant>;
      gates: Map<SensitivityClass, GrantRequirement>;
    }
  > {
    const ability = await this.ability(principal);
    // The day is what defaultDenial reads (an agreement's review and start dates).
    const day = this.agreementDay(principal);
    const inputs = [this.agreements.agreements(), day];
    const decisions = this.decisions.decisionsFor(
      ability,
      // A default denial names the caller's roles in the order the token gave them.
      `${principal.roles.join()}|${JSON.stringify(attributes)}`,
      inputs,
      () => new Set(permittedFieldsOf(ability, 'read', attributes, { fieldsFrom: (rule) => rule.fields ?? [...ALL_CLASSES] })),
    );
    const grants = new Map<SensitivityClass, ClassGrant>();
    const gates = new Map<SensitivityClass, GrantRequirement>();
    const decide = (sensitivity: SensitivityClass): ClassDecision => {
      let outcome = decisions.byClass.get(sensitivity);
      if (!outcome) {
        outcome = classOutcome(ability, attributes, decisions.permitted, sensitivity, () =>
          defaultDenial(this.agreements.agreements(), principal, sensitivity, attributes, day),
        );
        decisions.byClass.set(sensitivity, outcome);
      }
      if (outcome.grant) grants.set(sensitivity, outcome.grant);
      if (outcome.gate) gates.set(sensitivity, outcome.gate);
      return outcome.decision;
    };
    return Object.assign(decide, { grants, gates });
  }
}

/** The reason code of an EMERGENCY request, once its justification is enough (BAD_USER_INPUT otherwise). */
function emergencyReasonOf(principal: Principal): EmergencyReason {
  const problem = justificationProblem(principal.justification);
  if (problem) throw TandemError.badInput(problem, 'X-Access-Justification');
  const reason = principal.accessReason;
  const codes = Object.values(EmergencyReason).join(', ');
  if (!reason)
    throw TandemError.badInput(`Emergency access needs a reason code in X-Access-Reason: one of ${codes}`, 'X-Access-Reason');
  if (!isEmergencyReason(reason))
    throw TandemError.badInput(`Unknown emergency reason "${reason.slice(0, 40)}": one of ${codes}`, 'X-Access-Reason');
  return reason;
}

export type { SubjectType };
