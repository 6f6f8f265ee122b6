import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { delegatedToken, gqlAs, receiptsOf } from '../support/delegation.js';

let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const CHANGES = `query($after: String, $first: Int) { changes(after: $after, first: $first) {
  edges { cursor node { position kind eventType eventId child { id givenName }
    record { kind version ... on CarePlan { content { summary } } }
    placement { id address } legalStatus { basis } } }
  pageInfo { endCursor hasNextPage } } }`;

interface ChangeNode {
  position: string;
  kind: string;
  eventType: string;
  eventId: string;
  child: { id: string; givenName: string };
  record: { kind: string; version: number; content?: { summary: string | null } | null } | null;
  placement: { id: string; address: string | null } | null;
  legalStatus: { basis: string | null } | null;
}
type Feed = { changes: { edges: { cursor: string; node: ChangeNode }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };

async function readAll(token: string, first: number, after: string | null = null): Promise<{ nodes: ChangeNode[]; end: string }> {
  const nodes: ChangeNode[] = [];
  let cursor = after;
  for (;;) {
    const response = await gqlAs<Feed>(t, token, CHANGES, { after: cursor, first });
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data?.changes;
    if (!page) throw new Error('no page');
    nodes.push(...page.edges.map((edge) => edge.node));
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { nodes, end: cursor };
  }
}

describe('changes: the change feed', () => {
  let start: string;

  it('gives a case system every change it may see, in order, receipted, and resumes from any position', async () => {
    const system = t.token('derby-yos-integration');
    start = (await readAll(system, 100)).end;
    const planned = await t.gql(
      'sam.okafor',
      `mutation { recordPlacementChange(input: { childId: "${JORDAN.id}", placementType: FOSTER_CARE, address: "2 Duffield Road, Derby", areaLocalAuthority: "derby", reason: "Return to foster care on release", plannedDate: "2026-12-20" }) { id } }`,
      {},
      { purpose: 'PLACEMENT_PLANNING' },
    );
    expect(planned.body.errors).toBeUndefined();
    const updated = await t.gql(
      'sam.okafor',
      `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version } }`,
      {
        input: {
          recordId: recordOf(JORDAN, RecordKind.CARE_PLAN),
          expectedVersion: 2,
          content: { carePlan: { summary: 'Synced plan' } },
        },
      },
    );
    expect(updated.body.errors).toBeUndefined();

    const response = await gqlAs<Feed>(t, system, CHANGES, { after: start, first: 100 });
    const nodes = response.body.data?.changes.edges.map((edge) => edge.node) ?? [];
    expect(nodes.map((node) => node.kind)).toEqual(['PLACEMENT', 'RECORD']);
    expect(nodes[0]?.child.id).toBe(JORDAN.id);
    expect(nodes[1]?.record).toMatchObject({ kind: 'CARE_PLAN', version: 3 });
    // A plain SYSTEM token keeps its narrow scope: no plan content.
    expect(nodes[1]?.record?.content?.summary ?? null).toBeNull();
    const receipts = await receiptsOf(db, response.correlationId);
    expect(receipts.map((receipt) => receipt.record?.kind).sort()).toEqual(['CARE_PLAN', 'CHILD', 'PLACEMENT']);

    // One change per page, resumed from each page's end, gives the same changes exactly once.
    const paged = await readAll(system, 1, start);
    expect(paged.nodes.map((node) => node.eventId)).toEqual(nodes.map((node) => node.eventId));
    const again = await gqlAs<Feed>(t, system, CHANGES, { after: paged.end });
    expect(again.body.data?.changes.edges).toEqual([]);
    expect(again.body.data?.changes.pageInfo.endCursor).toBe(paged.end);
  });

  it('starts from the beginning when no position is given, as when it is null', async () => {
    const system = t.token('derby-yos-integration');
    const absent = await gqlAs<Feed>(t, system, `{ changes(first: 3) { edges { cursor } pageInfo { endCursor hasNextPage } } }`);
    expect(absent.body.errors).toBeUndefined();
    const explicit = await gqlAs<Feed>(t, system, CHANGES, { after: null, first: 3 });
    expect(absent.body.data?.changes.edges.map((edge) => edge.cursor)).toEqual(
      explicit.body.data?.changes.edges.map((edge) => edge.cursor),
    );
    expect(absent.body.data?.changes.edges.length).toBeGreaterThan(0);
  });

  it('a delegated token sees the plan as its practitioner would', async () => {
    const token = delegatedToken(t, 'dana.hughes', ['YOS_CASE_MANAGER']);
    const { nodes } = await readAll(token, 100, start);
    const record = nodes.find((node) => node.kind === 'RECORD');
    expect(record?.record?.content?.summary).toBe('Synced plan');
  });

  it('is for case systems only, and never under EMERGENCY', async () => {
    expect(codes(await t.gql('dana.hughes', CHANGES))).toEqual(['FORBIDDEN']);
    const emergency = await gqlAs(t, t.token('derby-yos-integration'), CHANGES, {}, 'EMERGENCY');
    expect(codes(emergency)).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('derby-yos-integration', CHANGES, {}, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gqlAs(t, t.token('derby-yos-integration'), CHANGES, { after: 'abc' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('shows another agency nothing of a child it is not involved with', async () => {
    const { nodes } = await readAll(t.token('islington-yos-integration'), 100, start);
    expect(nodes.filter((node) => node.child.id === JORDAN.id)).toEqual([]);
  });
});

describe('changes: a withdrawal', () => {
  it("reaches every case system that sees the record, when the latest version was the owner's draft", async () => {
    const system = t.token('derby-yos-integration');
    const start = (await readAll(system, 100)).end;
    const created = await t.gql<{ createRecord: { id: string } }>(
      'sam.okafor',
      `mutation { createRecord(input: { childId: "${JORDAN.id}", content: { carePlan: { summary: "Plan to withdraw" } } }) { id } }`,
    );
    const id = created.body.data?.createRecord.id;
    const drafted = await t.gql(
      'sam.okafor',
      `mutation($id: ID!) { updateRecord(input: { recordId: $id, expectedVersion: 1, status: DRAFT, content: { carePlan: { summary: "Draft" } } }) { version } }`,
      { id },
    );
    expect(drafted.body.errors).toBeUndefined();
    const withdrawn = await t.gql(
      'sam.okafor',
      `mutation($id: ID!) { withdrawRecord(input: { recordId: $id, expectedVersion: 2, reason: "Recorded on the wrong child" }) { version } }`,
      { id },
    );
    expect(withdrawn.body.errors).toBeUndefined();
    const { nodes } = await readAll(system, 100, start);
    const withdrawal = nodes.find((node) => node.eventType === 'RECORD_WITHDRAWN');
    // At the version the YOS reads; the draft stays the owner's.
    expect(withdrawal?.record).toMatchObject({ kind: 'CARE_PLAN', version: 1 });
    expect(nodes.some((node) => node.record?.version === 2)).toBe(false);
  });
});
