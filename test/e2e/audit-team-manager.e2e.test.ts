import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, REECE, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * S59, the periodic joint-case audit: a YOS or CSC team manager reads the log for their own team's
 * children. Tara Nolan manages the CSC's "Children in Care 1", whose social worker has Jordan;
 * Marcus Reid manages "Derby YOS North", whose case manager has Jordan, Kayla (as host YOS) and Reece.
 */
let t: TestApp;
const audit = { purpose: 'AUDIT' };
const ENTRY =
  'id entryKind childId recipient { subject agency { code } } subject { kind id owningAgency { code } } disclosedFields';
const DISCLOSURES = `query($filter: DisclosureFilter) { disclosures(filter: $filter, first: 100) { edges { node { ${ENTRY} } } } }`;
const ONE = `query($id: ID!) { disclosureEntry(id: $id) { ${ENTRY} } }`;
const SAR = `query($childId: ID!) { subjectAccessReport(childId: $childId) { childId total entries { recipientAgency what fields } } }`;

interface Entry {
  id: string;
  entryKind: string;
  childId: string | null;
  recipient: { subject: string; agency: { code: string } | null };
  subject: { kind: string; id: string; owningAgency: { code: string } | null } | null;
  disclosedFields: string[];
}
type Entries = { disclosures: { edges: { node: Entry }[] } };

/** A read as a user, and its log entry's id. */
async function read(subject: string, query: string, id: string): Promise<string> {
  const correlationId = `team-${randomUUID()}`;
  const response = await t.gql(subject, query, { id }, { headers: { 'x-correlation-id': correlationId } });
  expect(response.body.errors).toBeUndefined();
  const [row] = await loggedReceipts(t.app.get(DataSource), { correlationId, entryKind: 'DISCLOSURE' });
  return row?.id ?? '';
}

async function entries(subject: string, filter: Record<string, unknown> = {}): Promise<Entry[]> {
  const response = await t.gql<Entries>(subject, DISCLOSURES, { filter }, audit);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data?.disclosures.edges.map((edge) => edge.node) ?? [];
}

let jordanPlan: string;
let reeceRead: string;
let kaylaPlan: string;

beforeAll(async () => {
  t = await startTestApp();
  // The YOS reads the CSC's care plan for Jordan: a disclosure across the two services.
  jordanPlan = await read(
    'dana.hughes',
    `query($id: ID!) { record(id: $id) { kind ... on CarePlan { content { summary } } } }`,
    recordOf(JORDAN, RecordKind.CARE_PLAN),
  );
  reeceRead = await read('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, REECE.id);
  kaylaPlan = await read('ben.carter', `query($id: ID!) { record(id: $id) { kind } }`, recordOf(KAYLA, RecordKind.CARE_PLAN));
  // An auditor's query about Jordan: governance's business, not the manager's.
  expect((await t.gql('audrey.fox', DISCLOSURES, { filter: { childId: JORDAN.id } }, audit)).body.errors).toBeUndefined();
});
afterAll(() => t.close());

describe('a team manager’s joint-case audit', () => {
  it('lists the disclosures about their team’s children that involve their agency, and nothing else', async () => {
    const seen = await entries('tara.nolan');
    expect(seen.map((entry) => entry.id)).toContain(jordanPlan);
    expect(seen.find((entry) => entry.id === jordanPlan)).toMatchObject({
      entryKind: 'DISCLOSURE',
      recipient: { subject: 'dana.hughes', agency: { code: 'derby-yos' } },
      subject: { kind: 'CARE_PLAN', owningAgency: { code: 'derby-csc' } },
      disclosedFields: ['content.summary', 'kind'],
    });
    for (const entry of seen) {
      expect(entry.childId).toBe(JORDAN.id);
      expect(entry.entryKind).not.toBe('AUDIT_QUERY');
      expect([entry.recipient.agency?.code, entry.subject?.owningAgency?.code]).toContain('derby-csc');
    }
    // The YOS manager's team holds Jordan and Reece (and Kayla, hosted): the same disclosure, from the other side.
    const yos = await entries('marcus.reid');
    expect(yos.map((entry) => entry.id)).toEqual(expect.arrayContaining([jordanPlan, reeceRead]));
    expect(yos.map((entry) => entry.id)).not.toContain(kaylaPlan);
  });

  it('gets nothing about another child, by filter or by entry id, and never auditors’ queries', async () => {
    expect(await entries('tara.nolan', { childId: REECE.id })).toEqual([]);
    expect(await entries('tara.nolan', { childId: KAYLA.id })).toEqual([]);
    expect(await entries('tara.nolan', { entryKind: 'AUDIT_QUERY' })).toEqual([]);
    const other = await t.gql<{ disclosureEntry: Entry | null }>('tara.nolan', ONE, { id: reeceRead }, audit);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.disclosureEntry).toBeNull();
    const own = await t.gql<{ disclosureEntry: Entry | null }>('tara.nolan', ONE, { id: jordanPlan }, audit);
    expect(own.body.data?.disclosureEntry).toMatchObject({ id: jordanPlan, childId: JORDAN.id });
    expect(
      (await t.gql<{ disclosureEntry: Entry | null }>('marcus.reid', ONE, { id: reeceRead }, audit)).body.data?.disclosureEntry,
    ).toMatchObject({
      id: reeceRead,
    });
  });

  it('gets the subject access report for a child of their team, and is refused any other child', async () => {
    const report = await t.gql<{ subjectAccessReport: { total: number; entries: { what: string; fields: string[] }[] } }>(
      'tara.nolan',
      SAR,
      { childId: JORDAN.id },
      audit,
    );
    expect(report.body.errors).toBeUndefined();
    expect(report.body.data?.subjectAccessReport.entries).toContainEqual(
      expect.objectContaining({ what: 'CARE_PLAN', fields: ['content.summary', 'kind'] }),
    );
    for (const childId of [REECE.id, KAYLA.id, randomUUID()]) {
      expect(codes(await t.gql('tara.nolan', SAR, { childId }, audit)), childId).toEqual(['FORBIDDEN']);
    }
  });

  it('is logged like an auditor’s query, refusals included', async () => {
    const correlation = (name: string) => ({ ...audit, headers: { 'x-correlation-id': `${name}-${randomUUID()}` } });
    const listed = correlation('list');
    await t.gql('tara.nolan', DISCLOSURES, { filter: { childId: JORDAN.id } }, listed);
    const refused = correlation('refused');
    await t.gql('tara.nolan', SAR, { childId: REECE.id }, refused);
    for (const [options, name, query] of [
      [listed, 'disclosures', { scope: 'TEAM' }],
      [refused, 'subjectAccessReport', { scope: 'TEAM', refused: true, childId: REECE.id }],
    ] as const) {
      const [row] = await loggedReceipts(t.app.get(DataSource), { correlationId: options.headers['x-correlation-id'] });
      expect(row).toMatchObject({ entryKind: 'AUDIT_QUERY', userSubject: 'tara.nolan' });
      expect(row?.body).toMatchObject({ operation: { name }, purpose: 'AUDIT', query });
    }
  });

  it('does not open the auditors’ other operations, nor another agency’s records under AUDIT', async () => {
    for (const query of [
      '{ disclosureAnomalies { edges { node { id } } } }',
      '{ disclosureCheckpoints { id } }',
      '{ exportDisclosures(format: JSON, limit: 10) { rows } }',
      '{ auditVerification { id } }',
      'mutation { startAuditVerification { id } }',
    ]) {
      expect(codes(await t.gql('tara.nolan', query, {}, audit)), query).toEqual(['FORBIDDEN']);
    }
    // The YOS manager sees the CSC's plan for case management (the agreement), not for AUDIT, which no agreement names.
    const plan = (purpose: string) =>
      t.gql(
        'marcus.reid',
        `query($id: ID!) { record(id: $id) { ... on CarePlan { content { summary } } } }`,
        { id: recordOf(JORDAN, RecordKind.CARE_PLAN) },
        { purpose },
      );
    expect(JSON.stringify((await plan('CASE_MANAGEMENT')).body)).toContain('remanded to HMYOI Wetherby');
    expect(JSON.stringify((await plan('AUDIT')).body)).not.toContain('remanded to HMYOI Wetherby');
  });

  it('is refused to a practitioner, even with purpose AUDIT, and to a manager without it', async () => {
    for (const subject of ['dana.hughes', 'sam.okafor', 'irene.walsh']) {
      expect(codes(await t.gql(subject, DISCLOSURES, {}, audit)), subject).toEqual(['FORBIDDEN']);
      expect(codes(await t.gql(subject, SAR, { childId: JORDAN.id }, audit)), subject).toEqual(['FORBIDDEN']);
      expect(codes(await t.gql(subject, ONE, { id: jordanPlan }, audit)), subject).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.gql('tara.nolan', DISCLOSURES, {}, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('derby-csc-integration', DISCLOSURES, {}, audit))).toEqual(['FORBIDDEN']);
  });
});
