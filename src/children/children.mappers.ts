import type { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import type { ChildEntity } from 'src/children/entities/child.entity.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';
import type { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import type { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';
import {
  type AgencyInvolvement,
  Child,
  LegalStatusEpisode,
  Placement,
  type WorkerAllocation,
} from 'src/children/models/child.model.js';
import { type Described, describe } from 'src/policy/disclosed.js';
import { ChildIdentifiers } from 'src/children/models/child-identity.model.js';

/** The child's own columns; related data resolves through loaders. */
export function toChild(entity: ChildEntity): Described<Child> {
  return describe(
    {
      id: entity.id,
      givenName: entity.givenName,
      familyName: entity.familyName,
      dateOfBirth: entity.dateOfBirth,
      sex: entity.sex,
      otherNames: entity.otherNames.map((name) => ({ givenNames: name.givenNames, familyName: name.familyName })),
      version: entity.version,
    } as Child,
    { kind: 'CHILD', id: entity.id, childId: entity.id, version: entity.version, owningAgencyId: null, model: Child },
  );
}

/** The child's national identifiers, decided field by field like a placement, owned by the agency that recorded them. */
export function toIdentifiers(entity: ChildEntity): Described<ChildIdentifiers> {
  return describe<ChildIdentifiers>(
    { nhsNumber: entity.nhsNumber, pncId: entity.pncId, upn: entity.upn, withheld: [] },
    {
      kind: 'CHILD_IDENTIFIERS',
      id: entity.id,
      childId: entity.id,
      version: entity.version,
      owningAgencyId: entity.identifiersAgencyId,
      model: ChildIdentifiers,
    },
  );
}

export async function toLegalStatus(
  entity: LegalStatusEpisodeEntity,
  directory: AgencyDirectory,
): Promise<Described<LegalStatusEpisode>> {
  const facts = {
    kind: 'LEGAL_STATUS',
    id: entity.id,
    childId: entity.childId,
    version: null,
    owningAgencyId: entity.recordedByAgencyId,
    model: LegalStatusEpisode,
  };
  return describe<LegalStatusEpisode>(
    {
      id: entity.id,
      withheld: [],
      dimension: entity.dimension,
      basis: entity.basis,
      outcome: entity.outcome,
      court: entity.court,
      hearingDate: entity.hearingDate,
      nextHearingDate: entity.nextHearingDate,
      conditions: entity.conditions,
      placeOfDetention: entity.placeOfDetentionAgencyId ? await directory.agency(entity.placeOfDetentionAgencyId) : null,
      expectedReleaseDate: entity.expectedReleaseDate,
      requirements: entity.requirements,
      assetPlusReference: entity.assetPlusReference,
      startDate: entity.startDate,
      endDate: entity.endDate,
      sourceEvent: entity.sourceEvent,
      recordedBy: entity.recordedBy,
      recordedByAgency: await directory.agency(entity.recordedByAgencyId),
      recordedAt: entity.recordedAt,
    },
    facts,
  );
}

export async function toPlacement(entity: PlacementEntity, directory: AgencyDirectory): Promise<Described<Placement>> {
  const facts = {
    kind: 'PLACEMENT',
    id: entity.id,
    childId: entity.childId,
    version: entity.version,
    owningAgencyId: entity.recordedByAgencyId,
    model: Placement,
  };
  return describe<Placement>(
    {
      id: entity.id,
      withheld: [],
      status: entity.status,
      placementType: entity.placementType,
      placementName: entity.placementName,
      address: entity.address,
      postcode: entity.postcode,
      area: await directory.localAuthority(entity.areaLocalAuthorityId),
      reason: entity.reason,
      plannedDate: entity.plannedDate,
      effectiveDate: entity.effectiveDate,
      endDate: entity.endDate,
      recordedBy: entity.recordedBy,
      recordedByAgency: await directory.agency(entity.recordedByAgencyId),
      recordedAt: entity.createdAt,
      version: entity.version,
    },
    facts,
  );
}

export async function toInvolvement(entity: AgencyInvolvementEntity, directory: AgencyDirectory): Promise<AgencyInvolvement> {
  return {
    id: entity.id,
    agency: await directory.agency(entity.agencyId),
    role: entity.role,
    startDate: entity.startDate,
    endDate: entity.endDate,
  };
}

export async function toAllocation(
  entity: WorkerAllocationEntity & { practitioner: PractitionerEntity },
  directory: AgencyDirectory,
): Promise<WorkerAllocation> {
  return {
    id: entity.id,
    practitioner: {
      displayName: entity.practitioner.displayName,
      team: entity.practitioner.team,
      agency: await directory.agency(entity.practitioner.agencyId),
      ...(await directory.practitionerContact(entity.practitioner)),
    },
    role: entity.role,
    startDate: entity.startDate,
    endDate: entity.endDate,
  };
}
