import { CONTACT_RESTRICTION } from 'src/policy/contact-restriction.js';
import { Inject, Injectable } from '@nestjs/common';
import { createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import type { Principal } from 'src/auth/principal.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import {
  type EmergencyClause,
  GrantRequirement,
  GrantSubject,
  type SharingAgreement,
} from 'src/policy/agreements/agreement.schema.js';
import type { PolicyAction, SubjectAttributes, SubjectType } from 'src/policy/access-subject.js';
import { BREAK_GLASS_CLASSES } from 'src/policy/emergency-access.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import type { EmergencyReason } from 'src/vocabulary/emergency-reason.js';
import { Relationship, relationshipsOf } from 'src/policy/relationship.js';
import { RECORD_KINDS } from 'src/vocabulary/record-kind.js';
import { Role } from 'src/auth/roles.js';

export const ALL_CLASSES: readonly SensitivityClass[] = Object.values(SensitivityClass);
const NEED_TO_KNOW_CLASSES = [
  SensitivityClass.HEALTH,
  SensitivityClass.ETHNICITY_RELIGION,
  SensitivityClass.SEXUAL_BEHAVIOUR,
  SensitivityClass.WELFARE_CP,
];

/** Where a rule comes from, carried on every CASL rule so every decision can name it. */
export interface RuleOrigin {
  readonly ruleId: string;
  readonly reason: string;
  readonly agreementId?: string;
  readonly agreementVersion?: number;
  readonly clause?: string;
  readonly lawfulBasis?: Readonly<Partial<Record<SensitivityClass, string>>>;
  /** An emergency clause's rule: never for lists or writes, and every read under it is logged as break-glass. */
  readonly breakGlass?: boolean;
  /** The gate a grant needs (C1, C2): a disclosure under it names the recorded permission. */
  readonly requires?: GrantRequirement;
}

export type TandemAbility = MongoAbility<[PolicyAction, SubjectType | SubjectAttributes]>;

type Rule = RawRuleOf<TandemAbility> & RuleOrigin;

interface RuleSpec {
  readonly action: PolicyAction | PolicyAction[];
  readonly subject: SubjectType | SubjectType[];
  readonly fields?: readonly SensitivityClass[];
  readonly conditions?: Record<string, unknown>;
}

/** A rule of the ability with its origin (CASL keeps the raw rule as `origin`). */
export function originOf(rule: { origin: unknown } | null): RuleOrigin | undefined {
  return rule ? (rule.origin as RuleOrigin) : undefined;
}

/**
 * Builds the CASL ability of a request from the caller's agency, roles and purpose and the sharing
 * agreements in force. Fields are sensitivity classes; conditions use SubjectAttributes. The same
 * inputs give the same ability, so it is cached.
 */
@Injectable()
export class AbilityFactory {
  private readonly cache = new Map<string, TandemAbility>();

  constructor(
    @Inject(AgreementRegistry) private readonly agreements: AgreementRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  /**
   * `emergency`: the reason given for a break-glass read (purpose EMERGENCY), or null. `day`: the
   * day the agreements are read on (YYYY-MM-DD), one for the whole request.
   */
  async forPrincipal(
    principal: Principal,
    purpose: PurposeOfUse,
    emergency: EmergencyReason | null,
    day: string,
  ): Promise<TandemAbility> {
    const key = `${principal.agency.id}|${[...principal.roles].sort().join(',')}|${purpose}|${emergency ?? ''}|${day}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const ability = createMongoAbility<TandemAbility>(await this.rules(principal, purpose, emergency, day), {
      detectSubjectType: (subject) => (typeof subject === 'string' ? subject : subject.__type),
    });
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, ability);
    return ability;
  }

  /** Forget cached abilities (after the agreements change). */
  invalidate(): void {
    this.cache.clear();
  }

  private async rules(
    principal: Principal,
    purpose: PurposeOfUse,
    emergency: EmergencyReason | null,
    date: string,
  ): Promise<Rule[]> {
    const rules: Rule[] = [];
    const push = (spec: RuleSpec, meta: RuleOrigin, inverted: boolean) =>
      rules.push({
        action: spec.action,
        subject: spec.subject,
        ...(spec.fields ? { fields: [...spec.fields] } : {}),
        ...(spec.conditions ? { conditions: spec.conditions } : {}),
        ...(inverted ? { inverted: true } : {}),
        ...meta,
      });
    const can = (spec: RuleSpec, meta: RuleOrigin) => push(spec, meta, false);
    const cannot = (spec: RuleSpec, meta: RuleOrigin) => push(spec, meta, true);
    const relationships = relationshipsOf(principal.roles);
    const own = principal.agency.id;

    // Under EMERGENCY only the emergency clauses grant (the narrow read, flagged as break-glass),
    // whatever the caller's relationship to the child: what a relationship opens is read under the
    // purpose it is for.
    if (relationships.length > 0 && purpose !== PurposeOfUse.EMERGENCY) {
      can(
        {
          action: 'read',
          subject: 'Child',
          fields: [SensitivityClass.IDENTITY_BASIC, SensitivityClass.CASE_ADMINISTRATION],
          conditions: { relationship: { $in: relationships } },
        },
        {
          ruleId: 'RELATIONSHIP',
          reason: 'A caller sees a child through an allocation, their team, or their agency’s involvement',
        },
      );
      can(
        {
          action: 'read',
          subject: ['SharedRecord', 'ChildDetail'],
          fields: ALL_CLASSES,
          conditions: { owningAgencyId: own, relationship: { $in: relationships } },
        },
        {
          ruleId: 'OWN-AGENCY',
          reason: 'An agency’s related staff see its own records',
        },
      );
    }
    if (emergency) {
      for (const { agreement, clause, childInvolvements } of await this.emergencyClauses(principal, emergency, date)) {
        can(
          {
            action: 'read',
            subject: ['Child', 'ChildDetail'],
            fields: BREAK_GLASS_CLASSES,
            conditions: { childInvolvements: { $in: childInvolvements } },
          },
          {
            ruleId: `BREAK-GLASS ${agreement.id}@v${agreement.version} §${clause.clause}`,
            reason: clause.summary,
            agreementId: agreement.id,
            agreementVersion: agreement.version,
            clause: clause.clause,
            lawfulBasis: Object.fromEntries(BREAK_GLASS_CLASSES.map((cls) => [cls, clause.lawfulBasis])),
            breakGlass: true,
          },
        );
      }
    }
    // Writes: only the owning agency's allocated staff (and their managers) create or change its records.
    const writers = relationships.filter((relationship) => relationship !== Relationship.INVOLVEMENT);
    const ownableKinds = Object.entries(RECORD_KINDS)
      .filter(([, definition]) => definition.ownerKinds.includes(principal.agency.kind))
      .map(([kind]) => kind);
    if (writers.length > 0 && ownableKinds.length > 0) {
      can(
        {
          action: ['create', 'update'],
          subject: 'SharedRecord',
          conditions: { owningAgencyId: own, relationship: { $in: writers }, kind: { $in: ownableKinds } },
        },
        {
          ruleId: 'OWNER-WRITES',
          reason: 'Only the owning agency’s allocated staff and their managers write its records',
        },
      );
    }

    // The other agency's allocated staff may acknowledge or comment on a record, never edit it.
    if (writers.length > 0) {
      can(
        { action: 'acknowledge', subject: 'SharedRecord', conditions: { relationship: { $in: writers } } },
        {
          ruleId: 'ACKNOWLEDGE',
          reason: 'Staff allocated to the child (or their managers) acknowledge and comment on shared records',
        },
      );
    }

    for (const { agreement } of this.agreements.agreements()) {
      if (agreement.effectiveFrom > date || agreement.reviewDate < date) continue;
      for (const grant of agreement.grants) {
        if (grant.to !== principal.agency.code || !grant.purposes.includes(purpose)) continue;
        if (!grant.roles.some((role) => principal.roles.includes(role))) continue;
        const via = (grant.relationships ?? relationships).filter((relationship) => relationships.includes(relationship));
        const from = await this.directory.agencyByCode(grant.from);
        if (via.length === 0 || !from) continue;
        const conditions = {
          owningAgencyId: from.id,
          relationship: { $in: via },
          ...(grant.involvementRoles ? { agencyRoles: { $in: grant.involvementRoles } } : {}),
          ...(grant.requires === GrantRequirement.COURT_ORDER_OR_CONSENT ? { hasCourtOrderOrConsent: true } : {}),
          ...(grant.requires === GrantRequirement.THIRD_PARTY_PERMISSION ? { hasThirdPartyPermission: true } : {}),
        };
        const meta: RuleOrigin = {
          ruleId: `${agreement.id}@v${agreement.version} §${grant.clause}`,
          reason: grant.summary,
          agreementId: agreement.id,
          agreementVersion: agreement.version,
          clause: grant.clause,
          lawfulBasis: agreement.lawfulBasis,
          ...(grant.requires ? { requires: grant.requires } : {}),
        };
        const covers = (subject: GrantSubject) => !grant.subjects || grant.subjects.includes(subject);
        if (covers(GrantSubject.RECORD)) {
          can(
            {
              action: 'read',
              subject: 'SharedRecord',
              fields: grant.classes,
              conditions: grant.recordKinds ? { ...conditions, kind: { $in: grant.recordKinds } } : conditions,
            },
            meta,
          );
        }
        if (!grant.requires && covers(GrantSubject.CHILD_DETAIL)) {
          can({ action: 'read', subject: 'ChildDetail', fields: grant.classes, conditions }, meta);
        }
      }
    }

    // The protocols' restrictions come last, so they override any grant.
    cannot(
      {
        action: 'read',
        subject: ['SharedRecord', 'ChildDetail'],
        fields: NEED_TO_KNOW_CLASSES,
        conditions: { needToKnow: false },
      },
      {
        ruleId: 'C6-C9',
        reason: 'Special-category and child-protection information is for those who need to know (allocated workers)',
      },
    );
    cannot(
      {
        action: 'read',
        subject: ['SharedRecord', 'ChildDetail'],
        fields: [SensitivityClass.PLACEMENT_LOCATION],
        conditions: { contactRestricted: true },
      },
      { ruleId: CONTACT_RESTRICTION.rule, reason: CONTACT_RESTRICTION.reason },
    );
    if (principal.roles.includes(Role.POLICE_CPS)) {
      cannot(
        { action: 'read', subject: 'SharedRecord', conditions: { createdDuringPoliceInvestigation: true } },
        {
          ruleId: 'C3',
          reason: 'While a police investigation is open, police and CPS see only records made before it opened',
        },
      );
    }
    return rules;
  }

  /** The emergency clauses in force that name the caller's agency, one of their roles and the reason given. */
  private async emergencyClauses(principal: Principal, reason: EmergencyReason, date: string) {
    const found: { agreement: SharingAgreement; clause: EmergencyClause; childInvolvements: string[] }[] = [];
    for (const { agreement } of this.agreements.agreements()) {
      if (agreement.effectiveFrom > date || agreement.reviewDate < date) continue;
      for (const clause of agreement.emergency ?? []) {
        if (clause.to !== principal.agency.code || !clause.reasons.includes(reason)) continue;
        if (!clause.roles.some((role) => principal.roles.includes(role))) continue;
        const agencies = await Promise.all(clause.childrenOf.map((code) => this.directory.agencyByCode(code)));
        const roles = clause.involvementRoles ?? Object.values(InvolvementRole);
        const childInvolvements = agencies.flatMap((agency) => (agency ? roles.map((role) => `${agency.id}:${role}`) : []));
        if (childInvolvements.length > 0) found.push({ agreement, clause, childInvolvements });
      }
    }
    return found;
  }
}

/** C6–C9 need-to-know, from the caller's connection and the owner of the data. */
export function needToKnow(
  relationship: readonly Relationship[],
  agencyRoles: readonly InvolvementRole[],
  owningAgencyId: string | null | undefined,
  callerAgencyId: string,
): boolean {
  return (
    relationship.includes(Relationship.ALLOCATED) ||
    agencyRoles.includes(InvolvementRole.SECURE_ESTATE) ||
    agencyRoles.includes(InvolvementRole.POLICE) ||
    (owningAgencyId === callerAgencyId && relationship.includes(Relationship.TEAM))
  );
}
