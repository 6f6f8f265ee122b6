import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

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

describe('linking a child another local authority works with', () => {
  const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { involvements { agency { code } } } }`;
  const involved = async (childId: string) =>
    (
      await t.app
        .get(DataSource)
        .query<{ code: string }[]>(
          'SELECT a.code FROM agency_involvement i JOIN agency a ON a.id = i.agency_id WHERE i.child_id = $1 ORDER BY a.code',
          [childId],
        )
    ).map((row) => row.code);

  it('needs a match its NHS number agreed with: a name and date of birth are known to many', async () => {
    const jordan = { givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' };
    const matched = await t.gql<Match>('islington.icat', MATCH, { input: jordan }, { purpose: 'SAFEGUARDING' });
    expect(matched.body.data?.matchChild).toMatchObject({ outcome: 'CONFIDENT', childId: JORDAN.id });
    const before = await involved(JORDAN.id);
    const refused = await t.gql(
      'islington.icat',
      LINK,
      { input: { childId: JORDAN.id, reference: 'MOS-LINK-1' } },
      { purpose: 'SAFEGUARDING' },
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.message).toMatch(/NHS number/);
    expect(await involved(JORDAN.id)).toEqual(before);
  });

  it('links after a match on the NHS number, and within one authority on a name and date of birth', async () => {
    const child = aChild({
      givenName: 'Orrin',
      familyName: 'Vasquez-Lyle',
      dateOfBirth: '2011-09-03',
      involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' }],
      allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
    });
    const db = t.app.get(DataSource);
    await db.transaction((manager) => insertChild(manager, child));
    await db.query(
      `UPDATE child SET nhs_number = '4857773457', identifiers_agency_id = (SELECT id FROM agency WHERE code = 'derby-yos') WHERE id = $1`,
      [child.id],
    );
    const who = { givenName: 'Orrin', familyName: 'Vasquez-Lyle', dateOfBirth: '2011-09-03' };
    const safeguarding = { purpose: 'SAFEGUARDING' };
    const withNhs = await t.gql<Match>('islington.icat', MATCH, { input: { ...who, nhsNumber: '4857773457' } }, safeguarding);
    expect(withNhs.body.data?.matchChild.matchedAttributes).toContain('NHS_NUMBER');
    const linked = await t.gql('islington.icat', LINK, { input: { childId: child.id, reference: 'MOS-LINK-2' } }, safeguarding);
    expect(linked.body.errors).toBeUndefined();
    // Derby's own front door links on the name and date of birth alone.
    expect((await t.gql<Match>('derby.csct', MATCH, { input: who }, safeguarding)).body.data?.matchChild.outcome).toBe(
      'CONFIDENT',
    );
    const own = await t.gql('derby.csct', LINK, { input: { childId: child.id, reference: 'LL-LINK-3' } }, safeguarding);
    expect(own.body.errors).toBeUndefined();
    expect(await involved(child.id)).toEqual(['derby-csc', 'derby-yos', 'islington-csc']);
  });
});

describe("correcting a child's name and date of birth", () => {
  it('is for the authority that first worked with the child, not one involved since', async () => {
    const child = aChild({
      givenName: 'Petra',
      familyName: 'Lindqvist',
      dateOfBirth: '2012-01-20',
      involvements: [
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2025-02-01' },
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-06-01' },
      ],
      allocations: [
        { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-02-01' },
        { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-06-01' },
      ],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const UPDATE = `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { version familyName } }`;
    const renamed = await t.gql('ben.carter', UPDATE, { input: { childId: child.id, expectedVersion: 1, familyName: 'Other' } });
    expect(codes(renamed)).toEqual(['FORBIDDEN']);
    const redated = await t.gql('ben.carter', UPDATE, {
      input: { childId: child.id, expectedVersion: 1, dateOfBirth: '2012-02-20' },
    });
    expect(codes(redated)).toEqual(['FORBIDDEN']);
    // Nor other names or sex, which matching scores against (an alias of another child's name would
    // make both children's matches POSSIBLE); a case system sending its whole record unchanged passes.
    const alias = await t.gql('ben.carter', UPDATE, {
      input: { childId: child.id, expectedVersion: 1, otherNames: [{ givenNames: 'Jordan', familyName: 'Pryce' }] },
    });
    expect(codes(alias)).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('ben.carter', UPDATE, { input: { childId: child.id, expectedVersion: 1, sex: 'MALE' } }))).toEqual([
      'FORBIDDEN',
    ]);
    const unchanged = await t.gql('ben.carter', UPDATE, {
      input: {
        childId: child.id,
        expectedVersion: 1,
        givenName: 'Petra',
        familyName: 'Lindqvist',
        dateOfBirth: '2012-01-20',
        otherNames: [],
      },
    });
    expect(unchanged.body.errors).toBeUndefined();
    const corrected = await t.gql<{ updateChildDetails: { familyName: string } }>('sam.okafor', UPDATE, {
      input: { childId: child.id, expectedVersion: 2, familyName: 'Lindqvist-Ross' },
    });
    expect(corrected.body.data?.updateChildDetails.familyName).toBe('Lindqvist-Ross');
  });
});
