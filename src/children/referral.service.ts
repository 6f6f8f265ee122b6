import { CONTACT_RESTRICTION, LOCATING_ROLES } from 'src/policy/contact-restriction.js';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { isUniqueViolation } from 'src/common/database/postgres-errors.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { shapedCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import type { ChildEntity } from 'src/children/entities/child.entity.js';
import type { ChildReferralEntity } from 'src/children/entities/child-referral.entity.js';
import {
  type AcceptReferralInput,
  ChildReferral,
  type DeclineReferralInput,
  type ReferChildInput,
} from 'src/children/models/referral.model.js';
import { INVOLVED_AGENCIES } from 'src/children/involved-agencies.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { ReferralRepository } from 'src/children/repositories/referral.repository.js';
import { type Described, describe } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { ReferralPolicy, ruleOf } from 'src/policy/referral-policy.js';
import { ReferralStatus } from 'src/vocabulary/referral-status.js';
import { refuseSecondHomeYos } from 'src/children/home-yos.js';

/**
 * Referrals: an agency asks another to become involved with a child, and only the other makes
 * itself involved, by accepting. What the request tells the receiving agency is what the referral
 * clause of a sharing agreement allows, and every change is receipted through the unit of work.
 */
@Injectable()
export class ReferralService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(InvolvementRepository) private readonly involvements: InvolvementRepository,
    @Inject(ChildRepository) private readonly children: ChildRepository,
    @Inject(ChildrenService) private readonly childrenService: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(ReferralPolicy) private readonly referralPolicy: ReferralPolicy,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

  async refer(principal: Principal, input: ReferChildInput): Promise<ChildReferral> {
    await this.childrenService.requireVisible(principal, input.childId);
    const agency = await this.directory.agencyByCode(input.agencyCode);
    if (!agency) throw TandemError.badInput('Unknown agency code', 'input.agencyCode');
    if (agency.id === principal.agency.id) {
      throw TandemError.badInput('Your agency records its own involvement with recordInvolvement', 'input.agencyCode');
    }
    if (!INVOLVED_AGENCIES[input.role].includes(agency.kind)) {
      throw TandemError.badInput(`A ${agency.kind} agency cannot be involved as ${input.role}`, 'input.role');
    }
    // C10: whether the child is already held or hosted there would answer where the child is, so a
    // party a contact restriction names is refused such a referral whatever the answer would be.
    const { contactRestricted } = await this.policy.childAccess(principal, input.childId);
    if (contactRestricted && LOCATING_ROLES.has(input.role)) {
      throw TandemError.forbidden(
        `${CONTACT_RESTRICTION.reason} (${CONTACT_RESTRICTION.rule}): you may not refer the child as ${input.role}`,
      );
    }
    const terms = this.referralPolicy.forReferring(principal, agency.code, input.role);
    if (!terms) {
      throw TandemError.forbidden(
        `No sharing agreement in force lets ${principal.roles.join('/')} at ${principal.agency.code} refer a child to ${agency.code} as ${input.role}`,
      );
    }
    try {
      const saved = await this.unitOfWork.run(principal, async ({ manager, altered }) => {
        if (await this.involvements.findOpen(manager, input.childId, agency.id, input.role)) {
          throw TandemError.conflict('That agency is already involved in that role');
        }
        const referral = await this.referrals.insert(manager, {
          childId: input.childId,
          fromAgencyId: principal.agency.id,
          toAgencyId: agency.id,
          role: input.role,
          clause: ruleOf(terms),
          referredBy: principal.subject,
          referredByName: principal.name,
        });
        altered(referralAltered('referChild', referral));
        return referral;
      });
      return await this.one(principal, saved);
    } catch (error) {
      if (isUniqueViolation(error)) throw TandemError.conflict('That agency has already been asked, and has not yet answered');
      throw error;
    }
  }

  /** The receiving agency accepts: it becomes involved in the role asked, in the same change. */
  async accept(principal: Principal, input: AcceptReferralInput): Promise<ChildReferral> {
    const referral = await this.forDecision(principal, input.referralId);
    try {
      // Accepting makes the agency involved: an input of the lead professional (recomputed, and told when it moves).
      await this.unitOfWork.run(principal, (work) =>
        this.responsibility.tracking(work, referral.childId, async () => {
          const { manager, altered } = work;
          await refuseSecondHomeYos(this.involvements, manager, {
            childId: referral.childId,
            agencyId: principal.agency.id,
            role: referral.role,
          });
          const involvement = await this.involvements.insert(manager, {
            childId: referral.childId,
            agencyId: principal.agency.id,
            role: referral.role,
            startDate: input.startDate,
          });
          const decided = await this.referrals.decide(manager, referral.id, {
            status: ReferralStatus.ACCEPTED,
            decidedBy: principal.subject,
            decidedByName: principal.name,
            involvementId: involvement.id,
          });
          if (!decided) throw TandemError.conflict('The referral has already been answered');
          altered({
            action: 'acceptReferral',
            childId: involvement.childId,
            kind: 'INVOLVEMENT',
            id: involvement.id,
            versionBefore: null,
            versionAfter: null,
            owningAgencyId: involvement.agencyId,
          });
          altered(referralAltered('acceptReferral', referral));
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw TandemError.conflict('Your agency is already involved in that role');
      throw error;
    }
    return this.reread(principal, referral.id);
  }

  async decline(principal: Principal, input: DeclineReferralInput): Promise<ChildReferral> {
    const referral = await this.forDecision(principal, input.referralId);
    await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      const decided = await this.referrals.decide(manager, referral.id, {
        status: ReferralStatus.DECLINED,
        decidedBy: principal.subject,
        decidedByName: principal.name,
        involvementId: null,
      });
      if (!decided) throw TandemError.conflict('The referral has already been answered');
      altered(referralAltered('declineReferral', referral));
    });
    return this.reread(principal, referral.id);
  }

  /** Referrals made to the caller's agency (if their roles decide them) and by it (if their roles make them). */
  async list(
    principal: Principal,
    status: ReferralStatus | null,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<ChildReferral>> {
    principal.requirePurpose();
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.referrals.page(
      principal.agency.id,
      this.referralPolicy.directions(principal),
      status,
      size + 1,
      after ? shapedCursor(after, { id: 'uuid', sortKey: 'instant' }) : undefined,
    );
    const children = new Map((await this.children.findByIds([...new Set(rows.map((row) => row.childId))])).map((c) => [c.id, c]));
    const page = toPage(rows, size, (row) => encodeCursor(row.createdAt.toISOString(), row.id));
    return {
      pageInfo: page.pageInfo,
      edges: await Promise.all(
        page.edges.map(async (edge) => ({
          cursor: edge.cursor,
          node: await this.disclosed(principal, edge.node, children.get(edge.node.childId) ?? null),
        })),
      ),
    };
  }

  /** A referral to the caller's agency that their roles may decide, still pending; NOT_FOUND for anyone else's. */
  private async forDecision(principal: Principal, referralId: string): Promise<ChildReferralEntity> {
    // The answer shows the referred child: like any read of child data, it needs a purpose.
    principal.requirePurpose();
    const referral = isUuid(referralId) ? await this.referrals.findById(referralId) : null;
    if (!referral || referral.toAgencyId !== principal.agency.id) throw TandemError.notFound('Referral');
    const from = await this.directory.agency(referral.fromAgencyId);
    const terms = this.referralPolicy.forReferral(principal, from.code, referral.role, referral.clause);
    if (!terms || !this.referralPolicy.mayDecide(principal, terms)) {
      throw TandemError.forbidden('Only the roles the referral clause names accept or decline a referral');
    }
    if (referral.status !== ReferralStatus.PENDING) throw TandemError.conflict('The referral has already been answered');
    return referral;
  }

  private async reread(principal: Principal, id: string): Promise<ChildReferral> {
    const referral = await this.referrals.findById(id);
    if (!referral) throw TandemError.notFound('Referral');
    return this.one(principal, referral);
  }

  private async one(principal: Principal, referral: ChildReferralEntity): Promise<ChildReferral> {
    return this.disclosed(principal, referral, await this.children.findById(referral.childId));
  }

  /**
   * The referral as the caller may see it: the receiving agency only what the referral clause
   * discloses; the referring agency as it sees the child's details.
   */
  private async disclosed(
    principal: Principal,
    referral: ChildReferralEntity,
    child: ChildEntity | null,
  ): Promise<ChildReferral> {
    const value = await this.described(referral, child);
    if (referral.toAgencyId === principal.agency.id) {
      const from = await this.directory.agency(referral.fromAgencyId);
      return this.discloser.discloseReferral(
        value,
        this.referralPolicy.forReferral(principal, from.code, referral.role, referral.clause),
      );
    }
    const access = await this.policy.childAccess(principal, referral.childId);
    return this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, referral.fromAgencyId, access));
  }

  private async described(referral: ChildReferralEntity, child: ChildEntity | null): Promise<Described<ChildReferral>> {
    const [fromAgency, toAgency] = await Promise.all([
      this.directory.agency(referral.fromAgencyId),
      this.directory.agency(referral.toAgencyId),
    ]);
    return describe<ChildReferral>(
      {
        id: referral.id,
        childId: referral.childId,
        givenName: child?.givenName ?? null,
        familyName: child?.familyName ?? null,
        dateOfBirth: child?.dateOfBirth ?? null,
        fromAgency,
        toAgency,
        role: referral.role,
        status: referral.status,
        clause: referral.clause,
        referredBy: referral.referredByName,
        referredAt: referral.createdAt,
        decidedBy: referral.decidedByName,
        decidedAt: referral.decidedAt,
        involvementId: referral.involvementId,
        openedByEventId: referral.openedByEventId,
        withheld: [],
      },
      {
        kind: 'REFERRAL',
        id: referral.id,
        childId: referral.childId,
        version: null,
        owningAgencyId: referral.fromAgencyId,
        model: ChildReferral,
      },
    );
  }
}

function referralAltered(action: string, referral: ChildReferralEntity): Alteration {
  return {
    action,
    childId: referral.childId,
    kind: 'REFERRAL',
    id: referral.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: referral.fromAgencyId,
  };
}
