import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type RequestOptions, startTestApp, type TestApp } from '../support/test-app.js';
import { recordStatements, type StatementRecorder } from '../support/statement-recorder.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { emergency } from '../support/emergency.js';

/**
 * A look-up of a child or record the caller may not see, and of one that does not exist, take the
 * same path: the same SQL recorder.statements in the same order (so neither what the gateway does nor how
 * long it takes tells them apart), and the same answer.
 */
let t: TestApp;
let recorder: StatementRecorder;
beforeAll(async () => {
  t = await startTestApp();
  recorder = recordStatements(t.app.get(DataSource));
});
afterAll(() => t.close());

/** The recorder.statements one request runs (its SQL text; parameters differ), and its answer. */
async function pathOf(subject: string, query: string, options: RequestOptions = {}) {
  recorder.reset();
  const response = await t.gql(subject, query, {}, options);
  return {
    statements: [...recorder.statements],
    codes: codes(response),
    messages: response.body.errors?.map((error) => error.message),
    data: response.body.data,
  };
}

/** Runs each look-up twice first, so caches (abilities, the directory) are warm for both. */
async function compare(subject: string, hidden: string, missing: string, options: RequestOptions = {}) {
  for (const query of [hidden, missing, hidden, missing]) await pathOf(subject, query, options);
  const denied = await pathOf(subject, hidden, options);
  const absent = await pathOf(subject, missing, options);
  expect(denied.codes.length).toBe(1);
  expect(denied.statements.length).toBeGreaterThan(0);
  expect(denied.statements).toEqual(absent.statements);
  expect({ ...denied, statements: undefined }).toEqual({ ...absent, statements: undefined });
}

describe('denied and missing look-ups take the same path', () => {
  const OUTSIDER = 'ayesha.malik';
  const nobody = () => randomUUID();

  it('child(id)', async () => {
    await compare(OUTSIDER, `{ child(id: "${JORDAN.id}") { id givenName } }`, `{ child(id: "${nobody()}") { id givenName } }`);
    // An id that is not a UUID runs them too.
    const notAnId = await pathOf(OUTSIDER, '{ child(id: "not-an-id") { id } }');
    const denied = await pathOf(OUTSIDER, `{ child(id: "${JORDAN.id}") { id } }`);
    expect(notAnId.statements).toEqual(denied.statements);
  });

  it('childByCaseReference', async () => {
    await compare(
      OUTSIDER,
      '{ childByCaseReference(reference: "LL-204518", caseSystem: "derby-csc-liquidlogic") { id } }',
      '{ childByCaseReference(reference: "LL-000000", caseSystem: "derby-csc-liquidlogic") { id } }',
    );
  });

  it('childByIdentity', async () => {
    await compare(
      OUTSIDER,
      '{ childByIdentity(identity: { givenName: "Jordan", familyName: "Pryce", dateOfBirth: "2010-03-14" }) { id } }',
      '{ childByIdentity(identity: { givenName: "Nobody", familyName: "Pryce", dateOfBirth: "2010-03-14" }) { id } }',
    );
  });

  it('record(id)', async () => {
    await compare(
      OUTSIDER,
      `{ record(id: "${recordOf(JORDAN, RecordKind.CARE_PLAN)}") { id } }`,
      `{ record(id: "${nobody()}") { id } }`,
    );
  });

  it('a break-glass look-up outside the clause', async () => {
    await compare('derby.csct', `{ child(id: "${KAYLA.id}") { id } }`, `{ child(id: "${nobody()}") { id } }`, emergency());
  });
});
