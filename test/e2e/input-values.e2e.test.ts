import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type GraphQLResponse } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
const audit = { purpose: 'AUDIT' };
const PAGE = `edges { node { id } }`;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The one error: BAD_USER_INPUT naming the field, never an internal error. */
function refusedInput(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
}

describe('an invalid DateTime is the caller’s mistake', () => {
  it('as a literal, in an input object or as an argument', async () => {
    refusedInput(
      await t.gql('audrey.fox', `{ disclosures(filter: { from: "not a date" }) { ${PAGE} } }`, {}, audit),
      'filter.from',
    );
    refusedInput(await t.gql('audrey.fox', `{ disclosures(filter: { to: 20261201 }) { ${PAGE} } }`, {}, audit), 'filter.to');
    refusedInput(await t.gql('audrey.fox', `mutation { detectAnomalies(from: "yesterday") }`, {}, audit), 'from');
  });

  it('as a variable, including impossible dates and dates without a time zone', async () => {
    const query = `query($filter: DisclosureFilter) { disclosures(filter: $filter) { ${PAGE} } }`;
    for (const from of [
      '2026-13-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-12-01T00:00:00',
      '2026-12-01',
      'Tue, 01 Dec 2026',
    ]) {
      refusedInput(await t.gql('audrey.fox', query, { filter: { from } }, audit), 'filter.from');
    }
    const fine = await t.gql(
      'audrey.fox',
      query,
      { filter: { from: '2026-12-01T00:00:00.5+01:00', to: '2099-01-01T00:00:00Z' } },
      audit,
    );
    expect(fine.body.errors).toBeUndefined();
  });
});

describe('a NUL character in any string is the caller’s mistake', () => {
  it('in an argument, as a literal or a variable', async () => {
    refusedInput(await t.gql('dana.hughes', `{ childByCaseReference(reference: "CV-\\u0000") { id } }`), 'reference');
    refusedInput(
      await t.gql('dana.hughes', `query($r: String!) { childByCaseReference(reference: $r) { id } }`, { r: 'CV-88231\u0000' }),
      'reference',
    );
    refusedInput(
      await t.gql(
        'audrey.fox',
        `query($f: DisclosureFilter) { disclosures(filter: $f) { ${PAGE} } }`,
        { f: { userSubject: 'a\u0000' } },
        audit,
      ),
      'filter.userSubject',
    );
  });

  it('deep in a mutation’s input, and nothing is written', async () => {
    const records = () =>
      t.app.get(DataSource).query<{ n: string }[]>('SELECT count(*) AS n FROM shared_record WHERE child_id = $1', [JORDAN.id]);
    const before = await records();
    const response = await t.gql('dana.hughes', `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id } }`, {
      input: { childId: JORDAN.id, content: { interventionPlan: { riskTargets: ['Fine', 'Not\u0000fine'] } } },
    });
    refusedInput(response, 'input.content.interventionPlan.riskTargets.1');
    expect(response.body.data).toBeNull();
    expect(await records()).toEqual(before);
  });
});
