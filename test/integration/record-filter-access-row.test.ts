import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { rowFilter, type SqlFilter } from 'src/policy/policy-sql.js';
import { relationshipsOf } from 'src/policy/relationship.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, DEMO_USERS, type DemoUser } from 'src/seed/demo-directory.js';
import { DEMO_CHILDREN } from 'src/seed/demo-children.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { involvePolice } from '../support/emergency.js';
import { JORDAN } from '../support/demo-ids.js';

/**
 * The records' row filter decided on the caller's connection read by the same statement
 * (recordFilterOnAccessRow, used when a child's look-up reads its page of records too) lets through
 * exactly the records the filter decided on that connection once loaded (recordFilter with the
 * child) does: for every demo user, for purposes with and without break-glass, for every demo child,
 * seen or not.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await involvePolice(t, JORDAN.id);
});
afterAll(() => t.close());

const TARGET = { childId: 'r.child_id', record: 'r' } as const;

function principalOf(user: DemoUser, purpose: string): Principal {
  const agency = DEMO_AGENCIES.find((candidate) => candidate.code === user.agency);
  const caseSystem = DEMO_CASE_SYSTEMS.find((candidate) => candidate.code === user.caseSystem);
  if (!agency || !caseSystem) throw new Error(`No agency or case system for ${user.subject}`);
  return new Principal(user.subject, user.name, agency, caseSystem, user.roles, {
    header: purpose,
    justification: 'Reported missing overnight; police asking where the child may be staying',
    accessReason: 'MISSING_CHILD',
  });
}

function demoUserOf(subject: string): DemoUser {
  const found = DEMO_USERS.find((user) => user.subject === subject);
  if (!found) throw new Error(`No demo user ${subject}`);
  return found;
}

async function ids(sql: string, filter: SqlFilter, parameters: Record<string, unknown>): Promise<string[]> {
  const dataSource = t.app.get(DataSource);
  const [text, values] = dataSource.driver.escapeQueryWithParameters(sql.replace('FILTER', filter.sql), {
    ...filter.params,
    ...parameters,
  });
  const rows = await dataSource.query<{ id: string }[]>(text, values);
  return rows.map((row) => row.id).sort();
}

describe('the records filter on a connection read in the same statement', () => {
  it('lets through what the filter on the loaded connection does, caller by caller and child by child', async () => {
    const policy = t.app.get(PolicyService);
    let some = 0;
    let none = 0;
    for (const user of DEMO_USERS) {
      for (const purpose of ['CASE_MANAGEMENT', 'SAFEGUARDING', 'EMERGENCY']) {
        for (const child of DEMO_CHILDREN) {
          const principal = principalOf(user, purpose);
          let loaded: SqlFilter;
          try {
            loaded = await policy.recordFilter(principal, TARGET, [child.id]);
          } catch (error) {
            // A caller the policy refuses outright (an auditor reading children): refused both ways.
            expect(error).toBeInstanceOf(TandemError);
            await expect(policy.recordFilterOnAccessRow(principal, TARGET, 'access')).rejects.toThrow(TandemError);
            continue;
          }
          const onRow = await policy.recordFilterOnAccessRow(principal, TARGET, 'access');
          const expected = await ids(`SELECT r.id FROM shared_record r WHERE r.child_id = :child AND (FILTER)`, loaded, {
            child: child.id,
          });
          const actual = await ids(
            `SELECT r.id FROM (SELECT :child::uuid AS id) wanted
             LEFT JOIN LATERAL tandem_child_access(ARRAY[wanted.id], :subject, :agency::uuid, :grace::date) access ON true
             JOIN shared_record r ON r.child_id = wanted.id WHERE (FILTER)`,
            onRow,
            { child: child.id, subject: principal.subject, agency: principal.agency.id, grace: policy.graceDate(principal) },
          );
          expect(actual, `${user.subject} ${purpose} ${child.givenName}`).toEqual(expected);
          const all = await ids(
            'SELECT r.id FROM shared_record r WHERE r.child_id = :child AND (FILTER)',
            { sql: 'TRUE', params: {} },
            {
              child: child.id,
            },
          );
          if (expected.length > 0 && expected.length < all.length) some++;
          if (expected.length === 0 && all.length > 0) none++;
        }
      }
    }
    // The matrix holds callers who see some of a child's records and callers who see none.
    expect(some).toBeGreaterThan(5);
    expect(none).toBeGreaterThan(5);
  });

  it("is kept per ability and given with each caller's own parameters, as rowFilter writes it for that caller", async () => {
    const policy = t.app.get(PolicyService);
    const dana = principalOf(demoUserOf('dana.hughes'), 'CASE_MANAGEMENT');
    const colleague = new Principal('kim.lee', 'Kim Lee', dana.agency, dana.caseSystem, dana.roles, {
      header: 'CASE_MANAGEMENT',
      justification: undefined,
    });
    const usable = new Set(relationshipsOf(colleague.roles));
    const first = await policy.recordFilterOnAccessRow(dana, TARGET, 'access');
    const second = await policy.recordFilterOnAccessRow(colleague, TARGET, 'access');
    expect(await policy.ability(colleague)).toBe(await policy.ability(dana));
    expect(second.sql).toBe(first.sql);
    const ability = await policy.ability(colleague);
    const grace = policy.graceDate(colleague);
    expect(second).toEqual(
      rowFilter(ability, 'SharedRecord', TARGET, colleague, grace, { accessRow: { alias: 'access', usable } }),
    );
    expect(second.params.pol_subject).toBe('kim.lee');
    expect(await policy.recordFilter(colleague, TARGET)).toEqual(rowFilter(ability, 'SharedRecord', TARGET, colleague, grace));
    expect(await policy.childFilter(colleague, 'c.id', { forList: true })).toEqual(
      rowFilter(ability, 'Child', { childId: 'c.id' }, colleague, grace, { excludeBreakGlass: true }),
    );
  });

  it("decides a whole request on one grace date, even across midnight; the next request takes the new day's", async () => {
    const policy = t.app.get(PolicyService);
    const request = principalOf(demoUserOf('dana.hughes'), 'CASE_MANAGEMENT');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-10T23:59:59.900Z'));
      const before = policy.graceDate(request);
      vi.setSystemTime(new Date('2026-03-11T00:00:00.100Z'));
      expect(policy.graceDate(request)).toBe(before);
      // The look-up's access row and the page's filter bind that same day.
      expect(policy.accessParameters(request)[2]).toBe(before);
      expect(policy.accessCaller(request).graceDate).toBe(before);
      expect((await policy.recordFilterOnAccessRow(request, TARGET, 'access')).params.pol_grace).toBe(before);
      const next = principalOf(demoUserOf('dana.hughes'), 'CASE_MANAGEMENT');
      expect(policy.graceDate(next) > before).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
