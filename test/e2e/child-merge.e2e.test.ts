import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import {
  AllocationRole,
  InvolvementRole,
  LegalStatusBasis,
  PlacementStatus,
  PlacementType,
} from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Issue 12 §1, merge: a named role folds a duplicate into the surviving child; what the duplicate
 * had follows, its id resolves to the survivor, the log keeps its receipts as written (the subject
 * access report reads them through the merge), every involved case system hears, and an unmerge
 * within the period moves back exactly what moved.
 */
let t: TestApp;
let db: DataSource;
const survivor = aChild({
  givenName: 'Ella',
  familyName: 'Rowe',
  dateOfBirth: '2012-02-02',
  references: [{ caseSystem: 'derby-csc-liquidlogic', value: `LL-ER-${randomUUID().slice(0, 6)}` }],
  involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2025-01-10' }],
  allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-01-10' }],
  placements: [
    {
      status: PlacementStatus.CURRENT,
      type: PlacementType.FOSTER_CARE,
      name: 'Foster carers',
      address: '3 Friar Gate, Derby',
      postcode: 'DE1 1BX',
      area: 'derby',
      reason: 'Accommodated',
      effectiveDate: '2025-01-10',
      by: 'sam.okafor',
    },
  ],
});
const duplicate = aChild({
  givenName: 'Ela',
  familyName: 'Roe',
  dateOfBirth: '2012-02-20',
  references: [{ caseSystem: 'derby-yos-childview', value: `CV-ER-${randomUUID().slice(0, 6)}` }],
  involvements: [
    { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
    { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
  ],
  allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
  legalStatus: [
    {
      basis: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
      startDate: '2026-01-05',
      sourceEvent: 'Remanded',
      by: 'dana.hughes',
    },
  ],
});

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  await db.transaction(async (manager) => {
    await insertChild(manager, survivor);
    await insertChild(manager, duplicate);
  });
  await db.query(
    `UPDATE child SET nhs_number = '9434765919', identifiers_agency_id = (SELECT id FROM agency WHERE code = 'derby-yos') WHERE id = $1`,
    [duplicate.id],
  );
});
afterAll(() => t.close());

const MERGE = `mutation($input: MergeChildrenInput!) { mergeChildren(input: $input) { id survivingChildId mergedChildId undoBefore undoneAt } }`;
const UNMERGE = `mutation($id: ID!) { unmergeChildren(mergeId: $id) { id undoneAt } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id caseReferences { value } involvements { agency { code } role } otherNames { givenNames familyName } } }`;

interface ChildView {
  child: { id: string; caseReferences: { value: string }[]; involvements: { agency: { code: string }; role: string }[] } | null;
}

async function disclosuresAbout(childId: string): Promise<number> {
  const rows = await db.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM disclosure_entry WHERE child_id = $1 AND entry_kind = 'DISCLOSURE'`,
    [childId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function notified(type: string): Promise<string[]> {
  await t.app.get(NotificationDispatcher).routeBatch();
  const rows = await db.query<{ code: string; child_id: string }[]>(
    `SELECT cs.code, n.child_id FROM notification n JOIN case_system cs ON cs.id = n.case_system_id WHERE n.type = $1 ORDER BY cs.code`,
    [type],
  );
  return rows.map((row) => `${row.code}:${row.child_id === survivor.id ? 'survivor' : 'merged'}`).sort();
}

describe('mergeChildren and unmergeChildren', () => {
  let mergeId = '';

  it('is refused to roles without the permission and to another authority', async () => {
    const input = { survivingChildId: survivor.id, mergedChildId: duplicate.id };
    expect(codes(await t.gql('dana.hughes', MERGE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('ayesha.malik', MERGE, { input }))).toEqual(['NOT_FOUND']);
  });

  it('folds the duplicate into the survivor: its id resolves there, its links follow, everyone involved hears', async () => {
    const read = await t.gql<ChildView>('dana.hughes', CHILD, { id: duplicate.id });
    expect(read.body.data?.child?.id).toBe(duplicate.id);
    const before = { survivor: await disclosuresAbout(survivor.id), duplicate: await disclosuresAbout(duplicate.id) };

    const merged = await t.gql<{ mergeChildren: { id: string; survivingChildId: string; mergedChildId: string } }>(
      'helen.grant',
      MERGE,
      { input: { survivingChildId: survivor.id, mergedChildId: duplicate.id } },
    );
    expect(merged.body.errors, JSON.stringify(merged.body.errors)).toBeUndefined();
    mergeId = merged.body.data?.mergeChildren.id ?? '';

    const resolved = await t.gql<ChildView>('helen.grant', CHILD, { id: duplicate.id });
    const child = resolved.body.data?.child;
    expect(child?.id).toBe(survivor.id);
    expect(child?.caseReferences.map((reference) => reference.value).sort()).toEqual(
      [survivor.references[0]?.value, duplicate.references[0]?.value].sort(),
    );
    expect(child?.involvements.map((involvement) => `${involvement.agency.code}:${involvement.role}`).sort()).toEqual([
      'derby-csc:CSC',
      'derby-yos:YOS_HOME',
    ]);
    // Dana's allocation followed: she reads the survivor by her own system's reference.
    const byReference = await t.gql<{ childByCaseReference: { id: string } }>(
      'dana.hughes',
      `query($ref: String!) { childByCaseReference(reference: $ref) { id legalStatus { basis } identifiers { nhsNumber } } }`,
      { ref: duplicate.references[0]?.value },
    );
    expect(byReference.body.data?.childByCaseReference).toMatchObject({
      id: survivor.id,
      legalStatus: { basis: 'REMAND_YOUTH_DETENTION_ACCOMMODATION' },
      identifiers: { nhsNumber: '9434765919' },
    });
    // Nothing new hangs off a merged id: a write to it names the survivor.
    const write = await t.gql(
      'sam.okafor',
      `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { id } }`,
      {
        input: { childId: duplicate.id, expectedVersion: 1, givenName: 'Ella' },
      },
    );
    expect(codes(write)).toEqual(['CONFLICT']);
    expect(write.body.errors?.[0]?.extensions).toMatchObject({ childId: survivor.id });

    const alterations = await loggedReceipts(db, { entryKind: 'ALTERATION', recordId: mergeId });
    expect(alterations.map((row) => row.body.child).sort()).toEqual([survivor.id, duplicate.id].sort());
    expect(await notified('CHILD_MERGED')).toEqual(['derby-csc-liquidlogic:survivor', 'derby-yos-childview:survivor']);

    // Receipts are not rewritten; the auditors' report for the survivor reads the merged id's too.
    const report = await t.gql<{ subjectAccessReport: { total: number } }>(
      'audrey.fox',
      `query($id: ID!) { subjectAccessReport(childId: $id) { total } }`,
      { id: survivor.id },
      { purpose: 'AUDIT' },
    );
    expect(report.body.errors).toBeUndefined();
    expect(await disclosuresAbout(duplicate.id)).toBe(before.duplicate);
    expect(report.body.data?.subjectAccessReport.total).toBe((await disclosuresAbout(survivor.id)) + before.duplicate);
  });

  it('unmerges within the period, moving back exactly what moved', async () => {
    const undone = await t.gql<{ unmergeChildren: { undoneAt: string | null } }>('helen.grant', UNMERGE, { id: mergeId });
    expect(undone.body.errors, JSON.stringify(undone.body.errors)).toBeUndefined();
    expect(undone.body.data?.unmergeChildren.undoneAt).toBeTruthy();

    const back = await t.gql<ChildView>('helen.grant', CHILD, { id: duplicate.id });
    expect(back.body.data?.child?.id).toBe(duplicate.id);
    expect(back.body.data?.child?.caseReferences.map((reference) => reference.value)).toEqual([duplicate.references[0]?.value]);
    const kept = await t.gql<ChildView>('helen.grant', CHILD, { id: survivor.id });
    expect(kept.body.data?.child?.caseReferences.map((reference) => reference.value)).toEqual([survivor.references[0]?.value]);
    expect(kept.body.data?.child?.involvements.map((involvement) => involvement.agency.code)).toEqual(['derby-csc']);
    const [row] = await db.query<{ nhs_number: string | null; other_names: unknown[] }[]>(
      'SELECT nhs_number, other_names FROM child WHERE id = $1',
      [survivor.id],
    );
    expect(row).toEqual({ nhs_number: null, other_names: [] });
    expect(await notified('CHILD_UNMERGED')).toEqual([
      'derby-csc-liquidlogic:merged',
      'derby-csc-liquidlogic:survivor',
      'derby-yos-childview:merged',
    ]);
    expect(codes(await t.gql('helen.grant', UNMERGE, { id: mergeId }))).toEqual(['CONFLICT']);
  });

  it('cannot be undone once the period has passed', async () => {
    const merged = await t.gql<{ mergeChildren: { id: string } }>('helen.grant', MERGE, {
      input: { survivingChildId: survivor.id, mergedChildId: duplicate.id },
    });
    const id = merged.body.data?.mergeChildren.id ?? '';
    await db.query(`UPDATE child_merge SET undo_before = now() - interval '1 day' WHERE id = $1`, [id]);
    const undone = await t.gql('helen.grant', UNMERGE, { id });
    expect(codes(undone)).toEqual(['CONFLICT']);
  });
});

describe('a merge across local authorities', () => {
  const derbyChild = () =>
    aChild({
      involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
      allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
    });

  it("is refused when another authority's agency is involved with either child", async () => {
    // Islington's looked-after child, which Derby CSC also came to be involved with.
    const islingtons = aChild({
      involvements: [
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-11-01' },
      ],
      allocations: [{ user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' }],
    });
    const derbys = derbyChild();
    await db.transaction(async (manager) => {
      await insertChild(manager, islingtons);
      await insertChild(manager, derbys);
    });
    const refused = await t.gql('helen.grant', MERGE, { input: { survivingChildId: derbys.id, mergedChildId: islingtons.id } });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const ben = await t.gql<{ child: { givenName: string; familyName: string } }>(
      'ben.carter',
      `query($id: ID!) { child(id: $id) { givenName familyName } }`,
      { id: islingtons.id },
    );
    expect(ben.body.data?.child).toEqual({ givenName: islingtons.givenName, familyName: islingtons.familyName });
    // Nor may Derby merge a child of its own into Islington's: the merge would fill Islington's
    // child's names and identifiers from Derby's, and open it to every agency involved with Derby's.
    const duplicate = derbyChild();
    await db.transaction((manager) => insertChild(manager, duplicate));
    const into = await t.gql('helen.grant', MERGE, { input: { survivingChildId: islingtons.id, mergedChildId: duplicate.id } });
    expect(codes(into)).toEqual(['FORBIDDEN']);
    const [kept] = await db.query<{ merged_into_id: string | null }[]>('SELECT merged_into_id FROM child WHERE id = $1', [
      duplicate.id,
    ]);
    expect(kept?.merged_into_id).toBeNull();
    // Two children of Derby's own it merges.
    const another = derbyChild();
    await db.transaction((manager) => insertChild(manager, another));
    const merged = await t.gql('helen.grant', MERGE, { input: { survivingChildId: derbys.id, mergedChildId: another.id } });
    expect(merged.body.errors, JSON.stringify(merged.body.errors)).toBeUndefined();
  });
});

describe('unmerging after the survivor was corrected', () => {
  it('takes back exactly the names the merge added: a name recorded since stays', async () => {
    const derbyChild = (givenName: string) =>
      aChild({
        givenName,
        familyName: 'Hollis',
        dateOfBirth: '2012-06-06',
        involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
        allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
      });
    const kept = derbyChild('Noor');
    const folded = derbyChild('Nur');
    await db.transaction(async (manager) => {
      await insertChild(manager, kept);
      await insertChild(manager, folded);
    });
    await db.query(`UPDATE child SET other_names = '[{"givenNames": "Nura", "familyName": "Hollis"}]' WHERE id = $1`, [
      folded.id,
    ]);
    const merged = await t.gql<{ mergeChildren: { id: string } }>('helen.grant', MERGE, {
      input: { survivingChildId: kept.id, mergedChildId: folded.id },
    });
    expect(merged.body.errors, JSON.stringify(merged.body.errors)).toBeUndefined();
    const names = async () =>
      (
        await db.query<{ other_names: { givenNames: string }[] }[]>('SELECT other_names FROM child WHERE id = $1', [kept.id])
      )[0]?.other_names.map((name) => name.givenNames);
    const added = await names();
    expect(added).toContain('Nura');
    // Derby CSC records, after the merge, another name the child is known by.
    const [{ version } = { version: 0 }] = await db.query<{ version: number }[]>('SELECT version FROM child WHERE id = $1', [
      kept.id,
    ]);
    const corrected = await t.gql(
      'sam.okafor',
      `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { id } }`,
      {
        input: {
          childId: kept.id,
          expectedVersion: version,
          otherNames: [
            ...(added ?? []).map((givenNames) => ({ givenNames, familyName: 'Hollis' })),
            { givenNames: 'Noora', familyName: 'Hollis' },
          ],
        },
      },
    );
    expect(corrected.body.errors, JSON.stringify(corrected.body.errors)).toBeUndefined();
    const undone = await t.gql('helen.grant', UNMERGE, { id: merged.body.data?.mergeChildren.id });
    expect(undone.body.errors, JSON.stringify(undone.body.errors)).toBeUndefined();
    // The merge added the duplicate's name and its other name; the one recorded since, last, stays.
    expect(added).toEqual(['Nur', 'Nura']);
    expect(await names()).toEqual(['Noora']);
  });
});
