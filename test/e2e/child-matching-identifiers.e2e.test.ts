import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * matchChild compares a PNC ID (or UPN) only where the caller may read the child's: otherwise a
 * made-up one answered NO_MATCH for a child that has one and CONFIDENT for a child that has none,
 * telling anyone who may match whether a child has a police record.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const MATCH = `query($input: MatchChildInput!) { matchChild(input: $input) { outcome childId matchedAttributes } }`;
type Match = { matchChild: { outcome: string; childId: string | null; matchedAttributes: string[] } };

describe('matchChild and identifiers the caller may not read', () => {
  it('answers a made-up PNC ID, the right one and none alike to a caller who may not read it; its own YOS compares it', async () => {
    const child = aChild({
      givenName: 'Tamsin',
      familyName: 'Quarrie',
      dateOfBirth: '2010-05-17',
      involvements: [
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ],
      allocations: [{ user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
    });
    const db = t.app.get(DataSource);
    await db.transaction((manager) => insertChild(manager, child));
    await db.query(
      `UPDATE child SET pnc_id = '24/0012345H', identifiers_agency_id = (SELECT id FROM agency WHERE code = 'islington-yos') WHERE id = $1`,
      [child.id],
    );
    const who = { givenName: 'Tamsin', familyName: 'Quarrie', dateOfBirth: '2010-05-17' };
    const ask = async (subject: string, pncId?: string) =>
      (await t.gql<Match>(subject, MATCH, { input: pncId ? { ...who, pncId } : who }, { purpose: 'SAFEGUARDING' })).body.data
        ?.matchChild;
    // Derby's front door works with no agency of this child's: the PNC ID is not its to read.
    const none = await ask('derby.csct');
    expect(none).toMatchObject({ outcome: 'CONFIDENT', childId: child.id });
    expect(await ask('derby.csct', '23/0054321U')).toEqual(none);
    expect(await ask('derby.csct', '24/0012345H')).toEqual(none);
    expect(none?.matchedAttributes).not.toContain('PNC_ID');
    // The YOS that recorded it reads it: a different one is another child (twins are never joined).
    expect(await ask('olu.bakare', '23/0054321U')).toMatchObject({ outcome: 'NO_MATCH' });
    expect((await ask('olu.bakare', '24/0012345H'))?.matchedAttributes).toContain('PNC_ID');
  });
});
