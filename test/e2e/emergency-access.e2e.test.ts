import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import {
  AllocationRole,
  InvolvementRole,
  LegalStatusBasis,
  PlacementStatus,
  PlacementType,
} from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { KAYLA, REECE } from '../support/demo-ids.js';
import { emergency, JUSTIFICATION } from '../support/emergency.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Break-glass is a grant like any other: only the roles an agreement's emergency clause names, for
 * its reasons, with a real justification, reach the narrow read of the children it covers; never
 * another agency's children by their guessable case reference.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const NAME = `query($id: ID!) { child(id: $id) { givenName familyName dateOfBirth currentPlacement { address } } }`;
const BY_REFERENCE = `{ childByCaseReference(reference: "MOS-771204", caseSystem: "islington-csc-mosaic") { givenName familyName dateOfBirth currentPlacement { address } allocations { practitioner { displayName } } } }`;

async function grantsFor(childId: string): Promise<number> {
  const [row] = await db.query<{ count: number }[]>('SELECT count(*)::int AS count FROM break_glass_access WHERE child_id = $1', [
    childId,
  ]);
  return row?.count ?? 0;
}

/** A child known to one Derby agency only, with a history an emergency read must not show. */
async function childKnownTo(
  agency: 'derby-yos' | 'derby-csc',
  also: Pick<NonNullable<Parameters<typeof aChild>[0]>, 'involvements' | 'allocations'> = {},
) {
  const child = aChild({
    involvements: [
      {
        agency,
        role: agency === 'derby-yos' ? InvolvementRole.YOS_HOME : InvolvementRole.CSC,
        startDate: '2025-01-06',
      },
      ...(also.involvements ?? []),
    ],
    allocations: [
      ...(agency === 'derby-yos'
        ? [
            { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2025-01-06' },
            { user: 'marcus.reid', role: AllocationRole.TEAM_MANAGER, startDate: '2025-01-06' },
          ]
        : [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-01-06' }]),
      ...(also.allocations ?? []),
    ],
    legalStatus: [
      {
        basis: LegalStatusBasis.S20_ACCOMMODATED,
        startDate: '2025-01-06',
        endDate: '2026-03-01',
        sourceEvent: 'Accommodated with parental agreement',
        by: 'sam.okafor',
      },
      { basis: LegalStatusBasis.S31_CARE_ORDER, startDate: '2026-03-01', sourceEvent: 'Final care order', by: 'sam.okafor' },
    ],
    placements: [
      {
        status: PlacementStatus.ENDED,
        type: PlacementType.FOSTER_CARE,
        name: 'Previous carers',
        address: '1 Former Street, Derby',
        postcode: 'DE1 1AA',
        area: 'derby',
        reason: 'Accommodated',
        effectiveDate: '2025-01-06',
        endDate: '2026-03-01',
        by: 'sam.okafor',
      },
      {
        status: PlacementStatus.CURRENT,
        type: PlacementType.RESIDENTIAL_CHILDRENS_HOME,
        name: 'Elm House',
        address: '2 Current Road, Derby',
        postcode: 'DE2 2BB',
        area: 'derby',
        reason: 'Care order',
        effectiveDate: '2026-03-01',
        by: 'sam.okafor',
      },
    ],
  });
  await db.transaction((manager) => insertChild(manager, child));
  return child;
}

describe('who may break glass', () => {
  it("refuses the review's case: any role, a token justification, another authority's looked-after child by its case reference", async () => {
    for (const subject of ['ds.khan', 'gail.morgan', 'priya.shah', 'derby.csct']) {
      const response = await t.gql(subject, BY_REFERENCE, {}, emergency('MISSING_CHILD', '.'));
      expect(response.body.errors?.[0]?.extensions, subject).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'X-Access-Justification',
      });
      expect(response.body.data?.childByCaseReference ?? null).toBeNull();
    }
    // With a real justification: roles no emergency clause names are refused outright.
    for (const subject of ['ds.khan', 'priya.shah']) {
      const response = await t.gql(subject, BY_REFERENCE, {}, emergency());
      expect(codes(response), subject).toEqual(['FORBIDDEN']);
      expect(response.body.data?.childByCaseReference ?? null).toBeNull();
    }
    // Roles that may break glass still never look up another agency's child by its reference…
    const frontDoor = await t.gql('derby.csct', BY_REFERENCE, {}, emergency());
    expect(frontDoor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'caseSystem' });
    const governor = await t.gql('gail.morgan', BY_REFERENCE, {}, emergency('RECEPTION_INTO_CUSTODY'));
    expect(governor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'caseSystem' });
    // …and by id they do not reach a child their clause does not cover (Kayla is Islington's; Derby YOS is only her host).
    const missing = await t.gql('derby.csct', NAME, { id: randomUUID() }, emergency());
    for (const [subject, options] of [
      ['derby.csct', emergency()],
      ['gail.morgan', emergency('RECEPTION_INTO_CUSTODY')],
    ] as const) {
      const byId = await t.gql(subject, NAME, { id: KAYLA.id }, options);
      expect(codes(byId), subject).toEqual(['NOT_FOUND']);
      expect(byId.body.errors?.[0]?.message).toBe(missing.body.errors?.[0]?.message);
      expect(byId.body.data?.child ?? null).toBeNull();
    }
    expect(await grantsFor(KAYLA.id)).toBe(0);
    // Every refused emergency look-up is logged, and flagged for the auditors.
    const detected = await t.gql('audrey.fox', 'mutation { detectAnomalies }', {}, { purpose: 'AUDIT' });
    expect(detected.body.errors).toBeUndefined();
    const flagged = await db.query<{ user_subject: string }[]>(
      `SELECT DISTINCT user_subject FROM disclosure_anomaly WHERE kind = 'BREAK_GLASS_REFUSED' AND user_subject = ANY($1) ORDER BY 1`,
      [['ds.khan', 'priya.shah', 'derby.csct', 'gail.morgan']],
    );
    expect(flagged.map((row) => row.user_subject)).toEqual(['derby.csct', 'ds.khan', 'gail.morgan', 'priya.shah']);
  });

  it('needs a reason code from the vocabulary and a justification of real words', async () => {
    const child = await childKnownTo('derby-yos');
    const refusal = async (headers: Record<string, string>) =>
      (await t.gql('derby.csct', NAME, { id: child.id }, { purpose: 'EMERGENCY', headers })).body.errors?.[0]?.extensions;
    expect(await refusal({ 'x-access-justification': JUSTIFICATION })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Access-Reason',
    });
    expect(await refusal({ 'x-access-justification': JUSTIFICATION, 'x-access-reason': 'CURIOSITY' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Access-Reason',
    });
    for (const justification of [
      '.',
      'urgent urgent urgent',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '1234567890123456789012345',
    ]) {
      expect(
        await refusal({ 'x-access-justification': justification, 'x-access-reason': 'MISSING_CHILD' }),
        justification,
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'X-Access-Justification',
      });
    }
    expect(await grantsFor(child.id)).toBe(0);
  });

  it("names roles per clause and reason: the YOS duty manager for CSC's children, the establishment only at reception", async () => {
    const cscChild = await childKnownTo('derby-csc');
    const manager = await t.gql('marcus.reid', NAME, { id: cscChild.id }, emergency('IMMEDIATE_RISK_OF_HARM'));
    expect(manager.body.errors).toBeUndefined();
    expect(codes(await t.gql('marcus.reid', NAME, { id: cscChild.id }, emergency('OVERNIGHT_ACCOMMODATION')))).toEqual([
      'FORBIDDEN',
    ]);
    const reception = await t.gql('gail.morgan', NAME, { id: cscChild.id }, emergency('RECEPTION_INTO_CUSTODY'));
    expect(reception.body.errors).toBeUndefined();
    expect(codes(await t.gql('gail.morgan', NAME, { id: cscChild.id }, emergency('MISSING_CHILD')))).toEqual(['FORBIDDEN']);
    // Another authority's front door reaches nothing of Derby's.
    expect(codes(await t.gql('islington.icat', NAME, { id: cscChild.id }, emergency()))).toEqual(['NOT_FOUND']);
  });
});

describe('what an emergency read returns', () => {
  it('identity, legal status, current placement, current allocated workers and risk levels; no history, references, involvements or records', async () => {
    const child = await childKnownTo('derby-yos');
    // An allocation that has ended is not one of the workers to call.
    const own = await t.gql<{ child: { allocations: { id: string; role: string }[] } }>(
      'marcus.reid',
      `{ child(id: "${child.id}") { allocations { id role } } }`,
    );
    const caseManager = own.body.data?.child.allocations.find((allocation) => allocation.role === 'YOS_CASE_MANAGER');
    const ended = await t.gql(
      'marcus.reid',
      `mutation { endAllocation(input: { id: "${caseManager?.id}", endDate: "2026-06-01" }) { id } }`,
    );
    expect(ended.body.errors).toBeUndefined();

    const response = await t.gql<{ child: Record<string, unknown> }>(
      'derby.csct',
      `query($id: ID!) { child(id: $id) { id givenName familyName dateOfBirth caseReferences { value }
        legalStatus { basis } legalStatusHistory { basis } currentPlacement { address placementName placementType }
        placements { edges { node { address } } } involvements { role } allocations { role endDate practitioner { displayName } }
        riskFlags { kind } records { edges { node { id } } } } }`,
      { id: child.id },
      emergency(),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.child).toEqual({
      id: child.id,
      givenName: child.givenName,
      familyName: child.familyName,
      dateOfBirth: child.dateOfBirth,
      caseReferences: [],
      legalStatus: { basis: 'S31_CARE_ORDER' },
      legalStatusHistory: [],
      currentPlacement: { address: '2 Current Road, Derby', placementName: 'Elm House', placementType: null },
      placements: { edges: [] },
      involvements: [],
      allocations: [{ role: 'TEAM_MANAGER', endDate: null, practitioner: { displayName: 'Marcus Reid' } }],
      riskFlags: [],
      records: { edges: [] },
    });
    expect(JSON.stringify(response.body)).not.toContain('Former Street');
  });

  it('is the same narrow read, flagged, recorded and counted, for a caller who also works with the child', async () => {
    // CSC's child (so the YOS duty manager's clause reaches it), whom Marcus's own team works with too.
    const child = await childKnownTo('derby-csc', {
      involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2025-01-06' }],
      allocations: [{ user: 'marcus.reid', role: AllocationRole.TEAM_MANAGER, startDate: '2025-01-06' }],
    });
    const READ = `query($id: ID!) { child(id: $id) { givenName caseReferences { value } involvements { role }
      placements { edges { node { address } } } records { edges { node { id } } } } }`;
    type Read = { child: { givenName: string; involvements: unknown[]; placements: { edges: unknown[] } } };
    const correlationId = `emergency-linked-${randomUUID()}`;
    const response = await t.gql<Read>(
      'marcus.reid',
      READ,
      { id: child.id },
      {
        ...emergency(),
        headers: { ...emergency().headers, 'x-correlation-id': correlationId },
      },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.child).toEqual({
      givenName: child.givenName,
      caseReferences: [],
      involvements: [],
      placements: { edges: [] },
      records: { edges: [] },
    });
    expect(await grantsFor(child.id)).toBe(1);
    const bodies = (await loggedReceipts(db, { correlationId })).map((row) => row.body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.filter((body) => !body.breakGlass)).toEqual([]);
    // Under the purpose his work is for, he reads what it opens.
    const usual = await t.gql<Read>('marcus.reid', READ, { id: child.id });
    expect(usual.body.data?.child.involvements.length).toBeGreaterThan(0);
  });

  it('finds a child by name and date of birth (letter case aside), never one outside the clause', async () => {
    const found = await t.gql<{ childByIdentity: { id: string } }>(
      'derby.csct',
      `{ childByIdentity(identity: { givenName: "reece", familyName: "WALSH", dateOfBirth: "2008-11-02" }) { id } }`,
      {},
      emergency(),
    );
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data?.childByIdentity.id).toBe(REECE.id);
    const outside = await t.gql(
      'derby.csct',
      `{ childByIdentity(identity: { givenName: "Kayla", familyName: "Osei", dateOfBirth: "2009-07-22" }) { id givenName } }`,
      {},
      emergency(),
    );
    const nobody = await t.gql(
      'derby.csct',
      `{ childByIdentity(identity: { givenName: "Nobody", familyName: "Osei", dateOfBirth: "2009-07-22" }) { id givenName } }`,
      {},
      emergency(),
    );
    expect(codes(outside)).toEqual(['NOT_FOUND']);
    const withoutPurpose = await t.gql(
      'derby.csct',
      `{ childByIdentity(identity: { givenName: "Reece", familyName: "Walsh", dateOfBirth: "2008-11-02" }) { id } }`,
      {},
      { purpose: null },
    );
    expect(withoutPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    expect(outside.body.data).toEqual(nobody.body.data);
    expect(outside.body.errors?.map((error) => [error.message, error.path])).toEqual(
      nobody.body.errors?.map((error) => [error.message, error.path]),
    );
  });
});

describe('who is told', () => {
  it('alerts every allocated worker through the API, and shows the read in each one’s access feed', async () => {
    const correlationId = `emergency-${randomUUID()}`;
    const read = await t.gql(
      'derby.csct',
      NAME,
      { id: REECE.id },
      {
        ...emergency('MISSING_CHILD'),
        headers: { ...emergency('MISSING_CHILD').headers, 'x-correlation-id': correlationId },
      },
    );
    expect(read.body.errors).toBeUndefined();

    const ALERTS = `{ practitionerAlerts(first: 20) { edges { node { kind childId message createdAt } } } }`;
    type Alerts = { practitionerAlerts: { edges: { node: { kind: string; childId: string; message: string } }[] } };
    for (const worker of ['paul.adeyemi', 'dana.hughes']) {
      const alerts = await t.gql<Alerts>(worker, ALERTS);
      expect(alerts.body.errors, worker).toBeUndefined();
      const alert = alerts.body.data?.practitionerAlerts.edges.map((edge) => edge.node).find((node) => node.childId === REECE.id);
      expect(alert, worker).toMatchObject({ kind: 'BREAK_GLASS' });
      expect(alert?.message).toContain('Derby CSCT front door (derby-csc)');
      expect(alert?.message).toContain('MISSING_CHILD');
      expect(alert?.message).toContain(JUSTIFICATION);
    }
    // Only one's own alerts, and only with a purpose.
    const other = await t.gql<Alerts>('sam.okafor', ALERTS);
    expect(other.body.data?.practitionerAlerts.edges.some((edge) => edge.node.childId === REECE.id)).toBe(false);
    expect((await t.gql('paul.adeyemi', ALERTS, {}, { purpose: null })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Purpose-Of-Use',
    });

    const FEED = `{ accessFeed(first: 50) { edges { node { correlationId recipient { subject } subject { kind } } } } }`;
    type Feed = { accessFeed: { edges: { node: { correlationId: string; subject: { kind: string } | null } }[] } };
    for (const worker of ['paul.adeyemi', 'dana.hughes']) {
      const feed = await t.gql<Feed>(worker, FEED);
      expect(feed.body.errors, worker).toBeUndefined();
      const kinds = feed.body.data?.accessFeed.edges
        .filter((edge) => edge.node.correlationId === correlationId)
        .map((edge) => edge.node.subject?.kind)
        .sort();
      expect(kinds, worker).toEqual(['CHILD', 'PLACEMENT']);
    }
    for (const outsider of ['sam.okafor', 'ben.carter']) {
      const feed = await t.gql<Feed>(outsider, FEED);
      expect(
        feed.body.data?.accessFeed.edges.some((edge) => edge.node.correlationId === correlationId),
        outsider,
      ).toBe(false);
    }

    // The receipts name the emergency clause and its lawful basis.
    const bodies = (await loggedReceipts(db, { correlationId })).map((row) => row.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.breakGlass).toBe(true);
      for (const basis of body.bases) {
        expect(basis.rule).toBe('BREAK-GLASS derby-yos-csc@v4 §4.1');
        expect(basis.lawfulBasis).toMatch(/Art 6\(1\)\(d\) vital interests/);
      }
    }
  });
});
