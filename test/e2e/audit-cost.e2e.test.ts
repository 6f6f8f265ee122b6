import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
const audit = { purpose: 'AUDIT' };
const FILE = 'rows truncated contentType content';
const SAR_ENTRY = 'recordedAt recipientAgency recipientRole purpose what fields lawfulBases exemption thirdPartyReview';

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Refused before execution: 400, QUERY_TOO_COMPLEX, no data; the messages, for a closer look. */
async function refused(query: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const response = await t.gql('audrey.fox', query, variables, audit);
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(new Set(codes(response))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
  return (response.body.errors ?? []).map((error) => error.message);
}

async function answered(query: string, variables: Record<string, unknown> = {}): Promise<void> {
  const response = await t.gql('audrey.fox', query, variables, audit);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
}

describe('the auditors’ API is costed by what it returns', () => {
  it('refuses ten aliases of an export: one export per operation', async () => {
    const aliases = Array.from({ length: 10 }, (_, index) => `e${index}: exportDisclosures(format: CSV, limit: 100) { ${FILE} }`);
    expect(await refused(`{ ${aliases.join(' ')} }`)).toContainEqual(
      'Query.exportDisclosures may be asked for once per operation',
    );
    const twice = `{ ...A ...B } fragment A on Query { exportDisclosures(format: CSV, limit: 1) { rows } }
      fragment B on Query { again: exportDisclosures(format: JSON, limit: 1) { rows } }`;
    expect(await refused(twice)).toContainEqual('Query.exportDisclosures may be asked for once per operation');
    await answered(`{ exportDisclosures(format: CSV, limit: 100) { ${FILE} } }`);
  });

  it('costs an export by its limit: one per entry, the largest limit when a variable gives it', async () => {
    expect(await refused(`{ exportDisclosures(format: CSV, limit: 50000) { rows } }`)).toContainEqual(
      expect.stringMatching(/^Query cost 5000\d exceeds the limit of 20000$/),
    );
    const variable = `query($limit: Int) { exportDisclosures(format: JSON, limit: $limit) { rows } }`;
    expect(await refused(variable, { limit: 10 })).toContainEqual(expect.stringMatching(/^Query cost 5000\d exceeds/));
    await answered(`{ exportDisclosures(format: CSV, limit: 15000) { ${FILE} } }`);
    await answered(`{ exportDisclosures(format: CSV) { ${FILE} } }`);
  });

  it('costs a subject access report by the entries it may hold, so aliases cannot multiply it', async () => {
    const report = (alias: string) => `${alias}: subjectAccessReport(childId: "${JORDAN.id}") { total entries { ${SAR_ENTRY} } }`;
    await answered(`{ ${report('one')} }`);
    expect(await refused(`{ ${report('one')} ${report('two')} }`)).toContainEqual(
      expect.stringMatching(/^Query cost \d+ exceeds/),
    );
  });

  it('costs a page of the log by its page size, the largest when a variable gives it', async () => {
    const page = (alias: string, first: string) =>
      `${alias}: disclosures(first: ${first}) { edges { node { id recordedAt disclosedFields bases { rule lawfulBasis } } } }`;
    await answered(`query($n: Int) { ${page('a', '$n')} }`, { n: 100 });
    const many = Array.from({ length: 5 }, (_, index) => page(`p${index}`, '$n')).join(' ');
    expect(await refused(`query($n: Int) { ${many} }`, { n: 1 })).toContainEqual(
      expect.stringMatching(/^Query cost \d+ exceeds/),
    );
  });
});
