import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { involvePolice } from '../support/emergency.js';
import { DataSource } from 'typeorm';
import { insertChild } from 'src/seed/child-factory.js';
import { aJointChild } from '../support/joint-child.js';

/**
 * C3 (003 §6.2): while a police investigation is open, police and CPS see a record made before it
 * as it stood then — not its later versions, nor that they exist — and only the agency that
 * recorded a restriction ends it.
 */
let t: TestApp;
const ASSET = recordOf(JORDAN, RecordKind.ASSET_PLUS);
const POLICE = { purpose: 'SAFEGUARDING' };
const LATER = 'Written after the investigation opened';
let investigation = '';
let openedAt = '';

beforeAll(async () => {
  t = await startTestApp();
  await involvePolice(t, JORDAN.id);
  const opened = await t.gql<{ recordRestriction: { id: string; startedAt: string } }>(
    'ds.khan',
    `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Larch" }) { id startedAt } }`,
    {},
    POLICE,
  );
  expect(opened.body.errors).toBeUndefined();
  investigation = opened.body.data?.recordRestriction.id ?? '';
  openedAt = opened.body.data?.recordRestriction.startedAt ?? '';
  const updated = await t.gql(
    'dana.hughes',
    `mutation { updateRecord(input: { recordId: "${ASSET}", expectedVersion: 1, content: { assetPlus: { analysis: "${LATER}", riskOfReoffending: LOW, riskOfSeriousHarm: LOW, safetyAndWellbeing: LOW } } }) { version } }`,
  );
  expect(updated.body.errors).toBeUndefined();
  const acknowledged = await t.gql(
    'sam.okafor',
    `mutation { acknowledgeRecord(input: { recordId: "${ASSET}", version: 2, comment: "Read after the allegation" }) { id } }`,
  );
  expect(acknowledged.body.errors).toBeUndefined();
  // Of the version police may read, but after the investigation opened (and by CSC, not the owner).
  const ofTheFirst = await t.gql(
    'sam.okafor',
    `mutation { acknowledgeRecord(input: { recordId: "${ASSET}", version: 1, comment: "Read after police were involved" }) { id } }`,
  );
  expect(ofTheFirst.body.errors).toBeUndefined();
});
afterAll(() => t.close());

const RECORD = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { version latestVersion
  versions { version } acknowledgements { version } ... on AssetPlus { content { analysis riskOfReoffending } } } }`;
type RecordResult = {
  record: {
    version: number;
    latestVersion: number;
    versions: { version: number }[];
    acknowledgements: { version: number }[];
    content: { analysis: string; riskOfReoffending: string };
  };
};

describe('C3: police see a record as it stood before the investigation opened', () => {
  it('by id: the last earlier version, with no trace of later ones', async () => {
    const response = await t.gql<RecordResult>('ds.khan', RECORD, { id: ASSET }, POLICE);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.record).toEqual({
      version: 1,
      latestVersion: 1,
      versions: [{ version: 1 }],
      acknowledgements: [],
      content: { analysis: 'Offending linked to exploitation by older peers.', riskOfReoffending: 'HIGH' },
    });
    expect(JSON.stringify(response.body)).not.toContain(LATER);
    // Asking for the later version answers as for a version that does not exist.
    const later = await t.gql('ds.khan', RECORD, { id: ASSET, version: 2 }, POLICE);
    const never = await t.gql('ds.khan', RECORD, { id: ASSET, version: 9 }, POLICE);
    expect(codes(later)).toEqual(['BAD_USER_INPUT']);
    expect(later.body.errors?.[0]?.message).toBe(never.body.errors?.[0]?.message);
    expect(later.body.errors?.[0]?.message).toBe('The record has versions 1 to 1');
    // Nor does a write tell: acknowledging is refused before any version is named.
    const acknowledge = await t.gql(
      'ds.khan',
      `mutation { acknowledgeRecord(input: { recordId: "${ASSET}", version: 9 }) { id } }`,
      {},
      POLICE,
    );
    expect(codes(acknowledge)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(acknowledge.body)).not.toMatch(/versions 1 to 2/);
  });

  it('in lists and risk flags too, with cursors that carry no later change', async () => {
    type Page = {
      child: {
        riskFlags: { level: string }[];
        records: { edges: { cursor: string; node: { id: string; version: number; latestVersion: number } }[] };
      };
    };
    const response = await t.gql<Page>(
      'ds.khan',
      `{ child(id: "${JORDAN.id}") { riskFlags { level } records(kinds: [ASSET_PLUS]) { edges { cursor node { id version latestVersion ... on AssetPlus { content { analysis } } } } } } }`,
      {},
      POLICE,
    );
    expect(response.body.errors).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toContain(LATER);
    expect(response.body.data?.child.riskFlags.map((flag) => flag.level)).toEqual(['HIGH', 'MEDIUM', 'HIGH']);
    const edge = response.body.data?.child.records.edges.find((item) => item.node.id === ASSET);
    expect(edge?.node).toMatchObject({ version: 1, latestVersion: 1 });
    const [sortKey] = JSON.parse(Buffer.from(edge?.cursor ?? '', 'base64url').toString('utf8')) as [string, string];
    expect(new Date(sortKey).getTime()).toBeLessThan(new Date(openedAt).getTime());
    // The YOS itself sees the record as it is now.
    const own = await t.gql<RecordResult>('dana.hughes', RECORD, { id: ASSET });
    expect(own.body.data?.record).toMatchObject({ version: 2, latestVersion: 2, content: { analysis: LATER } });
  });
});

describe('ending a restriction', () => {
  it('only the agency that recorded it ends it', async () => {
    const end = `mutation($id: ID!) { endRestriction(input: { id: $id }) { endedAt } }`;
    expect(codes(await t.gql('sam.okafor', end, { id: investigation }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('tara.nolan', end, { id: investigation }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('ayesha.malik', end, { id: investigation }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('ds.khan', end, { id: investigation }, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    const still = await t.gql<RecordResult>('ds.khan', RECORD, { id: ASSET }, POLICE);
    expect(still.body.data?.record.latestVersion).toBe(1);

    const ended = await t.gql('ds.khan', end, { id: investigation }, POLICE);
    expect(ended.body.errors).toBeUndefined();
    const after = await t.gql<RecordResult>('ds.khan', RECORD, { id: ASSET }, POLICE);
    expect(after.body.data?.record).toMatchObject({ version: 2, latestVersion: 2 });

    // A contact restriction the social worker recorded: her agency's manager ends it, the YOS's may not.
    const contact = await t.gql<{ recordRestriction: { id: string } }>(
      'sam.okafor',
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: CONTACT_RESTRICTION, restrictedSubject: "father", details: "s34 order" }) { id } }`,
    );
    const id = contact.body.data?.recordRestriction.id;
    expect(codes(await t.gql('marcus.reid', end, { id }))).toEqual(['FORBIDDEN']);
    expect((await t.gql('tara.nolan', end, { id })).body.errors).toBeUndefined();
  });

  it('pages only records police read a version of: one finalised after the investigation opened takes no place', async () => {
    const child = aJointChild();
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    await involvePolice(t, child.id);
    const assetPlus = (analysis: string) => ({
      assetPlus: { analysis, riskOfReoffending: 'LOW', riskOfSeriousHarm: 'LOW', safetyAndWellbeing: 'LOW' },
    });
    const created: string[] = [];
    for (const [analysis, status] of [
      ['First', 'FINAL'],
      ['Second', 'FINAL'],
      ['Drafted before, finalised after', 'DRAFT'],
    ] as const) {
      const response = await t.gql<{ createRecord: { id: string } }>(
        'dana.hughes',
        `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id } }`,
        { input: { childId: child.id, status, content: assetPlus(analysis) } },
      );
      expect(response.body.errors).toBeUndefined();
      created.push(response.body.data?.createRecord.id ?? '');
    }
    const [first, second, drafted] = created;
    const opened = await t.gql(
      'ds.khan',
      `mutation { recordRestriction(input: { childId: "${child.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Birch" }) { id } }`,
      {},
      POLICE,
    );
    expect(opened.body.errors).toBeUndefined();
    const finalised = await t.gql(
      'dana.hughes',
      `mutation($input: FinaliseRecordInput!) { finaliseRecord(input: $input) { version } }`,
      { input: { recordId: drafted, expectedVersion: 1 } },
    );
    expect(finalised.body.errors).toBeUndefined();
    type Page = {
      child: { records: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    };
    const page = async (after: string | null) => {
      const response = await t.gql<Page>(
        'ds.khan',
        `query($id: ID!, $after: String) { child(id: $id) { records(kinds: [ASSET_PLUS], first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
        { id: child.id, after },
        POLICE,
      );
      expect(response.body.errors).toBeUndefined();
      return response.body.data?.child.records;
    };
    const one = await page(null);
    expect(one?.edges.map((edge) => edge.node.id)).toEqual([second]);
    expect(one?.pageInfo.hasNextPage).toBe(true);
    const two = await page(one?.pageInfo.endCursor ?? null);
    expect(two?.edges.map((edge) => edge.node.id)).toEqual([first]);
    expect(two?.pageInfo.hasNextPage).toBe(false);
  });
});
