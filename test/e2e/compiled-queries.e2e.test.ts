import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Mercurius compiles a query text it has run GRAPHQL_JIT_AFTER times (graphql-jit) and runs the
 * compiled form from then on. Each case here runs one text three times — through graphql-js, then
 * compiled — and the answers and the receipts (exact field paths, withheld fields, bases) must be
 * the same every time; and a document's compiled form never answers for another operation.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp({ GRAPHQL_JIT_AFTER: '1' });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

interface Run {
  readonly status: number;
  readonly data: unknown;
  readonly errors: unknown;
  readonly receipts: unknown[];
}

/** One request as a case system sends it; its answer and receipts, without what differs by request. */
async function run(
  query: string,
  variables: Record<string, unknown>,
  operationName?: string,
  subject = 'dana.hughes',
): Promise<Run> {
  const correlationId = `jit-${randomUUID()}`;
  const response = await request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${t.token(subject)}`)
    .set('x-purpose-of-use', 'CASE_MANAGEMENT')
    .set('x-correlation-id', correlationId)
    .send({ query, variables, ...(operationName === undefined ? {} : { operationName }) });
  const body = response.body as {
    data?: unknown;
    errors?: { message: string; path?: unknown; extensions?: { code?: unknown } }[];
  };
  const receipts = (await loggedReceipts(db, { correlationId })).map(({ body: receipt }) => ({
    entry: receipt.entry,
    outcome: receipt.outcome,
    operation: receipt.operation.name,
    child: receipt.child,
    record: receipt.record,
    disclosed: receipt.disclosed,
    withheld: receipt.withheld,
    bases: receipt.bases,
  }));
  return {
    status: response.status,
    data: body.data,
    errors: body.errors?.map(({ message, path, extensions }) => ({ message, path, code: extensions?.code })),
    receipts,
  };
}

/** The same text three times (graphql-js, then compiled twice): the same every time. */
async function sameEveryTime(
  query: string,
  variables: Record<string, unknown>,
  operationName?: string,
  subject?: string,
): Promise<Run> {
  const first = await run(query, variables, operationName, subject);
  for (let time = 2; time <= 3; time++) expect(await run(query, variables, operationName, subject)).toEqual(first);
  return first;
}

const CARE_PLAN = recordOf(JORDAN, RecordKind.CARE_PLAN);

describe('compiled queries answer and log as graphql-js does', () => {
  it('the key read, through aliases and fragments, with a field withheld', async () => {
    const first = await sameEveryTime(
      `query Plan($id: ID!, $child: ID!) {
        plan: record(id: $id) { ...Plan kind version author { name } }
        who: child(id: $child) { givenName familyName records(kinds: [CARE_PLAN, PLACEMENT_PLAN]) { edges { node { id kind } } } }
      }
      fragment Plan on SharedRecord { ... on CarePlan { content { gist: summary health courtProceedingsInformation } } }`,
      { id: CARE_PLAN, child: JORDAN.id },
    );
    expect(first.errors).toBeUndefined();
    expect(JSON.stringify(first.receipts)).toContain('content.courtProceedingsInformation');
    expect(first.receipts.length).toBeGreaterThan(1);
  });

  it('@include and @skip by variables: each request logs the fields it was given, compiled or not', async () => {
    const query = `query Plan($id: ID!, $more: Boolean!) {
      record(id: $id) { kind version author @include(if: $more) { name } createdAt @skip(if: $more) }
    }`;
    const withMore = await run(query, { id: CARE_PLAN, more: true });
    const without = await run(query, { id: CARE_PLAN, more: false });
    for (const [more, first] of [
      [true, withMore],
      [false, without],
    ] as const) {
      expect(await run(query, { id: CARE_PLAN, more })).toEqual(first);
    }
    const paths = (of: Run) => (of.receipts[0] as { disclosed: string[] }).disclosed;
    expect(paths(withMore)).toContain('author.name');
    expect(paths(withMore)).not.toContain('createdAt');
    expect(paths(without)).not.toContain('author.name');
    expect(paths(without)).toContain('createdAt');
  });

  it('a refused mutation, a child not found and a bad variable, each the same every time', async () => {
    // C16: the YOS may not sign an intervention plan as the parent or carer.
    const refused = await sameEveryTime(
      `mutation($id: ID!) { signInterventionPlanAsParentCarer(input: { recordId: $id, expectedVersion: 1 }) { version } }`,
      { id: recordOf(KAYLA, RecordKind.INTERVENTION_PLAN) },
      undefined,
      'olu.bakare',
    );
    expect(refused.errors).toMatchObject([{ code: 'FORBIDDEN' }]);
    const notFound = await sameEveryTime(`query($id: ID!) { child(id: $id) { givenName } }`, { id: randomUUID() });
    expect(notFound.errors ?? notFound.data).toBeDefined();
    const bad = await sameEveryTime(`query($id: ID!) { child(id: $id) { givenName } }`, { id: true });
    expect(bad.errors).toMatchObject([{ code: 'BAD_USER_INPUT' }]);
    // A variable graphql-js refuses is refused in its words every time: the input field and the scalar's reason.
    const register = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id } }`;
    const input = { caseReference: 'CV-1', givenName: 'A', familyName: 'B', dateOfBirth: '2012-02-30' };
    const badDate = await sameEveryTime(register, { input });
    expect(JSON.stringify(badDate.errors)).toContain('input.dateOfBirth');
    const missing = await sameEveryTime(register, {});
    expect(missing.errors).toMatchObject([{ code: 'BAD_USER_INPUT' }]);
    const kinds = await sameEveryTime(
      `query($id: ID!, $kinds: [RecordKind!]) { child(id: $id) { records(kinds: $kinds) { edges { node { id } } } } }`,
      {
        id: JORDAN.id,
        kinds: ['NOT_A_KIND'],
      },
    );
    expect(kinds.errors).toBeDefined();
  });

  it('a document of two operations answers the one each request names, never the one compiled first', async () => {
    const document = `query Names($id: ID!) { child(id: $id) { givenName } }
      query Born($id: ID!) { child(id: $id) { dateOfBirth } }`;
    const names = await sameEveryTime(document, { id: JORDAN.id }, 'Names');
    const born = await sameEveryTime(document, { id: JORDAN.id }, 'Born');
    expect(names.data).toEqual({ child: { givenName: JORDAN.givenName } });
    expect(Object.keys((born.data as { child: object }).child)).toEqual(['dateOfBirth']);
    expect(born.receipts).toMatchObject([{ operation: 'Born', disclosed: ['dateOfBirth'] }]);
    // A name the document does not hold is refused every time, even after its one operation was compiled.
    const single = `query Names($id: ID!) { child(id: $id) { givenName } }`;
    await sameEveryTime(single, { id: JORDAN.id }, 'Names');
    const wrong = await sameEveryTime(single, { id: JORDAN.id }, 'Other');
    expect(wrong.data ?? null).toBeNull();
    expect(JSON.stringify(wrong.errors)).toMatch(/Unknown operation named/);
    const empty = await sameEveryTime(single, { id: JORDAN.id }, '');
    expect(JSON.stringify(empty.errors)).toMatch(/Unknown operation named/);
  });
});
