import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { verifySignature } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, REECE, recordOf } from '../support/demo-ids.js';
import { emergency as emergencyOptions } from '../support/emergency.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
const CARE_PLAN = recordOf(JORDAN, RecordKind.CARE_PLAN);
const SUMMARY_READ = `query($id: ID!) { record(id: $id) { kind ... on CarePlan { content { summary } } } }`;

interface Entry {
  id: string;
  entryKind: string;
  outcome: string;
  childId: string | null;
  purpose: string | null;
  breakGlass: boolean;
  disclosedFields: string[];
  recipient: { subject: string; agency: { code: string } | null; caseSystem: string };
  subject: { kind: string; id: string; version: number | null } | null;
  bases: { sensitivityClass: string; lawfulBasis: string | null; agreementId: string | null; clause: string | null }[];
  correlationId: string;
}
type Entries = {
  disclosures: { edges: { cursor: string; node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

const ENTRY = `id entryKind outcome childId purpose breakGlass disclosedFields correlationId
  recipient { subject agency { code } caseSystem } subject { kind id version }
  bases { sensitivityClass lawfulBasis agreementId clause }`;
const DISCLOSURES = `query($filter: DisclosureFilter, $first: Int, $after: String) {
  disclosures(filter: $filter, first: $first, after: $after) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } }
}`;

const audit = { purpose: 'AUDIT' };
let readCorrelation: string;

beforeAll(async () => {
  // Thresholds low enough for a handful of reads, and working hours that never include now.
  t = await startTestApp({
    AUDIT_ANOMALY_CHILDREN_THRESHOLD: '1',
    AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD: '1',
    AUDIT_WORKING_HOURS: '10:00-09:00',
  });
  readCorrelation = `read-${randomUUID()}`;
  const response = await t.gql(
    'dana.hughes',
    SUMMARY_READ,
    { id: CARE_PLAN },
    { headers: { 'x-correlation-id': readCorrelation } },
  );
  expect(response.body.errors).toBeUndefined();
});
afterAll(() => t.close());

describe('the auditors’ API', () => {
  it('is for auditors, for purpose AUDIT only', async () => {
    expect(codes(await t.gql('dana.hughes', DISCLOSURES, {}, audit))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('audrey.fox', DISCLOSURES, {}, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('audrey.fox', DISCLOSURES, {}, { purpose: null }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(null, DISCLOSURES, {}, audit))).toEqual(['UNAUTHENTICATED']);
  });

  it('shows who received which fields of which record, on what basis — field names, never content', async () => {
    const response = await t.gql<Entries>(
      'audrey.fox',
      DISCLOSURES,
      { filter: { childId: JORDAN.id, userSubject: 'dana.hughes' } },
      audit,
    );
    expect(response.body.errors).toBeUndefined();
    const entry = response.body.data?.disclosures.edges
      .map((edge) => edge.node)
      .find((node) => node.correlationId === readCorrelation);
    expect(entry).toMatchObject({
      entryKind: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      purpose: 'CASE_MANAGEMENT',
      recipient: { subject: 'dana.hughes', agency: { code: 'derby-yos' } },
      subject: { kind: 'CARE_PLAN', id: CARE_PLAN },
      disclosedFields: ['content.summary', 'kind'],
    });
    expect(entry?.bases[0]).toMatchObject({ sensitivityClass: 'CARE_PLANNING', agreementId: 'derby-yos-csc' });
    // The plan's text is nowhere in what the auditor gets.
    expect(JSON.stringify(response.body)).not.toContain('remanded to HMYOI Wetherby');
  });

  it('filters by agency, case system, record, purpose, outcome, break-glass and time, and pages', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const filters = [
      { agency: 'derby-yos', recordId: CARE_PLAN },
      { caseSystem: 'derby-yos-childview', purpose: 'CASE_MANAGEMENT', from: since },
      { outcome: 'DISCLOSED', breakGlass: false, recordId: CARE_PLAN, to: new Date(Date.now() + 60_000).toISOString() },
    ];
    for (const filter of filters) {
      const response = await t.gql<Entries>('audrey.fox', DISCLOSURES, { filter }, audit);
      expect(response.body.errors, JSON.stringify(filter)).toBeUndefined();
      expect(
        response.body.data?.disclosures.edges.some((edge) => edge.node.correlationId === readCorrelation),
        JSON.stringify(filter),
      ).toBe(true);
    }
    const none = await t.gql<Entries>('audrey.fox', DISCLOSURES, { filter: { recordId: CARE_PLAN, breakGlass: true } }, audit);
    expect(none.body.data?.disclosures.edges).toEqual([]);
    expect(codes(await t.gql('audrey.fox', DISCLOSURES, { filter: { agency: 'nowhere' } }, audit))).toEqual(['BAD_USER_INPUT']);
    const first = await t.gql<Entries>('audrey.fox', DISCLOSURES, { first: 1 }, audit);
    const cursor = first.body.data?.disclosures.pageInfo.endCursor;
    const second = await t.gql<Entries>('audrey.fox', DISCLOSURES, { first: 1, after: cursor }, audit);
    expect(Number(second.body.data?.disclosures.edges[0]?.node.id)).toBeLessThan(
      Number(first.body.data?.disclosures.edges[0]?.node.id),
    );
  });

  it('logs every auditor query itself', async () => {
    const correlationId = `audit-${randomUUID()}`;
    await t.gql(
      'audrey.fox',
      DISCLOSURES,
      { filter: { childId: JORDAN.id } },
      { ...audit, headers: { 'x-correlation-id': correlationId } },
    );
    const rows = await loggedReceipts(t.app.get(DataSource), { correlationId });
    expect(rows.map((row) => ({ entry_kind: row.entryKind, child_id: row.childId }))).toEqual([
      { entry_kind: 'AUDIT_QUERY', child_id: JORDAN.id },
    ]);
  });

  it('answers a subject access request: recipients named, when and why', async () => {
    const response = await t.gql<{
      subjectAccessReport: {
        total: number;
        entries: { recipientAgency: string | null; purpose: string; what: string; fields: string[]; exemption: string | null }[];
      };
    }>(
      'audrey.fox',
      `query($id: ID!) { subjectAccessReport(childId: $id) { total truncated entries { recordedAt recipientAgency recipientRole purpose what fields lawfulBases exemption thirdPartyReview } } }`,
      { id: JORDAN.id },
      audit,
    );
    expect(response.body.errors).toBeUndefined();
    const report = response.body.data?.subjectAccessReport;
    expect(report?.total).toBeGreaterThan(0);
    expect(report?.entries).toContainEqual(
      expect.objectContaining({
        recipientAgency: expect.stringMatching(/Derby/) as string,
        what: 'CARE_PLAN',
        fields: ['content.summary', 'kind'],
        exemption: null,
      }),
    );
  });

  it('exports as CSV and JSON', async () => {
    const query = `query($format: ExportFormat!, $filter: DisclosureFilter) { exportDisclosures(format: $format, filter: $filter) { format contentType rows truncated content } }`;
    const csv = await t.gql<{ exportDisclosures: { rows: number; content: string; contentType: string } }>(
      'audrey.fox',
      query,
      { format: 'CSV', filter: { recordId: CARE_PLAN } },
      audit,
    );
    expect(csv.body.errors).toBeUndefined();
    const lines = csv.body.data?.exportDisclosures.content.trim().split('\r\n') ?? [];
    expect(lines[0]).toMatch(/^id,recordedAt,entryKind,outcome,userSubject/);
    expect(lines).toHaveLength((csv.body.data?.exportDisclosures.rows ?? 0) + 1);
    expect(lines.some((line) => line.includes(readCorrelation) && line.includes('content.summary'))).toBe(true);
    const json = await t.gql<{ exportDisclosures: { content: string } }>(
      'audrey.fox',
      query,
      { format: 'JSON', filter: { recordId: CARE_PLAN } },
      audit,
    );
    const parsed = JSON.parse(json.body.data?.exportDisclosures.content ?? '[]') as Entry[];
    expect(parsed.some((entry) => entry.correlationId === readCorrelation)).toBe(true);
  });

  it('shows the allocated worker when the other agency viewed their records, and nobody else', async () => {
    const feed = `{ accessFeed(first: 50) { edges { node { correlationId recipient { subject agency { code } } subject { kind } disclosedFields } } } }`;
    const response = await t.gql<{ accessFeed: { edges: { node: { correlationId: string } }[] } }>('sam.okafor', feed);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.accessFeed.edges.some((edge) => edge.node.correlationId === readCorrelation)).toBe(true);
    const other = await t.gql<{ accessFeed: { edges: { node: { correlationId: string } }[] } }>('ben.carter', feed);
    expect(other.body.data?.accessFeed.edges.some((edge) => edge.node.correlationId === readCorrelation)).toBe(false);
  });

  it('flags a break-glass view for an auditor, who records a disposition', async () => {
    // The CSC front door may break glass for a child known to the YOS (derby-yos-csc §4.1): Reece.
    const emergency = await t.gql(
      'derby.csct',
      `query($id: ID!) { child(id: $id) { givenName } }`,
      { id: REECE.id },
      emergencyOptions('MISSING_CHILD', 'Missing overnight; police asking where he may be'),
    );
    expect(emergency.body.errors).toBeUndefined();
    const detected = await t.gql<{ detectAnomalies: number }>('audrey.fox', 'mutation { detectAnomalies }', {}, audit);
    expect(detected.body.errors).toBeUndefined();
    expect(detected.body.data?.detectAnomalies).toBeGreaterThan(0);
    const list = `{ disclosureAnomalies(kind: BREAK_GLASS, undisposedOnly: true) { edges { node { id kind userSubject childId count disposition { disposition } } } } }`;
    const found = await t.gql<{
      disclosureAnomalies: { edges: { node: { id: string; userSubject: string; childId: string } }[] };
    }>('audrey.fox', list, {}, audit);
    const anomaly = found.body.data?.disclosureAnomalies.edges
      .map((edge) => edge.node)
      .find((node) => node.userSubject === 'derby.csct' && node.childId === REECE.id);
    expect(anomaly).toBeDefined();
    const dispose = `mutation($input: DisposeAnomalyInput!) { disposeAnomaly(input: $input) { disposition { disposition note recordedBy } } }`;
    // Another authority's auditor neither sees the flag on a Derby user nor disposes of it.
    const islingtonAuditor = {
      ...audit,
      headers: {
        authorization: `Bearer ${t.token('audrey.fox', { sub: 'islington.ig', name: 'Islington IG', agency: 'islington-csc', case_system: 'islington-csc-mosaic' })}`,
      },
    };
    const theirs = await t.gql<{ disclosureAnomalies: { edges: { node: { id: string } }[] } }>(
      'audrey.fox',
      list,
      {},
      islingtonAuditor,
    );
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data?.disclosureAnomalies.edges.some((edge) => edge.node.id === anomaly?.id)).toBe(false);
    expect(
      codes(
        await t.gql(
          'audrey.fox',
          dispose,
          { input: { anomalyId: anomaly?.id, disposition: 'BREACH', note: 'not ours' } },
          islingtonAuditor,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    const disposed = await t.gql<{ disposeAnomaly: { disposition: { disposition: string; recordedBy: string } } }>(
      'audrey.fox',
      dispose,
      {
        input: {
          anomalyId: anomaly?.id,
          disposition: 'JUSTIFIED',
          note: 'Missing-child protocol; confirmed with the duty manager',
        },
      },
      audit,
    );
    expect(disposed.body.errors).toBeUndefined();
    expect(disposed.body.data?.disposeAnomaly.disposition).toMatchObject({ disposition: 'JUSTIFIED', recordedBy: 'Audrey Fox' });
    const after = await t.gql<{ disclosureAnomalies: { edges: { node: { id: string } }[] } }>('audrey.fox', list, {}, audit);
    expect(after.body.data?.disclosureAnomalies.edges.some((edge) => edge.node.id === anomaly?.id)).toBe(false);
    expect(
      codes(await t.gql('dana.hughes', dispose, { input: { anomalyId: anomaly?.id, disposition: 'BREACH', note: 'x' } }, audit)),
    ).toEqual(['FORBIDDEN']);
  });

  it('flags one user reading more children than the threshold, and bulk reading out of hours', async () => {
    for (const child of [JORDAN, REECE]) {
      const read = await t.gql('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: child.id });
      expect(read.body.errors).toBeUndefined();
    }
    await t.gql('audrey.fox', 'mutation { detectAnomalies }', {}, audit);
    const list = `query($kind: AnomalyKind) { disclosureAnomalies(kind: $kind) { edges { node { kind userSubject count } } } }`;
    for (const kind of ['MANY_CHILDREN', 'OUT_OF_HOURS_BULK']) {
      const found = await t.gql<{ disclosureAnomalies: { edges: { node: { userSubject: string; count: number } }[] } }>(
        'audrey.fox',
        list,
        { kind },
        audit,
      );
      expect(found.body.data?.disclosureAnomalies.edges.map((edge) => edge.node)).toContainEqual(
        expect.objectContaining({ userSubject: 'dana.hughes', count: expect.any(Number) as number }),
      );
    }
  });

  it('exports signed checkpoints that verify with the published key', async () => {
    await t.app.get(SealerService).sealAll();
    const response = await t.gql<{ disclosureCheckpoints: { statement: string; signature: string; publicKey: string }[] }>(
      'audrey.fox',
      '{ disclosureCheckpoints(first: 5) { id statement signature keyId publicKey } }',
      {},
      audit,
    );
    expect(response.body.errors).toBeUndefined();
    const checkpoints = response.body.data?.disclosureCheckpoints ?? [];
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of checkpoints) {
      expect(
        verifySignature(checkpoint.publicKey, Buffer.from(checkpoint.statement), Buffer.from(checkpoint.signature, 'base64')),
      ).toBe(true);
    }
  });
});
