import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { emergency } from '../support/emergency.js';

/**
 * An auditor's anomalies are those on their agencies' users and those about a child their agencies
 * work with, as the log's entries are theirs by recipient or owner: another authority's emergency
 * look-up of their child, refused here, reaches them too.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const audit = { purpose: 'AUDIT' };
const DETECT = 'mutation($from: DateTime, $to: DateTime) { detectAnomalies(from: $from, to: $to) }';
const LIST = `{ disclosureAnomalies(kind: BREAK_GLASS_REFUSED, first: 50) { edges { node { id userSubject childId } } } }`;
type Flags = { disclosureAnomalies: { edges: { node: { id: string; userSubject: string; childId: string | null } }[] } };

/** Islington's information-governance auditor (no demo user: a token of their own). */
function islingtonAuditor() {
  const token = t.token('audrey.fox', {
    sub: 'islington.ig',
    name: 'Islington IG',
    agency: 'islington-csc',
    case_system: 'islington-csc-mosaic',
  });
  return { ...audit, headers: { authorization: `Bearer ${token}` } };
}

async function flagsOf(user: string, options: { purpose: string; headers?: Record<string, string> }) {
  const response = await t.gql<Flags>(user, LIST, {}, options);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.disclosureAnomalies.edges.map((edge) => edge.node) ?? [];
}

describe('anomalies in an auditor’s scope', () => {
  it('shows another authority’s refused emergency look-up of the auditor’s child to both authorities, and counts only theirs', async () => {
    // Islington's front door breaks glass for Derby's Jordan, which no agreement of theirs allows.
    const from = new Date(Date.now() - 1000).toISOString();
    const refused = await t.gql('islington.icat', `query($id: ID!) { child(id: $id) { id } }`, { id: JORDAN.id }, emergency());
    expect(codes(refused)).toEqual(['NOT_FOUND']);
    // Detection over this test's own minutes: on a server the log holds other files' entries too.
    const detected = await t.gql<{ detectAnomalies: number }>(
      'audrey.fox',
      DETECT,
      { from, to: new Date().toISOString() },
      audit,
    );
    expect(detected.body.errors).toBeUndefined();
    const derby = (await flagsOf('audrey.fox', audit)).filter((flag) => flag.userSubject === 'islington.icat');
    expect(derby.map((flag) => flag.childId)).toEqual([JORDAN.id]);
    expect(detected.body.data?.detectAnomalies).toBe(1);
    const islington = (await flagsOf('audrey.fox', islingtonAuditor())).filter((flag) => flag.userSubject === 'islington.icat');
    // (The log, and so the flags, may hold other files' look-ups by the same user.)
    expect(islington.map((flag) => flag.id)).toContain(derby[0]?.id);
    // Derby's auditor records what it was; the flag is disposed of for both.
    const disposed = await t.gql(
      'audrey.fox',
      `mutation($input: DisposeAnomalyInput!) { disposeAnomaly(input: $input) { id } }`,
      { input: { anomalyId: derby[0]?.id, disposition: 'JUSTIFIED', note: 'Asked Islington ICAT why; a missing-child call' } },
      audit,
    );
    expect(disposed.body.errors).toBeUndefined();
  });

  it('counts, when an auditor detects, only the new flags in their scope', async () => {
    // A refused emergency look-up by Islington of a child unknown to Derby: Islington's flag alone.
    const from = new Date(Date.now() - 1000).toISOString();
    await t.gql(
      'islington.icat',
      `query($id: ID!) { child(id: $id) { id } }`,
      { id: '00000000-0000-4000-9000-00000000beef' },
      emergency(),
    );
    const derby = await t.gql<{ detectAnomalies: number }>('audrey.fox', DETECT, { from, to: new Date().toISOString() }, audit);
    expect(derby.body.data?.detectAnomalies).toBe(0);
    const flags = await flagsOf('audrey.fox', islingtonAuditor());
    expect(flags.some((flag) => flag.childId === null || flag.childId === '00000000-0000-4000-9000-00000000beef')).toBe(true);
  });
});

describe('disposing of a flag', () => {
  it('is for the reader’s authority or one that worked with the child before the access, not one involved since', async () => {
    const db = t.app.get(DataSource);
    const child = aChild({
      // Known to the Derby YOS: its front door's emergency clause (derby-yos-csc §4.1) reaches it.
      involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' }],
      allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const from = new Date(Date.now() - 1000).toISOString();
    const read = await t.gql('derby.csct', `query($id: ID!) { child(id: $id) { id } }`, { id: child.id }, emergency());
    expect(read.body.errors).toBeUndefined();
    await t.gql('audrey.fox', DETECT, { from, to: new Date().toISOString() }, audit);
    // Islington comes to be involved with the child afterwards (as a link would make it).
    await db.query(
      `INSERT INTO agency_involvement (child_id, agency_id, role, start_date) SELECT $1, id, 'CSC', current_date FROM agency WHERE code = 'islington-csc'`,
      [child.id],
    );
    const BREAK_GLASS = `{ disclosureAnomalies(kind: BREAK_GLASS, first: 50) { edges { node { id userSubject childId } } } }`;
    const seen = await t.gql<Flags>('audrey.fox', BREAK_GLASS, {}, islingtonAuditor());
    const flag = seen.body.data?.disclosureAnomalies.edges.map((edge) => edge.node).find((node) => node.childId === child.id);
    expect(flag).toBeDefined();
    const DISPOSE = `mutation($input: DisposeAnomalyInput!) { disposeAnomaly(input: $input) { id } }`;
    const input = { anomalyId: flag?.id, disposition: 'JUSTIFIED', note: 'Nothing to see' };
    expect(codes(await t.gql('audrey.fox', DISPOSE, { input }, islingtonAuditor()))).toEqual(['FORBIDDEN']);
    const byDerby = await t.gql(
      'audrey.fox',
      DISPOSE,
      { input: { ...input, note: 'Asked the front door: a missing-child call' } },
      audit,
    );
    expect(byDerby.body.errors).toBeUndefined();
  });
});
