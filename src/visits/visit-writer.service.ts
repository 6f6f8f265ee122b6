import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { londonToday } from 'src/common/time/london.js';
import { optionalText, requireNotBefore, requireText } from 'src/common/validation/text.js';
import { ChildrenService } from 'src/children/children.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { Relationship } from 'src/policy/relationship.js';
import { custodySince } from 'src/visits/custody.js';
import type { StoredVisitor } from 'src/visits/entities/visit.entity.js';
import type { RecordVisitInput, VisitorInput } from 'src/visits/models/visit.inputs.js';
import type { Visit } from 'src/visits/models/visit.model.js';
import { VisitRepository } from 'src/visits/repositories/visit.repository.js';
import { checkRecorder, checkVisitors, leadRoleOf, seenAloneOf, type VisitorFacts } from 'src/visits/visit-rules.js';
import { VISIT, visitRecorded } from 'src/visits/visits.events.js';
import { toVisit } from 'src/visits/visits.mappers.js';

const MAX_NOTES = 4000;
const MAX_ROLE = 100;
const MAX_OTHER_VISITORS = 10;

type Visitor = StoredVisitor & VisitorFacts;

/** Records visits to a child: who went, when, whether the child was seen alone (DOMAIN §3 visit duties, C17). */
@Injectable()
export class VisitWriter {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(VisitRepository) private readonly visits: VisitRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  async record(principal: Principal, input: RecordVisitInput): Promise<Visit> {
    // Refused as such before anything about the child or the input is said.
    principal.requirePurpose();
    checkRecorder(input.kind, principal.agency.kind);
    const presence = seenAloneOf(input.kind, input.seenAlone, input.refusedToBeSeenAlone);
    const location = optionalText(input.location, 'input.location');
    const notes = optionalText(input.notes, 'input.notes', MAX_NOTES);
    const today = londonToday();
    if (input.visitDate > today) throw TandemError.badInput(`A visit cannot be after today (${today})`, 'input.visitDate');
    const child = await this.children.get(principal, input.childId, { forWrite: true });
    requireNotBefore(input.visitDate, child.dateOfBirth, 'input.visitDate');
    await this.requireWriter(principal, child.id);
    const visitors = await this.visitorsOf(principal, input, child.id);
    const saved = await this.unitOfWork.run(principal, async ({ manager, altered, emit }) => {
      await this.visits.lockChild(manager, child.id);
      const since = custodySince(await this.visits.justiceEpisodes(manager, child.id), input.visitDate);
      const first = since !== null && !(await this.visits.anyBetween(manager, child.id, input.kind, since, input.visitDate));
      checkVisitors(input.kind, visitors, { first, custodySince: since });
      const visit = await this.visits.insert(manager, {
        childId: child.id,
        kind: input.kind,
        visitDate: input.visitDate,
        visitors: visitors.map(({ name, role, agencyId, lead }) => ({ name, role, agencyId, lead })),
        ...presence,
        location,
        notes,
        recordedBy: principal.subject,
        recordedByName: principal.name,
        recordedByAgencyId: principal.agency.id,
        recordedAt: new Date(),
      });
      altered({
        action: 'recordVisit',
        childId: visit.childId,
        kind: VISIT,
        id: visit.id,
        versionBefore: null,
        versionAfter: null,
        owningAgencyId: visit.recordedByAgencyId,
      });
      emit(
        visitRecorded({
          id: visit.id,
          childId: visit.childId,
          kind: visit.kind,
          visitDate: visit.visitDate,
          seenAlone: visit.seenAlone,
          refusedToBeSeenAlone: visit.refusedToBeSeenAlone,
          visitorAgencyIds: visitors.map((visitor) => visitor.agencyId),
          visitorRoles: visitors.map((visitor) => visitor.role),
          recordedByAgencyId: visit.recordedByAgencyId,
          first,
          custodySince: since,
        }),
      );
      return visit;
    });
    return this.discloser.discloseWritten(principal, await toVisit(saved, this.directory));
  }

  /**
   * As for records: staff allocated to the child, or the managers of their team. An allocation that
   * has ended lets its worker read for a while, never write.
   */
  private async requireWriter(principal: Principal, childId: string): Promise<void> {
    const { relationship, allocationEnded } = await this.policy.childAccess(principal, childId);
    const allocated = relationship.includes(Relationship.ALLOCATED) && !allocationEnded;
    if (!allocated && !relationship.includes(Relationship.TEAM)) {
      throw TandemError.forbidden('Only staff allocated to the child (or their team managers) record its visits');
    }
  }

  /** The lead visitor (the caller unless named) and those who came with them. */
  private async visitorsOf(principal: Principal, input: RecordVisitInput, childId: string): Promise<Visitor[]> {
    const others = input.otherVisitors ?? [];
    if (others.length > MAX_OTHER_VISITORS) {
      throw TandemError.badInput(`At most ${MAX_OTHER_VISITORS} other visitors`, 'input.otherVisitors');
    }
    const lead: Visitor = input.leadVisitor
      ? await this.visitor(principal, input.leadVisitor, 'input.leadVisitor', true)
      : {
          name: principal.name,
          role: leadRoleOf(
            input.kind,
            await this.visits.openAllocationRoles(childId, { subject: principal.subject, agencyId: principal.agency.id }),
            principal.roles[0] ?? 'UNKNOWN',
          ),
          agencyId: principal.agency.id,
          agencyKind: principal.agency.kind,
          lead: true,
        };
    const rest = await Promise.all(
      others.map((other, index) => this.visitor(principal, other, `input.otherVisitors.${index}`, false)),
    );
    return [lead, ...rest];
  }

  private async visitor(principal: Principal, input: VisitorInput, field: string, lead: boolean): Promise<Visitor> {
    const name = requireText(input.name, `${field}.name`);
    const role = requireText(input.role, `${field}.role`, MAX_ROLE);
    const code = optionalText(input.agencyCode, `${field}.agencyCode`);
    const agency = code ? await this.directory.agencyByCode(code) : principal.agency;
    if (!agency) throw TandemError.badInput('Unknown agency code', `${field}.agencyCode`);
    return { name, role, agencyId: agency.id, agencyKind: agency.kind, lead };
  }
}
