import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CHILD = `query($id: ID!) { child(id: $id) { id givenName familyName version
  legalStatus { basis } currentPlacement { placementName area { code } }
  involvements { role agency { code } } allocations { role practitioner { displayName } }
  caseReferences { caseSystem { code } value } } }`;

describe('reading a child', () => {
  it('lets a YOS case system look a child up by its own case-system id and read legal status, placements and workers', async () => {
    const response = await t.gql<{ childByCaseReference: Record<string, unknown> }>(
      'dana.hughes',
      `{ childByCaseReference(reference: "CV-88231") { id givenName legalStatus { basis } legalStatusHistory { basis endDate }
         currentPlacement { placementType placementName } placements(first: 5) { edges { node { status } } pageInfo { hasNextPage } }
         involvements { role agency { code } } allocations { role practitioner { displayName } } } }`,
    );
    expect(response.body.errors).toBeUndefined();
    const child = response.body.data?.childByCaseReference;
    expect(child).toMatchObject({
      id: JORDAN.id,
      givenName: 'Jordan',
      legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' },
      currentPlacement: { placementType: 'YOUNG_OFFENDER_INSTITUTION' },
    });
    expect(child?.legalStatusHistory).toHaveLength(2);
    expect(child?.allocations).toContainEqual({ role: 'SOCIAL_WORKER', practitioner: { displayName: 'Sam Okafor' } });
  });

  it('lets CSC resolve the same child through another case system by naming it', async () => {
    const response = await t.gql<{ childByCaseReference: { id: string } }>(
      'sam.okafor',
      '{ childByCaseReference(reference: "CV-88231", caseSystem: "derby-yos-childview") { id } }',
    );
    expect(response.body.data?.childByCaseReference.id).toBe(JORDAN.id);
  });

  it('reports a child of another authority exactly as one that does not exist', async () => {
    const other = await t.gql('ben.carter', CHILD, { id: JORDAN.id });
    const missing = await t.gql('ben.carter', CHILD, { id: '00000000-0000-4000-9000-0000000000ff' });
    expect(codes(other)).toEqual(['NOT_FOUND']);
    const strip = (body: typeof other.body) => ({
      ...body,
      errors: body.errors?.map((e) => ({ ...e, extensions: { code: e.extensions.code } })),
    });
    expect(strip(other.body)).toEqual(strip(missing.body));
  });

  it('gives a host YOS the child placed in its area, and not a child of the same authority it is not involved with', async () => {
    const kayla = await t.gql('dana.hughes', CHILD, { id: KAYLA.id });
    expect(kayla.body.errors).toBeUndefined();
    const byOtherService = await t.gql('paul.adeyemi', CHILD, { id: JORDAN.id });
    expect(codes(byOtherService)).toEqual(['NOT_FOUND']);
  });

  it('pages through the children an agency is involved with', async () => {
    const first = await t.gql<{
      children: { edges: { node: { familyName: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>('dana.hughes', '{ children(first: 2) { edges { node { familyName } } pageInfo { hasNextPage endCursor } } }');
    const page = first.body.data?.children;
    expect(page?.edges.map((edge) => edge.node.familyName)).toEqual(['Osei', 'Pryce']);
    expect(page?.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql<{ children: { edges: { node: { familyName: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      'dana.hughes',
      'query($after: String) { children(first: 2, after: $after) { edges { node { familyName } } pageInfo { hasNextPage } } }',
      { after: page?.pageInfo.endCursor },
    );
    expect(second.body.data?.children.edges.map((edge) => edge.node.familyName)).toEqual(['Walsh']);
    expect(second.body.data?.children.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page size out of range and a forged cursor with BAD_USER_INPUT naming the argument', async () => {
    const tooMany = await t.gql('dana.hughes', '{ children(first: 1000) { edges { cursor } } }');
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await t.gql('dana.hughes', '{ children(after: "not-a-cursor") { edges { cursor } } }');
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('changing a child', () => {
  it("registers a child under the caller's reference and refuses the same reference twice", async () => {
    const mutation = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id caseReferences { value } involvements { role } } }`;
    const input = { caseReference: 'CV-99001', givenName: 'Ava', familyName: 'Brook', dateOfBirth: '2011-05-01' };
    const created = await t.gql<{ registerChild: { involvements: { role: string }[] } }>('dana.hughes', mutation, { input });
    expect(created.body.data?.registerChild.involvements).toEqual([{ role: 'YOS_HOME' }]);
    const again = await t.gql('dana.hughes', mutation, { input });
    expect(codes(again)).toEqual(['CONFLICT']);
  });

  it('refuses registration to a role without the permission', async () => {
    const response = await t.gql(
      'irene.walsh',
      'mutation { registerChild(input: { caseReference: "X1", givenName: "A", familyName: "B", dateOfBirth: "2012-01-01" }) { id } }',
    );
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  it('refuses an update made against a stale version with CONFLICT', async () => {
    const update =
      'mutation($v: Int!) { updateChildDetails(input: { childId: "' +
      JORDAN.id +
      '", expectedVersion: $v, givenName: "Jordan" }) { version } }';
    const first = await t.gql<{ updateChildDetails: { version: number } }>('sam.okafor', update, { v: 1 });
    expect(first.body.data?.updateChildDetails.version).toBe(2);
    const stale = await t.gql('sam.okafor', update, { v: 1 });
    expect(stale.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('lets CSC record a placement change and refuses YOS', async () => {
    const mutation = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { status placementName plannedDate } }`;
    const input = {
      childId: KAYLA.id,
      placementType: 'FOSTER_CARE',
      placementName: 'Foster carers (Derby)',
      address: '2 Duffield Road, Derby',
      areaLocalAuthority: 'derby',
      reason: 'Step down from residential care',
      plannedDate: '2026-12-14',
    };
    const planned = await t.gql<{ recordPlacementChange: Record<string, unknown> }>('ben.carter', mutation, { input });
    expect(planned.body.errors).toBeUndefined();
    expect(planned.body.data?.recordPlacementChange).toMatchObject({ status: 'PLANNED', plannedDate: '2026-12-14' });
    const byYos = await t.gql('olu.bakare', mutation, { input });
    expect(codes(byYos)).toEqual(['FORBIDDEN']);
  });

  it('answers bad input with BAD_USER_INPUT and the field path', async () => {
    const response = await t.gql('dana.hughes', 'mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }', {
      input: { caseReference: 'CV-1', givenName: '   ', familyName: 'B', dateOfBirth: '2012-01-01' },
    });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.givenName' });
    const badDate = await t.gql('dana.hughes', 'mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }', {
      input: { caseReference: 'CV-1', givenName: 'A', familyName: 'B', dateOfBirth: '2012-02-30' },
    });
    expect(codes(badDate)).toEqual(['BAD_USER_INPUT']);
    expect(badDate.body.errors?.[0]?.message).toContain('input.dateOfBirth');
  });
});

describe('the current placement', () => {
  const FIELDS = `id status placementType placementName address postcode area { code } reason plannedDate effectiveDate endDate
    recordedAt recordedBy recordedByAgency { code } version withheld { field reason }`;

  it('reads every field as the placement history reads the same placement', async () => {
    for (const subject of ['sam.okafor', 'dana.hughes']) {
      const response = await t.gql<{
        child: { currentPlacement: Record<string, unknown> & { id: string }; placements: { edges: { node: { id: string } }[] } };
      }>(
        subject,
        `query($id: ID!) { child(id: $id) { currentPlacement { ${FIELDS} } placements(first: 20) { edges { node { ${FIELDS} } } } } }`,
        {
          id: JORDAN.id,
        },
      );
      expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
      const child = response.body.data?.child;
      const current = child?.currentPlacement;
      expect(current?.status).toBe('CURRENT');
      expect(current?.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(child?.placements.edges.map((edge) => edge.node).find((node) => node.id === current?.id)).toEqual(current);
    }
  });
});

describe('a forged cursor', () => {
  it('is BAD_USER_INPUT on after, not an internal error, for the children list and a child’s placements', async () => {
    const forged = Buffer.from(JSON.stringify(['Pryce', "not-a-uuid' OR 1=1"]), 'utf8').toString('base64url');
    const list = await t.gql('dana.hughes', `query($after: String) { children(first: 5, after: $after) { edges { cursor } } }`, {
      after: forged,
    });
    expect(list.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badInstant = Buffer.from(JSON.stringify(['yesterday', JORDAN.id]), 'utf8').toString('base64url');
    const placements = await t.gql(
      'dana.hughes',
      `query($id: ID!, $after: String) { child(id: $id) { placements(first: 5, after: $after) { edges { cursor } } } }`,
      { id: JORDAN.id, after: badInstant },
    );
    expect(placements.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
