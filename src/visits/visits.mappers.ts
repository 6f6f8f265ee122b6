import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { type Described, describe } from 'src/policy/disclosed.js';
import type { VisitEntity } from 'src/visits/entities/visit.entity.js';
import { Visit } from 'src/visits/models/visit.model.js';
import { VISIT } from 'src/visits/visits.events.js';

/** A visit as the policy decides it: owned by the agency that recorded it, like a placement. */
export async function toVisit(entity: VisitEntity, directory: AgencyDirectory): Promise<Described<Visit>> {
  return describe<Visit>(
    {
      id: entity.id,
      withheld: [],
      kind: entity.kind,
      visitDate: entity.visitDate,
      visitors: await Promise.all(
        entity.visitors.map(async (visitor) => ({
          name: visitor.name,
          role: visitor.role,
          agency: await directory.agency(visitor.agencyId),
          lead: visitor.lead,
        })),
      ),
      seenAlone: entity.seenAlone,
      refusedToBeSeenAlone: entity.refusedToBeSeenAlone,
      location: entity.location,
      notes: entity.notes,
      recordedBy: entity.recordedBy,
      recordedByName: entity.recordedByName,
      recordedByAgency: await directory.agency(entity.recordedByAgencyId),
      recordedAt: entity.recordedAt,
    },
    {
      kind: VISIT,
      id: entity.id,
      childId: entity.childId,
      version: null,
      owningAgencyId: entity.recordedByAgencyId,
      model: Visit,
    },
  );
}
