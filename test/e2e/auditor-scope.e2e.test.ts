import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { KAYLA, JORDAN, recordOf } from '../support/demo-ids.js';

const READ = `query($id: ID!) { record(id: $id) { kind } }`;
const DISCLOSURES = `query($filter: DisclosureFilter) { disclosures(filter: $filter, first: 100) { edges { node { correlationId } } } }`;
const SAR = `query($childId: ID!) { subjectAccessReport(childId: $childId) { total entries { recipientAgency what recordedAt } } }`;
const audit = { purpose: 'AUDIT' };

type Entries = { disclosures: { edges: { node: { correlationId: string } }[] } };

/** Reads a record as a user, with a correlation id to find its receipt by. */
async function read(t: TestApp, subject: string, id: string): Promise<string> {
  const correlationId = `scope-${randomUUID()}`;
  const response = await t.gql(subject, READ, { id }, { headers: { 'x-correlation-id': correlationId } });
  expect(response.body.errors).toBeUndefined();
  return correlationId;
}

async function seen(t: TestApp, auditor: string, correlationId: string): Promise<boolean> {
  const response = await t.gql<Entries>(auditor, DISCLOSURES, { filter: {} }, audit);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.disclosures.edges.some((edge) => edge.node.correlationId === correlationId) ?? false;
}

describe('an auditor reads their own local authority’s part of the log', () => {
  let t: TestApp;
  let islingtonOnly: string;
  let derbyRead: string;
  let started: Date;
  beforeAll(async () => {
    t = await startTestApp();
    started = new Date();
    // Islington's social worker reads Islington's own care plan for Kayla: nothing of Derby in it.
    islingtonOnly = await read(t, 'ben.carter', recordOf(KAYLA, RecordKind.CARE_PLAN));
    derbyRead = await read(t, 'dana.hughes', recordOf(JORDAN, RecordKind.CARE_PLAN));
  });
  afterAll(() => t.close());

  it('sees what Derby’s agencies received, not what passed between Islington’s', async () => {
    expect(await seen(t, 'audrey.fox', derbyRead)).toBe(true);
    expect(await seen(t, 'audrey.fox', islingtonOnly)).toBe(false);
    const byId = await t.gql<Entries>('audrey.fox', DISCLOSURES, { filter: { agency: 'islington-csc' } }, audit);
    expect(byId.body.data?.disclosures.edges.map((edge) => edge.node.correlationId)).not.toContain(islingtonOnly);
  });

  it("sees another authority's refused look-up of a Derby record: the attempt names the record's owner", async () => {
    const correlationId = `scope-${randomUUID()}`;
    const refused = await t.gql(
      'ben.carter',
      READ,
      { id: recordOf(JORDAN, RecordKind.CARE_PLAN) },
      {
        headers: { 'x-correlation-id': correlationId },
      },
    );
    expect(refused.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(await seen(t, 'audrey.fox', correlationId)).toBe(true);
    // A look-up of a record that does not exist names no owner, and stays with the caller's authority.
    const missing = `scope-${randomUUID()}`;
    await t.gql('ben.carter', READ, { id: randomUUID() }, { headers: { 'x-correlation-id': missing } });
    expect(await seen(t, 'audrey.fox', missing)).toBe(false);
  });

  it('gets a subject access report with only the entries in scope', async () => {
    const report = await t.gql<{
      subjectAccessReport: { total: number; entries: { recipientAgency: string | null; what: string; recordedAt: string }[] };
    }>('audrey.fox', SAR, { childId: KAYLA.id }, audit);
    expect(report.body.errors).toBeUndefined();
    // Nothing Islington received in this file is Derby's (on a server the log outlives each test file,
    // so entries from earlier files, some rightly in Derby's scope, may be there too).
    const islingtonsSince = (report.body.data?.subjectAccessReport.entries ?? []).filter(
      (entry) => entry.recipientAgency === "Islington Children's Social Care" && new Date(entry.recordedAt) >= started,
    );
    expect(islingtonsSince).toEqual([]);
  });
});

describe('an auditor of an agency named in AUDIT_NATIONAL_AGENCIES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUDIT_NATIONAL_AGENCIES: 'derby-csc' });
  });
  afterAll(() => t.close());

  it('reads the whole log', async () => {
    const islingtonOnly = await read(t, 'ben.carter', recordOf(KAYLA, RecordKind.CARE_PLAN));
    expect(await seen(t, 'audrey.fox', islingtonOnly)).toBe(true);
  });
});
