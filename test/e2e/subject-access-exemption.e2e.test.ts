import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { involvePolice } from '../support/emergency.js';

/**
 * The subject access report withholds a police recipient while a police investigation is open
 * (DPA 2018 Sch 2 para 2): who, why, what fields, and the lawful bases that would name the police
 * agreement; an investigation still open on a child merged into the subject counts too.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Sar = {
  subjectAccessReport: {
    entries: {
      recipientAgency: string | null;
      purpose: string | null;
      fields: string[];
      lawfulBases: string[];
      exemption: string | null;
    }[];
  };
};
const SAR = `query($id: ID!) { subjectAccessReport(childId: $id) { entries { recipientAgency purpose fields lawfulBases exemption } } }`;

const derbyChild = () =>
  aChild({
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
    ],
  });

async function policeEntries(childId: string) {
  const response = await t.gql<Sar>('audrey.fox', SAR, { id: childId }, { purpose: 'AUDIT' });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (response.body.data?.subjectAccessReport.entries ?? []).filter(
    (entry) => entry.exemption !== null || entry.recipientAgency === 'Derbyshire Constabulary',
  );
}

describe('subject access while a police investigation is open', () => {
  it('withholds the police recipient, its purpose, fields and lawful bases, for an investigation on a merged id too', async () => {
    const db = t.app.get(DataSource);
    const survivor = derbyChild();
    const merged = derbyChild();
    await db.transaction(async (manager) => {
      await insertChild(manager, survivor);
      await insertChild(manager, merged);
    });
    await involvePolice(t, merged.id);
    const read = await t.gql(
      'ds.khan',
      `query($id: ID!) { child(id: $id) { givenName } }`,
      { id: merged.id },
      { purpose: 'SAFEGUARDING' },
    );
    expect(read.body.errors, JSON.stringify(read.body.errors)).toBeUndefined();
    const before = await policeEntries(merged.id);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((entry) => entry.exemption === null && entry.lawfulBases.length > 0)).toBe(true);
    const mergedNow = await t.gql(
      'helen.grant',
      `mutation($input: MergeChildrenInput!) { mergeChildren(input: $input) { id } }`,
      { input: { survivingChildId: survivor.id, mergedChildId: merged.id } },
    );
    expect(mergedNow.body.errors, JSON.stringify(mergedNow.body.errors)).toBeUndefined();
    // An investigation left open on the merged child's id (a merge leaves a restriction behind when
    // the survivor holds its own equivalent).
    await db.query(
      `INSERT INTO child_restriction (child_id, kind, details, started_at, recorded_by, recorded_by_agency_id)
       SELECT $1, 'POLICE_HSB_INVESTIGATION', 'Op Larch', now(), 'sam.okafor', id FROM agency WHERE code = 'derby-csc'`,
      [merged.id],
    );
    const after = await policeEntries(survivor.id);
    expect(after.length).toBeGreaterThan(0);
    for (const entry of after) {
      expect(entry).toMatchObject({ recipientAgency: null, purpose: null, fields: [], lawfulBases: [] });
      expect(entry.exemption).toMatch(/Sch 2 para 2/);
    }
  });
});
