import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { type RequestOptions, startTestApp, type TestApp } from '../support/test-app.js';
import { emergency, JUSTIFICATION } from '../support/emergency.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * A receipt lists what the response carried and what it withheld, never a field the response left
 * empty as if it had been disclosed: the child's national identifiers are decided (and receipted)
 * on their own, a break-glass read lists what its narrow read does not reach as withheld, and a
 * GET names its operation's hash as a POST does.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

/**
 * A child only Derby YOS knows (home YOS, Dana allocated: the front door reaches it only by
 * break-glass), with national identifiers recorded by `identifiersAgency` (null: by none known).
 */
async function childWithIdentifiers(identifiersAgency: 'derby-yos' | 'derby-csc' | null) {
  const child = aChild();
  await db.transaction((manager) => insertChild(manager, child));
  await db.query(
    `UPDATE child SET nhs_number = '9434765919', pnc_id = '11/123456X', upn = 'A123456789012',
       identifiers_agency_id = (SELECT id FROM agency WHERE code = $2) WHERE id = $1`,
    [child.id, identifiersAgency],
  );
  return child;
}

/** The request's options with a correlation id of its own, to find its receipts by. */
function tagged(correlationId: string, options: RequestOptions = {}): RequestOptions {
  return { ...options, headers: { ...options.headers, 'x-correlation-id': correlationId } };
}

async function receiptsOf(correlationId: string): Promise<ReceiptBody[]> {
  return (await loggedReceipts(db, { correlationId })).map((row) => row.body);
}

const IDENTIFIERS = `query($id: ID!) { child(id: $id) { id givenName identifiers { nhsNumber pncId upn withheld { field rule } } } }`;

type IdentifiersRead = {
  child: {
    identifiers: {
      nhsNumber: string | null;
      pncId: string | null;
      upn: string | null;
      withheld: { field: string; rule: string }[];
    };
  };
};

describe("a child's national identifiers", () => {
  for (const owner of ['derby-yos', 'derby-csc', null] as const) {
    it(`have a receipt of their own that matches the response field by field (recorded by ${owner ?? 'no agency'})`, async () => {
      const child = await childWithIdentifiers(owner);
      const correlationId = `identifiers-${randomUUID()}`;
      const read = await t.gql<IdentifiersRead>('dana.hughes', IDENTIFIERS, { id: child.id }, tagged(correlationId));
      expect(read.body.errors).toBeUndefined();
      const identifiers = read.body.data?.child.identifiers;
      if (!identifiers) throw new Error('no identifiers');
      const receipts = await receiptsOf(correlationId);
      const childReceipt = receipts.find((body) => body.record?.kind === 'CHILD');
      const own = receipts.find((body) => body.record?.kind === 'CHILD_IDENTIFIERS');
      // The child's receipt says nothing of the identifiers; theirs says exactly what left and what did not.
      expect(childReceipt?.disclosed.filter((path) => path.startsWith('identifiers'))).toEqual([]);
      expect(own?.child).toBe(child.id);
      const carried = (['nhsNumber', 'pncId', 'upn'] as const).filter((field) => identifiers[field] !== null).sort();
      expect(own?.disclosed).toEqual(carried);
      expect(own?.withheld.map((item) => [item.field, item.rule])).toEqual(
        identifiers.withheld.map((item) => [item.field, item.rule]).sort(),
      );
      // A basis for each class that left, and none for a class withheld whole.
      const basisClasses = new Set(own?.bases.map((basis) => basis.class));
      if (identifiers.pncId === null) expect(basisClasses.has('OFFENDING_CRIMINAL')).toBe(false);
      if (identifiers.upn === null) expect(basisClasses.has('EDUCATION')).toBe(false);
      if (owner === 'derby-yos') expect(carried).toEqual(['nhsNumber', 'pncId', 'upn']);
    });
  }

  it('a read that withholds them is receipted so (the case the outside review found)', async () => {
    // Identifiers no agency is recorded as owning are disclosed under no grant (as in the demo data).
    const child = await childWithIdentifiers(null);
    const correlationId = `identifiers-${randomUUID()}`;
    const read = await t.gql<IdentifiersRead>('dana.hughes', IDENTIFIERS, { id: child.id }, tagged(correlationId));
    const withheld = read.body.data?.child.identifiers.withheld.map((item) => item.field) ?? [];
    expect(withheld.length).toBeGreaterThan(0);
    const all = await receiptsOf(correlationId);
    for (const field of withheld) {
      expect(all.some((body) => body.disclosed.some((path) => path === field || path === `identifiers.${field}`))).toBe(false);
    }
  });
});

describe('a break-glass read', () => {
  const WIDE = `query($id: ID!) { child(id: $id) {
    givenName familyName dateOfBirth
    caseReferences { value }
    involvements { role agency { code } }
    identifiers { nhsNumber pncId upn }
    legalStatusHistory { basis }
    careStatus { basis }
    lookedAfterStatus { lookedAfter }
    placements { edges { cursor node { id } } pageInfo { hasNextPage } }
    visits { edges { node { id } } }
    obligations { id }
    currentPlacement { address }
  } }`;

  it('lists what its narrow read does not reach as withheld, not as disclosed', async () => {
    const child = await childWithIdentifiers('derby-yos');
    const correlationId = `break-glass-${randomUUID()}`;
    const read = await t.gql<{ child: Record<string, unknown> }>(
      'derby.csct',
      WIDE,
      { id: child.id },
      tagged(correlationId, emergency()),
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.child).toMatchObject({
      caseReferences: [],
      involvements: [],
      identifiers: null,
      legalStatusHistory: [],
      obligations: [],
    });
    const receipts = await receiptsOf(correlationId);
    const childReceipt = receipts.find((body) => body.record?.kind === 'CHILD');
    expect(childReceipt?.breakGlass).toBe(true);
    const closed = [
      'careStatus',
      'caseReferences',
      'identifiers',
      'involvements',
      'legalStatusHistory',
      'lookedAfterStatus',
      'obligations',
      'placements',
      'visits',
    ];
    expect(childReceipt?.withheld.map((item) => item.field)).toEqual(closed);
    for (const item of childReceipt?.withheld ?? []) expect(item.rule).toBe('BREAK-GLASS-NARROW-READ');
    for (const path of childReceipt?.disclosed ?? []) {
      expect(
        closed.some((field) => path === field || path.startsWith(`${field}.`)),
        path,
      ).toBe(false);
    }
    expect(childReceipt?.disclosed).toEqual(expect.arrayContaining(['dateOfBirth', 'familyName', 'givenName']));
    expect(receipts.some((body) => body.record?.kind === 'CHILD_IDENTIFIERS')).toBe(false);
  });

  it('lists what each selection asked, through aliases, fragments and @include', async () => {
    const child = await childWithIdentifiers('derby-yos');
    const correlationId = `break-glass-${randomUUID()}`;
    const read = await t.gql(
      'derby.csct',
      `query($id: ID!, $wanted: Boolean!) {
        first: child(id: $id) { givenName ...Known }
        second: child(id: $id) { refs: caseReferences @include(if: $wanted) { value } dateOfBirth }
      }
      fragment Known on Child { involvements { role } ... on Child { leadProfessional { lead } } }`,
      { id: child.id, wanted: false },
      tagged(correlationId, emergency()),
    );
    expect(read.body.errors).toBeUndefined();
    const childReceipts = (await receiptsOf(correlationId)).filter((body) => body.record?.kind === 'CHILD');
    expect(childReceipts).toHaveLength(1);
    expect(childReceipts[0]?.withheld.map((item) => item.field)).toEqual(['involvements', 'leadProfessional']);
    expect(childReceipts[0]?.disclosed).toEqual(['dateOfBirth', 'givenName']);
  });

  it('lists nothing withheld when it asks only for the narrow read', async () => {
    const child = await childWithIdentifiers('derby-yos');
    const correlationId = `break-glass-${randomUUID()}`;
    const read = await t.gql(
      'derby.csct',
      `query($id: ID!) { child(id: $id) { givenName currentPlacement { address } } }`,
      { id: child.id },
      tagged(correlationId, emergency()),
    );
    expect(read.body.errors).toBeUndefined();
    const childReceipt = (await receiptsOf(correlationId)).find((body) => body.record?.kind === 'CHILD');
    expect(childReceipt?.withheld).toEqual([]);
  });

  it('is not what an allocated worker sees: their receipt lists the same fields as disclosed', async () => {
    const child = await childWithIdentifiers('derby-yos');
    const correlationId = `allocated-${randomUUID()}`;
    const read = await t.gql('dana.hughes', WIDE, { id: child.id }, tagged(correlationId));
    expect(read.body.errors).toBeUndefined();
    const childReceipt = (await receiptsOf(correlationId)).find((body) => body.record?.kind === 'CHILD');
    expect(childReceipt?.withheld).toEqual([]);
    expect(childReceipt?.disclosed).toEqual(expect.arrayContaining(['caseReferences.value', 'involvements.role']));
  });
});

describe('the operation named in a receipt', () => {
  it('has its SHA-256 whether the query came by POST or by GET', async () => {
    const child = await childWithIdentifiers('derby-yos');
    const query = `query ByGet { child(id: "${child.id}") { givenName } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    for (const method of ['GET', 'POST'] as const) {
      const correlationId = `${method}-${randomUUID()}`;
      const server = t.app.getHttpServer();
      const call =
        method === 'GET'
          ? request(server).get('/graphql').query({ query })
          : request(server).post('/graphql').set('content-type', 'application/json').send({ query });
      const response = await call
        .set('authorization', `Bearer ${t.token('dana.hughes')}`)
        .set('x-purpose-of-use', 'CASE_MANAGEMENT')
        .set('x-correlation-id', correlationId);
      expect(response.status, method).toBe(200);
      const [receipt] = await receiptsOf(correlationId);
      expect(receipt?.operation, method).toEqual({ channel: 'GRAPHQL', name: 'ByGet', hash });
    }
  });
});

describe('a batch of operations', () => {
  let batching: TestApp;
  beforeAll(async () => {
    batching = await startTestApp({ GRAPHQL_ALLOW_BATCHED_QUERIES: 'true' });
  });
  afterAll(() => batching.close());

  /** A child of the test's own, known only to Derby YOS (Dana allocated). */
  async function newChild() {
    const child = aChild();
    await batching.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    return child;
  }

  /** One POST carrying the queries as a batch, with the request's own correlation id. */
  function sendBatch(subject: string, correlationId: string, queries: readonly string[], headers: Record<string, string>) {
    return request(batching.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${batching.token(subject)}`)
      .set('x-correlation-id', correlationId)
      .set(headers)
      .send(queries.map((query) => ({ query })));
  }

  async function receiptsOfBatch(correlationId: string): Promise<ReceiptBody[]> {
    return (await loggedReceipts(batching.app.get(DataSource), { correlationId })).map((row) => row.body);
  }

  const CASE_MANAGEMENT = { 'x-purpose-of-use': 'CASE_MANAGEMENT' };

  it('takes each operation’s query only as a string', async () => {
    const response = await request(batching.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${batching.token('dana.hughes')}`)
      .set(CASE_MANAGEMENT)
      .send([{ query: '{ __typename }' }, { query: ['{ __typename }'] }]);
    expect(response.status).toBe(400);
    expect((response.body as { errors: { message: string }[] }).errors[0]?.message).toBe('query must be a string');
  });

  it('leaves receipts named by each operation and carrying no hash (any of its operations may commit them)', async () => {
    const child = await newChild();
    const correlationId = `batch-${randomUUID()}`;
    const response = await sendBatch(
      'dana.hughes',
      correlationId,
      [
        `query First { child(id: "${child.id}") { givenName } }`,
        `query Second { child(id: "${child.id}") { caseReferences { value } } }`,
      ],
      CASE_MANAGEMENT,
    );
    expect(response.status).toBe(200);
    const answers = response.body as { data?: { child: Record<string, unknown> } }[];
    expect(answers.map((answer) => Object.keys(answer.data?.child ?? {}))).toEqual([['givenName'], ['caseReferences']]);
    const receipts = await receiptsOfBatch(correlationId);
    expect(receipts.length).toBeGreaterThan(0);
    for (const receipt of receipts) {
      expect(receipt.operation.hash).toBeNull();
      expect(['First', 'Second']).toContain(receipt.operation.name);
    }
  });

  it('leaves a receipt for each of two anonymous operations that read the same child', async () => {
    const child = await newChild();
    const correlationId = `batch-anonymous-${randomUUID()}`;
    const response = await sendBatch(
      'dana.hughes',
      correlationId,
      [`{ child(id: "${child.id}") { givenName } }`, `{ child(id: "${child.id}") { dateOfBirth } }`],
      CASE_MANAGEMENT,
    );
    expect(response.status).toBe(200);
    const receipts = (await receiptsOfBatch(correlationId)).filter((body) => body.record?.kind === 'CHILD');
    expect(receipts.map((body) => body.disclosed).sort()).toEqual([['dateOfBirth'], ['givenName']]);
  });

  it("lists, in each operation's break-glass receipt, the closed fields that operation asked for", async () => {
    const child = await newChild();
    const correlationId = `batch-break-glass-${randomUUID()}`;
    const response = await sendBatch(
      'derby.csct',
      correlationId,
      [
        `query First { child(id: "${child.id}") { givenName caseReferences { value } } }`,
        `query Second { child(id: "${child.id}") { dateOfBirth refs: involvements { role } } }`,
      ],
      { 'x-purpose-of-use': 'EMERGENCY', 'x-access-reason': 'MISSING_CHILD', 'x-access-justification': JUSTIFICATION },
    );
    expect(response.status).toBe(200);
    const answers = response.body as { data?: { child: Record<string, unknown> }; errors?: unknown[] }[];
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined]);
    expect(answers.map((answer) => answer.data?.child)).toEqual([
      { givenName: child.givenName, caseReferences: [] },
      { dateOfBirth: child.dateOfBirth, refs: [] },
    ]);
    const receipts = (await receiptsOfBatch(correlationId)).filter((body) => body.record?.kind === 'CHILD');
    const byOperation = new Map(receipts.map((body) => [body.operation.name, body]));
    expect(receipts).toHaveLength(2);
    expect(byOperation.get('First')).toMatchObject({ breakGlass: true, disclosed: ['givenName'] });
    expect(byOperation.get('First')?.withheld.map((item) => [item.field, item.rule])).toEqual([
      ['caseReferences', 'BREAK-GLASS-NARROW-READ'],
    ]);
    expect(byOperation.get('Second')).toMatchObject({ breakGlass: true, disclosed: ['dateOfBirth'] });
    expect(byOperation.get('Second')?.withheld.map((item) => [item.field, item.rule])).toEqual([
      ['involvements', 'BREAK-GLASS-NARROW-READ'],
    ]);
  });
});
