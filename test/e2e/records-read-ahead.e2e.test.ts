import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHILDREN } from 'src/seed/demo-children.js';
import { startTestApp, type RequestOptions, type TestApp } from '../support/test-app.js';
import { recordStatements, type StatementRecorder } from '../support/statement-recorder.js';
import { emergency, involvePolice } from '../support/emergency.js';
import { JORDAN } from '../support/demo-ids.js';

/**
 * `child(id) { records(…) }` reads the page of records in the child's own look-up (RecordsReadAhead):
 * one statement for both. What each caller gets must be exactly what the page read on its own gives
 * (a query that asks for two different pages of the child reads them that way): the same records,
 * fields, withheld lists, order and cursors, for callers of every agency and relationship, under
 * C3's order, break-glass, filters by kind and later pages.
 */
let t: TestApp;
let recorder: StatementRecorder;

beforeAll(async () => {
  t = await startTestApp();
  recorder = recordStatements(t.app.get(DataSource));
  await involvePolice(t, JORDAN.id);
});
afterAll(() => t.close());

const PAGE = `pageInfo { hasNextPage endCursor } edges { cursor node { id kind version status latestVersion createdAt
  owningAgency { code } withheld { field rule } versions { version status } } }`;
const ARGS = '$id: ID!, $kinds: [RecordKind!], $first: Int, $after: String';
const READ_AHEAD = `query(${ARGS}) { child(id: $id) { id records(kinds: $kinds, first: $first, after: $after) { ${PAGE} } } }`;
/** The same page beside another: two pages of one child are read by the records' own statement. */
const ON_ITS_OWN = `query(${ARGS}) { child(id: $id) { id records(kinds: $kinds, first: $first, after: $after) { ${PAGE} }
  other: records(first: 100) { pageInfo { hasNextPage } } } }`;

/** A statement that reads a page of records on its own (not inside the child's look-up). */
const readsPageOnItsOwn = (text: string) => text.includes('FROM shared_record record') && !text.includes('wanted.id');

interface Read {
  readonly child: { records: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
}

async function both(subject: string, variables: Record<string, unknown>, options?: RequestOptions) {
  recorder.reset();
  const ahead = await t.gql<Read>(subject, READ_AHEAD, variables, options);
  const aheadReadOnItsOwn = recorder.statements.some(readsPageOnItsOwn);
  const own = await t.gql<Read>(subject, ON_ITS_OWN, variables, options);
  return { ahead, own, aheadReadOnItsOwn };
}

const CALLERS: readonly { subject: string; options?: RequestOptions }[] = [
  { subject: 'dana.hughes' },
  { subject: 'marcus.reid' },
  { subject: 'priya.shah' },
  { subject: 'sam.okafor' },
  { subject: 'tara.nolan' },
  { subject: 'derby.csct', options: { purpose: 'SAFEGUARDING' } },
  { subject: 'irene.walsh' },
  { subject: 'paul.adeyemi' },
  { subject: 'olu.bakare' },
  { subject: 'ben.carter' },
  { subject: 'owen.price' },
  { subject: 'ds.khan', options: { purpose: 'SAFEGUARDING' } },
  { subject: 'derby-yos-integration' },
  { subject: 'olu.bakare', options: emergency() },
];

describe("a child's page of records read in the child's look-up", () => {
  it('is the page read on its own, for every caller, child, kind filter and page', async () => {
    let readAhead = 0;
    for (const { subject, options } of CALLERS) {
      for (const child of DEMO_CHILDREN) {
        for (const variables of [
          { id: child.id },
          { id: child.id, kinds: ['CARE_PLAN', 'PLACEMENT_PLAN', 'ASSET_PLUS'] },
          { id: child.id, first: 1 },
        ]) {
          const { ahead, own, aheadReadOnItsOwn } = await both(subject, variables, options);
          const what = `${subject} ${options?.purpose ?? ''} ${JSON.stringify(variables)}`;
          expect(
            ahead.body.errors?.map((error) => [error.extensions.code, error.message, error.path]),
            what,
          ).toEqual(own.body.errors?.map((error) => [error.extensions.code, error.message, error.path]));
          expect(ahead.body.data?.child?.records ?? null, what).toEqual(own.body.data?.child?.records ?? null);
          expect(aheadReadOnItsOwn, what).toBe(false);
          const next = ahead.body.data?.child?.records.pageInfo;
          if (ahead.body.data?.child) readAhead++;
          if (next?.hasNextPage) {
            const later = await both(subject, { ...variables, after: next.endCursor }, options);
            expect(later.ahead.body.data?.child?.records, `${what} after`).toEqual(later.own.body.data?.child?.records);
            expect(later.aheadReadOnItsOwn).toBe(false);
          }
        }
      }
    }
    // The comparison is worth something only if the callers saw children and their records.
    expect(readAhead).toBeGreaterThan(30);
  });

  it('reads the child and its page in one statement; two pages of one child still read apart', async () => {
    const { ahead, own, aheadReadOnItsOwn } = await both('dana.hughes', { id: JORDAN.id });
    expect(ahead.body.errors).toBeUndefined();
    expect(aheadReadOnItsOwn).toBe(false);
    recorder.reset();
    await t.gql('dana.hughes', ON_ITS_OWN, { id: JORDAN.id });
    expect(recorder.statements.filter(readsPageOnItsOwn)).toHaveLength(2);
    expect(own.body.data?.child?.records).toEqual(ahead.body.data?.child?.records);
  });

  it('reads ahead through fragments and aliases asking for one page, and not for a page @skip leaves out', async () => {
    const fragment = `query($id: ID!, $skip: Boolean!) { child(id: $id) { id ...Plans } }
      fragment Plans on Child { mine: records(kinds: [CARE_PLAN]) @skip(if: $skip) { edges { node { id } } }
        ... on Child { again: records(kinds: [CARE_PLAN]) { edges { node { kind } } } } }`;
    recorder.reset();
    const read = await t.gql<{ child: { mine: { edges: unknown[] }; again: { edges: unknown[] } } }>('dana.hughes', fragment, {
      id: JORDAN.id,
      skip: false,
    });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.child.mine.edges).toHaveLength(read.body.data?.child.again.edges.length ?? -1);
    expect(recorder.statements.some(readsPageOnItsOwn)).toBe(false);
    // With one of them skipped, the other is still the one page asked for.
    recorder.reset();
    const skipped = await t.gql<{ child: { mine?: unknown; again: { edges: unknown[] } } }>('dana.hughes', fragment, {
      id: JORDAN.id,
      skip: true,
    });
    expect(skipped.body.errors).toBeUndefined();
    expect(skipped.body.data?.child.mine).toBeUndefined();
    expect(skipped.body.data?.child.again.edges.length).toBeGreaterThan(0);
    expect(recorder.statements.some(readsPageOnItsOwn)).toBe(false);
  });

  it('leaves a page size or cursor out of bounds to the records field, which refuses it as before', async () => {
    // A cursor that decodes but was never given (its instant and id not of a record page) included.
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'not a cursor' }, { after: forged }]) {
      const { ahead, own } = await both('dana.hughes', { id: JORDAN.id, ...variables });
      expect(ahead.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(ahead.body.errors?.map((error) => [error.message, error.path])).toEqual(
        own.body.errors?.map((error) => [error.message, error.path]),
      );
    }
  });

  it("reads ahead for an id written in capitals, under the child's own id", async () => {
    const { ahead, own, aheadReadOnItsOwn } = await both('dana.hughes', { id: JORDAN.id.toUpperCase() });
    expect(ahead.body.errors).toBeUndefined();
    expect(ahead.body.data?.child?.records).toEqual(own.body.data?.child?.records);
    expect(aheadReadOnItsOwn).toBe(false);
  });
});
