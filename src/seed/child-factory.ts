import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';
import { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';
import { validateContent } from 'src/records/content/content-validation.js';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import type { DemoChild } from 'src/seed/demo-children.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, DEMO_LOCAL_AUTHORITIES, demoUser } from 'src/seed/demo-directory.js';
import { AllocationRole, dimensionOf, InvolvementRole, LegalDimension } from 'src/vocabulary/children.enums.js';

/**
 * Children as the demo seed and the tests make them: a child is described once (a `DemoChild`:
 * names, references, involvements, allocations, legal status, placements, records, by the demo
 * directory's codes and users) and inserted with every row it implies. `aChild()` gives a fresh
 * child with sensible defaults for a test to adjust.
 */

/** A stable UUID derived from a parent id and a position, so a second run inserts nothing new. */
export function derivedId(parent: string, kind: number, index: number): string {
  const hex = createHash('sha256').update(`${parent}/${kind}/${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Inserts the rows whose ids are not there yet; returns how many were new. */
export async function insertMissing<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await manager.createQueryBuilder().insert().into(target).values(rows).orIgnore().execute();
  return result.identifiers.filter((identifier) => identifier !== undefined).length;
}

const agencyId = new Map<string, string>(DEMO_AGENCIES.map((agency) => [agency.code, agency.id]));
const caseSystemId = new Map(DEMO_CASE_SYSTEMS.map((system) => [system.code, system.id]));
const authorityId = new Map<string, string>(DEMO_LOCAL_AUTHORITIES.map((authority) => [authority.code, authority.id]));

function required<V>(map: Map<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demo data refers to unknown ${key}`);
  return value;
}

function userOf(subject: string) {
  const found = demoUser(subject);
  if (!found) throw new Error(`Demo data refers to unknown user ${subject}`);
  return found;
}

/** Inserts a child and every row it describes (rows already there are left alone). */
export async function insertChild(manager: EntityManager, child: DemoChild): Promise<void> {
  await insertMissing(manager, ChildEntity, [
    {
      id: child.id,
      givenName: child.givenName,
      familyName: child.familyName,
      dateOfBirth: child.dateOfBirth,
      version: 1,
    } as ChildEntity,
  ]);
  await insertMissing(
    manager,
    ChildIdentifierEntity,
    child.references.map(
      (reference, index) =>
        ({
          id: derivedId(child.id, 1, index),
          childId: child.id,
          caseSystemId: required(caseSystemId, reference.caseSystem),
          value: reference.value,
        }) as ChildIdentifierEntity,
    ),
  );
  await insertMissing(
    manager,
    AgencyInvolvementEntity,
    child.involvements.map(
      (involvement, index) =>
        ({
          id: derivedId(child.id, 2, index),
          childId: child.id,
          agencyId: required(agencyId, involvement.agency),
          role: involvement.role,
          startDate: involvement.startDate,
          endDate: involvement.endDate ?? null,
        }) as AgencyInvolvementEntity,
    ),
  );
  await insertMissing(
    manager,
    WorkerAllocationEntity,
    child.allocations.map((allocation, index) => {
      const person = userOf(allocation.user);
      return {
        id: derivedId(child.id, 3, index),
        childId: child.id,
        practitionerId: person.id,
        agencyId: required(agencyId, person.agency),
        role: allocation.role,
        startDate: allocation.startDate,
        endDate: null,
      } as WorkerAllocationEntity;
    }),
  );
  await insertMissing(
    manager,
    LegalStatusEpisodeEntity,
    child.legalStatus.map((episode, index) => {
      const person = userOf(episode.by);
      return {
        id: derivedId(child.id, 4, index),
        childId: child.id,
        dimension: dimensionOf(episode.basis) ?? LegalDimension.CARE,
        basis: episode.basis,
        outcome: null,
        court: null,
        hearingDate: null,
        nextHearingDate: null,
        conditions: null,
        placeOfDetentionAgencyId: null,
        expectedReleaseDate: null,
        requirements: [],
        assetPlusReference: null,
        startDate: episode.startDate,
        endDate: episode.endDate ?? null,
        sourceEvent: episode.sourceEvent,
        recordedBy: person.name,
        recordedByAgencyId: required(agencyId, person.agency),
        recordedAt: new Date(),
      } satisfies Omit<LegalStatusEpisodeEntity, 'child' | 'recordedByAgency'>;
    }),
  );
  await insertMissing(
    manager,
    PlacementEntity,
    child.placements.map((placement, index) => {
      const person = userOf(placement.by);
      return {
        id: derivedId(child.id, 5, index),
        childId: child.id,
        status: placement.status,
        placementType: placement.type,
        placementName: placement.name,
        address: placement.address,
        postcode: placement.postcode,
        areaLocalAuthorityId: required(authorityId, placement.area),
        reason: placement.reason,
        plannedDate: placement.plannedDate ?? null,
        effectiveDate: placement.effectiveDate ?? null,
        endDate: placement.endDate ?? null,
        recordedBy: person.name,
        recordedByAgencyId: required(agencyId, person.agency),
        version: 1,
      } as PlacementEntity;
    }),
  );
  for (const record of child.records) {
    const author = userOf(record.author);
    await insertMissing(manager, SharedRecordEntity, [
      {
        id: record.id,
        childId: child.id,
        kind: record.kind,
        owningAgencyId: required(agencyId, record.owner),
        currentVersion: record.versions.length,
      } as SharedRecordEntity,
    ]);
    await insertMissing(
      manager,
      SharedRecordVersionEntity,
      record.versions.map(
        (content, index) =>
          ({
            recordId: record.id,
            version: index + 1,
            content: validateContent(RECORD_CONTENTS[record.kind].content, content, `demo.${record.id}`),
            authorSubject: author.subject,
            authorName: author.name,
            authorAgencyId: required(agencyId, author.agency),
            authorCaseSystem: author.caseSystem,
          }) as SharedRecordVersionEntity,
      ),
    );
  }
}

let made = 0;

/**
 * A new child known to the Derby YOS (home YOS, Dana Hughes its case manager) and to nobody else,
 * with a fresh id and case reference; `overrides` replaces any part.
 */
export function aChild(overrides: Partial<DemoChild> = {}): DemoChild {
  made += 1;
  const id = randomUUID();
  return {
    id,
    givenName: 'Test',
    familyName: `Child ${made}`,
    dateOfBirth: '2011-05-20',
    references: [{ caseSystem: 'derby-yos-childview', value: `CV-T${id.slice(0, 8)}` }],
    involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' }],
    allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
    legalStatus: [],
    placements: [],
    records: [],
    ...overrides,
  };
}
