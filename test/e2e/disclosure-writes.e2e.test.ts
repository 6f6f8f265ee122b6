import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Receipt {
  entryKind: string;
  outcome: string;
  userSubject: string;
  childId: string | null;
  recordKind: string | null;
  recordId: string | null;
  recordVersion: number | null;
  body: {
    alteration?: { action: string; versionBefore: number | null; versionAfter: number | null };
    lookup?: string;
    purpose: string | null;
  };
}

/** The receipts one request left in the log (the log is shared by every test file, so by correlation id). */
async function receiptsOf(correlationId: string): Promise<Receipt[]> {
  const rows = await loggedReceipts(t.app.get(DataSource), { correlationId });
  return rows.map((row) => ({
    entryKind: row.entryKind,
    outcome: row.outcome,
    userSubject: row.userSubject,
    childId: row.childId,
    recordKind: row.recordKind,
    recordId: row.recordId,
    recordVersion: row.recordVersion,
    body: row.body,
  }));
}

/** Sends one request with its own correlation id and returns its response and the receipts it left. */
async function send<T = Record<string, unknown>>(
  subject: string,
  query: string,
  variables: Record<string, unknown> = {},
  purpose = 'CASE_MANAGEMENT',
): Promise<{ response: GraphQLResponse<T>; receipts: Receipt[]; of: (entryKind: string) => Receipt[] }> {
  const correlationId = `writes-${randomUUID()}`;
  const response = await t.gql<T>(subject, query, variables, { purpose, headers: { 'x-correlation-id': correlationId } });
  const receipts = await receiptsOf(correlationId);
  return { response, receipts, of: (entryKind) => receipts.filter((receipt) => receipt.entryKind === entryKind) };
}

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version } }`;
const PLAN = (risk: string) => ({
  interventionPlan: { riskTargets: [risk], interventions: [{ action: 'Mentoring', owner: 'Olu Bakare' }] },
});

describe('alterations are logged in the transaction of the change', () => {
  it('logs an updateRecord with the versions before and after and the user who made it', async () => {
    const created = await send<{ createRecord: { id: string; version: number } }>('olu.bakare', CREATE, {
      input: { childId: KAYLA.id, content: PLAN('Peer association') },
    });
    expect(created.response.body.errors).toBeUndefined();
    const id = created.response.body.data?.createRecord.id;
    expect(created.of('ALTERATION')).toEqual([
      expect.objectContaining({
        outcome: 'ALTERED',
        userSubject: 'olu.bakare',
        childId: KAYLA.id,
        recordKind: RecordKind.INTERVENTION_PLAN,
        recordId: id,
        recordVersion: 1,
        body: expect.objectContaining({
          alteration: { action: 'createRecord', versionBefore: null, versionAfter: 1 },
        }) as unknown,
      }),
    ]);

    const updated = await send<{ updateRecord: { version: number } }>('olu.bakare', UPDATE, {
      input: { recordId: id, expectedVersion: 1, content: PLAN('Substance misuse') },
    });
    expect(updated.response.body.data?.updateRecord.version).toBe(2);
    const [alteration, ...others] = updated.of('ALTERATION');
    expect(others).toEqual([]);
    expect(alteration).toMatchObject({
      outcome: 'ALTERED',
      userSubject: 'olu.bakare',
      childId: KAYLA.id,
      recordKind: RecordKind.INTERVENTION_PLAN,
      recordId: id,
      recordVersion: 2,
      body: { alteration: { action: 'updateRecord', versionBefore: 1, versionAfter: 2 }, purpose: 'CASE_MANAGEMENT' },
    });
  });

  it('logs a placement change when it is recorded and when it is confirmed', async () => {
    const recorded = await send<{ recordPlacementChange: { id: string; status: string } }>(
      'ben.carter',
      `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id status } }`,
      {
        input: {
          childId: KAYLA.id,
          placementType: 'FOSTER_CARE',
          placementName: 'Foster carers (Derby)',
          address: '2 Duffield Road, Derby',
          areaLocalAuthority: 'derby',
          reason: 'Step down from residential care',
          plannedDate: '2026-12-14',
        },
      },
    );
    expect(recorded.response.body.errors).toBeUndefined();
    const placementId = recorded.response.body.data?.recordPlacementChange.id;
    expect(recorded.of('ALTERATION')).toEqual([
      expect.objectContaining({
        userSubject: 'ben.carter',
        childId: KAYLA.id,
        recordKind: 'PLACEMENT',
        recordId: placementId,
        body: expect.objectContaining({
          alteration: { action: 'recordPlacementChange', versionBefore: null, versionAfter: 1 },
        }) as unknown,
      }),
    ]);

    const CONFIRM = `mutation($input: ConfirmPlacementChangeInput!) { confirmPlacementChange(input: $input) { id status } }`;
    const stale = await send('ben.carter', CONFIRM, { input: { placementId, expectedVersion: 7, effectiveDate: '2026-12-01' } });
    expect(codes(stale.response)).toEqual(['CONFLICT']);
    expect(stale.of('ALTERATION')).toEqual([]);

    const confirmed = await send<{ confirmPlacementChange: { status: string } }>('ben.carter', CONFIRM, {
      input: { placementId, expectedVersion: 1, effectiveDate: '2026-12-01' },
    });
    expect(confirmed.response.body.errors).toBeUndefined();
    expect(confirmed.response.body.data?.confirmPlacementChange.status).toBe('CURRENT');
    const alterations = confirmed.of('ALTERATION');
    expect(alterations.find((receipt) => receipt.recordId === placementId)).toMatchObject({
      userSubject: 'ben.carter',
      childId: KAYLA.id,
      recordKind: 'PLACEMENT',
      recordVersion: 2,
      body: { alteration: { action: 'confirmPlacementChange', versionBefore: 1, versionAfter: 2 } },
    });
    // The placement it replaced ended in the same change, and is logged with it.
    const ended = alterations.filter((receipt) => receipt.recordId !== placementId);
    expect(ended).toHaveLength(1);
    expect(ended[0]?.recordKind).toBe('PLACEMENT');
    expect(ended[0]?.body.alteration?.action).toBe('confirmPlacementChange');
  });

  it('logs no alteration for a write that fails (stale expectedVersion → CONFLICT)', async () => {
    const id = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    const current = await t.gql<{ record: { version: number } }>('olu.bakare', `{ record(id: "${id}") { version } }`);
    const version = current.body.data?.record.version ?? 0;
    expect(version).toBeGreaterThan(0);
    const stale = await send('olu.bakare', UPDATE, {
      input: { recordId: id, expectedVersion: version - 1, content: PLAN('Peer association') },
    });
    expect(codes(stale.response)).toEqual(['CONFLICT']);
    expect(stale.of('ALTERATION')).toEqual([]);

    const child = await send(
      'tara.nolan',
      `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { version } }`,
      { input: { childId: JORDAN.id, expectedVersion: 99, givenName: 'Jordan' } },
    );
    expect(codes(child.response)).toEqual(['CONFLICT']);
    expect(child.of('ALTERATION')).toEqual([]);
  });

  it('logs a child-details update as a CHILD alteration with its versions', async () => {
    const read = await t.gql<{ child: { version: number } }>('tara.nolan', `{ child(id: "${JORDAN.id}") { version } }`);
    const version = read.body.data?.child.version ?? 0;
    const updated = await send<{ updateChildDetails: { version: number } }>(
      'tara.nolan',
      `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { version } }`,
      { input: { childId: JORDAN.id, expectedVersion: version, givenName: JORDAN.givenName } },
    );
    expect(updated.response.body.data?.updateChildDetails.version).toBe(version + 1);
    expect(updated.of('ALTERATION')).toEqual([
      expect.objectContaining({
        userSubject: 'tara.nolan',
        childId: JORDAN.id,
        recordKind: 'CHILD',
        recordId: JORDAN.id,
        recordVersion: version + 1,
        body: expect.objectContaining({
          alteration: { action: 'updateChildDetails', versionBefore: version, versionAfter: version + 1 },
        }) as unknown,
      }),
    ]);
  });
});

describe('every other mutation that changes child data logs its alteration', () => {
  /** Runs a mutation and returns the (kind, action) of each alteration it logged, after checking it succeeded. */
  async function alterationsOf(subject: string, query: string, purpose = 'CASE_MANAGEMENT') {
    const { response, of } = await send<Record<string, { id?: string }>>(subject, query, {}, purpose);
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    const alterations = of('ALTERATION');
    for (const alteration of alterations) expect(alteration).toMatchObject({ outcome: 'ALTERED', userSubject: subject });
    return {
      data: response.body.data ?? {},
      logged: alterations.map((alteration) => [alteration.recordKind, alteration.body.alteration?.action, alteration.childId]),
    };
  }

  it('registers, relationships, legal status, restrictions, permissions, acknowledgements and signatures', async () => {
    const registered = await alterationsOf(
      'dana.hughes',
      `mutation { registerChild(input: { caseReference: "CV-LOG-1", givenName: "Ava", familyName: "Log", dateOfBirth: "2011-05-01" }) { id } }`,
    );
    const childId = registered.data.registerChild?.id;
    expect(registered.logged).toEqual([
      ['CHILD', 'registerChild', childId],
      ['INVOLVEMENT', 'registerChild', childId],
    ]);

    const status = await alterationsOf(
      'sam.okafor',
      `mutation { recordLegalStatus(input: { childId: "${JORDAN.id}", basis: S31_CARE_ORDER, startDate: "2026-12-01" }) { id } }`,
    );
    // The open episode closes and the new one opens: both in the same change.
    expect(status.logged).toEqual([
      ['LEGAL_STATUS', 'recordLegalStatus', JORDAN.id],
      ['LEGAL_STATUS', 'recordLegalStatus', JORDAN.id],
    ]);

    const allocated = await alterationsOf(
      'tara.nolan',
      `mutation { allocateWorker(input: { childId: "${JORDAN.id}", practitionerSubject: "helen.grant", practitionerName: "Helen Grant", role: TEAM_MANAGER, startDate: "2026-11-20" }) { id } }`,
    );
    expect(allocated.logged).toEqual([['ALLOCATION', 'allocateWorker', JORDAN.id]]);
    const endAllocation = await alterationsOf(
      'tara.nolan',
      `mutation { endAllocation(input: { id: "${allocated.data.allocateWorker?.id}", endDate: "2026-12-01" }) { id } }`,
    );
    expect(endAllocation.logged).toEqual([['ALLOCATION', 'endAllocation', JORDAN.id]]);

    // Another agency becomes involved only by accepting a referral: each step is its own alteration.
    const referred = await alterationsOf(
      'marcus.reid',
      `mutation { referChild(input: { childId: "${JORDAN.id}", agencyCode: "derbyshire-police", role: POLICE }) { id } }`,
    );
    expect(referred.logged).toEqual([['REFERRAL', 'referChild', JORDAN.id]]);
    const involved = await alterationsOf(
      'ds.khan',
      `mutation { acceptReferral(input: { referralId: "${referred.data.referChild?.id}", startDate: "2026-11-01" }) { id } }`,
      'SAFEGUARDING',
    );
    expect(involved.logged).toEqual([
      ['INVOLVEMENT', 'acceptReferral', JORDAN.id],
      ['REFERRAL', 'acceptReferral', JORDAN.id],
    ]);

    const restricted = await alterationsOf(
      'ds.khan',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Larch" }) { id } }`,
      'SAFEGUARDING',
    );
    expect(restricted.logged).toEqual([['RESTRICTION', 'recordRestriction', JORDAN.id]]);
    const unrestricted = await alterationsOf(
      'ds.khan',
      `mutation { endRestriction(input: { id: "${restricted.data.recordRestriction?.id}" }) { id } }`,
      'SAFEGUARDING',
    );
    expect(unrestricted.logged).toEqual([['RESTRICTION', 'endRestriction', JORDAN.id]]);
    // The home YOS (here its case system) may end a host YOS's caretaking: Islington's of Kayla by Derby.
    const kayla = await t.gql<{ child: { involvements: { id: string; role: string }[] } }>(
      'islington-yos-integration',
      `{ child(id: "${KAYLA.id}") { involvements { id role } } }`,
    );
    const host = kayla.body.data?.child.involvements.find((involvement) => involvement.role === 'YOS_HOST');
    const ended = await alterationsOf(
      'islington-yos-integration',
      `mutation { endInvolvement(input: { id: "${host?.id}", endDate: "2026-12-01" }) { id } }`,
    );
    expect(ended.logged).toEqual([['INVOLVEMENT', 'endInvolvement', KAYLA.id]]);

    const carePlan = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const permission = await send(
      'sam.okafor',
      `mutation { recordDisclosurePermission(input: { recordId: "${carePlan}", kind: COURT_ORDER, reference: "DE24P00123" }) { id version } }`,
    );
    expect(permission.response.body.errors).toBeUndefined();
    // The permission is set on the record; its version does not change. The permission has an id
    // of its own (which receipts of what it lets out name), and an entry of its own saying who recorded it.
    expect(permission.of('ALTERATION')).toEqual([
      expect.objectContaining({
        recordKind: RecordKind.CARE_PLAN,
        recordId: carePlan,
        body: expect.objectContaining({
          alteration: { action: 'recordDisclosurePermission', versionBefore: 2, versionAfter: 2 },
        }) as unknown,
      }),
      expect.objectContaining({
        recordKind: 'DISCLOSURE_PERMISSION',
        childId: JORDAN.id,
        body: expect.objectContaining({
          alteration: { action: 'recordDisclosurePermission', versionBefore: null, versionAfter: null },
        }) as unknown,
      }),
    ]);

    const acknowledged = await alterationsOf(
      'dana.hughes',
      `mutation { acknowledgeRecord(input: { recordId: "${carePlan}", version: 2, comment: "Read" }) { id } }`,
    );
    expect(acknowledged.logged).toEqual([['ACKNOWLEDGEMENT', 'acknowledgeRecord', JORDAN.id]]);

    const plan = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    const current = await t.gql<{ record: { version: number } }>('ben.carter', `{ record(id: "${plan}") { version } }`);
    const version = current.body.data?.record.version ?? 0;
    const signed = await send(
      'ben.carter',
      `mutation { signInterventionPlanAsParentCarer(input: { recordId: "${plan}", expectedVersion: ${version} }) { version } }`,
    );
    expect(signed.response.body.errors).toBeUndefined();
    expect(signed.of('ALTERATION')).toEqual([
      expect.objectContaining({
        recordKind: RecordKind.INTERVENTION_PLAN,
        recordId: plan,
        childId: KAYLA.id,
        body: expect.objectContaining({
          alteration: { action: 'signInterventionPlanAsParentCarer', versionBefore: version, versionAfter: version + 1 },
        }) as unknown,
      }),
    ]);
  });
});

describe('look-ups that disclose nothing are logged as consultations', () => {
  const CHILD = `query($id: ID!) { child(id: $id) { id givenName } }`;
  const MISSING = '00000000-0000-4000-9000-0000000000ab';

  it('logs NOT_FOUND for a child id that does not exist', async () => {
    const { response, of } = await send('priya.shah', CHILD, { id: MISSING });
    expect(codes(response)).toEqual(['NOT_FOUND']);
    expect(of('CONSULTATION')).toEqual([
      expect.objectContaining({
        outcome: 'NOT_FOUND',
        userSubject: 'priya.shah',
        childId: null,
        recordId: null,
        body: expect.objectContaining({ lookup: MISSING, purpose: 'CASE_MANAGEMENT' }) as unknown,
      }),
    ]);
  });

  it('logs DENIED with the child for a child the caller may not see, while answering exactly as for a missing one', async () => {
    const denied = await send('priya.shah', CHILD, { id: JORDAN.id });
    const missing = await send('priya.shah', CHILD, { id: MISSING });
    expect(codes(denied.response)).toEqual(['NOT_FOUND']);
    expect(denied.response.body.errors?.[0]?.message).toBe(missing.response.body.errors?.[0]?.message);
    const sameButCorrelation = (response: GraphQLResponse) => ({
      ...response.body.errors?.[0],
      extensions: { ...response.body.errors?.[0]?.extensions, correlationId: undefined },
    });
    expect(sameButCorrelation(denied.response)).toEqual(sameButCorrelation(missing.response));
    expect(denied.response.body.data).toEqual(missing.response.body.data);
    expect(denied.of('CONSULTATION')).toEqual([
      expect.objectContaining({
        outcome: 'DENIED',
        userSubject: 'priya.shah',
        childId: JORDAN.id,
        body: expect.objectContaining({ lookup: JORDAN.id }) as unknown,
      }),
    ]);
    expect(denied.of('DISCLOSURE')).toEqual([]);
  });

  it('logs a case-reference look-up by case system and reference', async () => {
    const QUERY = `query($ref: String!) { childByCaseReference(reference: $ref) { id } }`;
    const denied = await send('priya.shah', QUERY, { ref: 'CV-88231' });
    expect(codes(denied.response)).toEqual(['NOT_FOUND']);
    expect(denied.of('CONSULTATION')).toEqual([
      expect.objectContaining({
        outcome: 'DENIED',
        childId: JORDAN.id,
        body: expect.objectContaining({ lookup: 'derby-yos-childview:CV-88231' }) as unknown,
      }),
    ]);
    const missing = await send('priya.shah', QUERY, { ref: 'CV-00000' });
    expect(codes(missing.response)).toEqual(['NOT_FOUND']);
    expect(missing.of('CONSULTATION')).toEqual([
      expect.objectContaining({
        outcome: 'NOT_FOUND',
        childId: null,
        body: expect.objectContaining({ lookup: 'derby-yos-childview:CV-00000' }) as unknown,
      }),
    ]);
  });

  it("logs DENIED with the record's child, kind and id for another agency's hidden record", async () => {
    const id = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const RECORD = `query($id: ID!) { record(id: $id) { id } }`;
    const denied = await send('ben.carter', RECORD, { id });
    expect(codes(denied.response)).toEqual(['NOT_FOUND']);
    expect(denied.of('CONSULTATION')).toEqual([
      expect.objectContaining({
        outcome: 'DENIED',
        userSubject: 'ben.carter',
        childId: JORDAN.id,
        recordKind: RecordKind.CARE_PLAN,
        recordId: id,
        body: expect.objectContaining({ lookup: id }) as unknown,
      }),
    ]);
    const missing = await send('ben.carter', RECORD, { id: MISSING });
    expect(denied.response.body.errors?.[0]?.message).toBe(missing.response.body.errors?.[0]?.message);
    expect(missing.of('CONSULTATION')).toEqual([
      expect.objectContaining({ outcome: 'NOT_FOUND', childId: null, recordId: null, recordKind: null }),
    ]);
  });

  it('logs no consultation for a write whose child the caller may not see', async () => {
    const { response, of } = await send('priya.shah', CREATE, { input: { childId: JORDAN.id, content: PLAN('x') } });
    expect(codes(response).length).toBe(1);
    expect(of('CONSULTATION')).toEqual([]);
    expect(of('ALTERATION')).toEqual([]);
  });
});
