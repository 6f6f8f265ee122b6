import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aJointChild } from '../support/joint-child.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Changing a planned move someone else wrote: the answer shows the placement as any read does (a
 * contact restriction still hides the address), and only the agency that planned it confirms it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const PLAN = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id version status } }`;
const CONFIRM = `mutation($input: ConfirmPlacementChangeInput!) { confirmPlacementChange(input: $input) { id status address postcode placementName withheld { field rule } } }`;
type Confirmed = {
  confirmPlacementChange: {
    status: string;
    address: string | null;
    postcode: string | null;
    placementName: string | null;
    withheld: { field: string; rule: string }[];
  };
};

/** Known to Derby CSC (Sam allocated, Tara his team manager) and, placed from Islington, to Islington CSC (Ben). */
async function aChildOfBoth() {
  const child = aChild({
    involvements: [
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
      { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
    ],
  });
  await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
  return child;
}

async function planned(childId: string): Promise<string> {
  const plan = await t.gql<{ recordPlacementChange: { id: string; status: string } }>(
    'tara.nolan',
    PLAN,
    {
      input: {
        childId,
        placementType: 'FOSTER_CARE',
        placementName: 'Hidden Carers',
        address: '7 Refuge Close, Derby',
        postcode: 'DE22 9ZZ',
        areaLocalAuthority: 'derby',
        reason: 'A safe placement away from a risk',
        plannedDate: '2030-01-15',
      },
    },
    { purpose: 'PLACEMENT_PLANNING' },
  );
  expect(plan.body.errors).toBeUndefined();
  expect(plan.body.data?.recordPlacementChange.status).toBe('PLANNED');
  return plan.body.data?.recordPlacementChange.id ?? '';
}

describe('confirming a planned move', () => {
  it('shows a worker under a contact restriction (C10) the placement without its address, as a read does', async () => {
    const child = await aChildOfBoth();
    const restricted = await t.gql(
      'tara.nolan',
      `mutation($childId: ID!) { recordRestriction(input: { childId: $childId, kind: CONTACT_RESTRICTION, restrictedSubject: "sam.okafor", details: "Disclosure risk" }) { id } }`,
      { childId: child.id },
    );
    expect(restricted.body.errors).toBeUndefined();
    const placementId = await planned(child.id);
    const confirmed = await t.gql<Confirmed>('sam.okafor', CONFIRM, {
      input: { placementId, expectedVersion: 1, effectiveDate: '2026-11-20' },
    });
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data?.confirmPlacementChange).toMatchObject({ status: 'CURRENT', address: null, postcode: null });
    expect(confirmed.body.data?.confirmPlacementChange.withheld).toContainEqual({ field: 'address', rule: 'C10' });
    expect(JSON.stringify(confirmed.body)).not.toMatch(/Refuge Close|DE22 9ZZ/);
    // Tara, not restricted, reads it whole.
    const read = await t.gql<{ child: { currentPlacement: { address: string | null } } }>(
      'tara.nolan',
      `query($id: ID!) { child(id: $id) { currentPlacement { address } } }`,
      { id: child.id },
    );
    expect(read.body.data?.child.currentPlacement.address).toBe('7 Refuge Close, Derby');
  });

  it("is refused to another authority's social care, who may see the child but did not plan the move", async () => {
    const child = await aChildOfBoth();
    const placementId = await planned(child.id);
    const byIslington = await t.gql('ben.carter', CONFIRM, {
      input: { placementId, expectedVersion: 1, effectiveDate: '2026-11-20' },
    });
    expect(codes(byIslington)).toEqual(['FORBIDDEN']);
    const read = await t.gql<{ child: { placements: { edges: { node: { id: string; status: string } }[] } } }>(
      'tara.nolan',
      `query($id: ID!) { child(id: $id) { placements(first: 5) { edges { node { id status } } } } }`,
      { id: child.id },
    );
    expect(read.body.data?.child.placements.edges.map((edge) => edge.node)).toEqual([{ id: placementId, status: 'PLANNED' }]);
  });
});

describe('recording a move', () => {
  it('is refused as made when its date is still to come, recorded or confirmed: that is a planned move', async () => {
    const child = await aChildOfBoth();
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await t.gql(
      'tara.nolan',
      PLAN,
      {
        input: {
          childId: child.id,
          placementType: 'FOSTER_CARE',
          address: '2 Next Month Road, Derby',
          areaLocalAuthority: 'derby',
          reason: 'A move agreed for later',
          effectiveDate: later,
        },
      },
      { purpose: 'PLACEMENT_PLANNING' },
    );
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
    const placementId = await planned(child.id);
    const early = await t.gql(
      'tara.nolan',
      CONFIRM,
      { input: { placementId, expectedVersion: 1, effectiveDate: later } },
      { purpose: 'PLACEMENT_PLANNING' },
    );
    expect(codes(early)).toEqual(['BAD_USER_INPUT']);
    const read = await t.gql<{ child: { currentPlacement: unknown } }>(
      'tara.nolan',
      `query($id: ID!) { child(id: $id) { currentPlacement { id } } }`,
      { id: child.id },
    );
    expect(read.body.data?.child.currentPlacement).toBeNull();
  });

  it("is refused to an agency that did not record the child's current placement, which stays as it was", async () => {
    const child = await aChildOfBoth();
    const placed = await t.gql(
      'tara.nolan',
      PLAN,
      {
        input: {
          childId: child.id,
          placementType: 'FOSTER_CARE',
          address: '1 Current Road, Derby',
          areaLocalAuthority: 'derby',
          reason: 'Placed by Derby',
          effectiveDate: '2026-02-01',
        },
      },
      { purpose: 'PLACEMENT_PLANNING' },
    );
    expect(placed.body.errors).toBeUndefined();
    for (const dates of [{ effectiveDate: '2026-11-01' }, { plannedDate: '2030-02-01' }]) {
      const byIslington = await t.gql(
        'ben.carter',
        PLAN,
        {
          input: {
            childId: child.id,
            placementType: 'FOSTER_CARE',
            address: '99 Elsewhere Street, Islington',
            areaLocalAuthority: 'islington',
            reason: 'Moved by another authority',
            ...dates,
          },
        },
        { purpose: 'PLACEMENT_PLANNING' },
      );
      expect(codes(byIslington)).toEqual(['FORBIDDEN']);
    }
    const read = await t.gql<{ child: { currentPlacement: { address: string } } }>(
      'tara.nolan',
      `query($id: ID!) { child(id: $id) { currentPlacement { address } } }`,
      { id: child.id },
    );
    expect(read.body.data?.child.currentPlacement.address).toBe('1 Current Road, Derby');
  });

  // PGlite has one connection: changes that wait on each other need a server.
  it.skipIf(!inject('testDatabaseUrl'))(
    'answers CONFLICT, not a fault, to a change that finds another made current meanwhile',
    async () => {
      const child = aJointChild();
      const db = t.app.get(DataSource);
      await db.transaction((manager) => insertChild(manager, child));
      const move = (address: string) => ({
        input: {
          childId: child.id,
          placementType: 'FOSTER_CARE',
          address,
          areaLocalAuthority: 'derby',
          reason: 'Race',
          effectiveDate: '2026-12-01',
        },
      });
      expect((await t.gql('sam.okafor', PLAN, move('1 First Road, Derby'))).body.errors).toBeUndefined();
      // Another change holds the current placement and ends it; two more wait for it, then both make theirs current.
      const other = db.createQueryRunner();
      try {
        await other.startTransaction();
        await other.query(`SELECT 1 FROM placement WHERE child_id = $1 AND status = 'CURRENT' FOR UPDATE`, [child.id]);
        const [{ pid }] = (await other.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
        let settled = 0;
        const changes = [move('2 Second Road, Derby'), move('3 Third Road, Derby')].map((input) =>
          t.gql('sam.okafor', PLAN, input).finally(() => (settled += 1)),
        );
        // Bounded, and left at once if a change answers without waiting (the failure then says so).
        for (let waited = 0; settled === 0 && waited < 20_000; waited += 10) {
          const [row] = await db.query<{ waiting: number }[]>(
            // The first waits on this transaction, the second on the first (the row's lock queue).
            `SELECT count(*)::int AS waiting FROM pg_stat_activity a
              WHERE $1 = ANY(pg_blocking_pids(a.pid))
                 OR EXISTS (SELECT 1 FROM pg_stat_activity b WHERE $1 = ANY(pg_blocking_pids(b.pid)) AND b.pid = ANY(pg_blocking_pids(a.pid)))`,
            [pid],
          );
          if ((row?.waiting ?? 0) >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(settled, 'a change answered without waiting for the one holding the placement').toBe(0);
        await other.query(
          `UPDATE placement SET status = 'ENDED', end_date = '2026-12-01' WHERE child_id = $1 AND status = 'CURRENT'`,
          [child.id],
        );
        await other.commitTransaction();
        const answers = (await Promise.all(changes)).map((response) => codes(response)).sort();
        expect(answers).toEqual([[], ['CONFLICT']]);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
      }
    },
  );
});
