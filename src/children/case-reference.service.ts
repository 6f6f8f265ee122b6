import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { isUniqueViolation } from 'src/common/database/postgres-errors.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { londonToday } from 'src/common/time/london.js';
import { validateCaseReference } from 'src/identity/case-reference.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { Relationship, relationshipsOf } from 'src/policy/relationship.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { ChildMatchingService, MATCH_RULE } from 'src/children/child-matching.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService, isUuid, REGISTERING_ROLE } from 'src/children/children.service.js';
import type { Child } from 'src/children/models/child.model.js';
import type { LinkCaseReferenceInput } from 'src/children/models/child-identity.model.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { refuseSecondHomeYos } from 'src/children/home-yos.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';

/** What the log says the caller's case system was told of a child: nothing, a confident match, or one an identifier agreed with. */
type MatchSeen = 'NONE' | 'CONFIDENT' | 'CORROBORATED';

/** Log entries read at a time while looking for a match receipt. */
const MATCH_PAGE = 200;

/** How long a confident match lets its case system link the child: one working session. */
const LINK_AFTER_MATCH_MS = 24 * 60 * 60 * 1000;

/**
 * An agency attaches its own case-system reference to a child Tandem already holds, and records
 * its own involvement (never another agency's): how the second agency joins a child the first
 * registered, instead of registering a duplicate.
 */
@Injectable()
export class CaseReferenceService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ChildRepository) private readonly children: ChildRepository,
    @Inject(InvolvementRepository) private readonly involvements: InvolvementRepository,
    @Inject(ChildrenService) private readonly childrenService: ChildrenService,
    @Inject(ChildMatchingService) private readonly matching: ChildMatchingService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(ResponseLog) private readonly log: ResponseLog,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

  /**
   * The best CHILD_MATCH receipt of the child for this case system since `since`: none, a confident
   * match, or one a national identifier agreed with too (its rule says which).
   */
  private async confidentMatchDisclosed(match: { childId: string; caseSystemId: string; since: Date }): Promise<MatchSeen> {
    let beforeId: string | undefined;
    let seen: MatchSeen = 'NONE';
    for (;;) {
      const rows = await this.children.matchReceiptCandidates(match, MATCH_PAGE, beforeId);
      for (const receipt of await this.log.receiptsOf(rows)) {
        if (receipt.record?.kind !== 'CHILD_MATCH') continue;
        if (receipt.bases.some((basis) => basis.rule === MATCH_RULE.CORROBORATED)) return 'CORROBORATED';
        seen = 'CONFIDENT';
      }
      if (rows.length < MATCH_PAGE) return seen;
      beforeId = rows[rows.length - 1]?.id;
    }
  }

  /**
   * On a confident match alone the caller's agency links a child its own local authority already
   * works with (the other service of the same authority joining it). Any other child needs a match
   * a national identifier agreed with too: the link makes the caller involved, and a name and date
   * of birth are known to many. Else the child's authority refers it (referChild).
   */
  private async requireCorroborated(principal: Principal, childId: string, seen: MatchSeen): Promise<void> {
    if (seen === 'CORROBORATED') return;
    const own = principal.agency.localAuthorityId;
    for (const agencyId of await this.policy.involvedAgencyIds(childId)) {
      if (agencyId === principal.agency.id) return;
      if (own !== null && (await this.directory.agency(agencyId)).localAuthority?.id === own) return;
    }
    throw TandemError.forbidden(
      "No agency of your local authority works with this child: link it after a match on which its NHS number agreed (a PNC ID or UPN counts where you may read it), or ask the child's authority to refer the child to you",
    );
  }

  /**
   * Links only a child the caller's case system was told, in the last day, was a confident match
   * for its own description (matchChild, or registerChild's CONFLICT), or one the caller already
   * sees: an involvement opens access, so an id alone must not be enough. Anything else is
   * NOT_FOUND, as for a child that does not exist. The caller's purpose must allow matching.
   */
  async link(principal: Principal, input: LinkCaseReferenceInput): Promise<Child> {
    this.matching.requireMatchingPurpose(principal);
    const checked = validateCaseReference(input.reference);
    if (!checked.valid) throw TandemError.badInput(`Not a usable case reference (${checked.reason})`, 'input.reference');
    const role = REGISTERING_ROLE[principal.agency.kind];
    if (!role) throw TandemError.forbidden(`A ${principal.agency.kind} agency does not hold children in a case system`);
    const child = isUuid(input.childId) ? await this.children.findById(input.childId) : null;
    if (!child || child.mergedIntoId) throw TandemError.notFound('Child');
    const since = new Date(Date.now() - LINK_AFTER_MATCH_MS);
    const seen = await this.confidentMatchDisclosed({ childId: child.id, caseSystemId: principal.caseSystem.id, since });
    const matched = seen !== 'NONE';
    // The link opens the child to the caller through their agency's involvement: a role that sees a
    // child only when allocated would write it and still not see the child, so it is refused first.
    // (Asked only when needed: the answer is kept for the request, and the link changes it.)
    const throughInvolvement = relationshipsOf(principal.roles).includes(Relationship.INVOLVEMENT);
    if ((!matched || !throughInvolvement) && !(await this.policy.canSeeChild(principal, child.id, { forWrite: true }))) {
      if (!matched) throw TandemError.notFound('Child');
      throw TandemError.forbidden(
        'Your roles see a child only when allocated to it: your front door or case system links the reference',
      );
    }
    await this.requireCorroborated(principal, child.id, seen);
    try {
      // Under the child's lock (as every change of its involvements): two YOSes linking at once must
      // not both find no home YOS; and the lead professional is recomputed and told when it moves.
      await this.unitOfWork.run(principal, (work) =>
        this.responsibility.tracking(work, child.id, async () => {
          const { manager, altered } = work;
          if (await this.children.referenceTaken(manager, principal.caseSystem.id, checked.value)) {
            throw TandemError.conflict('That reference is already attached to a child from your case system', {
              field: 'input.reference',
            });
          }
          if (await this.children.hasReferenceIn(manager, child.id, principal.caseSystem.id)) {
            throw TandemError.conflict('Your case system already has a reference for this child');
          }
          const referenceId = await this.children.addReference(manager, {
            childId: child.id,
            caseSystemId: principal.caseSystem.id,
            value: checked.value,
          });
          altered({
            action: 'linkCaseReference',
            childId: child.id,
            kind: 'CASE_REFERENCE',
            id: referenceId,
            versionBefore: null,
            versionAfter: null,
            owningAgencyId: principal.agency.id,
          });
          // An agency involved already keeps the role it has (a host YOS stays the host).
          if ((await this.involvements.openRoles(manager, child.id, principal.agency.id)).length > 0) return;
          await refuseSecondHomeYos(this.involvements, manager, { childId: child.id, agencyId: principal.agency.id, role });
          const involvement = await this.involvements.insert(manager, {
            childId: child.id,
            agencyId: principal.agency.id,
            role,
            startDate: input.involvementStartDate ?? londonToday(),
          });
          altered({
            action: 'linkCaseReference',
            childId: child.id,
            kind: 'INVOLVEMENT',
            id: involvement.id,
            versionBefore: null,
            versionAfter: null,
            owningAgencyId: involvement.agencyId,
          });
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw TandemError.conflict('The reference or the involvement was recorded meanwhile');
      throw error;
    }
    return this.childrenService.get(principal, child.id);
  }
}
