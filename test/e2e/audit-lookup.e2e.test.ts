import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * What the console needs beside the entries: finding the child whose subject-access report to
 * produce (by name and date of birth, or a case reference), only within the caller's scope and
 * logged; and where an entry sits in the hash chain.
 */
let t: TestApp;
const audit = { purpose: 'AUDIT' };
const FIND = `query($familyName: String, $givenName: String, $dateOfBirth: LocalDate, $caseReference: String) {
  auditChildren(familyName: $familyName, givenName: $givenName, dateOfBirth: $dateOfBirth, caseReference: $caseReference) {
    id givenName familyName dateOfBirth } }`;

beforeAll(async () => {
  t = await startTestApp();
  // A read of Jordan's care plan by the YOS, so Jordan has entries in Derby's log.
  const read = await t.gql('dana.hughes', `{ childByCaseReference(reference: "CV-88231") { givenName } }`);
  expect(read.body.errors).toBeUndefined();
});
afterAll(() => t.close());

describe('finding a child for a subject-access report', () => {
  it('finds Jordan by family name and date of birth, or by the YOS’s reference, and logs the search', async () => {
    const byName = await t.gql<{ auditChildren: { id: string }[] }>(
      'audrey.fox',
      FIND,
      { familyName: 'pryce', dateOfBirth: '2010-03-14' },
      audit,
    );
    expect(byName.body.errors).toBeUndefined();
    expect(byName.body.data?.auditChildren).toEqual([
      { id: JORDAN.id, givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' },
    ]);
    const byReference = await t.gql<{ auditChildren: { id: string }[] }>(
      'audrey.fox',
      FIND,
      { caseReference: 'CV-88231' },
      audit,
    );
    expect(byReference.body.data?.auditChildren.map((child) => child.id)).toEqual([JORDAN.id]);
    const logged = await loggedReceipts(t.app.get(DataSource), {
      entryKind: 'AUDIT_QUERY',
      userSubject: 'audrey.fox',
      containing: ['auditChildren'],
    });
    expect(logged.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a search too wide to be a request about one child, and anyone without the permission or purpose', async () => {
    expect(codes(await t.gql('audrey.fox', FIND, { familyName: 'Pryce' }, audit))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql('audrey.fox', FIND, {}, audit))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql('dana.hughes', FIND, { caseReference: 'CV-88231' }, audit))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('audrey.fox', FIND, { caseReference: 'CV-88231' }))).toEqual(['FORBIDDEN']);
  });

  it('finds nobody outside the caller’s scope: an Islington auditor does not find a Derby child', async () => {
    // A child of this test's own: the log runs across test files, and Jordan has Islington entries in it.
    const child = aChild({});
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const read = await t.gql('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: child.id });
    expect(read.body.errors).toBeUndefined();
    const search = { familyName: child.familyName, dateOfBirth: child.dateOfBirth };
    const derby = await t.gql<{ auditChildren: { id: string }[] }>('audrey.fox', FIND, search, audit);
    expect(derby.body.data?.auditChildren.map((found) => found.id)).toEqual([child.id]);
    const token = t.token('audrey.fox', {
      sub: 'islington.ig',
      name: 'Islington IG',
      agency: 'islington-csc',
      case_system: 'islington-csc-mosaic',
      roles: ['AUDITOR'],
    });
    const response = await t.gql<{ auditChildren: unknown[] }>(null, FIND, search, {
      ...audit,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.auditChildren).toEqual([]);
  });

  it('finds nobody from an entry that names a child its authority could not see: a refused look-up, its own audit query', async () => {
    // Known only to Derby YOS; Islington's social worker asks for it by Derby's reference and is refused.
    const child = aChild({});
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const reference = child.references[0]?.value ?? '';
    const refused = await t.gql(
      'ben.carter',
      `query($reference: String!) { childByCaseReference(reference: $reference, caseSystem: "derby-yos-childview") { givenName } }`,
      { reference },
    );
    expect(codes(refused)).toEqual(['NOT_FOUND']);
    const islington = t.token('audrey.fox', {
      sub: 'islington.ig',
      name: 'Islington IG',
      agency: 'islington-csc',
      case_system: 'islington-csc-mosaic',
      roles: ['AUDITOR'],
    });
    const asIslington = { ...audit, headers: { authorization: `Bearer ${islington}` } };
    const find = async (variables: Record<string, unknown>) => {
      const response = await t.gql<{ auditChildren: { id: string }[] }>(null, FIND, variables, asIslington);
      expect(response.body.errors).toBeUndefined();
      return response.body.data?.auditChildren;
    };
    // The refused look-up is Islington's to audit, but it does not make the child Islington's.
    const entries = await t.gql<{ disclosures: { edges: { node: { outcome: string } }[] } }>(
      null,
      `query($id: ID!) { disclosures(filter: { childId: $id }, first: 5) { edges { node { outcome } } } }`,
      { id: child.id },
      asIslington,
    );
    expect(entries.body.data?.disclosures.edges.map((edge) => edge.node.outcome)).toEqual(['DENIED']);
    expect(await find({ caseReference: reference })).toEqual([]);
    expect(await find({ familyName: child.familyName, dateOfBirth: child.dateOfBirth })).toEqual([]);
    // Nor does the auditor's own query of the child's id (logged with it) put the child in scope.
    const another = aChild({});
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, another));
    await t.gql(
      null,
      `query($id: ID!) { disclosures(filter: { childId: $id }, first: 5) { edges { node { id } } } }`,
      { id: another.id },
      asIslington,
    );
    expect(await find({ familyName: another.familyName, dateOfBirth: another.dateOfBirth })).toEqual([]);
    // Derby's own auditor finds the child once Derby YOS has read it.
    const read = await t.gql('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: child.id });
    expect(read.body.errors).toBeUndefined();
    const derby = await t.gql<{ auditChildren: { id: string }[] }>('audrey.fox', FIND, { caseReference: reference }, audit);
    expect(derby.body.data?.auditChildren.map((found) => found.id)).toEqual([child.id]);
  });
});

describe('an entry’s place in the chain', () => {
  it('is null until the sealer seals it, then names its sequence number and checkpoint', async () => {
    const ENTRIES = `{ disclosures(first: 5) { edges { node { id seal { seq checkpointId } } } } }`;
    await t.app.get(SealerService).sealAll();
    const response = await t.gql<{
      disclosures: { edges: { node: { id: string; seal: { seq: string; checkpointId: number } | null } }[] };
    }>('audrey.fox', ENTRIES, {}, audit);
    expect(response.body.errors).toBeUndefined();
    const nodes = response.body.data?.disclosures.edges.map((edge) => edge.node) ?? [];
    expect(nodes.some((node) => node.seal !== null)).toBe(true);
    const [row] = await t.app.get(DataSource).query<{ seq: string; checkpoint_id: number }[]>(
      // The seal of the entry's receipt, or of the response that holds it.
      `SELECT seq::text AS seq, checkpoint_id FROM disclosure_seal WHERE receipt_id = $1
         UNION ALL
         SELECT s.seq::text, s.checkpoint_id FROM disclosure_entry e
           JOIN disclosure_seal s ON s.response_id = e.base AND s.response_recorded_at = e.recorded_at
         WHERE e.compact AND e.id = $1`,
      [nodes.find((node) => node.seal)?.id],
    );
    expect(nodes.find((node) => node.seal)?.seal).toEqual({ seq: row?.seq, checkpointId: row?.checkpoint_id });
  });
});
