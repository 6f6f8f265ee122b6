import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, type RequestOptions, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, REECE, recordOf } from '../support/demo-ids.js';
import { emergency as emergencyOptions, involvePolice } from '../support/emergency.js';

/**
 * The policy through the shapes a client can ask in: lists of children, several children side by
 * side under aliases (one DataLoader batch), fragments, nested connections. Each restriction must
 * give the same answer whichever shape reaches the record.
 */

interface Withheld {
  field: string;
  rule: string;
  reason?: string;
}

let t: TestApp;

async function ok<T>(
  subject: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const response: GraphQLResponse<T> = await t.gql<T>(subject, query, variables, options);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as T;
}

type Edges<N> = { edges: { node: N }[] };
type RecordShape = { id: string; kind: string; withheld: Withheld[] };

const RECORD_FIELDS = `id kind withheld { field rule }`;
/** Each record's kind and withheld fields, keyed by id, sorted so shapes compare exactly. */
const shapeOf = (records: Edges<RecordShape>) =>
  Object.fromEntries(
    records.edges.map(({ node }) => [
      node.id,
      { kind: node.kind, withheld: node.withheld.map((entry) => `${entry.field}:${entry.rule}`).sort() },
    ]),
  );

describe('the policy through lists, aliases, fragments and nested paths', () => {
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('applies the same filter in a DataLoader batch as in a single read: a list, or children side by side, get exactly what each child gets alone', async () => {
    for (const subject of ['dana.hughes', 'marcus.reid']) {
      for (const purpose of ['CASE_MANAGEMENT', 'COURT_REPORT']) {
        const single: Record<string, unknown> = {};
        for (const child of [JORDAN, KAYLA, REECE]) {
          const one = await ok<{ child: { records: Edges<RecordShape> } }>(
            subject,
            `query($id: ID!) { child(id: $id) { records(first: 10) { edges { node { ${RECORD_FIELDS} } } } } }`,
            { id: child.id },
            { purpose },
          );
          single[child.id] = shapeOf(one.child.records);
        }
        const list = await ok<{ children: Edges<{ id: string; records: Edges<RecordShape> }> }>(
          subject,
          `{ children(first: 5) { edges { node { id records(first: 10) { edges { node { ${RECORD_FIELDS} } } } } } } }`,
          {},
          { purpose },
        );
        expect(list.children.edges.map((edge) => edge.node.id).sort()).toEqual([JORDAN.id, KAYLA.id, REECE.id].sort());
        for (const { node } of list.children.edges) expect(shapeOf(node.records), `${subject} list`).toEqual(single[node.id]);

        const sideBySide = await ok<Record<string, { id: string; r: Edges<RecordShape> }>>(
          subject,
          `query($j: ID!, $k: ID!, $r: ID!) { j: child(id: $j) { ...Rs } k: child(id: $k) { ...Rs } r: child(id: $r) { ...Rs } }
           fragment Rs on Child { id r: records(first: 10) { edges { node { ... on SharedRecord { ${RECORD_FIELDS} } } } } }`,
          { j: JORDAN.id, k: KAYLA.id, r: REECE.id },
          { purpose },
        );
        for (const alias of ['j', 'k', 'r']) {
          const node = sideBySide[alias];
          expect(shapeOf(node?.r ?? { edges: [] }), `${subject} ${alias}`).toEqual(single[node?.id ?? '']);
        }
      }
    }
  });

  it('decides fields per record, not per type: two care plans in one list differ by their own court order (C1)', async () => {
    const created = await ok<{ createRecord: { id: string } }>(
      'sam.okafor',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { carePlan: { summary: "Second plan", courtProceedingsInformation: "Care proceedings bundle, 2023" } } }) { id } }`,
    );
    const seeded = recordOf(JORDAN, RecordKind.CARE_PLAN);
    await ok(
      'sam.okafor',
      `mutation { recordDisclosurePermission(input: { recordId: "${seeded}", kind: COURT_ORDER, reference: "DE24P00123" }) { id } }`,
    );
    type Plan = { id: string; c: { court: string | null; summary: string | null }; withheld: Withheld[] };
    const data = await ok<{ kids: Edges<{ id: string; plans: Edges<Plan> }>; direct: Plan }>(
      'dana.hughes',
      `query($second: ID!) {
         kids: children(first: 5) { edges { node { id plans: records(kinds: [CARE_PLAN]) { edges { node { ...Cp } } } } } }
         direct: record(id: $second) { ...Cp } }
       fragment Cp on CarePlan { id c: content { court: courtProceedingsInformation summary } withheld { field rule } }`,
      { second: created.createRecord.id },
      { purpose: 'COURT_REPORT' },
    );
    const plans = data.kids.edges.find((edge) => edge.node.id === JORDAN.id)?.node.plans.edges.map((edge) => edge.node) ?? [];
    const byId = new Map(plans.map((plan) => [plan.id, plan]));
    expect(byId.get(seeded)?.c.court).toContain('private-law');
    expect(byId.get(seeded)?.withheld.map((entry) => entry.rule)).not.toContain('C1');
    const second = byId.get(created.createRecord.id);
    expect(second?.c).toEqual({ court: null, summary: 'Second plan' });
    expect(second?.withheld).toContainEqual({ field: 'content.courtProceedingsInformation', rule: 'C1' });
    expect(data.direct).toEqual(second);
  });

  it('C2: withholds third-party information in a list, under an alias and in a fragment, until the permission is recorded', async () => {
    const id = recordOf(JORDAN, RecordKind.ASSET_PLUS);
    type Asset = { c: { tp: string | null; source: string | null; risk: string | null }; withheld: Withheld[] };
    const query = `query($id: ID!) {
        mine: children(first: 5) { edges { node { id assessments: records(kinds: [ASSET_PLUS]) { edges { node { ...Ap } } } } } }
        again: record(id: $id) { ...Ap } }
      fragment Ap on AssetPlus { c: content { tp: thirdPartyInformation source: thirdPartySource risk: riskOfReoffending } withheld { field rule } }`;
    type Result = { mine: Edges<{ id: string; assessments: Edges<Asset> }>; again: Asset };
    const fromList = (data: Result) =>
      data.mine.edges.find((edge) => edge.node.id === JORDAN.id)?.node.assessments.edges[0]?.node;

    const before = await ok<Result>('sam.okafor', query, { id }, { purpose: 'FAMILY_PROCEEDINGS' });
    for (const asset of [fromList(before), before.again]) {
      expect(asset?.c).toEqual({ tp: null, source: null, risk: 'HIGH' });
      expect(asset?.withheld).toEqual(
        expect.arrayContaining([
          { field: 'content.thirdPartyInformation', rule: 'C2' },
          { field: 'content.thirdPartySource', rule: 'C2' },
        ]),
      );
    }
    await ok(
      'dana.hughes',
      `mutation { recordDisclosurePermission(input: { recordId: "${id}", kind: THIRD_PARTY_PERMISSION, reference: "DSL letter" }) { id } }`,
    );
    const after = await ok<Result>('sam.okafor', query, { id }, { purpose: 'FAMILY_PROCEEDINGS' });
    for (const asset of [fromList(after), after.again]) expect(asset?.c.tp).toContain('bus station');
  });

  it('C3: police lists and aliased reads never include a record made after the investigation opened; AIM3 can be neither created nor finalised', async () => {
    await involvePolice(t, JORDAN.id);
    const aim3 = await ok<{ createRecord: { id: string } }>(
      'dana.hughes',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { aim3Assessment: { concerns: "Reported incident at school" } } }) { id } }`,
    );
    const opened = await ok<{ recordRestriction: { id: string } }>(
      'ds.khan',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Larch" }) { id } }`,
      {},
      { purpose: 'SAFEGUARDING' },
    );
    const later = await ok<{ createRecord: { id: string } }>(
      'dana.hughes',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { assetPlus: { analysis: "After the allegation" } } }) { id } }`,
    );
    const finalise = await t.gql(
      'dana.hughes',
      `mutation { updateRecord(input: { recordId: "${aim3.createRecord.id}", expectedVersion: 1, content: { aim3Assessment: { concerns: "x", levelOfConcern: "High" } } }) { id } }`,
    );
    expect(codes(finalise)).toEqual(['FORBIDDEN']);
    expect(finalise.body.errors?.[0]?.message).toMatch(/^C3/);

    type Node = { id: string; kind: string; c?: { concerns: string | null } };
    const police = await ok<{ list: Edges<{ id: string; records: Edges<Node> }>; one: { records: Edges<Node> } }>(
      'ds.khan',
      `query($id: ID!) { list: children(first: 5) { edges { node { id records(first: 10) { edges { node { ...N } } } } } }
         one: child(id: $id) { records(kinds: [ASSET_PLUS, AIM3_ASSESSMENT]) { edges { node { ...N } } } } }
       fragment N on SharedRecord { id kind ... on Aim3Assessment { c: content { concerns } } }`,
      { id: JORDAN.id },
      { purpose: 'SAFEGUARDING' },
    );
    const listed = police.list.edges.find((edge) => edge.node.id === JORDAN.id)?.node.records.edges.map((edge) => edge.node);
    const aliased = police.one.records.edges.map((edge) => edge.node);
    for (const nodes of [listed ?? [], aliased]) {
      expect(nodes.map((node) => node.id)).not.toContain(later.createRecord.id);
      expect(nodes.find((node) => node.id === aim3.createRecord.id)?.c?.concerns).toBe('Reported incident at school');
    }
    await ok(
      'ds.khan',
      `mutation { endRestriction(input: { id: "${opened.recordRestriction.id}" }) { endedAt } }`,
      {},
      { purpose: 'SAFEGUARDING' },
    );
    const afterwards = await ok<{ child: { records: Edges<Node> } }>(
      'ds.khan',
      `{ child(id: "${JORDAN.id}") { records { edges { node { id kind } } } } }`,
      {},
      { purpose: 'SAFEGUARDING' },
    );
    expect(afterwards.child.records.edges.map((edge) => edge.node.id)).toContain(later.createRecord.id);
  });

  it('C6–C9: each special-category class and the CP information is need-to-know in lists and aliased reads', async () => {
    const assessment = await ok<{ createRecord: { id: string } }>(
      'sam.okafor',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { singleAssessment: { reasonForAssessment: "s47 enquiry", analysis: "Significant harm threshold met", healthNeeds: "Asthma", educationNeeds: "Year 10" } } }) { id } }`,
    );
    const aim3 = await ok<{ createRecord: { id: string } }>(
      'dana.hughes',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { aim3Assessment: { concerns: "Concerns under assessment" } } }) { id } }`,
    );
    const query = `query($sa: ID!, $aim: ID!) {
        list: children(first: 3) { edges { node { id records(first: 5, kinds: [SINGLE_ASSESSMENT, DETENTION_PLACEMENT_PLAN, CUSTODY_INFORMATION_PACK]) { edges { node { ...Special } } } } } }
        sa: record(id: $sa) { ...Special } aim: record(id: $aim) { ...Special } }
      fragment Special on SharedRecord { id withheld { field rule }
        ... on SingleAssessment { sa: content { reasonForAssessment analysis healthNeeds educationNeeds } }
        ... on DetentionPlacementPlan { dpp: content { religiousPersuasion healthArrangements } }
        ... on CustodyInformationPack { pack: content { healthAndEducationNeeds } }
        ... on Aim3Assessment { aim: content { concerns } } }`;
    type Special = { id: string; withheld: Withheld[] } & Record<string, unknown>;
    type Result = { list: Edges<{ id: string; records: Edges<Special> }>; sa: Special; aim: Special | null };
    const variables = { sa: assessment.createRecord.id, aim: aim3.createRecord.id };
    const inList = (data: Result, id: string) =>
      data.list.edges.find((edge) => edge.node.id === JORDAN.id)?.node.records.edges.find((edge) => edge.node.id === id)?.node;
    const rules = (record: Special | null | undefined) =>
      Object.fromEntries((record?.withheld ?? []).map((entry) => [entry.field, entry.rule]));

    // Marcus manages the allocated YOS worker but is not allocated himself.
    const manager = await ok<Result>('marcus.reid', query, variables);
    for (const sa of [inList(manager, assessment.createRecord.id), manager.sa]) {
      expect(sa?.sa).toEqual({ reasonForAssessment: null, analysis: null, healthNeeds: null, educationNeeds: 'Year 10' });
      expect(rules(sa)).toMatchObject({
        'content.reasonForAssessment': 'C6-C9', // C6, child protection
        'content.analysis': 'C6-C9',
        'content.healthNeeds': 'C6-C9', // C7, health
      });
    }
    const dpp = inList(manager, recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN));
    expect(dpp?.dpp).toEqual({ religiousPersuasion: null, healthArrangements: null });
    expect(rules(dpp)).toMatchObject({ 'content.religiousPersuasion': 'C6-C9', 'content.healthArrangements': 'C6-C9' }); // C8
    const pack = inList(manager, recordOf(JORDAN, RecordKind.CUSTODY_INFORMATION_PACK));
    expect(pack?.pack).toEqual({ healthAndEducationNeeds: null });
    expect(rules(pack)).toMatchObject({ 'content.healthAndEducationNeeds': 'C6-C9' });
    // C9: the AIM3 pair's supervisor (manager of the owning YOS team) sees it.
    expect(manager.aim?.aim).toEqual({ concerns: 'Concerns under assessment' });

    const allocated = await ok<Result>('dana.hughes', query, variables);
    expect(allocated.sa.sa).toEqual({
      reasonForAssessment: 's47 enquiry',
      analysis: 'Significant harm threshold met',
      healthNeeds: 'Asthma',
      educationNeeds: 'Year 10',
    });
    expect(inList(allocated, recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN))?.dpp).toEqual({
      religiousPersuasion: 'None stated',
      healthArrangements: 'Healthcare unit to continue CAMHS follow-up.',
    });

    // C9: sexual-behaviour data reaches neither the other agency's allocated social worker (no agreement gives it)
    // nor its front door, though both see that the record exists.
    for (const [subject, rule] of [
      ['sam.okafor', 'DEFAULT-DENY'],
      ['derby.csct', undefined],
    ] as const) {
      const other = await ok<{ record: Special }>(
        subject,
        `{ record(id: "${aim3.createRecord.id}") { ... on Aim3Assessment { aim: content { concerns levelOfConcern } withheld { field rule } } } }`,
        {},
        { purpose: 'SAFEGUARDING' },
      );
      expect(other.record.aim, subject).toEqual({ concerns: null, levelOfConcern: null });
      expect(rules(other.record)['content.concerns'], subject).toBe(rule ?? rules(other.record)['content.concerns']);
      expect(Object.keys(rules(other.record))).toEqual(expect.arrayContaining(['content.concerns', 'content.levelOfConcern']));
    }
  });

  it('C10: hides where the child lives in the current placement, the placement history and the plans, for a restricted user or agency only', async () => {
    await ok(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedSubject: "marcus.reid", details: "s34 order" }) { id } }`,
    );
    await ok(
      'ben.carter',
      `mutation { recordRestriction(input: { childId: "${KAYLA.id}", kind: CONTACT_RESTRICTION, restrictedAgencyCode: "derby-yos", details: "s8 order" }) { id } }`,
    );
    type Where = { name: string | null; address: string | null; postcode: string | null; withheld: Withheld[] };
    type Node = {
      id: string;
      currentPlacement: Where | null;
      placements: Edges<Where>;
      records: Edges<{ c?: { establishmentAddress: string | null } }>;
    };
    const query = `{ children(first: 5) { edges { node { id currentPlacement { ...Where } placements(first: 5) { edges { node { ...Where } } }
        records(first: 5, kinds: [DETENTION_PLACEMENT_PLAN]) { edges { node { ... on DetentionPlacementPlan { c: content { establishmentAddress } } } } } } } } }
      fragment Where on Placement { name: placementName address postcode withheld { field rule } }`;
    const wheres = (node: Node | undefined) => [
      node?.currentPlacement,
      ...(node?.placements.edges.map((edge) => edge.node) ?? []),
    ];
    const hidden = (where: Where | null | undefined) => {
      expect(where).toMatchObject({ name: null, address: null, postcode: null });
      expect(where?.withheld).toContainEqual({ field: 'address', rule: 'C10' });
    };
    const childOf = (data: { children: Edges<Node> }, id: string) =>
      data.children.edges.find((edge) => edge.node.id === id)?.node;

    const marcus = await ok<{ children: Edges<Node> }>('marcus.reid', query);
    wheres(childOf(marcus, JORDAN.id)).forEach(hidden);
    expect(childOf(marcus, JORDAN.id)?.records.edges[0]?.node.c?.establishmentAddress).toBeNull();
    wheres(childOf(marcus, KAYLA.id)).forEach(hidden); // the agency-wide restriction on Kayla
    expect(childOf(marcus, REECE.id)?.currentPlacement?.address).toBe('8 Nottingham Road, Derby'); // no restriction on Reece

    const dana = await ok<{ children: Edges<Node> }>('dana.hughes', query);
    expect(childOf(dana, JORDAN.id)?.currentPlacement?.address).toBe('York Road, Wetherby');
    expect(childOf(dana, JORDAN.id)?.records.edges[0]?.node.c?.establishmentAddress).toContain('Wetherby');
    wheres(childOf(dana, KAYLA.id)).forEach(hidden);
    const home = await ok<{ child: { currentPlacement: Where } }>(
      'olu.bakare',
      `{ child(id: "${KAYLA.id}") { currentPlacement { ...Where } } } fragment Where on Placement { name: placementName address postcode withheld { field rule } }`,
    );
    expect(home.child.currentPlacement.address).toBe('27 Kedleston Road, Derby');
  });

  it('C11: the establishment’s list holds only its child with only the pack and the plan, and the pack type has exactly the seven items', async () => {
    for (const subject of ['gail.morgan', 'owen.price']) {
      const list = await ok<{ children: Edges<{ id: string; records: Edges<{ kind: string }> }> }>(
        subject,
        '{ children { edges { node { id records { edges { node { kind } } } } } } }',
        {},
        { purpose: 'CUSTODY_CARE' },
      );
      expect(list.children.edges.map((edge) => edge.node.id)).toEqual([JORDAN.id]);
      expect(list.children.edges[0]?.node.records.edges.map((edge) => edge.node.kind).sort()).toEqual([
        'CUSTODY_INFORMATION_PACK',
        'DETENTION_PLACEMENT_PLAN',
      ]);
      const other = await ok<{ children: Edges<{ records: Edges<unknown> }> }>(
        subject,
        '{ children { edges { node { records { edges { node { id } } } } } } }',
        {},
        { purpose: 'CASE_MANAGEMENT' },
      );
      expect(other.children.edges.flatMap((edge) => edge.node.records.edges)).toEqual([]);
    }
    const dpp = await ok<{ record: { c: { orders: unknown; name: string | null; needs: string | null }; withheld: Withheld[] } }>(
      'gail.morgan',
      `{ record(id: "${recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN)}") { ... on DetentionPlacementPlan { c: content { orders: contactOrders { orderType } name: establishmentName needs: howNeedsWillBeMet } withheld { field rule } } } }`,
      {},
      { purpose: 'CUSTODY_CARE' },
    );
    expect(dpp.record.c.name).toBe('HMYOI Wetherby');
    expect(dpp.record.c.needs).toContain('Keyworker');
    expect(dpp.record.withheld).toContainEqual({ field: 'content.contactOrders', rule: 'DEFAULT-DENY' }); // court-restricted
    const type = await ok<{ __type: { fields: { name: string }[] } }>(
      'gail.morgan',
      '{ __type(name: "CustodyInformationPackContent") { fields { name } } }',
    );
    expect(type.__type.fields.map((field) => field.name).sort()).toEqual(
      [
        'previousCareStatus',
        'parentalResponsibility',
        'representativeAndTeamManager',
        'immediateSafetyInformation',
        'familyAndContact',
        'healthAndEducationNeeds',
        'socialWorkerVisitDate',
      ].sort(),
    );
  });

  it('host YOS: a list and a page of records reach only the caretaking scope, and a record outside it is not found like a missing one', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const data: { child: { records: Edges<{ kind: string }> & { pageInfo: { hasNextPage: boolean; endCursor: string } } } } =
        await ok(
          'dana.hughes',
          `query($after: String) { child(id: "${KAYLA.id}") { records(first: 1, after: $after) { edges { node { kind } } pageInfo { hasNextPage endCursor } } } }`,
          { after },
        );
      expect(data.child.records.edges).toHaveLength(1);
      seen.push(...data.child.records.edges.map((edge) => edge.node.kind));
      if (!data.child.records.pageInfo.hasNextPage) break;
      after = data.child.records.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(['INTERVENTION_PLAN', 'PLACEMENT_PLAN', 'PLANNING_MEETING_RECORD']);
    const scoped = await ok<{ k: { plans: Edges<unknown> } }>(
      'dana.hughes',
      `{ k: child(id: "${KAYLA.id}") { plans: records(kinds: [CARE_PLAN]) { edges { node { id } } } } }`,
    );
    expect(scoped.k.plans.edges).toEqual([]);
    const outside = await t.gql('dana.hughes', `{ record(id: "${recordOf(KAYLA, RecordKind.CARE_PLAN)}") { id } }`);
    const missing = await t.gql('dana.hughes', '{ record(id: "00000000-0000-4000-9000-0000000000ab") { id } }');
    expect(codes(outside)).toEqual(['NOT_FOUND']);
    expect(outside.body.data).toEqual(missing.body.data);
    expect(outside.body.errors?.map((error) => [error.message, error.path])).toEqual(
      missing.body.errors?.map((error) => [error.message, error.path]),
    );
  });

  it('break-glass: the narrow read gives identity, legal status, placement, allocated workers and risk flags and nothing else; writes and records stay closed; every allocated worker is told', async () => {
    // The CSC front door may break glass for a child known to the YOS (derby-yos-csc §4.1): Reece.
    const emergency = emergencyOptions('MISSING_CHILD', 'Missing overnight; police asking where he may be');
    await ok(
      'dana.hughes',
      `mutation { createRecord(input: { childId: "${REECE.id}", content: { assetPlus: { riskOfReoffending: LOW, riskOfSeriousHarm: MEDIUM, safetyAndWellbeing: VERY_HIGH } } }) { id } }`,
    );
    type Narrow = {
      child: {
        givenName: string;
        legalStatus: { basis: string };
        currentPlacement: { address: string | null; placementType: string | null; reason: string | null; withheld: Withheld[] };
        allocations: { role: string; practitioner: { displayName: string } }[];
        riskFlags: { kind: string; level: string | null }[];
        records: Edges<unknown>;
      };
    };
    const read = await ok<Narrow>(
      'derby.csct',
      `{ child(id: "${REECE.id}") { givenName legalStatus { basis } currentPlacement { address placementType reason withheld { field rule } }
         allocations { role practitioner { displayName } } riskFlags { kind level } records { edges { node { id } } } } }`,
      {},
      emergency,
    );
    expect(read.child.givenName).toBe('Reece');
    expect(read.child.legalStatus.basis).toBe('NONE');
    expect(read.child.currentPlacement).toMatchObject({ address: '8 Nottingham Road, Derby', placementType: null, reason: null });
    expect(read.child.currentPlacement.withheld.map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['placementType', 'reason']),
    );
    expect(read.child.allocations.map((allocation) => allocation.practitioner.displayName).sort()).toEqual(
      ['Dana Hughes', 'Paul Adeyemi'].sort(),
    );
    expect(read.child.riskFlags.map((flag) => flag.level)).toEqual(['LOW', 'MEDIUM', 'VERY_HIGH']);
    expect(read.child.records.edges).toEqual([]);
    expect(
      codes(await t.gql('derby.csct', `{ record(id: "${recordOf(REECE, RecordKind.PATHWAY_PLAN)}") { id } }`, {}, emergency)),
    ).toEqual(['NOT_FOUND']);
    // A manager who may write elsewhere, and may break glass (derby-yos-csc §4.2), gets no write through it.
    const known = aChild({
      involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
      references: [],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, known));
    const managerEmergency = emergencyOptions(
      'IMMEDIATE_RISK_OF_HARM',
      'Disclosure at school this evening of an assault at home',
    );
    await ok('marcus.reid', `{ child(id: "${known.id}") { givenName } }`, {}, managerEmergency);
    const write = await t.gql(
      'marcus.reid',
      `mutation { createRecord(input: { childId: "${known.id}", content: { assetPlus: { analysis: "x" } } }) { id } }`,
      {},
      managerEmergency,
    );
    // Refused before anything is read: EMERGENCY is a purpose that only reads.
    expect(codes(write)).toEqual(['FORBIDDEN']);
    expect(write.body.errors?.[0]?.message).toMatch(/^Purpose EMERGENCY is for break-glass's narrow read/);

    const dataSource = t.app.get(DataSource);
    const [grant] = await dataSource.query<{ justification: string; reason: string; minutes: number }[]>(
      `SELECT justification, reason_code AS reason, extract(epoch FROM expires_at - granted_at)::int / 60 AS minutes FROM break_glass_access WHERE child_id = $1 AND subject = 'derby.csct'`,
      [REECE.id],
    );
    expect(grant).toMatchObject({ justification: emergency.headers?.['x-access-justification'], reason: 'MISSING_CHILD' });
    expect(grant?.minutes).toBeGreaterThan(0);
    const told = async () =>
      (
        await dataSource.query<{ name: string }[]>(
          `SELECT p.display_name AS name FROM practitioner_alert a JOIN practitioner p ON p.id = a.practitioner_id WHERE a.child_id = $1 AND a.kind = 'BREAK_GLASS' ORDER BY 1`,
          [REECE.id],
        )
      ).map((row) => row.name);
    expect(await told()).toEqual(read.child.allocations.map((allocation) => allocation.practitioner.displayName).sort());
    // Once the time box has passed, the next emergency read is a new, audited grant with new alerts.
    await dataSource.query(`UPDATE break_glass_access SET expires_at = now() - interval '1 minute' WHERE subject = 'derby.csct'`);
    await ok('derby.csct', `{ child(id: "${REECE.id}") { givenName } }`, {}, emergency);
    const [count] = await dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM break_glass_access WHERE subject = 'derby.csct'`,
    );
    expect(count?.count).toBe(2);
    expect((await told()).length).toBe(2 * read.child.allocations.length);
  });

  it('requires a purpose on every operation on child data, not only on child(id)', async () => {
    const operations = [
      '{ children { edges { cursor } } }',
      `{ record(id: "${recordOf(JORDAN, RecordKind.CARE_PLAN)}") { id } }`,
      `{ explainAccess(childId: "${JORDAN.id}", purpose: CASE_MANAGEMENT) { subject } }`,
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { assetPlus: { analysis: "x" } } }) { id } }`,
    ];
    for (const query of operations) {
      for (const purpose of [null, 'CURIOSITY']) {
        const response = await t.gql('dana.hughes', query, {}, { purpose });
        expect(response.body.errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
        expect(response.body.data ?? null).toBeNull();
      }
    }
  });
});

describe('configured and expired policy inputs', () => {
  afterAll(() => t.close());

  it('an expired agreement withholds what it gave, and the withheld entry says it expired', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tandem-agreements-'));
    cpSync('policy/agreements', directory, { recursive: true });
    const file = join(directory, 'derby-yos-csc.json');
    const agreement = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...agreement, version: 2, reviewDate: '2025-12-31' }, null, 2));
    t = await startTestApp({ POLICY_AGREEMENTS_DIR: directory });
    const data = await ok<{
      children: Edges<{ id: string; currentPlacement: { address: string | null; withheld: Required<Withheld>[] } }>;
    }>('dana.hughes', '{ children { edges { node { id currentPlacement { address withheld { field rule reason } } } } } }');
    const placement = data.children.edges.find((edge) => edge.node.id === JORDAN.id)?.node.currentPlacement;
    expect(placement?.address).toBeNull();
    const entry = placement?.withheld.find((withheld) => withheld.field === 'address');
    expect(entry?.rule).toBe('derby-yos-csc@v2 (not in force)');
    expect(entry?.reason).toMatch(/expired on 2025-12-31/);
    await t.close();
  });

  it('the grace period after an allocation ends is configurable, and lists honour it too', async () => {
    t = await startTestApp({ POLICY_ALLOCATION_GRACE_DAYS: '2' });
    const dataSource = t.app.get(DataSource);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const end = (offset: number) =>
      dataSource.query(
        `UPDATE worker_allocation SET end_date = $2 WHERE child_id = $1 AND practitioner_id = (SELECT id FROM practitioner WHERE subject = 'irene.walsh')`,
        [JORDAN.id, day(offset)],
      );
    const sees = async () => {
      const single = codes(await t.gql('irene.walsh', `{ child(id: "${JORDAN.id}") { id } }`));
      const list = await ok<{ children: Edges<{ id: string }> }>('irene.walsh', '{ children { edges { node { id } } } }');
      return { single, listed: list.children.edges.map((edge) => edge.node.id).includes(JORDAN.id) };
    };
    await end(-1);
    expect(await sees()).toEqual({ single: [], listed: true });
    await end(-3);
    expect(await sees()).toEqual({ single: ['NOT_FOUND'], listed: false });
  });
});
