import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { recordStatements, type StatementRecorder } from '../support/statement-recorder.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';

/**
 * A look-up of something the caller may not see must be indistinguishable from one of nothing: the
 * same answer (NOT_FOUND) and the same work, so its time does not tell them it exists. Timing is
 * what an attacker measures, but a test of it would be flaky; the recorder.statements each path sends to
 * the database are what makes the time, so those are compared: same number, same SQL.
 */
let t: TestApp;
let recorder: StatementRecorder;

beforeAll(async () => {
  t = await startTestApp();
  recorder = recordStatements(t.app.get(DataSource));
});
afterAll(() => t.close());

/** Islington CSC's team manager: no connection to the Derby child Jordan. */
const OUTSIDER = 'ayesha.malik';

/** The SQL one look-up sends (sorted: batching may order independent recorder.statements either way). */
async function statementsOf(query: string, variables: Record<string, unknown>): Promise<string[]> {
  // A first request of the same shape warms what is cached per process (agreements, plans).
  await t.gql(OUTSIDER, query, variables);
  recorder.reset();
  const response = await t.gql(OUTSIDER, query, variables);
  expect(codes(response)).toEqual(['NOT_FOUND']);
  return [...recorder.statements].sort();
}

async function expectSameWork(query: string, hidden: Record<string, unknown>, missing: Record<string, unknown>): Promise<void> {
  const denied = await statementsOf(query, hidden);
  const absent = await statementsOf(query, missing);
  expect(denied.length).toBeGreaterThan(0);
  expect(absent).toEqual(denied);
}

describe('a look-up of what the caller may not see does the same work as one of nothing', () => {
  it('child(id)', async () => {
    await expectSameWork(`query($id: ID!) { child(id: $id) { id } }`, { id: JORDAN.id }, { id: randomUUID() });
  });

  it('childByCaseReference, for a reference that names no child', async () => {
    const query = `query($ref: String!) { childByCaseReference(reference: $ref, caseSystem: "derby-csc-liquidlogic") { id } }`;
    await expectSameWork(query, { ref: 'LL-204518' }, { ref: 'LL-000000' });
  });

  it('record(id)', async () => {
    const query = `query($id: ID!) { record(id: $id) { id } }`;
    await expectSameWork(query, { id: recordOf(JORDAN, RecordKind.CARE_PLAN) }, { id: randomUUID() });
  });
});
