import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { Clock } from 'src/common/clock/clock.js';
import { ErrorCode, TandemError } from 'src/common/errors/tandem-error.js';
import { BREAK_GLASS_CLOSED_CHILD_FIELDS } from 'src/policy/emergency-access.js';
import { requireText } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import type { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { recordTransition } from 'src/obligations/duty-ledger.js';
import { Obligation } from 'src/obligations/obligation.model.js';
import { type ObligationFilter, ObligationRepository } from 'src/obligations/obligation.repository.js';
import { LIVE_STATES, ObligationState } from 'src/obligations/obligation-state.js';
import { describe } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';

const LIMIT = 200;
const MANAGERS: readonly Role[] = [Role.YOS_MANAGER, Role.CSC_TEAM_MANAGER, Role.HEAD_OF_SERVICE];

/**
 * The duties as people read them: a child's (as the policy lets the caller see them), the caller's
 * own worklist, their team's queue, and their agency's overdue ones for managers; and a manager's
 * waiver with a reason. Each duty is disclosed field by field with its owning agency as owner.
 */
@Injectable()
export class ObligationsService {
  constructor(
    @Inject(ObligationRepository) private readonly repository: ObligationRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * A child's duties: reached through the child, so only as the caller's policy shows them (no
   * DUTY-OWNER); none under break-glass, whose narrow read they are not part of.
   */
  async forChild(principal: Principal, childId: string, states: readonly ObligationState[] | null): Promise<Obligation[]> {
    if (BREAK_GLASS_CLOSED_CHILD_FIELDS.has('obligations') && (await this.discloser.childGrant(principal, childId)).breakGlass)
      return [];
    const rows = await this.repository.list({ childId, states: states ?? undefined }, LIMIT, undefined);
    return this.visible(principal, rows, { toOwner: false });
  }

  /** The caller's own duties (they are the allocated worker who owns them). */
  async mine(principal: Principal, states: readonly ObligationState[] | null): Promise<Obligation[]> {
    principal.requirePurpose();
    return this.visible(principal, await this.own(principal, { ownerSubject: principal.subject }, states), { toOwner: true });
  }

  /**
   * The duties in the caller's team queue: their practitioner record's team, and the directory team
   * it stands for (a front door's duties name the agency's front-door team by its code).
   */
  async team(principal: Principal, states: readonly ObligationState[] | null): Promise<Obligation[]> {
    principal.requirePurpose();
    const practitioner = await this.dataSource
      .getRepository(PractitionerEntity)
      .findOne({ where: { subject: principal.subject, agencyId: principal.agency.id }, relations: { directoryTeam: true } });
    const named = [practitioner?.team, practitioner?.directoryTeam?.code];
    const teams = new Set(named.filter((team): team is string => typeof team === 'string' && team.length > 0));
    const found = new Map<string, ObligationEntity>();
    for (const team of teams) {
      for (const row of await this.own(principal, { ownerTeam: team }, states)) found.set(row.id, row);
    }
    const rows = [...found.values()]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, LIMIT);
    return this.visible(principal, rows, { toOwner: true });
  }

  /** A manager's view of every overdue duty their agency owns. */
  async overdue(principal: Principal): Promise<Obligation[]> {
    principal.requirePurpose();
    if (!principal.roles.some((role) => MANAGERS.includes(role))) {
      throw TandemError.forbidden('The agency’s overdue duties are for its managers');
    }
    const rows = await this.own(principal, {}, [ObligationState.OVERDUE, ObligationState.ESCALATED]);
    return this.visible(principal, rows, { toOwner: true });
  }

  /**
   * A manager of the owning agency waives a duty, with a reason (it then no longer runs). One who
   * cannot see the child may, for a duty their agency owns (DUTY-OWNER): the duty is theirs to
   * manage; anyone else who cannot see the child is refused as if it did not exist.
   */
  async waive(principal: Principal, obligationId: string, reasonText: string): Promise<Obligation> {
    principal.requirePurpose();
    const reason = requireText(reasonText, 'input.reason');
    const found = isUuid(obligationId) ? await this.repository.findById(obligationId) : null;
    if (!found) throw TandemError.notFound('Obligation');
    const ownerOnly =
      !(await this.policy.canSeeChild(principal, found.childId, { forWrite: false })) &&
      (await this.discloser.ownsDuty(principal, found));
    // A duty of a child the caller may not see answers as one that does not exist.
    if (!ownerOnly)
      await this.children.requireVisible(principal, found.childId).catch((error: unknown) => {
        throw error instanceof TandemError && error.code === ErrorCode.NOT_FOUND ? TandemError.notFound('Obligation') : error;
      });
    if (found.ownerAgencyId !== principal.agency.id || !principal.roles.some((role) => MANAGERS.includes(role))) {
      throw TandemError.forbidden('Only a manager of the agency that owns a duty waives it');
    }
    await this.unitOfWork.run(principal, async (work) => {
      const [row] = (await this.repository.liveForChild(work.manager, found.childId)).filter((live) => live.id === found.id);
      if (!row) throw TandemError.conflict('The duty is no longer open');
      const from = row.state;
      const now = this.clock.now();
      row.state = ObligationState.WAIVED;
      row.closedAt = now;
      row.closedBy = principal.subject;
      row.closedReason = reason;
      row.nextCheckAt = null;
      await recordTransition(this.repository, work, row, from, now, principal.subject, `waived: ${reason}`);
    });
    const [waived] = await this.visible(principal, [await this.reread(found.id)], { toOwner: true });
    if (!waived) throw TandemError.notFound('Obligation');
    return waived;
  }

  private own(principal: Principal, filter: ObligationFilter, states: readonly ObligationState[] | null) {
    return this.repository.list(
      { ...filter, ownerAgencyId: principal.agency.id, states: states ?? LIVE_STATES },
      LIMIT,
      undefined,
    );
  }

  private async reread(id: string): Promise<ObligationEntity> {
    const row = await this.repository.findById(id);
    if (!row) throw TandemError.notFound('Obligation');
    return row;
  }

  /**
   * The duties of children the caller may see, each as the policy lets them see it; with `toOwner`,
   * also those of other children whose owning agency's queue the caller works (DUTY-OWNER: the duty
   * alone). The rest are left out.
   */
  private async visible(
    principal: Principal,
    rows: readonly ObligationEntity[],
    options: { readonly toOwner: boolean },
  ): Promise<Obligation[]> {
    const history = await this.repository.history(rows.map((row) => row.id));
    const result: Obligation[] = [];
    for (const row of rows) {
      const seen = await this.policy.canSeeChild(principal, row.childId, { forWrite: false });
      if (!seen && !options.toOwner) continue;
      const value = describe<Obligation>(
        {
          id: row.id,
          childId: row.childId,
          definitionId: row.definitionId,
          title: row.title,
          citation: row.citation,
          policy: row.policy,
          state: row.state,
          dueAt: row.dueAt,
          dueExplanation: row.dueExplanation,
          triggerType: row.triggerType,
          triggerDate: row.triggerDate,
          ownerAgency: await this.directory.agency(row.ownerAgencyId),
          ownerName: row.ownerName,
          ownerTeam: row.ownerTeam,
          escalationLevel: row.escalationLevel,
          closedReason: row.closedReason,
          history: history
            .filter((entry) => entry.obligationId === row.id)
            .map((entry) => ({ from: entry.fromState, to: entry.toState, at: entry.at, by: entry.by, reason: entry.reason })),
          withheld: [],
        },
        {
          kind: 'OBLIGATION',
          id: row.id,
          childId: row.childId,
          version: row.version,
          owningAgencyId: row.ownerAgencyId,
          model: Obligation,
        },
      );
      if (seen) {
        const access = await this.policy.childAccess(principal, row.childId);
        result.push(
          await this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, row.ownerAgencyId, access)),
        );
      } else {
        const owned = await this.discloser.discloseToDutyOwner(principal, value, row);
        if (owned) result.push(owned);
      }
    }
    return result;
  }
}
