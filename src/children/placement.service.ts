import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { brokenUniqueConstraint } from 'src/common/database/postgres-errors.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { MAX_LONG_TEXT, optionalText, requireNotBefore, requireText } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, PlacementStatus } from 'src/vocabulary/children.enums.js';
import { isUuid, ChildrenService } from 'src/children/children.service.js';
import { toPlacement } from 'src/children/children.mappers.js';
import { placementEvent } from 'src/children/children.events.js';
import type { Placement } from 'src/children/models/child.model.js';
import type { ConfirmPlacementChangeInput, RecordPlacementChangeInput } from 'src/children/models/child.inputs.js';
import type { CancelPlannedPlacementInput, CorrectPlannedPlacementInput } from 'src/children/models/placement.inputs.js';
import { PlacementRepository, type PlannedDetails } from 'src/children/repositories/placement.repository.js';
import { ReferralRepository } from 'src/children/repositories/referral.repository.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { EventType } from 'src/events/event-type.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { UnitOfWork, type Work } from 'src/events/unit-of-work.js';
import { londonToday } from 'src/common/time/london.js';

/** Placement changes, which children's social care records (DOMAIN §2.3). */
@Injectable()
export class PlacementService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
  ) {}

  async recordChange(principal: Principal, input: RecordPlacementChangeInput): Promise<Placement> {
    this.requireSocialCare(principal);
    await this.children.requireVisible(principal, input.childId);
    const area = await this.directory.localAuthorityByCode(input.areaLocalAuthority);
    if (!area) throw TandemError.badInput('Unknown local authority code', 'input.areaLocalAuthority');
    if (!input.plannedDate && !input.effectiveDate) {
      throw TandemError.badInput('Give the planned date, the effective date, or both', 'input.plannedDate');
    }
    requireMoveMade(input.effectiveDate);
    const details = {
      childId: input.childId,
      placementType: input.placementType,
      placementName: optionalText(input.placementName, 'input.placementName'),
      address: requireText(input.address, 'input.address'),
      postcode: optionalText(input.postcode, 'input.postcode', 16),
      areaLocalAuthorityId: area.id,
      reason: requireText(input.reason, 'input.reason', MAX_LONG_TEXT),
      plannedDate: input.plannedDate ?? null,
      recordedBy: principal.subject,
      recordedByAgencyId: principal.agency.id,
      endDate: null,
    };
    const action = 'recordPlacementChange';
    const saved = await this.changingCurrent(principal, async (work) => {
      const current = await this.placements.findCurrentForUpdate(work.manager, input.childId);
      // The agency that placed the child records its moves: another that came to be involved (a
      // host authority, one that linked its reference) does not move or end another's placement.
      if (current && current.recordedByAgencyId !== principal.agency.id) {
        throw TandemError.forbidden(
          "The child's current placement was recorded by another agency: only it records the child's moves",
        );
      }
      if (!input.effectiveDate) {
        const planned = await this.placements.insert(work.manager, {
          ...details,
          status: PlacementStatus.PLANNED,
          effectiveDate: null,
        });
        work.altered(alteration(action, planned, null, planned.version));
        work.emit(placementEvent(EventType.PLACEMENT_CHANGE_PLANNED, planned, null, false));
        return planned;
      }
      const effectiveDate = input.effectiveDate;
      if (current?.effectiveDate) requireNotBefore(effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.endCurrent(work, action, current, effectiveDate);
      const placement = await this.placements.insert(work.manager, {
        ...details,
        status: PlacementStatus.CURRENT,
        effectiveDate,
      });
      work.altered(alteration(action, placement, null, placement.version));
      work.emit(placementEvent(EventType.PLACEMENT_CHANGED, placement, current?.id ?? null, false));
      return placement;
    });
    return this.discloser.discloseWritten(principal, await toPlacement(saved, this.directory));
  }

  /**
   * A change that may make a placement current. Two at once for one child: the one that commits
   * second finds the first's placement in the way (one current placement a child) and is told
   * CONFLICT, to read the child's placements again, not that the gateway failed.
   */
  private async changingCurrent<T>(principal: Principal, change: (work: Work) => Promise<T>): Promise<T> {
    try {
      return await this.unitOfWork.run(principal, change);
    } catch (error) {
      if (brokenUniqueConstraint(error) === 'placement_one_current') {
        throw TandemError.conflict("Another change to the child's placement was recorded at the same time: read it again");
      }
      throw error;
    }
  }

  /** A planned move took effect: it becomes current and the previous placement ends that day. */
  async confirmChange(principal: Principal, input: ConfirmPlacementChangeInput): Promise<Placement> {
    this.requireSocialCare(principal);
    requireMoveMade(input.effectiveDate);
    // Visibility is checked before the transaction: its queries do not go through the transaction's
    // manager (on a one-connection database they would wait for it), and a placement's child never changes.
    const childId = isUuid(input.placementId) ? await this.placements.childOf(input.placementId) : null;
    if (!childId) throw TandemError.notFound('Placement');
    await this.children.requireVisible(principal, childId).catch(() => {
      throw TandemError.notFound('Placement');
    });
    const action = 'confirmPlacementChange';
    const saved = await this.changingCurrent(principal, async (work) => {
      const manager = work.manager;
      const planned = await this.placements.findForUpdate(manager, input.placementId);
      if (!planned) throw TandemError.notFound('Placement');
      if (planned.recordedByAgencyId !== principal.agency.id) {
        throw TandemError.forbidden('Only the agency that planned the move may confirm it');
      }
      if (planned.status !== PlacementStatus.PLANNED || planned.version !== input.expectedVersion) {
        throw TandemError.conflict('The placement was changed since you read it', {
          expectedVersion: input.expectedVersion,
          currentVersion: planned.version,
          status: planned.status,
        });
      }
      const current = await this.placements.findCurrentForUpdate(manager, planned.childId);
      if (current?.effectiveDate) requireNotBefore(input.effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.endCurrent(work, action, current, input.effectiveDate);
      await this.placements.makeCurrent(manager, planned.id, input.expectedVersion, input.effectiveDate);
      const confirmed = await this.placements.findById(manager, planned.id);
      if (!confirmed) throw TandemError.notFound('Placement');
      work.altered(alteration(action, confirmed, planned.version, confirmed.version));
      work.emit(placementEvent(EventType.PLACEMENT_CHANGED, confirmed, current?.id ?? null, true));
      return confirmed;
    });
    return this.asRead(principal, saved);
  }

  /**
   * A planned move is called off before it took effect; everyone told of the plan hears
   * (PLACEMENT_CHANGE_CANCELLED). Only the agency that planned it may.
   */
  async cancelPlanned(principal: Principal, input: CancelPlannedPlacementInput): Promise<Placement> {
    const reason = requireText(input.reason, 'input.reason', MAX_LONG_TEXT);
    await this.requirePlannedVisible(principal, input.placementId);
    const action = 'cancelPlannedPlacement';
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const planned = await this.plannedForChange(work, principal, input.placementId, input.expectedVersion);
      if (!(await this.placements.cancel(work.manager, planned.id, input.expectedVersion, reason)))
        throw stale(input.expectedVersion, planned);
      const cancelled = await this.placements.findById(work.manager, planned.id);
      if (!cancelled) throw TandemError.notFound('Placement');
      work.altered(alteration(action, cancelled, planned.version, cancelled.version));
      // The caretaking request the plan opened goes with it: nobody may take on a child who is not coming.
      await this.withdrawReferrals(work, action, cancelled.id, null);
      work.emit(placementEvent(EventType.PLACEMENT_CHANGE_CANCELLED, cancelled, null, false));
      return cancelled;
    });
    return this.asRead(principal, saved);
  }

  /**
   * A planned move is corrected (date, address, …) before it took effect. Everyone told of the
   * plan hears again: a PLACEMENT_CHANGE_PLANNED with the same placement id and a higher version
   * (and, out of borough, the host YOS of the corrected area). Only the agency that planned it may.
   */
  async correctPlanned(principal: Principal, input: CorrectPlannedPlacementInput): Promise<Placement> {
    const patch = await this.correction(input);
    await this.requirePlannedVisible(principal, input.placementId);
    const action = 'correctPlannedPlacement';
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const planned = await this.plannedForChange(work, principal, input.placementId, input.expectedVersion);
      if (!(await this.placements.correct(work.manager, planned.id, input.expectedVersion, patch)))
        throw stale(input.expectedVersion, planned);
      const corrected = await this.placements.findById(work.manager, planned.id);
      if (!corrected) throw TandemError.notFound('Placement');
      work.altered(alteration(action, corrected, planned.version, corrected.version));
      // A caretaking request to a host the move no longer goes to is withdrawn.
      await this.withdrawReferrals(work, action, corrected.id, corrected.areaLocalAuthorityId);
      work.emit(placementEvent(EventType.PLACEMENT_CHANGE_PLANNED, corrected, null, false));
      return corrected;
    });
    return this.asRead(principal, saved);
  }

  private async withdrawReferrals(work: Work, action: string, placementId: string, keepArea: string | null): Promise<void> {
    for (const referral of await this.referrals.withdrawOpenedByPlacement(work.manager, placementId, keepArea)) {
      work.altered({
        action,
        childId: referral.childId,
        kind: 'REFERRAL',
        id: referral.id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: referral.fromAgencyId,
      });
    }
  }

  /** What a correction changes, checked; at least one thing. */
  private async correction(input: CorrectPlannedPlacementInput): Promise<PlannedDetails> {
    const patch: PlannedDetails = {};
    if (input.plannedDate) patch.plannedDate = input.plannedDate;
    if (input.placementType) patch.placementType = input.placementType;
    if (input.placementName) patch.placementName = requireText(input.placementName, 'input.placementName');
    if (input.address) patch.address = requireText(input.address, 'input.address');
    if (input.postcode) patch.postcode = requireText(input.postcode, 'input.postcode', 16);
    if (input.reason) patch.reason = requireText(input.reason, 'input.reason', MAX_LONG_TEXT);
    if (input.areaLocalAuthority) {
      const area = await this.directory.localAuthorityByCode(input.areaLocalAuthority);
      if (!area) throw TandemError.badInput('Unknown local authority code', 'input.areaLocalAuthority');
      patch.areaLocalAuthorityId = area.id;
    }
    if (Object.keys(patch).length === 0) throw TandemError.badInput('Give at least one thing to correct', 'input');
    return patch;
  }

  /**
   * CSC, and a placement of a child the caller sees (else as if there were none). Checked before
   * the transaction, as in confirmChange: a placement's child never changes.
   */
  private async requirePlannedVisible(principal: Principal, placementId: string): Promise<void> {
    this.requireSocialCare(principal);
    // Like any change to child data, it needs a purpose: refused as such, not as a missing placement.
    principal.requirePurpose();
    const childId = isUuid(placementId) ? await this.placements.childOf(placementId) : null;
    if (!childId) throw TandemError.notFound('Placement');
    await this.children.requireVisible(principal, childId).catch(() => {
      throw TandemError.notFound('Placement');
    });
  }

  /** The planned placement, locked, if the caller's agency planned it and it is as the caller read it. */
  private async plannedForChange(
    work: Work,
    principal: Principal,
    placementId: string,
    expectedVersion: number,
  ): Promise<PlacementEntity> {
    const planned = await this.placements.findForUpdate(work.manager, placementId);
    if (!planned) throw TandemError.notFound('Placement');
    if (planned.recordedByAgencyId !== principal.agency.id) {
      throw TandemError.forbidden('Only the agency that planned the move may cancel or correct it');
    }
    if (planned.status !== PlacementStatus.PLANNED || planned.version !== expectedVersion) throw stale(expectedVersion, planned);
    return planned;
  }

  /** Ends the current placement (its version goes up) as part of the same change. */
  private async endCurrent(work: Work, action: string, current: PlacementEntity, endDate: string): Promise<void> {
    await this.placements.end(work.manager, current.id, endDate);
    work.altered(alteration(action, current, current.version, current.version + 1));
  }

  /**
   * A placement the caller changed without writing it whole (confirmed, cancelled, corrected), as
   * any read shows it: a contact restriction (C10) or another authority's ownership still applies
   * to what someone else wrote.
   */
  private async asRead(principal: Principal, saved: PlacementEntity): Promise<Placement> {
    const access = await this.policy.childAccess(principal, saved.childId);
    const value = await toPlacement(saved, this.directory);
    return this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, saved.recordedByAgencyId, access));
  }

  private requireSocialCare(principal: Principal): void {
    if (principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE) {
      throw TandemError.forbidden("Placement changes are recorded by children's social care");
    }
  }
}

function stale(expectedVersion: number, placement: PlacementEntity): TandemError {
  return TandemError.conflict('The placement was changed since you read it', {
    expectedVersion,
    currentVersion: placement.version,
    status: placement.status,
  });
}

function alteration(
  action: string,
  placement: PlacementEntity,
  versionBefore: number | null,
  versionAfter: number | null,
): Alteration {
  return {
    action,
    childId: placement.childId,
    kind: 'PLACEMENT',
    id: placement.id,
    versionBefore,
    versionAfter,
    owningAgencyId: placement.recordedByAgencyId,
  };
}

/**
 * A move is made current once it has happened (today or earlier, in London): one still to come is
 * a planned move (`plannedDate`), confirmed on the day, so that no one reads tomorrow's address as
 * where the child is now (002 §9.2).
 */
function requireMoveMade(effectiveDate: string | null | undefined): void {
  if (effectiveDate && effectiveDate > londonToday()) {
    throw TandemError.badInput(
      'A move is recorded as made once it has happened (today or earlier); plan a later one with plannedDate',
      'input.effectiveDate',
    );
  }
}
