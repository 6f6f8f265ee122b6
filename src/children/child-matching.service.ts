import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import { AppConfig } from 'src/config/app-config.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { callerPart, type ReceiptBody } from 'src/disclosure/receipt.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { ChildDescription } from 'src/identity/child-description.js';
import { scoreMatch } from 'src/identity/child-matching.js';
import { dateOfBirthVariants } from 'src/identity/date-of-birth.js';
import { DEFAULT_MATCH_WEIGHTS, type MatchThresholds, validateMatchThresholds } from 'src/identity/match-config.js';
import { MatchAttribute, MatchBasis, MatchOutcome, type MatchResult } from 'src/identity/match-result.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { checkedIdentity, describeChild, type IdentityInput } from 'src/children/child-identity.js';
import type { ChildMatch } from 'src/children/models/child-identity.model.js';
import { ChildRepository, type FoundCandidate, type MatchCandidate } from 'src/children/repositories/child.repository.js';
import { ChildIdentifiers } from 'src/children/models/child-identity.model.js';

/**
 * The purposes under which a caller may ask whether Tandem holds a child: work on a referral or
 * an involvement under way (finding the child one's own case is about), never an audit, court
 * report or emergency. The other half of the rule is the role: only roles that register children
 * (Permission.CHILD_REGISTER) may ask. Neither depends on a sharing agreement — a match discloses
 * no agency's record, only Tandem's id — so the rule is code, documented in docs/ACCESS-POLICY.md.
 */
export const MATCHING_PURPOSES: ReadonlySet<PurposeOfUse> = new Set([
  PurposeOfUse.CASE_MANAGEMENT,
  PurposeOfUse.SAFEGUARDING,
  PurposeOfUse.PLACEMENT_PLANNING,
]);

/** How a match request is named in the log: never by the names or identifiers searched for. */
export const MATCH_LOOKUP = 'match request';

/** The lawful basis a confident match's id leaves under (DECISIONS §12). */
const MATCH_BASIS =
  'UK GDPR Art 6(1)(e); Children Act 2004 s11 (one child across services); Health and Social Care Act 2012 s251A (consistent identifier)';

/** What a description matched, for the caller and for the log. */
export interface MatchFinding {
  readonly outcome: MatchOutcome;
  /** The matched child; for POSSIBLE the strongest candidate (logged, never told). */
  readonly child: MatchCandidate | null;
  readonly agreed: readonly MatchAttribute[];
}

const NOTHING: MatchFinding = { outcome: MatchOutcome.NO_MATCH, child: null, agreed: [] };

/** The rule a confident match's receipt names: on names and date of birth, or with a national identifier agreeing too. */
export const MATCH_RULE = { CONFIDENT: 'MATCH-CONFIDENT', CORROBORATED: 'MATCH-CONFIDENT-IDENTIFIER' } as const;
const IDENTIFIER_ATTRIBUTES: ReadonlySet<MatchAttribute> = new Set([
  MatchAttribute.NHS_NUMBER,
  MatchAttribute.PNC_ID,
  MatchAttribute.UPN,
]);
const RANK: Readonly<Record<MatchOutcome, number>> = { CONFIDENT: 2, POSSIBLE: 1, NO_MATCH: 0 };

/**
 * Whether a description is a child Tandem already holds. Candidates come by index (the date of
 * birth and its keying slips, or an identifier), each is scored by the identity module against
 * every postcode of its placements' address history, and the answer tells as little as it can.
 */
@Injectable()
export class ChildMatchingService {
  readonly thresholds: MatchThresholds;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(ChildRepository) private readonly children: ChildRepository,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(PolicyService) private readonly policy: PolicyService,
  ) {
    const checked = validateMatchThresholds({
      confident: config.matching.confidentScore,
      possible: config.matching.possibleScore,
    });
    if (!checked.valid) {
      throw new Error(`Invalid configuration:\n  MATCH_CONFIDENT_SCORE, MATCH_POSSIBLE_SCORE: ${checked.reason}`);
    }
    this.thresholds = checked.value;
  }

  /** matchChild: refused (and logged) without a purpose that allows matching; every answer is logged. */
  async match(principal: Principal, input: DescriptionInput): Promise<ChildMatch> {
    this.requireMatchingPurpose(principal);
    const finding = await this.find(principal, describeInput(input));
    await this.log(principal, finding, 'matchChild');
    return finding.outcome === MatchOutcome.CONFIDENT && finding.child
      ? { outcome: MatchOutcome.CONFIDENT, childId: finding.child.id, matchedAttributes: [...finding.agreed] }
      : { outcome: finding.outcome, childId: null, matchedAttributes: [] };
  }

  /**
   * The best finding for a description asked by `principal`, merged children aside; `excluding`
   * leaves one child out. The address history of a child whose contact restriction (C10) names the
   * caller is not scored: where the child lives is hidden from them, and a postcode that lifted
   * the match (or the attribute named in a confident one) would confirm it.
   */
  async find(principal: Principal, description: ChildDescription, excluding?: string): Promise<MatchFinding> {
    const datesOfBirth = dateOfBirthVariants(description.dateOfBirth ?? '');
    let candidates: readonly FoundCandidate[] = (
      await this.children.matchCandidates(datesOfBirth, {
        nhsNumber: description.nhsNumber ?? null,
        pncId: description.pncId ?? null,
        upn: description.upn ?? null,
      })
    ).filter((candidate) => candidate.id !== excluding);
    if (candidates.length === 0) return NOTHING;
    // A child found only by an identifier the caller may not read is no candidate at all: scored on
    // its names, it could still say that a child holds that PNC ID or UPN (not under the default
    // weights, where a date of birth that disagrees keeps it below POSSIBLE; under lower thresholds).
    candidates = (await this.readableIdentifiers(principal, description, candidates)).filter(
      (candidate) =>
        datesOfBirth.includes(candidate.dateOfBirth) ||
        (description.nhsNumber && candidate.nhsNumber === description.nhsNumber) ||
        (description.pncId && candidate.pncId === description.pncId) ||
        (description.upn && candidate.upn === description.upn),
    );
    let scored = candidates.map((child) => ({ child, result: this.best(description, child, []) }));
    if (description.postcode) {
      // The address history is read only for candidates a postcode could still lift to (or keep at)
      // a possible match: most candidates of a date of birth are far below it.
      const reach = DEFAULT_MATCH_WEIGHTS.postcode.full;
      const close = scored.filter(
        ({ result }) => result.basis === MatchBasis.SCORE && result.score + reach >= this.thresholds.possible,
      );
      const open = await this.notContactRestricted(
        principal,
        close.map(({ child }) => child.id),
      );
      const postcodes = await this.children.postcodesOf(open);
      scored = scored.map(({ child, result }) => {
        const history = postcodes.get(child.id);
        return { child, result: history ? this.best(description, child, history) : result };
      });
    }
    const confident = scored.filter(({ result }) => result.outcome === MatchOutcome.CONFIDENT);
    // Two children confidently matching one description is itself a reason for a person to look.
    if (confident.length === 1 && confident[0]) {
      return { outcome: MatchOutcome.CONFIDENT, child: confident[0].child, agreed: confident[0].result.agreed };
    }
    const possible = scored
      .filter(({ result }) => result.outcome !== MatchOutcome.NO_MATCH)
      .sort((a, b) => b.result.score - a.result.score)[0];
    return possible ? { outcome: MatchOutcome.POSSIBLE, child: possible.child, agreed: [] } : NOTHING;
  }

  /**
   * One receipt per match request, with its purpose: a confident match disclosed the child's id
   * and the names of the attributes that agreed (a DISCLOSURE, written before the answer leaves);
   * a possible one told nothing of the child it found (DENIED, naming that child for its subject
   * access report); none found nothing (NOT_FOUND).
   */
  async log(principal: Principal, finding: MatchFinding, operation: string): Promise<void> {
    const lookup = `${MATCH_LOOKUP}: ${finding.outcome}`;
    if (finding.outcome !== MatchOutcome.CONFIDENT || !finding.child || !mayBeNamed(principal)) {
      this.disclosure.noteConsultation(principal, {
        outcome: finding.child ? 'DENIED' : 'NOT_FOUND',
        childId: finding.child?.id ?? null,
        recordKind: null,
        recordId: null,
        // A confident match the purpose does not let Tandem name is logged as what it was.
        lookup: finding.outcome === MatchOutcome.CONFIDENT ? `${lookup}, not named (purpose)` : lookup,
      });
      return;
    }
    const body: ReceiptBody = {
      ...callerPart(principal, new Date()),
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      operation: { channel: 'GRAPHQL', name: operation, hash: null },
      breakGlass: false,
      afterAllocationEnded: false,
      child: finding.child.id,
      record: { kind: 'CHILD_MATCH', id: finding.child.id, version: null, owningAgencyId: null },
      disclosed: ['childId', 'matchedAttributes'],
      withheld: [],
      bases: [
        {
          class: SensitivityClass.IDENTITY_BASIC,
          rule: finding.agreed.some((attribute) => IDENTIFIER_ATTRIBUTES.has(attribute))
            ? MATCH_RULE.CORROBORATED
            : MATCH_RULE.CONFIDENT,
          lawfulBasis: MATCH_BASIS,
          agreement: null,
        },
      ],
      lookup,
    };
    await this.disclosure.write([body]);
  }

  /** Refuses, and logs the refusal, unless the caller's purpose allows matching. */
  requireMatchingPurpose(principal: Principal): void {
    const purpose = principal.requirePurpose();
    if (MATCHING_PURPOSES.has(purpose)) return;
    this.disclosure.noteConsultation(principal, {
      outcome: 'DENIED',
      childId: null,
      recordKind: null,
      recordId: null,
      lookup: `${MATCH_LOOKUP}: refused (purpose)`,
    });
    throw TandemError.forbidden(
      `Matching is for finding the child of a referral or involvement under way: purpose ${purpose} does not allow it`,
    );
  }

  /** Of these children, those whose contact restriction (C10) does not name the caller. */
  private async notContactRestricted(principal: Principal, childIds: readonly string[]): Promise<string[]> {
    const accesses = await Promise.all(childIds.map((id) => this.policy.childAccess(principal, id)));
    return childIds.filter((_, index) => accesses[index]?.contactRestricted === false);
  }

  /**
   * The candidates with only the PNC IDs and UPNs the caller may read of each (decided as the
   * child's `identifiers` are): one it may not is not compared, so neither the outcome nor the
   * attributes named tell whether the child has one (a PNC ID says there is a police record). The
   * NHS number is compared always: it is the consistent identifier matching exists to use (Health
   * and Social Care Act 2012 s251A), and every child has one.
   */
  private async readableIdentifiers(
    principal: Principal,
    description: ChildDescription,
    candidates: readonly FoundCandidate[],
  ): Promise<FoundCandidate[]> {
    const compares = (candidate: FoundCandidate) => (description.pncId && candidate.pncId) || (description.upn && candidate.upn);
    return Promise.all(
      candidates.map(async (candidate) => {
        if (!compares(candidate)) return candidate;
        const access = await this.policy.childAccess(principal, candidate.id);
        const attributes = this.policy.detailAttributes(principal, candidate.identifiersAgencyId, access);
        const stored = { nhsNumber: candidate.nhsNumber, pncId: candidate.pncId, upn: candidate.upn, withheld: [] };
        const { value } = await this.policy.project(principal, ChildIdentifiers, stored, attributes);
        return Object.assign({}, candidate, { pncId: value.pncId, upn: value.upn });
      }),
    );
  }

  /** The candidate's best result over its address history (or without a postcode when it has none). */
  private best(description: ChildDescription, child: MatchCandidate, postcodes: readonly string[]): MatchResult {
    let best: MatchResult | null = null;
    for (const postcode of postcodes.length > 0 ? postcodes : [null]) {
      const result = scoreMatch(description, describeChild(child, postcode), this.thresholds);
      if (!best || RANK[result.outcome] > RANK[best.outcome] || (result.outcome === best.outcome && result.score > best.score)) {
        best = result;
      }
    }
    // At least one postcode (or null) was scored.
    return best ?? scoreMatch(description, describeChild(child, null), this.thresholds);
  }
}

/** A description as the API takes it (matchChild, registerChild). */
export interface DescriptionInput extends IdentityInput {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly postcode?: string | null;
}

/** The input as the matcher reads it; an identifier that fails its check is refused, naming the field. */
export function describeInput(input: DescriptionInput): ChildDescription {
  const identity = checkedIdentity(input, 'input');
  return {
    givenNames: requireText(input.givenName, 'input.givenName'),
    familyName: requireText(input.familyName, 'input.familyName'),
    dateOfBirth: input.dateOfBirth,
    otherNames: identity.otherNames ?? [],
    sex: identity.sex ?? null,
    nhsNumber: identity.nhsNumber ?? null,
    pncId: identity.pncId ?? null,
    upn: identity.upn ?? null,
    postcode: input.postcode ?? null,
  };
}

/** Whether a confident match may be named to the caller: only under a purpose that allows matching. */
export function mayBeNamed(principal: Principal): boolean {
  return principal.statedPurpose !== null && MATCHING_PURPOSES.has(principal.statedPurpose);
}
