import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { MAX_LONG_TEXT, optionalText, requireNotBefore, requireText } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/children/agency-directory.service.js';
import { AgencyKind, PlacementStatus } from 'src/children/children.enums.js';
import { isUuid, ChildrenService } from 'src/children/children.service.js';
import { toPlacement } from 'src/children/children.mappers.js';
import type { Placement } from 'src/children/models/child.model.js';
import type { ConfirmPlacementChangeInput, RecordPlacementChangeInput } from 'src/children/models/child.inputs.js';
import { PlacementRepository } from 'src/children/repositories/placement.repository.js';

/** Placement changes, which children's social care records (DOMAIN §2.3). */
@Injectable()
export class PlacementService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
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
    const saved = await this.dataSource.transaction(async (manager) => {
      if (!input.effectiveDate) {
        return this.placements.insert(manager, { ...details, status: PlacementStatus.PLANNED, effectiveDate: null });
      }
      const effectiveDate = input.effectiveDate;
      const current = await this.placements.findCurrentForUpdate(manager, input.childId);
      if (current?.effectiveDate) requireNotBefore(effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.placements.end(manager, current.id, effectiveDate);
      return this.placements.insert(manager, { ...details, status: PlacementStatus.CURRENT, effectiveDate });
    });
    return toPlacement(saved, this.directory);
  }

  /** A planned move took effect: it becomes current and the previous placement ends that day. */
  async confirmChange(principal: Principal, input: ConfirmPlacementChangeInput): Promise<Placement> {
    this.requireSocialCare(principal);
    const saved = await this.dataSource.transaction(async (manager) => {
      const planned = isUuid(input.placementId) ? await this.placements.findForUpdate(manager, input.placementId) : null;
      if (!planned) throw TandemError.notFound('Placement');
      await this.children.requireVisible(principal, planned.childId).catch(() => {
        throw TandemError.notFound('Placement');
      });
      if (planned.status !== PlacementStatus.PLANNED || planned.version !== input.expectedVersion) {
        throw TandemError.conflict('The placement was changed since you read it', {
          expectedVersion: input.expectedVersion,
          currentVersion: planned.version,
          status: planned.status,
        });
      }
      const current = await this.placements.findCurrentForUpdate(manager, planned.childId);
      if (current?.effectiveDate) requireNotBefore(input.effectiveDate, current.effectiveDate, 'input.effectiveDate');
      if (current) await this.placements.end(manager, current.id, input.effectiveDate);
      await this.placements.makeCurrent(manager, planned.id, input.expectedVersion, input.effectiveDate);
      const confirmed = await this.placements.findById(manager, planned.id);
      if (!confirmed) throw TandemError.notFound('Placement');
      return confirmed;
    });
    return toPlacement(saved, this.directory);
  }

  private requireSocialCare(principal: Principal): void {
    if (principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE) {
      throw TandemError.forbidden("Placement changes are recorded by children's social care");
    }
  }
}
