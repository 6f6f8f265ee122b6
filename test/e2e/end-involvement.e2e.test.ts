import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { aJointChild } from '../support/joint-child.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * An agency ends its own involvement; the home YOS also ends a host YOS's caretaking. Nobody else
 * does: an agency that ends another's involvement cuts it off from the child and its notifications.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const INVOLVEMENTS = `query($id: ID!) { child(id: $id) { involvements { id role endDate agency { code } } } }`;
const END = `mutation($id: ID!) { endInvolvement(input: { id: $id, endDate: "2026-12-01" }) { id endDate } }`;

type Involvement = { id: string; role: string; endDate: string | null; agency: { code: string } };

async function involvementsAs(childId: string, user: string, headers?: Record<string, string>): Promise<Involvement[]> {
  const response = await t.gql<{ child: { involvements: Involvement[] } }>(user, INVOLVEMENTS, { id: childId }, { headers });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data?.child.involvements ?? [];
}

/** A child whose home YOS is Islington's and whose host YOS is Derby's; the host's involvement as Islington reads it. */
async function hostedChild() {
  const child = aChild({
    references: [],
    involvements: [
      { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-02-01' },
    ],
    allocations: [],
  });
  await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
  const host = (await involvementsAs(child.id, 'islington-yos-integration')).find((row) => row.role === 'YOS_HOST');
  return { child, host };
}

describe('ending an involvement', () => {
  it('refuses another agency of the same authority that sees the child (Derby CSC ending Derby YOS’s)', async () => {
    const child = aJointChild();
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const yos = (await involvementsAs(child.id, 'tara.nolan')).find((row) => row.agency.code === 'derby-yos');
    expect(yos).toBeDefined();
    expect(codes(await t.gql('tara.nolan', END, { id: yos?.id }))).toEqual(['FORBIDDEN']);
    expect((await involvementsAs(child.id, 'dana.hughes')).find((row) => row.id === yos?.id)?.endDate).toBeNull();
  });

  it('lets the home YOS end a host YOS’s caretaking', async () => {
    const { host } = await hostedChild();
    const ended = await t.gql<{ endInvolvement: { endDate: string } }>('islington-yos-integration', END, { id: host?.id });
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data?.endInvolvement.endDate).toBe('2026-12-01');
  });

  it('refuses a youth justice agency that sees the child but is not its home YOS', async () => {
    // Two host YOSs and no home YOS on record: each sees the child, neither is its home.
    const child = aChild({
      references: [],
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-02-01' },
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-03-01' },
      ],
      allocations: [],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    // Islington sees the child, so the refusal is the rule's, not visibility's.
    const derbyHost = (await involvementsAs(child.id, 'islington-yos-integration')).find(
      (row) => row.agency.code === 'derby-yos',
    );
    expect(derbyHost).toBeDefined();
    expect(codes(await t.gql('islington-yos-integration', END, { id: derbyHost?.id }))).toEqual(['FORBIDDEN']);
    expect((await involvementsAs(child.id, 'derby-yos-integration')).find((row) => row.id === derbyHost?.id)?.endDate).toBeNull();
  });

  // PGlite has one connection: a transaction held open beside the request needs a server.
  it.skipIf(!inject('testDatabaseUrl'))(
    'refuses the home YOS whose own involvement ends while it ends the host’s (the check holds inside the write)',
    async () => {
      const { child, host } = await hostedChild();
      const db = t.app.get(DataSource);
      expect(host).toBeDefined();
      // Islington ends its own (home) involvement in a transaction not yet committed.
      const homeEnding = db.createQueryRunner();
      try {
        await homeEnding.startTransaction();
        await homeEnding.query(
          `UPDATE agency_involvement SET end_date = '2026-11-30' WHERE child_id = $1 AND role = 'YOS_HOME' AND end_date IS NULL`,
          [child.id],
        );
        const [{ pid }] = (await homeEnding.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
        let settled = false;
        const ending = t.gql('islington-yos-integration', END, { id: host?.id }).finally(() => {
          settled = true;
        });
        // The request must wait for that transaction (it holds the home involvement) rather than pass.
        for (;;) {
          const [row] = await db.query<{ waiting: number }[]>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
            [pid],
          );
          if ((row?.waiting ?? 0) > 0 || settled) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(settled, 'the host’s involvement was ended without waiting for the home’s').toBe(false);
        await homeEnding.commitTransaction();
        expect(codes(await ending)).toEqual(['FORBIDDEN']);
        const hostNow = (await involvementsAs(child.id, 'derby-yos-integration')).find((row) => row.id === host?.id);
        expect(hostNow?.endDate).toBeNull();
      } finally {
        if (homeEnding.isTransactionActive) await homeEnding.rollbackTransaction();
        await homeEnding.release();
      }
    },
  );
});
