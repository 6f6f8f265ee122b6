import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import type { AuditEvent, Bundle } from 'fhir/r4.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, REECE, recordOf } from '../support/demo-ids.js';
import { emergency } from '../support/emergency.js';
import { fhirJsonProblems, fhirValidator } from '../support/fhir-schema.js';
import { loggedReceipts } from '../support/logged-receipts.js';

let t: TestApp;
const audit = { purpose: 'AUDIT' };
const CARE_PLAN = recordOf(JORDAN, RecordKind.CARE_PLAN);
/** A FHIR export; its limit is in the text, as a variable is costed at the largest limit (audit-cost.e2e.test.ts). */
const exportOf = (limit = 1000) => `query($filter: DisclosureFilter) {
  exportDisclosures(format: FHIR, filter: $filter, limit: ${limit}) { format contentType rows truncated content }
}`;
const EXPORT = exportOf();
type Export = { exportDisclosures: { format: string; contentType: string; rows: number; truncated: boolean; content: string } };

let planRead: string;
let emergencyRead: string;
/** When this file's reads began: its export reads from there, whatever earlier files logged. */
let since: string;

beforeAll(async () => {
  t = await startTestApp();
  since = new Date(Date.now() - 1000).toISOString();
  planRead = `fhir-${randomUUID()}`;
  const plan = await t.gql(
    'dana.hughes',
    `query($id: ID!) { record(id: $id) { kind ... on CarePlan { content { summary } } } }`,
    { id: CARE_PLAN },
    { headers: { 'x-correlation-id': planRead } },
  );
  expect(plan.body.errors).toBeUndefined();
  // The CSC front door may break glass for a child known to the YOS (derby-yos-csc §4.1).
  emergencyRead = `fhir-${randomUUID()}`;
  const glass = await t.gql(
    'derby.csct',
    `query($id: ID!) { child(id: $id) { givenName } }`,
    { id: REECE.id },
    { ...emergency(), headers: { ...emergency().headers, 'x-correlation-id': emergencyRead } },
  );
  expect(glass.body.errors).toBeUndefined();
  fhirValidator();
}, 120_000);
afterAll(() => t.close());

/** The AuditEvent of the request with this correlation id (BALP's X-Request-Id entity). */
function eventOf(bundle: Bundle<AuditEvent>, correlationId: string) {
  return bundle.entry
    ?.map((entry) => entry.resource)
    .find((event) =>
      event?.entity?.some((entity) => entity.type?.code === 'XrequestId' && entity.what?.identifier?.value === correlationId),
    );
}

describe('the auditors’ FHIR export', () => {
  it('is a FHIR R4 Bundle of AuditEvents that the official schema accepts, with the field paths and purpose of each read', async () => {
    const response = await t.gql<Export>('audrey.fox', EXPORT, { filter: { from: since } }, audit);
    expect(response.body.errors).toBeUndefined();
    const file = response.body.data?.exportDisclosures;
    expect(file).toMatchObject({ format: 'FHIR', contentType: 'application/fhir+json; fhirVersion=4.0', truncated: false });
    const bundle = JSON.parse(file?.content ?? '{}') as Bundle<AuditEvent>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(file?.rows ?? -1);
    expect(fhirValidator().resource(bundle)).toEqual([]);
    expect(fhirJsonProblems(bundle)).toEqual([]);

    const read = eventOf(bundle, planRead);
    expect(read).toMatchObject({ type: { code: '110106', display: 'Export' }, action: 'R', outcome: '0' });
    expect(read?.purposeOfEvent?.[0]?.coding).toEqual([{ system: 'urn:tandem:purpose-of-use', code: 'CASE_MANAGEMENT' }]);
    expect(read?.agent[0]).toMatchObject({ who: { identifier: { value: 'dana.hughes' } }, requestor: true });
    const record = read?.entity?.find((entity) => entity.what?.identifier?.value === CARE_PLAN);
    expect(record?.detail?.filter((detail) => detail.type === 'disclosed').map((detail) => detail.valueString)).toEqual([
      'content.summary',
      'kind',
    ]);
    expect(read?.entity?.[0]).toMatchObject({ what: { type: 'Patient', identifier: { value: JORDAN.id } } });

    const glass = eventOf(bundle, emergencyRead);
    expect(glass?.purposeOfEvent?.[0]?.coding?.map((coding) => coding.code)).toEqual(['EMERGENCY', 'BTG']);
    // Field names only: the plan's text is nowhere in the file.
    expect(file?.content).not.toContain('remanded to HMYOI Wetherby');
  });

  it('takes the same filters and limit as the other formats', async () => {
    const one = await t.gql<Export>('audrey.fox', exportOf(1), { filter: { recordId: CARE_PLAN } }, audit);
    expect(one.body.errors).toBeUndefined();
    const bundle = JSON.parse(one.body.data?.exportDisclosures.content ?? '{}') as Bundle;
    expect(bundle.entry).toHaveLength(1);
    expect(fhirValidator().resource(bundle)).toEqual([]);
    const none = await t.gql<Export>('audrey.fox', EXPORT, { filter: { recordId: CARE_PLAN, breakGlass: true } }, audit);
    const empty = JSON.parse(none.body.data?.exportDisclosures.content ?? '{}') as Bundle;
    expect(empty.entry).toBeUndefined();
    expect(fhirValidator().resource(empty)).toEqual([]);
  });

  it('is logged as an auditor’s query, naming the format', async () => {
    const correlationId = `fhir-export-${randomUUID()}`;
    await t.gql<Export>(
      'audrey.fox',
      EXPORT,
      { filter: { recordId: CARE_PLAN } },
      { ...audit, headers: { 'x-correlation-id': correlationId } },
    );
    const [row] = await loggedReceipts(t.app.get(DataSource), { correlationId });
    expect(row?.entryKind).toBe('AUDIT_QUERY');
    expect(row?.body).toMatchObject({
      operation: { name: 'exportDisclosures' },
      query: { format: 'FHIR' },
    });
  });

  it('is refused to anyone but an auditor, and to an auditor without purpose AUDIT', async () => {
    for (const subject of ['dana.hughes', 'marcus.reid', 'tara.nolan']) {
      expect(codes(await t.gql(subject, EXPORT, {}, audit)), subject).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.gql('audrey.fox', EXPORT, {}, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['FORBIDDEN']);
  });
});
