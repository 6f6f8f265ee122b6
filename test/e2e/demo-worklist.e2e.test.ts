import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfNextWorkingDay, endOfNthCalendarDayAfter } from 'src/common/time/working-days.js';
import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { settle, sweep } from '../support/duties.js';

/**
 * The README's worklist (its "Try it" section): the demo data loaded as `npm start` loads it, the
 * duties engine left to read its events and sweep, then the README's own curl, as the README's own
 * user, prints what the README says it prints, up to the dates (they count from the day the demo
 * data is loaded, so they are compared by shape).
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const HEADING = '### A social worker’s worklist';

interface Duty {
  childId: string;
  definitionId: string;
  title: string;
  state: string;
  dueAt: string;
  dueExplanation: string;
  citation: string;
}

/** The README subsection's user, query and printed JSON. */
function readmeExample(): { user: string; query: string; printed: unknown } {
  const start = README.indexOf(HEADING);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" subsection`);
  const section = README.slice(start, README.indexOf('\n## ', start));
  const user = /TOKEN=\$\(npm run -s token -- ([\w.-]+)\)/.exec(section)?.[1];
  const payload = /-d '(\{"query":.*\})'/.exec(section)?.[1];
  const printed = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!user || !payload || !printed) throw new Error(`README.md's "${HEADING}" lacks its token, curl or JSON`);
  return { user, query: (JSON.parse(payload) as { query: string }).query, printed: JSON.parse(printed) };
}

/** Replaces what depends on the day the demo data was loaded: instants, dates, days and times of day. */
function undated(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<instant>')
      .replace(/\d{4}-\d{2}-\d{2}/g, '<date>')
      .replace(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}/g, '<day>')
      .replace(/\d{2}:\d{2}:\d{2} (GMT|BST) \(\d{2}:\d{2}:\d{2} UTC\)/g, '<time>'),
  );
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("the README's worklist", () => {
  const example = readmeExample();
  let duties: Duty[] = [];

  it('shows, once the duties engine has read the demo events and swept, the duties of Jordan’s remand', async () => {
    // The engine's own passes, as its background loops run them, until it has nothing left to do.
    const engine = async () => {
      await settle(t);
      await sweep(t);
    };
    const ask = async () => {
      const response = await t.gql<{ myObligations: Duty[] }>(example.user, example.query);
      expect(response.body.errors).toBeUndefined();
      return response.body.data?.myObligations ?? [];
    };
    await engine();
    duties = await ask();
    // Nothing moves until the clock does: asking again after another pass changes nothing.
    await engine();
    expect(await ask()).toEqual(duties);
    expect(duties.length).toBeGreaterThan(1);
    expect(new Set(duties.map((duty) => duty.childId))).toEqual(new Set([JORDAN.id]));
  });

  it('has exactly one duty OVERDUE, with its citation and how its due time was computed; the rest not yet due', async () => {
    const overdue = duties.filter((duty) => duty.state === 'OVERDUE');
    expect(overdue).toHaveLength(1);
    const [late] = overdue;
    // The remand as the seed stored it (dated from the day it ran).
    const [stored] = await t.app
      .get(DataSource)
      .query<{ day: string }[]>(`SELECT start_date::text AS day FROM legal_status_episode WHERE child_id = $1 AND basis = $2`, [
        JORDAN.id,
        LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
      ]);
    const remanded = stored?.day;
    if (!late || !remanded) throw new Error('no overdue duty or no remand');
    // Derby's first statutory visit, a week after the remand: due at the end of yesterday, escalated
    // at the end of the next working day after that, so not yet.
    const due = endOfNthCalendarDayAfter(remanded, 7);
    expect(late).toMatchObject({ definitionId: 'D31-REMAND', dueAt: due.dueAt.toISOString(), dueExplanation: due.explanation });
    expect(late.citation).toMatch(/003 §7\.4/);
    expect(new Date(late.dueAt).getTime()).toBeLessThan(Date.now());
    expect(Date.now()).toBeLessThan(endOfNextWorkingDay(due.dueDate).dueAt.getTime());
    for (const duty of duties.filter((other) => other !== late)) {
      expect(['OPEN', 'DUE_SOON']).toContain(duty.state);
      expect(new Date(duty.dueAt).getTime()).toBeGreaterThan(Date.now());
      expect(duty.citation).not.toBe('');
      expect(duty.dueExplanation).toMatch(/\(day 0\)/);
    }
  });

  it('prints what the README shows', () => {
    expect(undated({ data: { myObligations: duties } })).toEqual(undated(example.printed));
  });

  it('shows the team manager the same duty among her agency’s overdue ones, as the README says', async () => {
    const response = await t.gql<{ overdueObligations: Pick<Duty, 'childId' | 'definitionId' | 'state'>[] }>(
      'tara.nolan',
      '{ overdueObligations { childId definitionId state } }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.overdueObligations).toEqual([
      { childId: JORDAN.id, definitionId: 'D31-REMAND', state: 'OVERDUE' },
    ]);
  });
});
