import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { emergency as emergencyOptions } from '../support/emergency.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const RECORD = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { id kind version latestVersion
  owningAgency { code } author { name agency { code } caseSystem }
  ... on CarePlan { content { summary remandOnly } }
  ... on DetentionPlacementPlan { content { establishmentName socialWorker { name } } } } }`;

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id kind version
  ... on InterventionPlan { content { riskTargets interventions { action owner } } } } }`;

const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version latestVersion } }`;

describe('shared records', () => {
  it('lets YOS read the CSC care plan and detention placement plan of a child it supervises', async () => {
    const response = await t.gql<{ childByCaseReference: { records: { edges: { node: Record<string, unknown> }[] } } }>(
      'dana.hughes',
      `{ childByCaseReference(reference: "CV-88231") { records(kinds: [CARE_PLAN, DETENTION_PLACEMENT_PLAN]) { edges { node {
          kind owningAgency { code } ... on CarePlan { content { summary } } ... on DetentionPlacementPlan { content { establishmentName } } } } } } }`,
    );
    expect(response.body.errors).toBeUndefined();
    const kinds = response.body.data?.childByCaseReference.records.edges.map((edge) => edge.node.kind);
    expect(kinds?.sort()).toEqual(['CARE_PLAN', 'DETENTION_PLACEMENT_PLAN']);
  });

  it('lets CSC read the YOS AssetPlus, with the care-history completeness indicator', async () => {
    const response = await t.gql<{ record: Record<string, unknown> }>(
      'sam.okafor',
      `{ record(id: "${recordOf(JORDAN, RecordKind.ASSET_PLUS)}") { kind ... on AssetPlus { careHistoryCompleteness careHistoryMissing content { riskOfReoffending careHistory { section20 } } } } }`,
    );
    expect(response.body.data?.record).toMatchObject({
      kind: 'ASSET_PLUS',
      careHistoryCompleteness: 'PARTIAL',
      content: { riskOfReoffending: 'HIGH', careHistory: { section20: true } },
    });
    expect(response.body.data?.record.careHistoryMissing).toContain('childProtectionPlan');
  });

  it('keeps earlier versions readable', async () => {
    const id = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const first = await t.gql<{ record: { version: number; latestVersion: number; content: { summary: string } } }>(
      'dana.hughes',
      RECORD,
      { id, version: 1 },
    );
    expect(first.body.data?.record).toMatchObject({ version: 1, latestVersion: 2 });
    expect(first.body.data?.record.content.summary).toContain('long-term foster carers');
    const beyond = await t.gql('dana.hughes', RECORD, { id, version: 3 });
    expect(beyond.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
  });

  it("reports a record about another authority's child as not found", async () => {
    const response = await t.gql('ben.carter', RECORD, { id: recordOf(JORDAN, RecordKind.CARE_PLAN) });
    expect(codes(response)).toEqual(['NOT_FOUND']);
  });

  it("creates a record owned by the caller's agency and versions each update", async () => {
    const created = await t.gql<{ createRecord: { id: string; version: number } }>('olu.bakare', CREATE, {
      input: {
        childId: KAYLA.id,
        content: {
          interventionPlan: { riskTargets: ['Peer association'], interventions: [{ action: 'Mentoring', owner: 'Olu Bakare' }] },
        },
      },
    });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data?.createRecord.id;
    expect(created.body.data?.createRecord.version).toBe(1);
    const updated = await t.gql<{ updateRecord: { version: number } }>('olu.bakare', UPDATE, {
      input: {
        recordId: id,
        expectedVersion: 1,
        content: { interventionPlan: { riskTargets: ['Peer association', 'Substance misuse'] } },
      },
    });
    expect(updated.body.data?.updateRecord.version).toBe(2);
    const stale = await t.gql('olu.bakare', UPDATE, {
      input: { recordId: id, expectedVersion: 1, content: { interventionPlan: { riskTargets: [] } } },
    });
    expect(stale.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('lets only the owning agency change a record', async () => {
    const response = await t.gql('ben.carter', UPDATE, {
      input: {
        recordId: recordOf(KAYLA, RecordKind.INTERVENTION_PLAN),
        expectedVersion: 1,
        content: { interventionPlan: { riskTargets: [] } },
      },
    });
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  it("refuses a kind the caller's agency cannot own, and a child it is not involved with", async () => {
    const wrongKind = await t.gql('dana.hughes', CREATE, {
      input: { childId: JORDAN.id, content: { carePlan: { summary: 'x' } } },
    });
    expect(codes(wrongKind)).toEqual(['FORBIDDEN']);
    const otherChild = await t.gql('olu.bakare', CREATE, {
      input: { childId: JORDAN.id, content: { interventionPlan: { riskTargets: [] } } },
    });
    expect(codes(otherChild)).toEqual(['NOT_FOUND']);
  });

  it('answers invalid content with BAD_USER_INPUT naming the field', async () => {
    const twoKinds = await t.gql('olu.bakare', CREATE, {
      input: { childId: KAYLA.id, content: { interventionPlan: { riskTargets: [] }, onset: { accommodationSuitable: true } } },
    });
    expect(twoKinds.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.content' });
    const tooLong = await t.gql('olu.bakare', CREATE, {
      input: { childId: KAYLA.id, content: { interventionPlan: { interventions: [{ action: 'x'.repeat(2001) }] } } },
    });
    expect(tooLong.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.content.interventionPlan.interventions.0.action',
    });
    const outOfRange = await t.gql('dana.hughes', CREATE, {
      input: { childId: JORDAN.id, content: { assetPlus: { sections: { livingArrangements: { score: 7 } } } } },
    });
    expect(outOfRange.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.content.assetPlus.sections.livingArrangements.score',
    });
  });

  it("pages through a child's records", async () => {
    const query = `query($after: String) { child(id: "${KAYLA.id}") { records(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    type Page = {
      child: { records: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    };
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const response = await t.gql<Page>('ben.carter', query, { after });
      const records = response.body.data?.child.records;
      seen.push(...(records?.edges.map((edge) => edge.node.id) ?? []));
      if (!records?.pageInfo.hasNextPage) break;
      after = records.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(KAYLA.records.length);
  });

  it('shows risk flags from the latest AssetPlus, to the other agency and under break-glass', async () => {
    const query = `{ child(id: "${JORDAN.id}") { riskFlags { kind level assessedBy { code } } } }`;
    type Result = { child: { riskFlags: { kind: string; level: string | null }[] } };
    const bySocialWorker = await t.gql<Result>('sam.okafor', query);
    expect(bySocialWorker.body.data?.child.riskFlags).toEqual([
      { kind: 'RISK_OF_REOFFENDING', level: 'HIGH', assessedBy: { code: 'derby-yos' } },
      { kind: 'RISK_OF_SERIOUS_HARM', level: 'MEDIUM', assessedBy: { code: 'derby-yos' } },
      { kind: 'SAFETY_AND_WELLBEING', level: 'HIGH', assessedBy: { code: 'derby-yos' } },
    ]);
    // Under break-glass: the Derby YOS duty manager for a child known to CSC (derby-yos-csc §4.2).
    const known = aChild({
      involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
      records: [
        {
          id: randomUUID(),
          kind: RecordKind.ASSET_PLUS,
          owner: 'derby-yos',
          author: 'dana.hughes',
          versions: [{ riskOfReoffending: 'HIGH', riskOfSeriousHarm: 'MEDIUM', safetyAndWellbeing: 'HIGH' }],
        },
      ],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, known));
    const emergency = await t.gql<Result>(
      'marcus.reid',
      `{ child(id: "${known.id}") { riskFlags { kind level assessedBy { code } } } }`,
      {},
      emergencyOptions('APPROPRIATE_ADULT_NEEDED', 'Arrested this evening; an appropriate adult is needed at the station'),
    );
    expect(emergency.body.errors).toBeUndefined();
    expect(emergency.body.data?.child.riskFlags.map((flag) => flag.level)).toEqual(['HIGH', 'MEDIUM', 'HIGH']);
  });
});
