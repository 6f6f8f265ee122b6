import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { recordStatements, type StatementRecorder } from '../support/statement-recorder.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';

/**
 * A page of records brings along the content of the versions readers most often read (the current
 * one and the latest FINAL one), so showing them needs no statement of its own; which version each
 * caller reads is still the policy's: the owner its draft, another agency the FINAL version before it.
 */
let t: TestApp;
let recorder: StatementRecorder;
const CARE_PLAN = recordOf(JORDAN, RecordKind.CARE_PLAN);
const DRAFT = 'Draft: a move to supported lodgings is being considered';

beforeAll(async () => {
  t = await startTestApp();
  recorder = recordStatements(t.app.get(DataSource));
  const drafted = await t.gql(
    'sam.okafor',
    'mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version status } }',
    { input: { recordId: CARE_PLAN, expectedVersion: 2, status: 'DRAFT', content: { carePlan: { summary: DRAFT } } } },
  );
  expect(drafted.body.errors, JSON.stringify(drafted.body.errors)).toBeUndefined();
});
afterAll(() => t.close());

const PAGE = `query($id: ID!) { child(id: $id) { records(kinds: [CARE_PLAN]) { edges { node { id version status
  ... on CarePlan { content { summary } } } } } } }`;

/** Whether a statement read versions by (record, version) pairs: what showing a version costs when the page did not bring it. */
const readsVersionsByPair = (text: string) =>
  text.includes('FROM shared_record_version') && text.includes('unnest($1::uuid[], $2::int[])');

async function page(subject: string) {
  await t.gql(subject, '{ me { subject } }');
  recorder.reset();
  const response = await t.gql<{
    child: { records: { edges: { node: { id: string; version: number; status: string; content: { summary: string } } }[] } };
  }>(subject, PAGE, { id: JORDAN.id });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  const node = response.body.data?.child.records.edges.find((edge) => edge.node.id === CARE_PLAN)?.node;
  return { node, versionReads: recorder.statements.filter(readsVersionsByPair).length };
}

describe("a page's records come with the content read", () => {
  it('the owner reads its draft, with no statement for the version', async () => {
    const { node, versionReads } = await page('sam.okafor');
    expect(node).toMatchObject({ version: 3, status: 'DRAFT', content: { summary: DRAFT } });
    expect(versionReads).toBe(0);
  });

  it('another agency reads the FINAL version before it, with no statement for the version', async () => {
    const { node, versionReads } = await page('dana.hughes');
    expect(node).toMatchObject({ version: 2, status: 'FINAL' });
    expect(node?.content.summary).not.toBe(DRAFT);
    const [stored] = await t.app
      .get(DataSource)
      .query<{ summary: string }[]>(
        `SELECT content->>'summary' AS summary FROM shared_record_version WHERE record_id = $1 AND version = 2`,
        [CARE_PLAN],
      );
    expect(node?.content.summary).toBe(stored?.summary);
    expect(versionReads).toBe(0);
  });

  it('a version the page did not bring is read when the policy picks it (an older version asked for by number)', async () => {
    recorder.reset();
    const response = await t.gql<{ record: { version: number; content: { summary: string } } }>(
      'dana.hughes',
      `query($id: ID!) { record(id: $id, version: 1) { version ... on CarePlan { content { summary } } } }`,
      { id: CARE_PLAN },
    );
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    expect(response.body.data?.record.version).toBe(1);
    expect(recorder.statements.filter(readsVersionsByPair).length).toBe(1);
  });
});
