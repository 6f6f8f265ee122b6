import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from 'src/common/clock/clock.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ok, settle } from '../support/duties.js';

/**
 * How the duties engine reads events that arrive other than one at a time: a backlog (the engine
 * behind, or restarted), a trigger typed in after its evidence, an event it cannot read, and a
 * child's events that must be read in commit order.
 */
const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;
const VISIT = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;

/** A Derby child known to the YOS and CSC, with a social worker and a team manager. */
async function derbyChild(): Promise<string> {
  const child = aChild({
    dateOfBirth: '2009-02-11',
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
      { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' },
    ],
  });
  await db.transaction((manager) => insertChild(manager, child));
  return child.id;
}

function remand(childId: string, effectiveDate = '2024-05-03') {
  return {
    input: { childId, outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', effectiveDate, court: 'Derby Youth Court' },
  };
}

async function duties(childId: string, definitionId: string): Promise<{ state: string; due: string }[]> {
  const rows = await db.query<{ state: string; due_at: Date }[]>(
    `SELECT state, due_at FROM obligation WHERE child_id = $1 AND definition_id = $2 ORDER BY created_at, due_at`,
    [childId, definitionId],
  );
  return rows.map((row) => ({ state: row.state, due: row.due_at.toISOString() }));
}

describe('the duties engine behind its events', () => {
  it('keeps the six-weekly visits recurring when the remand and two visits wait to be read together', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    const childId = await derbyChild();
    ok(await t.gql('dana.hughes', COURT, remand(childId)));
    for (const visitDate of ['2024-05-09', '2024-05-20']) {
      clock.set(new Date(`${visitDate}T16:00:00Z`));
      ok(
        await t.gql('sam.okafor', VISIT, {
          input: { childId, kind: 'STATUTORY_LOOKED_AFTER', visitDate, seenAlone: true, location: 'HMYOI Wetherby' },
        }),
      );
    }
    await settle(t);
    // Each visit satisfies the one due then, and the next is due six weeks after the last visit.
    expect(await duties(childId, 'D32-REMAND')).toEqual([
      { state: 'SATISFIED', due: '2024-06-14T22:59:59.000Z' },
      { state: 'SATISFIED', due: '2024-06-20T22:59:59.000Z' },
      { state: 'OPEN', due: '2024-07-01T22:59:59.000Z' },
    ]);
  });

  it('counts evidence recorded after day 0 but before the trigger was typed in', async () => {
    clock.set(new Date('2024-05-07T09:00:00Z'));
    const child = aChild({
      dateOfBirth: '2009-02-11',
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
      ],
      allocations: [
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    // CSC allocates its social worker on Tue 7 May; the YOS types in the Friday remand only afterwards.
    ok(
      await t.gql(
        'tara.nolan',
        `mutation { allocateWorker(input: { childId: "${child.id}", practitionerSubject: "sam.okafor", practitionerName: "Sam Okafor", role: SOCIAL_WORKER, startDate: "2024-05-07" }) { id } }`,
      ),
    );
    clock.set(new Date('2024-05-07T11:00:00Z'));
    ok(await t.gql('dana.hughes', COURT, remand(child.id)));
    await settle(t);
    expect(await duties(child.id, 'L2-ALLOCATE')).toEqual([{ state: 'SATISFIED', due: '2024-05-07T22:59:59.000Z' }]);
  });

  it('passes over an event it cannot read (left unread, said in the log) and reads the other children’s behind it', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    const broken = await derbyChild();
    const later = await derbyChild();
    ok(await t.gql('dana.hughes', COURT, remand(broken)));
    // A stored event its module cannot parse (a defect): the engine must not stop at it.
    const [bad] = await db.query<{ id: string }[]>(
      `WITH broken AS (UPDATE domain_event SET facts = '{"episode": 42}'::jsonb
         WHERE id = (SELECT max(id) FROM domain_event WHERE child_id = $1 AND type = 'REMAND_RECORDED') RETURNING id)
       SELECT id::text AS id FROM broken`,
      [broken],
    );
    ok(await t.gql('dana.hughes', COURT, remand(later)));
    await settle(t);
    expect((await duties(later, 'D30-REMAND')).map((duty) => duty.state)).toEqual(['OPEN']);
    const [unread] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM domain_event WHERE id = $1 AND duties_checked_at IS NULL`,
      [bad?.id],
    );
    expect(unread?.count).toBe(1);
  });

  it('reads a child’s events in commit order: an acquittal waits for the remand it reverses', async () => {
    clock.set(new Date('2024-05-03T15:00:00Z'));
    const childId = await derbyChild();
    ok(await t.gql('dana.hughes', COURT, remand(childId)));
    clock.set(new Date('2024-05-06T10:00:00Z'));
    ok(
      await t.gql('dana.hughes', COURT, {
        input: { childId, outcome: 'ACQUITTED', effectiveDate: '2024-05-06', court: 'Derby Youth Court' },
      }),
    );
    // The remand's events cannot be read yet (as if another instance held them, or their agency had
    // no case system): nothing of the child after them is read either.
    const [agency] = await db.query<{ id: string }[]>(
      `INSERT INTO agency (code, name, kind) VALUES ('offline-yos', 'Offline YOS', 'YOUTH_JUSTICE') RETURNING id`,
    );
    const [first] = await db.query<{ id: string; agency: string }[]>(
      `SELECT min(id)::text AS id, min(recorded_by_agency_id::text) AS agency FROM domain_event WHERE child_id = $1`,
      [childId],
    );
    await db.query(`UPDATE domain_event SET recorded_by_agency_id = $2 WHERE id = $1`, [first?.id, agency?.id]);
    await settle(t);
    const [read] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM domain_event WHERE child_id = $1 AND duties_checked_at IS NOT NULL`,
      [childId],
    );
    expect(read?.count).toBe(0);
    // Once it can be read, the remand opens its duties and the acquittal cancels them.
    await db.query(`UPDATE domain_event SET recorded_by_agency_id = $2 WHERE id = $1`, [first?.id, first?.agency]);
    await settle(t);
    const states = await db.query<{ state: string }[]>(`SELECT DISTINCT state FROM obligation WHERE child_id = $1`, [childId]);
    expect(states.map((row) => row.state)).toEqual(['CANCELLED']);
  });
});
