import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf, REECE } from '../support/demo-ids.js';
import { emergency, involvePolice } from '../support/emergency.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Withheld {
  field: string;
  rule: string;
  reason: string;
}

const RECORDS = `query($id: ID!) { child(id: $id) { records(first: 50) { edges { node { id kind withheld { field rule reason } } } } } }`;
type RecordsPage = { child: { records: { edges: { node: { id: string; kind: string; withheld: Withheld[] } }[] } } };

async function kindsVisible(subject: string, childId: string, purpose = 'CASE_MANAGEMENT'): Promise<string[]> {
  const response = await t.gql<RecordsPage>(subject, RECORDS, { id: childId }, { purpose });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (response.body.data?.child.records.edges ?? []).map((edge) => edge.node.kind).sort();
}

describe('purpose of use', () => {
  it('is required for child data: missing or unknown gets BAD_USER_INPUT and no data', async () => {
    for (const purpose of [null, 'CURIOSITY']) {
      const response = await t.gql('dana.hughes', `{ child(id: "${JORDAN.id}") { id givenName } }`, {}, { purpose });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
      expect(response.body.data?.child ?? null).toBeNull();
    }
  });

  it('that only reads (AUDIT, EMERGENCY) changes nothing: a write under it is refused, the same write under CASE_MANAGEMENT is not', async () => {
    const record = recordOf(JORDAN, RecordKind.ASSET_PLUS);
    const read = await t.gql<{ record: { latestVersion: number } }>(
      'dana.hughes',
      `{ record(id: "${record}") { latestVersion } }`,
    );
    const version = read.body.data?.record.latestVersion ?? 0;
    const update = `mutation($v: Int!) { updateRecord(input: { recordId: "${record}", expectedVersion: $v, content: { assetPlus: { analysis: "Reviewed" } } }) { version } }`;
    for (const purpose of ['AUDIT', 'EMERGENCY']) {
      const refused = await t.gql('dana.hughes', update, { v: version }, { ...emergency(), purpose });
      expect(codes(refused), purpose).toEqual(['FORBIDDEN']);
      expect(refused.body.errors?.[0]?.message, purpose).toMatch(new RegExp(`^Purpose ${purpose} is for `));
    }
    const visit = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
    const input = { childId: JORDAN.id, kind: 'YOS_SUPERVISION', visitDate: '2026-11-20', location: 'YOS office' };
    expect(codes(await t.gql('dana.hughes', visit, { input }, { purpose: 'AUDIT' }))).toEqual(['FORBIDDEN']);
    const unchanged = await t.gql<{ record: { latestVersion: number } }>(
      'dana.hughes',
      `{ record(id: "${record}") { latestVersion } }`,
    );
    expect(unchanged.body.data?.record.latestVersion).toBe(version);
    // (The record is left as it is for the tests after this one; the visit is the write that goes through.)
    const recorded = await t.gql<{ recordVisit: { id: string } }>('dana.hughes', visit, { input });
    expect(recorded.body.errors).toBeUndefined();
    expect(recorded.body.data?.recordVisit.id).toEqual(expect.any(String));
  });

  it('is not needed for the directory', async () => {
    const response = await t.gql<{ me: { subject: string } }>('dana.hughes', '{ me { subject } }', {}, { purpose: null });
    expect(response.body.data?.me.subject).toBe('dana.hughes');
  });
});

describe('legitimate relationship', () => {
  const CHILD = `query($id: ID!) { child(id: $id) { id givenName } }`;

  it('hides a child from a practitioner of the same agency who is not allocated, exactly like a missing one', async () => {
    const unallocated = await t.gql('priya.shah', CHILD, { id: JORDAN.id });
    const missing = await t.gql('priya.shah', CHILD, { id: '00000000-0000-4000-9000-0000000000aa' });
    expect(codes(unallocated)).toEqual(['NOT_FOUND']);
    expect(unallocated.body.errors?.[0]?.message).toBe(missing.body.errors?.[0]?.message);
    expect(unallocated.body.data).toEqual(missing.body.data);
  });

  it('shows a team manager the children allocated in their team, and a front door those its agency is involved with', async () => {
    expect(codes(await t.gql('marcus.reid', CHILD, { id: JORDAN.id }))).toEqual([]);
    expect(codes(await t.gql('derby.csct', CHILD, { id: JORDAN.id }))).toEqual([]);
    expect(codes(await t.gql('derby.csct', CHILD, { id: KAYLA.id }))).toEqual(['NOT_FOUND']);
  });

  it('keeps access for the grace period after an allocation ends, then stops it', async () => {
    const own = await t.gql<{ child: { allocations: { id: string; practitioner: { displayName: string } }[] } }>(
      'tara.nolan',
      `{ child(id: "${JORDAN.id}") { allocations { id practitioner { displayName } } } }`,
    );
    const irene = own.body.data?.child.allocations.find((allocation) => allocation.practitioner.displayName === 'Irene Walsh');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const end = await t.gql(
      'tara.nolan',
      `mutation($id: ID!, $d: LocalDate!) { endAllocation(input: { id: $id, endDate: $d }) { endDate } }`,
      {
        id: irene?.id,
        d: day(-3),
      },
    );
    expect(end.body.errors).toBeUndefined();
    expect(codes(await t.gql('irene.walsh', CHILD, { id: JORDAN.id }))).toEqual([]);
    await t.app
      .get((await import('typeorm')).DataSource)
      .query('UPDATE worker_allocation SET end_date = $2 WHERE id = $1', [irene?.id, day(-8)]);
    expect(codes(await t.gql('irene.walsh', CHILD, { id: JORDAN.id }))).toEqual(['NOT_FOUND']);
  });
});

describe('sharing agreements decide which records and fields', () => {
  it('gives the home YOS the CSC plans, and the host YOS only its caretaking scope', async () => {
    expect(await kindsVisible('dana.hughes', JORDAN.id)).toEqual(
      ['ASSET_PLUS', 'CARE_PLAN', 'CUSTODY_INFORMATION_PACK', 'DETENTION_PLACEMENT_PLAN'].sort(),
    );
    // Derby YOS is Kayla's host YOS: no care plan, only what the caretaking agreement relays.
    expect(await kindsVisible('dana.hughes', KAYLA.id)).toEqual([
      'INTERVENTION_PLAN',
      'PLACEMENT_PLAN',
      'PLANNING_MEETING_RECORD',
    ]);
    const plan = await t.gql<{
      record: { content: { riskTargets: string[] | null; protectiveFactors: string[] | null }; withheld: Withheld[] };
    }>(
      'dana.hughes',
      `{ record(id: "${recordOf(KAYLA, RecordKind.INTERVENTION_PLAN)}") { ... on InterventionPlan { content { riskTargets protectiveFactors } withheld { field rule } } } }`,
    );
    expect(plan.body.data?.record.content.riskTargets).toEqual(['Peer association', 'Substance misuse']);
    expect(plan.body.data?.record.content.protectiveFactors).toBeNull();
    expect(plan.body.data?.record.withheld).toContainEqual({ field: 'content.protectiveFactors', rule: 'DEFAULT-DENY' });
  });

  it('gives the secure estate exactly the custody information pack and the detention placement plan, for custody care only (C11)', async () => {
    expect(await kindsVisible('gail.morgan', JORDAN.id, 'CUSTODY_CARE')).toEqual([
      'CUSTODY_INFORMATION_PACK',
      'DETENTION_PLACEMENT_PLAN',
    ]);
    const pack = await t.gql<{ record: { content: Record<string, unknown>; withheld: Withheld[] } }>(
      'gail.morgan',
      `{ record(id: "${recordOf(JORDAN, RecordKind.CUSTODY_INFORMATION_PACK)}") { ... on CustodyInformationPack { withheld { field rule }
        content { previousCareStatus parentalResponsibility { name } representativeAndTeamManager { name } immediateSafetyInformation familyAndContact healthAndEducationNeeds socialWorkerVisitDate } } } }`,
      {},
      { purpose: 'CUSTODY_CARE' },
    );
    expect(pack.body.data?.record.withheld).toEqual([]);
    expect(Object.values(pack.body.data?.record.content ?? {}).every((value) => value !== null)).toBe(true);
    expect(await kindsVisible('gail.morgan', JORDAN.id, 'CASE_MANAGEMENT')).toEqual([]);
  });

  it('applies field rules per record through aliases, fragments and nested paths', async () => {
    const response = await t.gql<{ a: { edges: { node: Record<string, unknown> }[] } }>(
      'marcus.reid',
      `query { c: child(id: "${JORDAN.id}") { a: records(kinds: [DETENTION_PLACEMENT_PLAN]) { edges { node { ...Dpp } } } } }
       fragment Dpp on DetentionPlacementPlan { health: content { h: healthArrangements name: establishmentName sw: socialWorker { n: name } } withheld { field rule } }`,
    );
    const node = (
      response.body.data as unknown as {
        c: { a: { edges: { node: { health: Record<string, unknown>; withheld: Withheld[] } }[] } };
      }
    ).c.a.edges[0]?.node;
    // Marcus manages Dana's team but is not allocated: special-category health is need-to-know (C6–C9).
    expect(node?.health).toMatchObject({ h: null, name: 'HMYOI Wetherby', sw: { n: 'Sam Okafor' } });
    expect(node?.withheld).toContainEqual({ field: 'content.healthArrangements', rule: 'C6-C9' });
    const allocated = await t.gql<{ record: { content: { healthArrangements: string | null } } }>(
      'dana.hughes',
      `{ record(id: "${recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN)}") { ... on DetentionPlacementPlan { content { healthArrangements } } } }`,
    );
    expect(allocated.body.data?.record.content.healthArrangements).toContain('CAMHS');
  });

  it('lists withheld fields whether or not they hold a value', async () => {
    const response = await t.gql<RecordsPage>('derby.csct', RECORDS, { id: JORDAN.id }, { purpose: 'SAFEGUARDING' });
    const assetPlus = response.body.data?.child.records.edges.find((edge) => edge.node.kind === 'ASSET_PLUS')?.node;
    const fields = assetPlus?.withheld.map((entry) => entry.field) ?? [];
    expect(fields).toContain('content.thirdPartyInformation');
    expect(fields).toContain('content.sections.physicalHealth');
  });
});

describe('the protocols’ restrictions', () => {
  const CARE_PLAN = `query($id: ID!) { record(id: $id) { ... on CarePlan { content { summary courtProceedingsInformation } withheld { field rule reason } } } }`;
  type CarePlanResult = {
    record: { content: { summary: string | null; courtProceedingsInformation: string | null }; withheld: Withheld[] };
  };

  it('C1: court-proceedings material reaches a YOS court report only once a court order or consent is recorded', async () => {
    const id = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const before = await t.gql<CarePlanResult>('dana.hughes', CARE_PLAN, { id }, { purpose: 'COURT_REPORT' });
    expect(before.body.data?.record.content.courtProceedingsInformation).toBeNull();
    expect(before.body.data?.record.withheld).toContainEqual(
      expect.objectContaining({ field: 'content.courtProceedingsInformation', rule: 'C1' }),
    );
    const recorded = await t.gql(
      'sam.okafor',
      `mutation { recordDisclosurePermission(input: { recordId: "${id}", kind: COURT_ORDER, reference: "DE24P00123" }) { id } }`,
    );
    expect(recorded.body.errors).toBeUndefined();
    const after = await t.gql<CarePlanResult>('dana.hughes', CARE_PLAN, { id }, { purpose: 'COURT_REPORT' });
    expect(after.body.data?.record.content.courtProceedingsInformation).toContain('private-law');
    const otherPurpose = await t.gql<CarePlanResult>('dana.hughes', CARE_PLAN, { id }, { purpose: 'CASE_MANAGEMENT' });
    expect(otherPurpose.body.data?.record.content.courtProceedingsInformation).toBeNull();
    const notOwner = await t.gql(
      'dana.hughes',
      `mutation { recordDisclosurePermission(input: { recordId: "${id}", kind: CONSENT, reference: "x" }) { id } }`,
    );
    expect(codes(notOwner)).toEqual(['FORBIDDEN']);
  });

  it('C2: third-party information reaches CSC for family proceedings only with the third party’s permission', async () => {
    const id = recordOf(JORDAN, RecordKind.ASSET_PLUS);
    const query = `{ record(id: "${id}") { ... on AssetPlus { content { thirdPartyInformation riskOfReoffending } withheld { field rule } } } }`;
    type Result = {
      record: { content: { thirdPartyInformation: string | null; riskOfReoffending: string | null }; withheld: Withheld[] };
    };
    const before = await t.gql<Result>('sam.okafor', query, {}, { purpose: 'FAMILY_PROCEEDINGS' });
    expect(before.body.data?.record.content).toEqual({ thirdPartyInformation: null, riskOfReoffending: 'HIGH' });
    expect(before.body.data?.record.withheld).toContainEqual({ field: 'content.thirdPartyInformation', rule: 'C2' });
    await t.gql(
      'dana.hughes',
      `mutation { recordDisclosurePermission(input: { recordId: "${id}", kind: THIRD_PARTY_PERMISSION, reference: "DSL letter 2026-10-02" }) { id } }`,
    );
    const after = await t.gql<Result>('sam.okafor', query, {}, { purpose: 'FAMILY_PROCEEDINGS' });
    expect(after.body.data?.record.content.thirdPartyInformation).toContain('bus station');
    const caseWork = await t.gql<Result>('sam.okafor', query, {}, { purpose: 'CASE_MANAGEMENT' });
    expect(caseWork.body.data?.record.content.thirdPartyInformation).toBeNull();
  });

  it('C3: an open police investigation blocks AIM3, and police see only records made before it opened', async () => {
    await involvePolice(t, JORDAN.id);
    const aim3 = `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { aim3Assessment: { concerns: "Reported incident at school" } } }) { id } }`;
    const earlier = await t.gql<{ createRecord: { id: string } }>('dana.hughes', aim3);
    expect(earlier.body.errors).toBeUndefined();
    const opened = await t.gql<{ recordRestriction: { id: string } }>(
      'ds.khan',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Larch, ref 26/1187" }) { id } }`,
      {},
      { purpose: 'SAFEGUARDING' },
    );
    expect(opened.body.errors).toBeUndefined();
    const blocked = await t.gql('dana.hughes', aim3);
    expect(codes(blocked)).toEqual(['FORBIDDEN']);
    expect(blocked.body.errors?.[0]?.message).toMatch(/^C3/);
    const later = await t.gql<{ createRecord: { id: string } }>(
      'dana.hughes',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { assetPlus: { analysis: "Reviewed after the allegation" } } }) { id } }`,
    );
    const policeSees = await kindsVisible('ds.khan', JORDAN.id, 'SAFEGUARDING');
    expect(policeSees).toEqual(['AIM3_ASSESSMENT', 'ASSET_PLUS']);
    expect(
      codes(
        await t.gql('ds.khan', `{ record(id: "${later.body.data?.createRecord.id}") { id } }`, {}, { purpose: 'SAFEGUARDING' }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await t.gql('ds.khan', `{ record(id: "${earlier.body.data?.createRecord.id}") { id } }`, {}, { purpose: 'SAFEGUARDING' }),
      ),
    ).toEqual([]);
    await t.gql(
      'ds.khan',
      `mutation { endRestriction(input: { id: "${opened.body.data?.recordRestriction.id}" }) { endedAt } }`,
      {},
      { purpose: 'SAFEGUARDING' },
    );
    expect(codes(await t.gql('dana.hughes', aim3))).toEqual([]);
  });

  it('C10: a contact restriction hides the placement address from the restricted party only', async () => {
    const restrict = await t.gql(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedSubject: "marcus.reid", details: "s34 order" }) { id } }`,
    );
    expect(restrict.body.errors).toBeUndefined();
    const query = `{ child(id: "${JORDAN.id}") { currentPlacement { placementName address area { code } reason withheld { field rule } } } }`;
    type Placement = {
      placementName: string | null;
      address: string | null;
      area: { code: string } | null;
      reason: string | null;
    };
    type Result = { child: { currentPlacement: Placement & { withheld: Withheld[] } } };
    const restricted = await t.gql<Result>('marcus.reid', query);
    // Nor where it is by its area, or by why the child moved there (fields of another class that locate the child).
    expect(restricted.body.data?.child.currentPlacement).toMatchObject({
      placementName: null,
      address: null,
      area: null,
      reason: null,
    });
    for (const field of ['address', 'area', 'reason'])
      expect(restricted.body.data?.child.currentPlacement.withheld).toContainEqual({ field, rule: 'C10' });
    const dpp = await t.gql<{ record: { content: { establishmentAddress: string | null } } }>(
      'marcus.reid',
      `{ record(id: "${recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN)}") { ... on DetentionPlacementPlan { content { establishmentAddress } } } }`,
    );
    expect(dpp.body.data?.record.content.establishmentAddress).toBeNull();
    const other = await t.gql<Result>('dana.hughes', query);
    expect(other.body.data?.child.currentPlacement.address).toBe('York Road, Wetherby');
    expect(other.body.data?.child.currentPlacement.area).not.toBeNull();
    expect(other.body.data?.child.currentPlacement.reason).not.toBeNull();
  });

  it('C10: the person a contact restriction names cannot end it, even in the agency that recorded it', async () => {
    const recorded = await t.gql<{ recordRestriction: { id: string } }>(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedSubject: "tara.nolan", details: "Related to the father; s34 order" }) { id } }`,
    );
    expect(recorded.body.errors).toBeUndefined();
    const end = `mutation($id: ID!) { endRestriction(input: { id: $id }) { details endedAt } }`;
    const id = recorded.body.data?.recordRestriction.id;
    const byTheNamed = await t.gql('tara.nolan', end, { id });
    expect(codes(byTheNamed)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(byTheNamed.body)).not.toContain('s34');
    // Anyone else of the recording agency with the permission still ends it.
    const bySomeoneElse = await t.gql<{ endRestriction: { endedAt: string | null } }>('sam.okafor', end, { id });
    expect(bySomeoneElse.body.errors).toBeUndefined();
    expect(bySomeoneElse.body.data?.endRestriction.endedAt).not.toBeNull();
  });

  it('C16: the YOS cannot sign as parent/carer; the allocated social worker of a looked-after child can', async () => {
    const id = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    const byYos = await t.gql(
      'olu.bakare',
      `mutation { updateRecord(input: { recordId: "${id}", expectedVersion: 1, content: { interventionPlan: { riskTargets: ["x"], parentOrCarerSignature: { signedByName: "Olu Bakare", capacity: "parent" } } } }) { id } }`,
    );
    expect(codes(byYos)).toEqual(['FORBIDDEN']);
    expect(byYos.body.errors?.[0]?.message).toMatch(/^C16/);
    const sign = `mutation { signInterventionPlanAsParentCarer(input: { recordId: "${id}", expectedVersion: 1 }) { version ... on InterventionPlan { content { parentOrCarerSignature { signedByName } } } } }`;
    expect(codes(await t.gql('olu.bakare', sign))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('ayesha.malik', sign))).toEqual(['FORBIDDEN']);
    const signed = await t.gql<{
      signInterventionPlanAsParentCarer: { version: number; content: { parentOrCarerSignature: { signedByName: string } } };
    }>('ben.carter', sign);
    expect(signed.body.data?.signInterventionPlanAsParentCarer).toMatchObject({
      version: 2,
      content: { parentOrCarerSignature: { signedByName: 'Ben Carter' } },
    });
  });

  it('C17: a YOS worker is never appointed the visiting representative', async () => {
    const byCsc = await t.gql(
      'tara.nolan',
      `mutation { allocateWorker(input: { childId: "${JORDAN.id}", practitionerSubject: "dana.hughes", practitionerName: "Dana Hughes", role: VISITING_REPRESENTATIVE, startDate: "2026-11-20" }) { id } }`,
    );
    expect(codes(byCsc)).toEqual(['FORBIDDEN']);
    const byYos = await t.gql(
      'marcus.reid',
      `mutation { allocateWorker(input: { childId: "${JORDAN.id}", practitionerSubject: "marcus.reid", practitionerName: "Marcus Reid", role: VISITING_REPRESENTATIVE, startDate: "2026-11-20" }) { id } }`,
    );
    expect(codes(byYos)).toEqual(['FORBIDDEN']);
    expect(byYos.body.errors?.[0]?.message).toMatch(/^C17/);
  });
});

describe('writes', () => {
  it('lets only the owning agency’s allocated staff and their managers write', async () => {
    const update = `mutation($v: Int!) { updateRecord(input: { recordId: "${recordOf(JORDAN, RecordKind.ASSET_PLUS)}", expectedVersion: $v, content: { assetPlus: { analysis: "Manager's review" } } }) { version } }`;
    const current = await t.gql<{ record: { latestVersion: number } }>(
      'dana.hughes',
      `{ record(id: "${recordOf(JORDAN, RecordKind.ASSET_PLUS)}") { latestVersion } }`,
    );
    const byManager = await t.gql('marcus.reid', update, { v: current.body.data?.record.latestVersion });
    expect(byManager.body.errors).toBeUndefined();
    expect(codes(await t.gql('sam.okafor', update, { v: 1 }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('priya.shah', update, { v: 1 }))).toEqual(['FORBIDDEN']);
  });
});

describe('the other agency acknowledges and comments, but does not edit', () => {
  it('records an acknowledgement through the same ability', async () => {
    const id = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const acknowledge = `mutation($id: ID!) { acknowledgeRecord(input: { recordId: $id, version: 2, comment: "Read; YOS will attend the review" }) { version name agency { code } comment } }`;
    const done = await t.gql<{ acknowledgeRecord: Record<string, unknown> }>('dana.hughes', acknowledge, { id });
    expect(done.body.data?.acknowledgeRecord).toEqual({
      version: 2,
      name: 'Dana Hughes',
      agency: { code: 'derby-yos' },
      comment: 'Read; YOS will attend the review',
    });
    const read = await t.gql<{ record: { acknowledgements: { name: string }[] } }>(
      'sam.okafor',
      `{ record(id: "${id}") { acknowledgements { name } } }`,
    );
    expect(read.body.data?.record.acknowledgements).toEqual([{ name: 'Dana Hughes' }]);
    expect(codes(await t.gql('sam.okafor', acknowledge, { id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql('ben.carter', acknowledge, { id }))).toEqual(['NOT_FOUND']);
    const edit = await t.gql(
      'dana.hughes',
      `mutation { updateRecord(input: { recordId: "${id}", expectedVersion: 2, content: { carePlan: { summary: "x" } } }) { id } }`,
    );
    expect(codes(edit)).toEqual(['FORBIDDEN']);
  });
});

describe('break-glass', () => {
  const NARROW = `query($id: ID!) { child(id: $id) { givenName legalStatus { basis } currentPlacement { address } allocations { role } records { edges { node { id } } } } }`;

  it('needs a written justification', async () => {
    const response = await t.gql('priya.shah', NARROW, { id: JORDAN.id }, { purpose: 'EMERGENCY' });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Access-Justification' });
  });

  it('gives a narrow read of a child outside the caller’s relationships, audits it and tells the allocated workers', async () => {
    // Break-glass is the front door's under derby-yos-csc §4.1, for a child known to the YOS (Reece).
    const headers = emergency('MISSING_CHILD', 'Missing from home overnight; police asking where he may be').headers ?? {};
    const response = await t.gql<{ child: Record<string, unknown> }>(
      'derby.csct',
      NARROW,
      { id: REECE.id },
      { purpose: 'EMERGENCY', headers },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.child).toMatchObject({
      givenName: 'Reece',
      legalStatus: { basis: 'NONE' },
      currentPlacement: { address: '8 Nottingham Road, Derby' },
      records: { edges: [] },
    });
    const dataSource = t.app.get((await import('typeorm')).DataSource);
    const [grant] = await dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM break_glass_access WHERE child_id = $1 AND subject = 'derby.csct' AND reason_code = 'MISSING_CHILD'`,
      [REECE.id],
    );
    expect(grant?.count).toBe(1);
    const alerts = await dataSource.query<{ subject: string }[]>(
      `SELECT p.subject FROM practitioner_alert a JOIN practitioner p ON p.id = a.practitioner_id WHERE a.child_id = $1 AND a.kind = 'BREAK_GLASS'`,
      [REECE.id],
    );
    expect(alerts.map((alert) => alert.subject).sort()).toEqual(['dana.hughes', 'paul.adeyemi']);
    // A second read within the time box is covered by the same grant.
    await t.gql('derby.csct', NARROW, { id: REECE.id }, { purpose: 'EMERGENCY', headers });
    const [again] = await dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM break_glass_access WHERE child_id = $1`,
      [REECE.id],
    );
    expect(again?.count).toBe(1);
    // Lists never widen under break-glass.
    const list = await t.gql<{ children: { edges: { node: { id: string } }[] } }>(
      'derby.csct',
      '{ children { edges { node { id } } } }',
      {},
      { purpose: 'EMERGENCY', headers },
    );
    expect(list.body.data?.children.edges.map((edge) => edge.node.id)).not.toContain(REECE.id);
  });
});

describe('explainAccess', () => {
  const EXPLAIN = `query($child: ID!, $purpose: PurposeOfUse!, $record: ID, $as: ExplainAsUserInput) {
    explainAccess(childId: $child, purpose: $purpose, recordId: $record, asUser: $as) { subject childVisible relationship
      entries { owningAgency { code } recordKind decisions { sensitivityClass allowed rule agreementId clause lawfulBasis } } } }`;
  type Explanation = {
    explainAccess: {
      subject: string;
      childVisible: boolean;
      relationship: string[];
      entries: {
        owningAgency: { code: string };
        decisions: {
          sensitivityClass: string;
          allowed: boolean;
          rule: string;
          agreementId: string | null;
          clause: string | null;
          lawfulBasis: string | null;
        }[];
      }[];
    };
  };

  it('explains the caller’s own access per class with rule, clause and lawful basis', async () => {
    const response = await t.gql<Explanation>('dana.hughes', EXPLAIN, {
      child: JORDAN.id,
      purpose: 'CASE_MANAGEMENT',
      record: recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN),
    });
    expect(response.body.errors).toBeUndefined();
    const health = response.body.data?.explainAccess.entries[0]?.decisions.find(
      (decision) => decision.sensitivityClass === 'HEALTH',
    );
    expect(health).toMatchObject({ allowed: true, agreementId: 'derby-yos-csc', clause: '2.1' });
    expect(health?.lawfulBasis).toContain('Art 9');
    const court = response.body.data?.explainAccess.entries[0]?.decisions.find(
      (decision) => decision.sensitivityClass === 'COURT_RESTRICTED',
    );
    expect(court).toMatchObject({ allowed: false });
  });

  it('lets an auditor explain any user, and nobody else', async () => {
    const as = { subject: 'priya.shah', agencyCode: 'derby-yos', roles: ['YOS_PARENTING_WORKER'] };
    const audit = await t.gql<Explanation>(
      'audrey.fox',
      EXPLAIN,
      { child: JORDAN.id, purpose: 'CASE_MANAGEMENT', as },
      { purpose: 'AUDIT' },
    );
    expect(audit.body.errors).toBeUndefined();
    expect(audit.body.data?.explainAccess).toMatchObject({ subject: 'priya.shah', childVisible: false, relationship: [] });
    const notAuditor = await t.gql('dana.hughes', EXPLAIN, { child: JORDAN.id, purpose: 'CASE_MANAGEMENT', as });
    expect(codes(notAuditor)).toEqual(['FORBIDDEN']);
    const notVisible = await t.gql('priya.shah', EXPLAIN, { child: JORDAN.id, purpose: 'CASE_MANAGEMENT' });
    expect(codes(notVisible)).toEqual(['NOT_FOUND']);
  });
});
