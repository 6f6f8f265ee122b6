import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { MAX_LONG_TEXT, optionalText, requireNotBefore, requireText } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, PlacementStatus } from 'src/vocabulary/children.enums.js';
import { isUuid, ChildrenService } from 'src/children/children.service.js';
import { toPlacement } from 'src/children/children.mappers.js';
import type { Placement } from 'src/children/models/child.model.js';
import type { ConfirmPlacementChangeInput, RecordPlacementChangeInput } from 'src/children/models/child.inputs.js';
import { PlacementRepository } from 'src/children/repositories/placement.repository.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { EventType } from 'src/events/event-type.js';
import { OutboxService } from 'src/events/outbox.service.js';
import { londonToday } from 'src/common/time/london.js';

/** Placement changes, which children's social care records (DOMAIN §2.3). */
@Injectable()
export class PlacementService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(OutboxService) private readonly outbox: OutboxService,
  ) {}

  async recordChange(principal: Principal, input: RecordPlacementChangeInput): Promise<Placement> {
    this.requireSocialCare(principal);
    await this.children.requireVisible(principal, input.childId);
    const area = await this.directory.localAuthorityByCode(input.areaLocalAuthority);
    if (!area) throw TandemError.badInput('Unknown local authority code', 'input.areaLocalAuthority');
    if (!input.plannedDate && !input.effectiveDate) {
      throw TandemError.badInput('Give the planned date, the effective date, or both', 'input.plannedDate');
    }
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
    const saved = await this.dataSource.transaction(async (manager) => {
      if (!input.effectiveDate) {
        const planned = await this.placements.insert(manager, {
          ...details,
          status: PlacementStatus.PLANNED,
          effectiveDate: null,
        });
        await this.logAlteration(manager, principal, action, planned, null, planned.version);
        await this.raise(manager, principal, EventType.PLACEMENT_CHANGE_PLANNED, planned, null, false);
        return planned;
      }
      const effectiveDate = input.effectiveDate;
      const current = await this.placements.findCurrentForUpdate(manager, input.childId);
      if (current?.effectiveDate) requireNotBefore(effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.endCurrent(manager, principal, action, current, effectiveDate);
      const placement = await this.placements.insert(manager, { ...details, status: PlacementStatus.CURRENT, effectiveDate });
      await this.logAlteration(manager, principal, action, placement, null, placement.version);
      await this.raise(manager, principal, EventType.PLACEMENT_CHANGED, placement, current?.id ?? null, false);
      return placement;
    });
    return toPlacement(saved, this.directory);
  }

  /** A planned move took effect: it becomes current and the previous placement ends that day. */
  async confirmChange(principal: Principal, input: ConfirmPlacementChangeInput): Promise<Placement> {
    this.requireSocialCare(principal);
    // Visibility is checked before the transaction: its queries do not go through the transaction's
    // manager (on a one-connection database they would wait for it), and a placement's child never changes.
    const childId = isUuid(input.placementId) ? await this.placements.childOf(input.placementId) : null;
    if (!childId) throw TandemError.notFound('Placement');
    await this.children.requireVisible(principal, childId).catch(() => {
      throw TandemError.notFound('Placement');
    });
    const action = 'confirmPlacementChange';
    const saved = await this.dataSource.transaction(async (manager) => {
      const planned = await this.placements.findForUpdate(manager, input.placementId);
      if (!planned) throw TandemError.notFound('Placement');
      if (planned.status !== PlacementStatus.PLANNED || planned.version !== input.expectedVersion) {
        throw TandemError.conflict('The placement was changed since you read it', {
          expectedVersion: input.expectedVersion,
          currentVersion: planned.version,
          status: planned.status,
        });
      }
      const current = await this.placements.findCurrentForUpdate(manager, planned.childId);
      if (current?.effectiveDate) requireNotBefore(input.effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.endCurrent(manager, principal, action, current, input.effectiveDate);
      await this.placements.makeCurrent(manager, planned.id, input.expectedVersion, input.effectiveDate);
      const confirmed = await this.placements.findById(manager, planned.id);
      if (!confirmed) throw TandemError.notFound('Placement');
      await this.logAlteration(manager, principal, action, confirmed, planned.version, confirmed.version);
      await this.raise(manager, principal, EventType.PLACEMENT_CHANGED, confirmed, current?.id ?? null, true);
      return confirmed;
    });
    return toPlacement(saved, this.directory);
  }

  /** Ends the current placement (its version goes up) and logs that as part of the same change. */
  private async endCurrent(
    manager: EntityManager,
    principal: Principal,
    action: string,
    current: PlacementEntity,
    endDate: string,
  ): Promise<void> {
    await this.placements.end(manager, current.id, endDate);
    await this.logAlteration(manager, principal, action, current, current.version, current.version + 1);
  }

  private logAlteration(
    manager: EntityManager,
    principal: Principal,
    action: string,
    placement: PlacementEntity,
    versionBefore: number | null,
    versionAfter: number | null,
  ): Promise<void> {
    return this.disclosure.recordAlteration(manager, principal, {
      action,
      childId: placement.childId,
      kind: 'PLACEMENT',
      id: placement.id,
      versionBefore,
      versionAfter,
      owningAgencyId: placement.recordedByAgencyId,
    });
  }

  /**
   * The placement-change event, with the placement as committed. A move recorded after the day it
   * was planned for or took effect is late: the YOS must hear in advance (002 §9.2). Confirming a
   * move planned earlier is not: the YOS heard of it when it was planned.
   */
  private async raise(
    manager: EntityManager,
    principal: Principal,
    type: EventType,
    placement: PlacementEntity,
    previousPlacementId: string | null,
    toldInAdvance: boolean,
  ): Promise<void> {
    const today = londonToday();
    const moveDate = placement.effectiveDate ?? placement.plannedDate;
    const late = !toldInAdvance && moveDate !== null && moveDate < today;
    await this.outbox.record(manager, principal, {
      type,
      childId: placement.childId,
      subjectKind: 'PLACEMENT',
      subjectId: placement.id,
      subjectVersion: placement.version,
      facts: {
        placement: {
          id: placement.id,
          childId: placement.childId,
          status: placement.status,
          placementType: placement.placementType,
          placementName: placement.placementName,
          address: placement.address,
          postcode: placement.postcode,
          areaLocalAuthorityId: placement.areaLocalAuthorityId,
          reason: placement.reason,
          plannedDate: placement.plannedDate,
          effectiveDate: placement.effectiveDate,
          endDate: placement.endDate,
          recordedBy: placement.recordedBy,
          recordedByAgencyId: placement.recordedByAgencyId,
          createdAt: placement.createdAt.toISOString(),
          version: placement.version,
        },
        previousPlacementId,
        late,
        recordedOn: today,
      },
    });
  }

  private requireSocialCare(principal: Principal): void {
    if (principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE) {
      throw TandemError.forbidden("Placement changes are recorded by children's social care");
    }
  }
}
