import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { recordStatements, type StatementRecorder } from '../support/statement-recorder.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';

let t: TestApp;
let recorder: StatementRecorder;
beforeAll(async () => {
  t = await startTestApp();
  recorder = recordStatements(t.app.get(DataSource));
});
afterAll(() => t.close());

const CHILD_WITH_RECORDS = `query($id: ID!) { child(id: $id) { id caseReferences { value caseSystem { code } }
  legalStatus { basis recordedByAgency { code } } currentPlacement { placementName area { code } }
  placements(first: 20) { edges { node { id status } } }
  involvements { role agency { code } } allocations { role practitioner { displayName } }
  records(first: 50) { edges { node { id kind version owningAgency { code } author { name agency { code } }
    versions { version author { name } } ... on InterventionPlan { content { riskTargets } } } } } } }`;

async function countFor(
  subject: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ count: number; data: unknown }> {
  await t.gql(subject, '{ me { subject } }');
  recorder.reset();
  const response = await t.gql(subject, query, variables);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return { count: recorder.statements.length, data: response.body.data };
}

describe('related data is batched, not fetched per item', () => {
  it('reads a child with 20 records in as many statements as a child with 3', async () => {
    for (let index = 0; index < 20; index += 1) {
      const created = await t.gql('dana.hughes', 'mutation($input: CreateRecordInput!) { createRecord(input: $input) { id } }', {
        input: { childId: JORDAN.id, content: { interventionPlan: { riskTargets: [`Target ${index}`] } } },
      });
      expect(created.body.errors).toBeUndefined();
    }
    const many = await countFor('dana.hughes', CHILD_WITH_RECORDS, { id: JORDAN.id });
    const records = (many.data as { child: { records: { edges: unknown[] } } }).child.records.edges;
    expect(records.length).toBe(JORDAN.records.length + 20);
    const few = await countFor('dana.hughes', CHILD_WITH_RECORDS, { id: KAYLA.id });
    expect(many.count).toBe(few.count);
    expect(many.count).toBeLessThanOrEqual(12);
  });

  it('reads a page of children with their records in a fixed number of statements', async () => {
    const query = `query($first: Int) { children(first: $first) { edges { node { id legalStatus { basis } allocations { role }
      records(first: 5) { edges { node { id versions { version } } } } } } } }`;
    const one = await countFor('dana.hughes', query, { first: 1 });
    const three = await countFor('dana.hughes', query, { first: 3 });
    expect(three.count).toBe(one.count);
  });
});
