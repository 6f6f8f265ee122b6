import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * explainAccess(asUser) tells an auditor who may see what of a child (relationships, involved
 * agencies, a record's kind and owner): like the log, it is read under AUDIT, within the auditor's
 * authority, and each question is logged.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const EXPLAIN = `query($child: ID!, $record: ID, $as: ExplainAsUserInput) {
  explainAccess(childId: $child, purpose: CASE_MANAGEMENT, recordId: $record, asUser: $as) { subject childVisible relationship entries { recordKind } } }`;
const SAM = { subject: 'sam.okafor', agencyCode: 'derby-csc', roles: ['CSC_SOCIAL_WORKER'] };

/** Islington's information-governance auditor (no demo user: a token of their own). */
function islingtonAuditor(correlationId = randomUUID()): Record<string, string> {
  const token = t.token('audrey.fox', {
    sub: 'islington.ig',
    name: 'Islington IG',
    agency: 'islington-csc',
    case_system: 'islington-csc-mosaic',
  });
  return { authorization: `Bearer ${token}`, 'x-correlation-id': correlationId };
}

function explain(
  user: string,
  variables: Record<string, unknown>,
  options: { purpose?: string; headers?: Record<string, string> } = {},
) {
  return t.gql<{ explainAccess: { subject: string; childVisible: boolean; entries: { recordKind: string | null }[] } }>(
    user,
    EXPLAIN,
    variables,
    { purpose: options.purpose ?? 'AUDIT', headers: options.headers },
  );
}

function messages(response: GraphQLResponse<unknown>): string[] {
  return (response.body.errors ?? []).map((error) => error.message);
}

describe('explainAccess as another user', () => {
  it('is refused to an auditor outside purpose AUDIT', async () => {
    expect(codes(await explain('audrey.fox', { child: JORDAN.id, as: SAM }, { purpose: 'CASE_MANAGEMENT' }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('answers another authority’s child as one that does not exist', async () => {
    const theirs = await explain('audrey.fox', { child: JORDAN.id, as: SAM }, { headers: islingtonAuditor() });
    const missing = await explain('audrey.fox', { child: randomUUID(), as: SAM }, { headers: islingtonAuditor() });
    expect(codes(theirs)).toEqual(['NOT_FOUND']);
    expect(messages(theirs)).toEqual(messages(missing));
    // Derby's own auditor is answered.
    const ours = await explain('audrey.fox', { child: JORDAN.id, as: SAM });
    expect(ours.body.errors).toBeUndefined();
    expect(ours.body.data?.explainAccess).toMatchObject({ subject: 'sam.okafor', childVisible: true });
  });

  it('logs each question as an AUDIT_QUERY naming the child and the user explained', async () => {
    const correlationId = `explain-${randomUUID()}`;
    const response = await explain(
      'audrey.fox',
      { child: JORDAN.id, as: SAM },
      { headers: { 'x-correlation-id': correlationId } },
    );
    expect(response.body.errors).toBeUndefined();
    const logged = (await loggedReceipts(t.app.get(DataSource), { correlationId })).map((receipt) => receipt.body);
    expect(logged).toEqual([
      expect.objectContaining({
        entry: 'AUDIT_QUERY',
        child: JORDAN.id,
        query: expect.objectContaining({
          asUser: { subject: 'sam.okafor', agencyCode: 'derby-csc', roles: ['CSC_SOCIAL_WORKER'] },
        }) as unknown,
      }),
    ]);
  });

  it('shows another authority’s record (a draft) only as the explained user may see it', async () => {
    // Kayla: Islington's child, hosted by Derby YOS, so in both auditors' scope. Islington CSC starts a draft.
    const created = await t.gql<{ createRecord: { id: string } }>(
      'ben.carter',
      `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id } }`,
      { input: { childId: KAYLA.id, status: 'DRAFT', content: { carePlan: { summary: 'Draft, Islington only' } } } },
    );
    expect(created.body.errors).toBeUndefined();
    const draft = created.body.data?.createRecord.id;
    const dana = { subject: 'dana.hughes', agencyCode: 'derby-yos', roles: ['YOS_CASE_MANAGER'] };
    // Derby's auditor, about a Derby YOS case manager: the draft is not Derby's to know of.
    expect(codes(await explain('audrey.fox', { child: KAYLA.id, record: draft, as: dana }))).toEqual(['NOT_FOUND']);
    // Islington's auditor, whose authority owns it, is answered.
    const owners = await explain('audrey.fox', { child: KAYLA.id, record: draft, as: dana }, { headers: islingtonAuditor() });
    expect(owners.body.errors).toBeUndefined();
    expect(owners.body.data?.explainAccess.entries.map((entry) => entry.recordKind)).toEqual(['CARE_PLAN']);
  });
});
