import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import type { Role } from 'src/auth/roles.js';
import { AgreementRegistry } from 'src/policy/agreements/agreement-registry.service.js';
import type { ReferralClause, SharingAgreement } from 'src/policy/agreements/agreement.schema.js';
import type { ClassGrant } from 'src/policy/disclosed.js';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { londonToday } from 'src/common/time/london.js';

/** A referral clause in force, with its agreement. */
export interface ReferralTerms {
  readonly agreement: SharingAgreement;
  readonly clause: ReferralClause;
}

/**
 * Referrals, as the agreements allow them: which agency may ask which other to become involved
 * with a child, in which roles, who asks and who decides, and what the request discloses.
 */
@Injectable()
export class ReferralPolicy {
  constructor(@Inject(AgreementRegistry) private readonly agreements: AgreementRegistry) {}

  /** The clause under which the caller may ask `toAgencyCode` to become involved as `role`, or null. */
  forReferring(principal: Principal, toAgencyCode: string, role: InvolvementRole): ReferralTerms | null {
    return this.find(
      (clause) =>
        clause.from === principal.agency.code &&
        clause.to === toAgencyCode &&
        clause.roles.includes(role) &&
        clause.referredBy.some((allowed) => principal.roles.includes(allowed)),
    );
  }

  /**
   * The clause a referral was made under (`rule`, as stored on it: "derby-yos-csc@v4 §5.3"), in its
   * version in force now; else any clause in force covering a referral from `fromAgencyCode` to the
   * caller's agency as `role`; null when none is in force.
   */
  forReferral(principal: Principal, fromAgencyCode: string, role: InvolvementRole, rule: string): ReferralTerms | null {
    const made = /^(?<id>[a-z0-9-]+)@v\d+ §(?<clause>.+)$/.exec(rule)?.groups;
    const covers = (clause: ReferralClause) =>
      clause.from === fromAgencyCode && clause.to === principal.agency.code && clause.roles.includes(role);
    return (
      (made
        ? this.find((clause, agreement) => agreement.id === made.id && clause.clause === made.clause && covers(clause))
        : null) ?? this.find(covers)
    );
  }

  /**
   * The clause under which an event about a child `fromAgencyCode` is involved with is a notice to
   * `toAgencyCode`, not yet involved, as `role` (the front door, a host YOS), or null: only such a
   * clause lets the event reach an agency that may not otherwise see the child.
   */
  forNotice(fromAgencyCode: string, toAgencyCode: string, role: InvolvementRole, eventType: string): ReferralTerms | null {
    return this.find(
      (clause) =>
        clause.from === fromAgencyCode &&
        clause.to === toAgencyCode &&
        clause.roles.includes(role) &&
        clause.noticeClasses !== undefined &&
        (clause.openedBy ?? []).includes(eventType),
    );
  }

  /** Whether the caller's roles may accept or decline under these terms. */
  mayDecide(principal: Principal, terms: ReferralTerms): boolean {
    return terms.clause.decidedBy.some((role) => principal.roles.includes(role));
  }

  /** Whether the caller's roles may see the referrals its agency made under these terms. */
  mayRefer(principal: Principal, terms: ReferralTerms): boolean {
    return terms.clause.referredBy.some((role) => principal.roles.includes(role));
  }

  /** Which referrals the caller's roles deal with: those made to their agency (they decide) and by it (they refer). */
  directions(principal: Principal): { incoming: boolean; outgoing: boolean } {
    const mine = (roles: readonly Role[]) => roles.some((role) => principal.roles.includes(role));
    return {
      incoming: this.find((clause) => clause.to === principal.agency.code && mine(clause.decidedBy)) !== null,
      outgoing: this.find((clause) => clause.from === principal.agency.code && mine(clause.referredBy)) !== null,
    };
  }

  /** What a receipt names for a class the request discloses to the receiving agency. */
  grant(terms: ReferralTerms, sensitivity: SensitivityClass): ClassGrant {
    return {
      rule: ruleOf(terms),
      lawfulBasis: terms.agreement.lawfulBasis[sensitivity] ?? null,
      agreement: { id: terms.agreement.id, version: terms.agreement.version, clause: terms.clause.clause },
    };
  }

  private find(matches: (clause: ReferralClause, agreement: SharingAgreement) => boolean): ReferralTerms | null {
    const today = londonToday();
    for (const { agreement } of this.agreements.agreements()) {
      if (agreement.effectiveFrom > today || agreement.reviewDate < today) continue;
      const clause = agreement.referrals?.find((candidate) => matches(candidate, agreement));
      if (clause) return { agreement, clause };
    }
    return null;
  }
}

/** The rule id of a referral clause, as receipts and referrals name it. */
export function ruleOf(terms: ReferralTerms): string {
  return `${terms.agreement.id}@v${terms.agreement.version} §${terms.clause.clause}`;
}
