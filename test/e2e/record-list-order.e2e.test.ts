import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChild } from 'src/seed/child-factory.js';
import { aJointChild } from '../support/joint-child.js';
import type { DemoChild } from 'src/seed/demo-children.js';
import { type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A child's record list is ordered by last change, newest first, and its cursors carry that time.
 * The owner's drafts are its own: another agency's list (order and cursors) moves only when a
 * record gets a FINAL version or is withdrawn, never when the owner saves a draft.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version status } }`;
const WITHDRAW = `mutation($input: WithdrawRecordInput!) { withdrawRecord(input: $input) { version } }`;
const LIST = `query($id: ID!, $after: String) { child(id: $id) { records(kinds: [CARE_PLAN], first: 1, after: $after) {
  edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`;

type List = {
  child: {
    records: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
};

async function ok<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const { body } = await response;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  if (!body.data) throw new Error('no data');
  return body.data;
}

/** Every page of one record, as the user walks them: the ids in order, and the cursors. */
async function walk(user: string, childId: string): Promise<{ ids: string[]; cursors: string[] }> {
  const ids: string[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const { records }: List['child'] = (await ok(t.gql<List>(user, LIST, { id: childId, after }))).child;
    for (const edge of records.edges) {
      ids.push(edge.node.id);
      cursors.push(edge.cursor);
    }
    if (!records.pageInfo.hasNextPage) break;
    after = records.pageInfo.endCursor;
  }
  return { ids, cursors };
}

/** A child the Derby YOS and CSC both work with, each with its worker allocated. */
function childOfBoth(): DemoChild {
  return aJointChild();
}

describe("another agency's record list", () => {
  const child = childOfBoth();
  let older = '';
  let newer = '';

  beforeAll(async () => {
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const create = async (summary: string) =>
      (
        await ok(
          t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
            input: { childId: child.id, content: { carePlan: { summary } } },
          }),
        )
      ).createRecord.id;
    older = await create('First plan');
    newer = await create('Second plan');
  });

  it('does not move, nor change its cursors, when the owner saves a draft', async () => {
    const before = await walk('dana.hughes', child.id);
    expect(before.ids).toEqual([newer, older]);
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: { recordId: older, expectedVersion: 1, status: 'DRAFT', content: { carePlan: { summary: 'Work in progress' } } },
      }),
    );
    // The owner sees its draft as the latest change; the YOS sees the list exactly as before.
    expect((await walk('sam.okafor', child.id)).ids).toEqual([older, newer]);
    expect(await walk('dana.hughes', child.id)).toEqual(before);
  });

  it('moves when the owner makes a version FINAL, and when it withdraws a record', async () => {
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: { recordId: older, expectedVersion: 2, status: 'FINAL', content: { carePlan: { summary: 'Agreed plan' } } },
      }),
    );
    expect((await walk('dana.hughes', child.id)).ids).toEqual([older, newer]);
    await ok(
      t.gql('sam.okafor', WITHDRAW, { input: { recordId: newer, expectedVersion: 1, reason: 'Recorded on the wrong child' } }),
    );
    const after = await walk('dana.hughes', child.id);
    expect(after.ids[0]).toBe(newer);
  });
});

describe("another agency's risk flags", () => {
  const child = childOfBoth();
  const FLAGS = `query($id: ID!) { child(id: $id) { riskFlags { kind level } } }`;
  type Flags = { child: { riskFlags: { kind: string; level: string }[] } };
  const reoffending = async () =>
    (await ok(t.gql<Flags>('sam.okafor', FLAGS, { id: child.id }))).child.riskFlags.find(
      (flag) => flag.kind === 'RISK_OF_REOFFENDING',
    )?.level;

  it('come from the AssetPlus last made FINAL, whatever draft the YOS saves on another', async () => {
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const create = async (level: string) =>
      (
        await ok(
          t.gql<{ createRecord: { id: string } }>('dana.hughes', CREATE, {
            input: { childId: child.id, content: { assetPlus: { analysis: `Assessed ${level}`, riskOfReoffending: level } } },
          }),
        )
      ).createRecord.id;
    const older = await create('HIGH');
    await create('LOW');
    expect(await reoffending()).toBe('LOW');
    await ok(
      t.gql('dana.hughes', UPDATE, {
        input: { recordId: older, expectedVersion: 1, status: 'DRAFT', content: { assetPlus: { analysis: 'Work in progress' } } },
      }),
    );
    expect(await reoffending()).toBe('LOW');
  });
});
