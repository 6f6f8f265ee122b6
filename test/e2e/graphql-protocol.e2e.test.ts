import { generateKeyPairSync } from 'node:crypto';
import { serverAudits } from 'graphql-http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

/** The messages of a 400 answer. */
function response400(response: { status: number; body: { errors?: { message: string }[] } }): string[] {
  expect(response.status).toBe(400);
  return response.body.errors?.map((error) => error.message) ?? [];
}

describe('GraphQL over HTTP conformance', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `${await t.app.getUrl()}/graphql`;
  });
  afterAll(() => t.close());

  it('passes every MUST audit of graphql-http', async () => {
    const failures: string[] = [];
    for (const audit of serverAudits({ url, fetchFn: fetch })) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it('echoes a well-formed correlation id and makes one up otherwise', async () => {
    const given = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('x-correlation-id', 'case-42')
      .send({ query: '{ __typename }' });
    expect(given.headers['x-correlation-id']).toBe('case-42');
    const made = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('x-correlation-id', 'bad id with spaces')
      .send({ query: '{ __typename }' });
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the health check without a token', async () => {
    const response = await request(t.app.getHttpServer()).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

describe('abusive queries are refused before execution', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses a depth bomb, whatever the fields are', async () => {
    const bomb = `{ ${'me { '.repeat(60)}subject${' }'.repeat(60)} }`;
    const response = await t.gql('dana.hughes', bomb);
    expect(response.status).toBe(400);
    expect(codes(response)).toContain('QUERY_TOO_COMPLEX');
    expect(response.body.data).toBeUndefined();
  });

  it('counts depth through fragments, and is not fooled by a fragment cycle', async () => {
    const limited = await startTestApp({ GRAPHQL_MAX_DEPTH: '6' });
    try {
      const deep = `query { ...C } fragment C on Query { children { edges { node { records { edges { node { versions { author { agency { localAuthority { id } } } } } } } } } } }`;
      const refused = await limited.gql('dana.hughes', deep);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.map((error) => error.message)).toContainEqual(expect.stringMatching(/^Query depth 11 exceeds/));
      // A fragment spread below the top counts from where it is spread: 3 levels above it, 7 in it.
      const spreadDeep = await limited.gql(
        'dana.hughes',
        'query { children { edges { node { ...D } } } } fragment D on Child { records { edges { node { versions { author { agency { id } } } } } } }',
      );
      expect(spreadDeep.body.errors?.map((error) => error.message)).toContainEqual(
        expect.stringMatching(/^Query depth 10 exceeds/),
      );
      const cyclic = await limited.gql(
        'dana.hughes',
        'query { ...A } fragment A on Query { me { subject } ...B } fragment B on Query { ...A }',
      );
      expect(cyclic.status).toBe(400);
      expect(codes(cyclic)).toContain('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await limited.close();
    }
  });

  it('measures each fragment once: a fan-out of fragments spread twice at each of 60 levels is answered at once', async () => {
    // Walked spread by spread this is 2^60 walks; a kilobyte of it stalled the server for seconds.
    const levels = 60;
    const fanOut = (body: (index: number) => string, last: string) =>
      `{ ...F0 } ${Array.from({ length: levels }, (_, index) => `fragment F${index} on Query { ${body(index)} }`).join(' ')} fragment F${levels} on Query { ${last} }`;
    const spreads = (index: number) => `...F${index + 1} ...F${index + 1}`;
    const unknown = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: fanOut(spreads, '...Nope') });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('Unknown fragment');
    const costly = await t.gql(
      'dana.hughes',
      fanOut((index) => `me { subject } ${spreads(index)}`, 'me { subject }'),
    );
    expect(response400(costly)).toContainEqual(expect.stringMatching(/^Query cost \d+ exceeds/));
    // A fragment under a list costs what the same fields written out there cost.
    const listed = await t.gql(
      'dana.hughes',
      '{ children(first: 100) { edges { node { ...R } } } } fragment R on Child { records(first: 100) { edges { node { versions { version author { name } } } } } }',
    );
    expect(codes(listed)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('runs only documents its parser made: a query text that is a JSON syntax tree is a syntax error', async () => {
    // Mercurius takes a text that does not parse as GraphQL for a JSON syntax tree and would run it.
    const tree = JSON.stringify({
      kind: 'Document',
      definitions: [
        {
          kind: 'OperationDefinition',
          operation: 'query',
          selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: { kind: 'Name', value: '__typename' } }] },
        },
      ],
    });
    for (const query of [tree, '{}', '1', '"abc"', 'null', 'true']) {
      const response = await t.gql('dana.hughes', query);
      expect(response.status, query).toBe(400);
      expect(response.body.data, query).toBeUndefined();
      expect(
        response.body.errors?.map((error) => error.message),
        query,
      ).toEqual(['Syntax Error: the query must be a GraphQL document']);
    }
  });

  it('refuses an alias flood', async () => {
    const aliases = Array.from({ length: 200 }, (_, index) => `a${index}: __typename`).join(' ');
    const response = await t.gql('dana.hughes', `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses a query whose cost multiplies through lists', async () => {
    const response = await t.gql(
      'dana.hughes',
      '{ children(first: 100) { edges { node { records(first: 100) { edges { node { versions { version author { name } } } } } placements(first: 100) { edges { node { id } } } } } } }',
    );
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const padding = 'x'.repeat(t.config.graphql.maxBodyBytes + 1);
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: `{ __typename } # ${padding}` }));
    expect(response.status).toBe(413);
    expect(JSON.stringify(response.body)).not.toContain('at ');
  });

  it('refuses a batched array unless configured', async () => {
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('offers introspection and suggestions in development', async () => {
    const introspection = await t.gql(null, '{ __schema { queryType { name } } }');
    expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await t.gql('dana.hughes', '{ chld { id } }');
    expect(typo.body.errors?.[0]?.message).toContain('Did you mean');
  });
});

describe('in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example.test',
      DATABASE_URL: 'postgres://unused@127.0.0.1:9/unused',
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
  });
  afterAll(() => t.close());

  it('turns off introspection and "Did you mean" suggestions', async () => {
    const introspection = await t.gql(null, '{ __schema { queryType { name } } }');
    expect(introspection.status).toBe(400);
    expect(new Set(codes(introspection))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    const typo = await t.gql(null, '{ chld { id } }');
    expect(typo.body.errors?.[0]?.message).not.toContain('Did you mean');
  });

  it('does not accept development tokens', async () => {
    const response = await t.gql('dana.hughes', '{ me { subject } }');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
