import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
