import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { optionalText, requireNotBefore, requireText } from 'src/common/validation/text.js';
import { isUniqueViolation } from 'src/common/database/postgres-errors.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { AgencyKind, AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import { toAllocation, toInvolvement } from 'src/children/children.mappers.js';
import type { AgencyInvolvement, WorkerAllocation } from 'src/children/models/child.model.js';
import type { AllocateWorkerInput, EndRelationshipInput, RecordInvolvementInput } from 'src/children/models/child.inputs.js';
import { AllocationRepository } from 'src/children/repositories/allocation.repository.js';
import { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { allocationEvent } from 'src/children/children.events.js';
import type { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import type { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { INVOLVED_AGENCIES } from 'src/children/involved-agencies.js';
import { refuseSecondHomeYos } from 'src/children/home-yos.js';

/** Which kinds of agency employ practitioners in each allocation role. */
const ALLOCATING_AGENCIES: Readonly<Record<AllocationRole, readonly AgencyKind[]>> = {
  YOS_CASE_MANAGER: [AgencyKind.YOUTH_JUSTICE],
  SOCIAL_WORKER: [AgencyKind.CHILDRENS_SOCIAL_CARE],
  PERSONAL_ADVISER: [AgencyKind.LEAVING_CARE, AgencyKind.CHILDRENS_SOCIAL_CARE],
  INDEPENDENT_REVIEWING_OFFICER: [AgencyKind.CHILDRENS_SOCIAL_CARE],
  TEAM_MANAGER: [AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.YOUTH_JUSTICE, AgencyKind.LEAVING_CARE],
  VISITING_REPRESENTATIVE: [AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.LEAVING_CARE],
  PROBATION_OFFICER: [AgencyKind.PROBATION],
};

/** Worker allocations and agency involvements: the relationships through which children are seen. */
@Injectable()
export class RelationshipService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(AllocationRepository) private readonly allocations: AllocationRepository,
    @Inject(InvolvementRepository) private readonly involvements: InvolvementRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
  ) {}

  /** Allocates one of the caller's agency's practitioners. */
  async allocate(principal: Principal, input: AllocateWorkerInput): Promise<WorkerAllocation> {
    await this.children.requireVisible(principal, input.childId);
    if (input.role === AllocationRole.VISITING_REPRESENTATIVE && principal.agency.kind === AgencyKind.YOUTH_JUSTICE) {
      throw TandemError.forbidden("C17: a YOS worker cannot be the local authority's visiting representative (001 §7.5)");
    }
    if (!ALLOCATING_AGENCIES[input.role].includes(principal.agency.kind)) {
      throw TandemError.badInput(`A ${principal.agency.kind} agency does not allocate ${input.role}`, 'input.role');
    }
    const subject = requireText(input.practitionerSubject, 'input.practitionerSubject');
    const displayName = requireText(input.practitionerName, 'input.practitionerName');
    const team = optionalText(input.team, 'input.team');
    try {
      const id = await this.unitOfWork.run(principal, (work) =>
        this.responsibility.tracking(work, input.childId, async () => {
          const { manager, altered, emit } = work;
          const existing = await this.allocations.findPractitionerBySubject(manager, subject);
          if (
            existing &&
            input.role === AllocationRole.VISITING_REPRESENTATIVE &&
            (await this.directory.agency(existing.agencyId)).kind === AgencyKind.YOUTH_JUSTICE
          ) {
            throw TandemError.forbidden("C17: a YOS worker cannot be the local authority's visiting representative (001 §7.5)");
          }
          if (existing && existing.agencyId !== principal.agency.id) {
            throw TandemError.badInput('That practitioner belongs to another agency', 'input.practitionerSubject');
          }
          const practitioner = await this.allocations.upsertPractitioner(manager, {
            subject,
            displayName,
            team,
            agencyId: principal.agency.id,
          });
          const allocation = await this.allocations.insert(manager, {
            childId: input.childId,
            practitionerId: practitioner.id,
            agencyId: principal.agency.id,
            role: input.role,
            startDate: input.startDate,
          });
          altered(allocationAltered('allocateWorker', allocation));
          emit(
            allocationEvent(allocation.childId, {
              id: allocation.id,
              change: 'ALLOCATED',
              agencyId: principal.agency.id,
              practitionerName: displayName,
              team,
              role: input.role,
              startDate: input.startDate,
              endDate: null,
            }),
          );
          return allocation.id;
        }),
      );
      return await this.allocation(id);
    } catch (error) {
      if (isUniqueViolation(error)) throw TandemError.conflict('That practitioner is already allocated in that role');
      throw error;
    }
  }

  /** Ends an allocation of the caller's own agency. */
  async endAllocation(principal: Principal, input: EndRelationshipInput): Promise<WorkerAllocation> {
    const allocation = isUuid(input.id) ? await this.allocations.findById(input.id) : null;
    if (!allocation || allocation.agencyId !== principal.agency.id) throw TandemError.notFound('Allocation');
    await this.children.requireVisible(principal, allocation.childId);
    if (allocation.endDate !== null) throw TandemError.conflict('The allocation has already ended');
    requireNotBefore(input.endDate, allocation.startDate, 'input.endDate');
    await this.unitOfWork.run(principal, (work) =>
      this.responsibility.tracking(work, allocation.childId, async () => {
        const { manager, altered, emit } = work;
        if (!(await this.allocations.end(manager, allocation.id, input.endDate))) {
          throw TandemError.conflict('The allocation has already ended');
        }
        altered(allocationAltered('endAllocation', allocation));
        const practitioner = await this.allocations.practitionerOf(manager, allocation.practitionerId);
        emit(
          allocationEvent(allocation.childId, {
            id: allocation.id,
            change: 'ENDED',
            agencyId: principal.agency.id,
            practitionerName: practitioner?.displayName ?? null,
            team: practitioner?.team ?? null,
            role: allocation.role,
            startDate: allocation.startDate,
            endDate: input.endDate,
          }),
        );
      }),
    );
    return this.allocation(allocation.id);
  }

  /**
   * An agency records its own involvement only. Making another agency involved would give it sight
   * of the child and its notifications: that is a referral (referChild), which the other accepts.
   */
  async recordInvolvement(principal: Principal, input: RecordInvolvementInput): Promise<AgencyInvolvement> {
    await this.children.requireVisible(principal, input.childId);
    const agency = await this.directory.agencyByCode(input.agencyCode);
    if (!agency) throw TandemError.badInput('Unknown agency code', 'input.agencyCode');
    if (agency.id !== principal.agency.id) {
      throw TandemError.forbidden(
        'An agency records only its own involvement; ask another agency to become involved with referChild',
      );
    }
    if (!INVOLVED_AGENCIES[input.role].includes(agency.kind)) {
      throw TandemError.badInput(`A ${agency.kind} agency cannot be involved as ${input.role}`, 'input.role');
    }
    try {
      const saved = await this.unitOfWork.run(principal, (work) =>
        this.responsibility.tracking(work, input.childId, async () => {
          const { manager, altered } = work;
          await refuseSecondHomeYos(this.involvements, manager, {
            childId: input.childId,
            agencyId: agency.id,
            role: input.role,
          });
          const involvement = await this.involvements.insert(manager, {
            childId: input.childId,
            agencyId: agency.id,
            role: input.role,
            startDate: input.startDate,
          });
          altered(involvementAltered('recordInvolvement', involvement));
          return involvement;
        }),
      );
      return await toInvolvement(saved, this.directory);
    } catch (error) {
      if (isUniqueViolation(error)) throw TandemError.conflict('That agency is already involved in that role');
      throw error;
    }
  }

  /** An agency ends its own involvement; the home YOS may also end a host YOS's caretaking. */
  async endInvolvement(principal: Principal, input: EndRelationshipInput): Promise<AgencyInvolvement> {
    const involvement = isUuid(input.id) ? await this.involvements.findById(input.id) : null;
    if (!involvement) throw TandemError.notFound('Involvement');
    await this.children.requireVisible(principal, involvement.childId).catch(() => {
      throw TandemError.notFound('Involvement');
    });
    const own = involvement.agencyId === principal.agency.id;
    const homeOfHost =
      !own &&
      involvement.role === InvolvementRole.YOS_HOST &&
      (await this.involvements.isOpen(involvement.childId, principal.agency.id, InvolvementRole.YOS_HOME));
    const refusal = () =>
      TandemError.forbidden('Only the involved agency (or the home YOS, for a host YOS) may end an involvement');
    if (!own && !homeOfHost) throw refusal();
    if (involvement.endDate !== null) throw TandemError.conflict('The involvement has already ended');
    requireNotBefore(input.endDate, involvement.startDate, 'input.endDate');
    await this.unitOfWork.run(principal, (work) =>
      this.responsibility.tracking(work, involvement.childId, async () => {
        const { manager, altered } = work;
        // The home YOS is still the home YOS when the host's involvement ends (it may be ending its own now).
        if (
          homeOfHost &&
          !(await this.involvements.holdOpen(manager, involvement.childId, principal.agency.id, InvolvementRole.YOS_HOME))
        ) {
          throw refusal();
        }
        if (!(await this.involvements.end(manager, involvement.id, input.endDate))) {
          throw TandemError.conflict('The involvement has already ended');
        }
        altered(involvementAltered('endInvolvement', involvement));
      }),
    );
    const ended = await this.involvements.findById(involvement.id);
    if (!ended) throw TandemError.notFound('Involvement');
    return toInvolvement(ended, this.directory);
  }

  private async allocation(id: string): Promise<WorkerAllocation> {
    const saved = await this.allocations.findById(id);
    if (!saved) throw TandemError.notFound('Allocation');
    return toAllocation(saved, this.directory);
  }
}

/** Allocations and involvements are not versioned: their alterations carry no versions. */
function allocationAltered(action: string, allocation: WorkerAllocationEntity): Alteration {
  return {
    action,
    childId: allocation.childId,
    kind: 'ALLOCATION',
    id: allocation.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: allocation.agencyId,
  };
}

function involvementAltered(action: string, involvement: AgencyInvolvementEntity): Alteration {
  return {
    action,
    childId: involvement.childId,
    kind: 'INVOLVEMENT',
    id: involvement.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: involvement.agencyId,
  };
}
