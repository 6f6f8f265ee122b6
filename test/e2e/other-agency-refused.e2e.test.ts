import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';

/**
 * Every protected operation, called by an agency of another authority (Islington CSC's team
 * manager, who holds every CSC permission) about a Derby child: each must answer as if the child,
 * record or relationship did not exist, and change nothing.
 */
let t: TestApp;
const ids = { placement: '', allocation: '', involvement: '' };

beforeAll(async () => {
  t = await startTestApp();
  const own = await t.gql<{
    child: { currentPlacement: { id: string }; allocations: { id: string }[]; involvements: { id: string }[] };
  }>('tara.nolan', `{ child(id: "${JORDAN.id}") { currentPlacement { id } allocations { id } involvements { id } } }`);
  const child = own.body.data?.child;
  ids.placement = child?.currentPlacement.id ?? '';
  ids.allocation = child?.allocations[0]?.id ?? '';
  ids.involvement = child?.involvements[0]?.id ?? '';
});
afterAll(() => t.close());

const OUTSIDER = 'ayesha.malik';

const operations: [string, string, () => Record<string, unknown>][] = [
  ['child', `query($id: ID!) { child(id: $id) { id } }`, () => ({ id: JORDAN.id })],
  [
    'childByCaseReference',
    `query { childByCaseReference(reference: "LL-204518", caseSystem: "derby-csc-liquidlogic") { id } }`,
    () => ({}),
  ],
  ['record', `query($id: ID!) { record(id: $id) { id } }`, () => ({ id: recordOf(JORDAN, RecordKind.CARE_PLAN) })],
  [
    'updateChildDetails',
    `mutation($id: ID!) { updateChildDetails(input: { childId: $id, expectedVersion: 1, givenName: "X" }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'recordPlacementChange',
    `mutation($id: ID!) { recordPlacementChange(input: { childId: $id, placementType: FOSTER_CARE, address: "1 High St", areaLocalAuthority: "derby", reason: "x", plannedDate: "2026-12-01" }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'confirmPlacementChange',
    `mutation($id: ID!) { confirmPlacementChange(input: { placementId: $id, expectedVersion: 1, effectiveDate: "2026-12-01" }) { id } }`,
    () => ({ id: ids.placement }),
  ],
  [
    'recordLegalStatus',
    `mutation($id: ID!) { recordLegalStatus(input: { childId: $id, basis: S31_CARE_ORDER, startDate: "2026-12-01" }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'allocateWorker',
    `mutation($id: ID!) { allocateWorker(input: { childId: $id, practitionerSubject: "ben.carter", practitionerName: "Ben Carter", role: SOCIAL_WORKER, startDate: "2026-12-01" }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'endAllocation',
    `mutation($id: ID!) { endAllocation(input: { id: $id, endDate: "2026-12-01" }) { id } }`,
    () => ({ id: ids.allocation }),
  ],
  [
    'recordInvolvement',
    `mutation($id: ID!) { recordInvolvement(input: { childId: $id, agencyCode: "islington-csc", role: CSC, startDate: "2026-12-01" }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'endInvolvement',
    `mutation($id: ID!) { endInvolvement(input: { id: $id, endDate: "2026-12-01" }) { id } }`,
    () => ({ id: ids.involvement }),
  ],
  [
    'createRecord',
    `mutation($id: ID!) { createRecord(input: { childId: $id, content: { carePlan: { summary: "x" } } }) { id } }`,
    () => ({ id: JORDAN.id }),
  ],
  [
    'updateRecord',
    `mutation($id: ID!) { updateRecord(input: { recordId: $id, expectedVersion: 2, content: { carePlan: { summary: "x" } } }) { id } }`,
    () => ({ id: recordOf(JORDAN, RecordKind.CARE_PLAN) }),
  ],
];

describe('another authority is refused every operation on a child it has no involvement with', () => {
  it('found the ids it needs', () => {
    expect(Object.values(ids).every(Boolean)).toBe(true);
  });

  it.each(operations)('%s answers NOT_FOUND and no data', async (_name, query, variables) => {
    const response = await t.gql(OUTSIDER, query, variables());
    expect(codes(response)).toEqual(['NOT_FOUND']);
    expect(Object.values(response.body.data ?? {}).every((value) => value === null)).toBe(true);
  });

  it.each(operations)('%s without a token answers UNAUTHENTICATED', async (_name, query, variables) => {
    const response = await t.gql(null, query, variables());
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('changed nothing', async () => {
    const response = await t.gql<{ child: Record<string, unknown> }>(
      'tara.nolan',
      `{ child(id: "${JORDAN.id}") { givenName version legalStatus { basis } placements { edges { node { status } } } allocations { id } involvements { id } records { edges { node { id } } } } }`,
    );
    expect(response.body.data?.child).toMatchObject({
      givenName: 'Jordan',
      version: 1,
      legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' },
    });
    expect(response.body.data?.child.allocations).toHaveLength(JORDAN.allocations.length);
    expect(response.body.data?.child.involvements).toHaveLength(JORDAN.involvements.length);
    expect((response.body.data?.child.records as { edges: unknown[] }).edges).toHaveLength(JORDAN.records.length);
  });
});
