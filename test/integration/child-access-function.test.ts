import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRow } from 'src/policy/access.repository.js';
import { CHILD_ACCESS_1796180000000 } from '../../migrations/1796180000000-LimitEmergencyAccess.js';
import { resetDatabase } from '../support/test-database.js';

// tandem_child_access, the caller's connection to a child that every look-up asks: its decision
// table row by row, on the migrated database. Each row is a child of its own with only the facts
// the row names; the caller is a practitioner of agency A in team "north". Every answer is also
// compared with the function as it stood before it was rewritten in one pass (migration
// 1796270000000), created here under another name with the one rule changed since.

const GRACE = '2026-01-01';
const WITHIN_GRACE = '2026-01-10';
const BEFORE_GRACE = '2025-12-20';

let db: DataSource;
let agencyA: string;
let agencyB: string;
const tag = randomUUID().slice(0, 8);
const CALLER = `access-fn.caller.${tag}`;
const COLLEAGUE = `access-fn.colleague.${tag}`;
const OTHER_TEAM = `access-fn.other-team.${tag}`;
const OTHER_AGENCY = `access-fn.other-agency.${tag}`;
const NO_TEAM = `access-fn.no-team.${tag}`;
const NO_TEAM_COLLEAGUE = `access-fn.no-team-colleague.${tag}`;
const BEFORE = `tandem_child_access_before_${tag.replace(/-/g, '_')}`;
const practitioners = new Map<string, string>();

beforeAll(async () => {
  db = (await resetDatabase()).dataSource;
  const agencies = await db.query<{ id: string }[]>('SELECT id FROM agency ORDER BY id LIMIT 2');
  [agencyA = '', agencyB = ''] = agencies.map((row) => row.id);
  for (const [subject, agency, team] of [
    [CALLER, agencyA, 'north'],
    [COLLEAGUE, agencyA, 'north'],
    [OTHER_TEAM, agencyA, 'south'],
    [OTHER_AGENCY, agencyB, 'north'],
    [NO_TEAM, agencyA, null],
    [NO_TEAM_COLLEAGUE, agencyA, null],
  ] as const) {
    const [row] = await db.query<{ id: string }[]>(
      'INSERT INTO practitioner (subject, display_name, agency_id, team) VALUES ($1, $1, $2, $3) RETURNING id',
      [subject, agency, team],
    );
    practitioners.set(subject, row?.id ?? '');
  }
  // With the one change made since (migration 1796320000000): the allocated practitioner is the
  // caller at the caller's agency.
  const before = CHILD_ACCESS_1796180000000.replace('FUNCTION tandem_child_access(', `FUNCTION ${BEFORE}(`).replace(
    'AND p.subject = caller_subject AND',
    'AND p.subject = caller_subject AND p.agency_id = caller_agency AND',
  );
  expect(before).toContain('p.agency_id = caller_agency AND (wa.end_date');
  await db.query(before);
});
afterAll(async () => {
  await db.query(`DROP FUNCTION IF EXISTS ${BEFORE}(uuid[], text, uuid, date)`);
});

interface Facts {
  readonly allocations?: readonly { subject: string; role?: string; ended?: string }[];
  readonly involvements?: readonly { agency: 'A' | 'B'; role: string; ended?: boolean }[];
  readonly restrictions?: readonly {
    kind: 'CONTACT_RESTRICTION' | 'POLICE_HSB_INVESTIGATION';
    subject?: string;
    agency?: 'A' | 'B';
    started?: string;
    ended?: boolean;
  }[];
}

async function childWith(facts: Facts): Promise<string> {
  const [child] = await db.query<{ id: string }[]>(
    `INSERT INTO child (given_name, family_name, date_of_birth, version) VALUES ('Access', 'Row', '2010-01-01', 1) RETURNING id`,
  );
  const id = child?.id ?? '';
  const agency = (which: 'A' | 'B' | undefined) => (which === 'B' ? agencyB : which === 'A' ? agencyA : null);
  for (const allocation of facts.allocations ?? []) {
    const practitioner = practitioners.get(allocation.subject) ?? '';
    const [owner] = await db.query<{ agency_id: string }[]>('SELECT agency_id FROM practitioner WHERE id = $1', [practitioner]);
    await db.query(
      `INSERT INTO worker_allocation (child_id, practitioner_id, agency_id, role, start_date, end_date) VALUES ($1, $2, $3, $4, '2025-01-01', $5)`,
      [id, practitioner, owner?.agency_id, allocation.role ?? 'YOS_CASE_MANAGER', allocation.ended ?? null],
    );
  }
  for (const involvement of facts.involvements ?? []) {
    await db.query(
      `INSERT INTO agency_involvement (child_id, agency_id, role, start_date, end_date) VALUES ($1, $2, $3, '2025-01-01', $4)`,
      [id, agency(involvement.agency), involvement.role, involvement.ended ? '2025-06-01' : null],
    );
  }
  for (const restriction of facts.restrictions ?? []) {
    await db.query(
      `INSERT INTO child_restriction (child_id, kind, details, started_at, ended_at, restricted_subject, restricted_agency_id, recorded_by, recorded_by_agency_id)
       VALUES ($1, $2, 'row', $3, $4, $5, $6, 'test', $7)`,
      [
        id,
        restriction.kind,
        restriction.started ?? '2025-03-01T00:00:00Z',
        restriction.ended ? '2025-04-01T00:00:00Z' : null,
        restriction.subject ?? null,
        agency(restriction.agency),
        agencyA,
      ],
    );
  }
  return id;
}

async function access(childIds: readonly string[], subject = CALLER): Promise<AccessRow[]> {
  const ask = (fn: string) =>
    db.query<AccessRow[]>(`SELECT * FROM ${fn}($1::uuid[], $2, $3::uuid, $4::date) ORDER BY id`, [
      childIds,
      subject,
      agencyA,
      GRACE,
    ]);
  const [now, before] = await Promise.all([ask('tandem_child_access'), ask(BEFORE)]);
  // The same answer as before the rewrite, column by column.
  expect(now).toEqual(before);
  return now;
}

async function row(facts: Facts, subject = CALLER): Promise<AccessRow> {
  const id = await childWith(facts);
  const [found] = await access([id], subject);
  if (!found) throw new Error('no row for an existing child');
  expect(found.id).toBe(id);
  return found;
}

describe('tandem_child_access, row by row', () => {
  it('allocation: open, ended within the grace period, ended before it, ended with another still open', async () => {
    expect(await row({ allocations: [{ subject: CALLER }] })).toMatchObject({ allocated: true, allocation_ended: false });
    expect(await row({ allocations: [{ subject: CALLER, ended: WITHIN_GRACE }] })).toMatchObject({
      allocated: true,
      allocation_ended: true,
    });
    expect(await row({ allocations: [{ subject: CALLER, ended: BEFORE_GRACE }] })).toMatchObject({
      allocated: false,
      allocation_ended: false,
    });
    expect(
      await row({
        allocations: [
          { subject: CALLER, ended: WITHIN_GRACE },
          { subject: CALLER, role: 'TEAM_MANAGER' },
        ],
      }),
    ).toMatchObject({ allocated: true, allocation_ended: false });
    expect(await row({ allocations: [{ subject: COLLEAGUE }] })).toMatchObject({ allocated: false, allocation_ended: false });
    // Ended on the grace date itself: still within it.
    expect(await row({ allocations: [{ subject: CALLER, ended: GRACE }] })).toMatchObject({
      allocated: true,
      allocation_ended: true,
    });
    // A token of agency A whose subject is a practitioner of agency B is not that practitioner's
    // allocation (another identity provider's user, or a subject pre-allocated by another agency).
    expect(await row({ allocations: [{ subject: OTHER_AGENCY }] }, OTHER_AGENCY)).toMatchObject({
      allocated: false,
      team: false,
    });
  });

  it('team: an open allocation of the caller or a colleague of its agency and team; not ended, another team or agency', async () => {
    expect((await row({ allocations: [{ subject: CALLER }] })).team).toBe(true);
    expect((await row({ allocations: [{ subject: COLLEAGUE }] })).team).toBe(true);
    expect((await row({ allocations: [{ subject: COLLEAGUE, ended: WITHIN_GRACE }] })).team).toBe(false);
    expect((await row({ allocations: [{ subject: OTHER_TEAM }] })).team).toBe(false);
    expect((await row({ allocations: [{ subject: OTHER_AGENCY }] })).team).toBe(false);
    expect((await row({})).team).toBe(false);
    // No team is no team: two practitioners without one are not a team.
    expect((await row({ allocations: [{ subject: NO_TEAM_COLLEAGUE }] }, NO_TEAM)).team).toBe(false);
    // A caller whose practitioner row is in another agency has no team in this one.
    expect((await row({ allocations: [{ subject: COLLEAGUE }] }, OTHER_AGENCY)).team).toBe(false);
    // A caller who is no practitioner (an auditor, say) has no team and no allocation.
    expect(await row({ allocations: [{ subject: COLLEAGUE }] }, `nobody.${tag}`)).toMatchObject({
      team: false,
      allocated: false,
    });
  });

  it("involvement: the caller's agency's open roles in enum order, and every open involvement as agency:ROLE", async () => {
    const found = await row({
      involvements: [
        { agency: 'A', role: 'YOS_HOST' },
        { agency: 'A', role: 'YOS_HOME' },
        { agency: 'B', role: 'CSC' },
        { agency: 'A', role: 'POLICE', ended: true },
      ],
    });
    expect(found).toMatchObject({ involved: true, agency_roles: ['YOS_HOME', 'YOS_HOST'] });
    expect(found.child_involvements).toEqual([`${agencyA}:YOS_HOME`, `${agencyA}:YOS_HOST`, `${agencyB}:CSC`].sort());
    expect(await row({ involvements: [{ agency: 'B', role: 'CSC' }] })).toMatchObject({
      involved: false,
      agency_roles: [],
      child_involvements: [`${agencyB}:CSC`],
    });
    expect(await row({})).toMatchObject({ involved: false, agency_roles: [], child_involvements: [] });
    // Enum order, not text order.
    expect(
      (
        await row({
          involvements: [
            { agency: 'A', role: 'CSC' },
            { agency: 'A', role: 'YOS_HOME' },
          ],
        })
      ).agency_roles,
    ).toEqual(['YOS_HOME', 'CSC']);
  });

  it('restrictions: contact restricted for the caller or its agency while open; the earliest open investigation', async () => {
    expect((await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', subject: CALLER }] })).contact_restricted).toBe(true);
    expect((await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', agency: 'A' }] })).contact_restricted).toBe(true);
    expect((await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', subject: COLLEAGUE }] })).contact_restricted).toBe(false);
    expect((await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', agency: 'B' }] })).contact_restricted).toBe(false);
    expect(
      (await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', subject: CALLER, ended: true }] })).contact_restricted,
    ).toBe(false);
    const investigated = await row({
      restrictions: [
        { kind: 'POLICE_HSB_INVESTIGATION', started: '2025-05-01T00:00:00Z' },
        { kind: 'POLICE_HSB_INVESTIGATION', started: '2025-02-01T00:00:00Z' },
        { kind: 'POLICE_HSB_INVESTIGATION', started: '2025-01-01T00:00:00Z', ended: true },
        { kind: 'CONTACT_RESTRICTION', agency: 'B', started: '2024-01-01T00:00:00Z' },
      ],
    });
    expect(investigated.contact_restricted).toBe(false);
    expect(new Date(investigated.investigation_since ?? 0).toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect((await row({ restrictions: [{ kind: 'CONTACT_RESTRICTION', subject: CALLER }] })).investigation_since).toBeNull();
    // An investigation naming the caller or its agency restricts no contact; an ended one dates nothing.
    expect(
      await row({
        restrictions: [
          { kind: 'POLICE_HSB_INVESTIGATION', subject: CALLER, agency: 'A' },
          { kind: 'POLICE_HSB_INVESTIGATION', started: '2024-01-01T00:00:00Z', ended: true },
        ],
      }),
    ).toMatchObject({ contact_restricted: false, investigation_since: new Date('2025-03-01T00:00:00Z') });
    expect((await row({ restrictions: [{ kind: 'POLICE_HSB_INVESTIGATION', ended: true }] })).investigation_since).toBeNull();
  });

  it('a batch of different children: each answer is its own child', async () => {
    const allocated = await childWith({ allocations: [{ subject: CALLER }] });
    const colleagues = await childWith({
      allocations: [{ subject: COLLEAGUE }],
      involvements: [{ agency: 'A', role: 'YOS_HOME' }],
    });
    const restricted = await childWith({ restrictions: [{ kind: 'CONTACT_RESTRICTION', agency: 'A' }] });
    const byId = new Map((await access([allocated, colleagues, restricted])).map((found) => [found.id, found]));
    expect(byId.get(allocated)).toMatchObject({ allocated: true, team: true, involved: false, contact_restricted: false });
    expect(byId.get(colleagues)).toMatchObject({ allocated: false, team: true, involved: true, contact_restricted: false });
    expect(byId.get(restricted)).toMatchObject({ allocated: false, team: false, involved: false, contact_restricted: true });
  });

  it('a row per child asked about that exists, as often as it was asked; none for a child that does not', async () => {
    const id = await childWith({ allocations: [{ subject: CALLER }] });
    expect((await access([id, randomUUID(), id])).map((found) => found.id)).toEqual([id, id]);
    expect(await access([randomUUID()])).toEqual([]);
  });
});
