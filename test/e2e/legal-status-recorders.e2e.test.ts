import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Who records a justice status, and what it may follow whichever mutation records it: the home YOS
 * (a host YOS caretakes; DOMAIN §4.4 H1/H2), and a release only over a custodial sentence, by court
 * outcome or bare basis alike (RESPONSIBILITY.md).
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id basis } }`;
const BARE = `mutation($input: RecordLegalStatusInput!) { recordLegalStatus(input: $input) { id basis } }`;

async function episodes(childId: string): Promise<string[]> {
  const rows = await db.query<{ basis: string }[]>(
    `SELECT basis FROM legal_status_episode WHERE child_id = $1 AND dimension = 'JUSTICE' ORDER BY start_date, recorded_at`,
    [childId],
  );
  return rows.map((row) => row.basis);
}

describe('justice status', () => {
  it('is recorded by the home YOS, not by a host YOS caretaking the child', async () => {
    const child = aChild({
      references: [{ caseSystem: 'islington-yos-careworks', value: `CW-${Date.now()}` }],
      involvements: [
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-03-01' },
      ],
      allocations: [
        { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-03-01' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const input = { childId: child.id, outcome: 'BAILED', effectiveDate: '2026-12-01', court: 'Derby Youth Court' };
    const byHost = await t.gql('dana.hughes', COURT, { input });
    expect(codes(byHost)).toEqual(['FORBIDDEN']);
    expect(byHost.body.errors?.[0]?.message).toMatch(/islington-responsibility@v\d+.*home YOS/);
    const bare = await t.gql('dana.hughes', BARE, { input: { childId: child.id, basis: 'BAIL', startDate: '2026-12-01' } });
    expect(codes(bare)).toEqual(['FORBIDDEN']);
    expect(await episodes(child.id)).toEqual([]);
    // Nor may the host make itself the home YOS: by recording that involvement, or by linking its reference.
    const INVOLVE = `mutation($input: RecordInvolvementInput!) { recordInvolvement(input: $input) { id } }`;
    const asHome = await t.gql('derby-yos-integration', INVOLVE, {
      input: { childId: child.id, agencyCode: 'derby-yos', role: 'YOS_HOME', startDate: '2026-12-01' },
    });
    expect(codes(asHome)).toEqual(['CONFLICT']);
    const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { involvements { agency { code } role } } }`;
    const linked = await t.gql<{ linkCaseReference: { involvements: { agency: { code: string }; role: string }[] } }>(
      'derby-yos-integration',
      LINK,
      { input: { childId: child.id, reference: 'CV-HOST-1' } },
      { purpose: 'SAFEGUARDING' },
    );
    expect(linked.body.errors).toBeUndefined();
    const derby = linked.body.data?.linkCaseReference.involvements.filter(
      (involvement) => involvement.agency.code === 'derby-yos',
    );
    expect(derby?.map((involvement) => involvement.role)).toEqual(['YOS_HOST']);
    expect(codes(await t.gql('dana.hughes', COURT, { input }))).toEqual(['FORBIDDEN']);
    const byHome = await t.gql('olu.bakare', COURT, { input });
    expect(byHome.body.errors).toBeUndefined();
    expect(await episodes(child.id)).toEqual(['BAIL']);
  });

  it('is recorded by a host YOS while no home YOS works with the child through Tandem', async () => {
    const child = aChild({
      references: [{ caseSystem: 'derby-yos-childview', value: `CV-H-${Date.now()}` }],
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-03-01' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-03-01' },
      ],
      allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-03-01' }],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const input = { childId: child.id, outcome: 'BAILED', effectiveDate: '2026-12-01', court: 'Derby Youth Court' };
    expect((await t.gql('dana.hughes', COURT, { input })).body.errors).toBeUndefined();
    expect(await episodes(child.id)).toEqual(['BAIL']);
  });

  it('ends what it may end however it is recorded: a release only a custodial sentence', async () => {
    const child = aChild({
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ],
      allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
      legalStatus: [
        {
          basis: LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
          startDate: '2026-06-01',
          sourceEvent: 'Remanded',
          by: 'dana.hughes',
        },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const bare = (basis: string, startDate: string, dimension?: string) =>
      t.gql('dana.hughes', BARE, { input: { childId: child.id, basis, startDate, ...(dimension ? { dimension } : {}) } });
    const release = await bare('RELEASED_ON_LICENCE', '2026-07-01');
    expect(release.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.basis' });
    expect(release.body.errors?.[0]?.message).toMatch(
      /RELEASED_ON_LICENCE cannot follow the current REMAND_LOCAL_AUTHORITY_ACCOMMODATION/,
    );
    expect((await bare('CUSTODIAL_SENTENCE', '2026-07-01')).body.errors).toBeUndefined();
    expect((await bare('RELEASED_ON_LICENCE', '2026-09-01')).body.errors).toBeUndefined();
    expect((await bare('NONE', '2026-10-01', 'JUSTICE')).body.errors).toBeUndefined();
    expect(await episodes(child.id)).toEqual([
      'REMAND_LOCAL_AUTHORITY_ACCOMMODATION',
      'CUSTODIAL_SENTENCE',
      'RELEASED_ON_LICENCE',
      'NONE',
    ]);
  });
});

describe('a care order', () => {
  it('is not ended by recording a child protection enquiry, a child-in-need plan or early help: only by the court', async () => {
    const child = aChild({
      involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2025-01-10' }],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-01-10' }],
      legalStatus: [
        { basis: LegalStatusBasis.S31_CARE_ORDER, startDate: '2025-01-10', sourceEvent: 'Final care order', by: 'sam.okafor' },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const care = (basis: string, startDate: string, dimension?: string) =>
      t.gql('sam.okafor', BARE, { input: { childId: child.id, basis, startDate, ...(dimension ? { dimension } : {}) } });
    for (const basis of ['S47_CHILD_PROTECTION', 'S17_CHILD_IN_NEED', 'EARLY_HELP']) {
      const refused = await care(basis, '2026-11-30');
      expect(refused.body.errors?.[0]?.extensions, basis).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.basis' });
    }
    const LOOKED_AFTER = `query($id: ID!) { child(id: $id) { careStatus { basis endDate } lookedAfterStatus { lookedAfter } } }`;
    const read = await t.gql<{
      child: { careStatus: { basis: string; endDate: string | null }; lookedAfterStatus: { lookedAfter: boolean } };
    }>('sam.okafor', LOOKED_AFTER, { id: child.id });
    expect(read.body.data?.child).toMatchObject({
      careStatus: { basis: 'S31_CARE_ORDER', endDate: null },
      lookedAfterStatus: { lookedAfter: true },
    });
    // Another authority's CSC, involved since (a referral, say), does not end it.
    await db.query(
      `INSERT INTO agency_involvement (child_id, agency_id, role, start_date) SELECT $1, id, 'CSC', '2026-06-01' FROM agency WHERE code = 'islington-csc'`,
      [child.id],
    );
    await db.query(
      `INSERT INTO worker_allocation (child_id, practitioner_id, agency_id, role, start_date)
       SELECT $1, p.id, p.agency_id, 'SOCIAL_WORKER', '2026-06-01' FROM practitioner p WHERE p.subject = 'ben.carter'`,
      [child.id],
    );
    const byIslington = await t.gql('ben.carter', BARE, {
      input: { childId: child.id, basis: 'NONE', startDate: '2026-11-30', dimension: 'CARE' },
    });
    expect(codes(byIslington)).toEqual(['FORBIDDEN']);
    // Discharged by the court, then a child-in-need plan.
    expect((await care('NONE', '2026-11-30', 'CARE')).body.errors).toBeUndefined();
    expect((await care('S17_CHILD_IN_NEED', '2026-12-01')).body.errors).toBeUndefined();
  });
});

describe('one home YOS', () => {
  it('is kept when two YOSes link the same child at once: one link, the other CONFLICT', async () => {
    const child = aChild({
      givenName: 'Rory',
      familyName: 'Zedwick',
      dateOfBirth: '2011-02-03',
      references: [{ caseSystem: 'derby-csc-liquidlogic', value: `LL-RACE-${Date.now()}` }],
      involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
    });
    await db.transaction((manager) => insertChild(manager, child));
    await db.query(
      `UPDATE child SET nhs_number = '4505577104', identifiers_agency_id = (SELECT id FROM agency WHERE code = 'derby-csc') WHERE id = $1`,
      [child.id],
    );
    const MATCH = `query($input: MatchChildInput!) { matchChild(input: $input) { outcome } }`;
    const who = { givenName: 'Rory', familyName: 'Zedwick', dateOfBirth: '2011-02-03', nhsNumber: '4505577104' };
    const safeguarding = { purpose: 'SAFEGUARDING' };
    for (const system of ['islington-yos-integration', 'derby-yos-integration']) {
      expect(
        (await t.gql<{ matchChild: { outcome: string } }>(system, MATCH, { input: who }, safeguarding)).body.data?.matchChild
          .outcome,
      ).toBe('CONFIDENT');
    }
    const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { id } }`;
    const [islington, derby] = await Promise.all([
      t.gql('islington-yos-integration', LINK, { input: { childId: child.id, reference: 'CW-RACE-1' } }, safeguarding),
      t.gql('derby-yos-integration', LINK, { input: { childId: child.id, reference: 'CV-RACE-1' } }, safeguarding),
    ]);
    expect([...codes(islington), ...codes(derby)]).toEqual(['CONFLICT']);
    const [homes] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM agency_involvement WHERE child_id = $1 AND role = 'YOS_HOME' AND end_date IS NULL`,
      [child.id],
    );
    expect(homes?.n).toBe(1);
  });
});
