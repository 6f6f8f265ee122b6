import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import type { ChildRestrictionEntity } from 'src/policy-api/child-restriction.entity.js';
import type { ChildRestriction, EndRestrictionInput, RecordRestrictionInput } from 'src/policy-api/restriction.model.js';
import { RestrictionRepository } from 'src/policy-api/restriction.repository.js';
import { RestrictionKind } from 'src/vocabulary/restriction-kind.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';

/** Recording and ending the restrictions the policy enforces (C3, C10). */
@Injectable()
export class RestrictionsService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RestrictionRepository) private readonly restrictions: RestrictionRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  async record(principal: Principal, input: RecordRestrictionInput): Promise<ChildRestriction> {
    await this.children.requireVisible(principal, input.childId);
    const details = requireText(input.details, 'input.details');
    let restrictedAgencyId: string | null = null;
    if (input.kind === RestrictionKind.CONTACT_RESTRICTION) {
      if (!input.restrictedSubject && !input.restrictedAgencyCode) {
        throw TandemError.badInput('A contact restriction names the user or agency it is against', 'input.restrictedSubject');
      }
      if (input.restrictedAgencyCode) {
        const agency = await this.directory.agencyByCode(input.restrictedAgencyCode);
        if (!agency) throw TandemError.badInput('Unknown agency code', 'input.restrictedAgencyCode');
        restrictedAgencyId = agency.id;
      }
    }
    const saved = await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      const restriction = await this.restrictions.insert(manager, {
        childId: input.childId,
        kind: input.kind,
        restrictedSubject: input.kind === RestrictionKind.CONTACT_RESTRICTION ? (input.restrictedSubject ?? null) : null,
        restrictedAgencyId,
        details,
        startedAt: new Date(),
        recordedBy: principal.subject,
        recordedByAgencyId: principal.agency.id,
      });
      altered(alterationOf('recordRestriction', restriction));
      return restriction;
    });
    return this.toModel(saved);
  }

  async end(principal: Principal, input: EndRestrictionInput): Promise<ChildRestriction> {
    const found = isUuid(input.id) ? await this.restrictions.findById(input.id) : null;
    if (!found) throw TandemError.notFound('Restriction');
    await this.children.requireVisible(principal, found.childId).catch(() => {
      throw TandemError.notFound('Restriction');
    });
    // A restriction protects what the recording agency knows (its investigation, its order): no other agency lifts it.
    if (found.recordedByAgencyId !== principal.agency.id) {
      throw TandemError.forbidden('Only the agency that recorded a restriction may end it');
    }
    // Nor the person it names, whatever their roles there: they would lift what hides the child from them (C10).
    if (found.restrictedSubject !== null && found.restrictedSubject === principal.subject) {
      throw TandemError.forbidden('A restriction that names you is ended by someone else of the agency that recorded it');
    }
    await this.unitOfWork.run(principal, async ({ manager, altered }) => {
      if (!(await this.restrictions.end(manager, found.id, new Date()))) {
        throw TandemError.conflict('The restriction has already ended');
      }
      altered(alterationOf('endRestriction', found));
    });
    const ended = await this.restrictions.findById(found.id);
    return this.toModel(ended ?? found);
  }

  private async toModel(row: ChildRestrictionEntity): Promise<ChildRestriction> {
    return {
      id: row.id,
      childId: row.childId,
      kind: row.kind,
      restrictedSubject: row.restrictedSubject,
      restrictedAgency: row.restrictedAgencyId ? await this.directory.agency(row.restrictedAgencyId) : null,
      details: row.details,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      recordedBy: row.recordedBy,
    };
  }
}

function alterationOf(action: string, row: ChildRestrictionEntity): Alteration {
  return {
    action,
    childId: row.childId,
    kind: 'RESTRICTION',
    id: row.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: row.recordedByAgencyId,
  };
}
