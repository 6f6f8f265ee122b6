import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JwksSigningKeyResolver } from 'src/auth/keys/jwks-signing-key-resolver.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** The identity provider's JWKS endpoint, as the test sets it; counts how often it is fetched. */
const jwks = { keys: [] as SigningKey[], fetches: 0, up: true };
let server: Server;
let jwksUrl: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    jwks.fetches += 1;
    if (!jwks.up) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: jwks.keys.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const A = signingKey('key-a');
const B = signingKey('key-b');

describe('JWKS keys: a minimum age before refetching, and a negative cache', () => {
  let clock = 0;
  const resolver = () => {
    clock = 1_000_000;
    jwks.fetches = 0;
    return new JwksSigningKeyResolver(jwksUrl, { now: () => clock, minRefetchMs: 30_000, maxAgeMs: 600_000 });
  };
  const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

  it('fetches the set once for known keys', async () => {
    jwks.keys = [A];
    jwks.up = true;
    const keys = resolver();
    await keys.keyFor(A.kid);
    await keys.keyFor(A.kid);
    expect(jwks.fetches).toBe(1);
  });

  it('refuses unknown kids from a fresh set without fetching, and a flood cannot block a rotated key', async () => {
    jwks.keys = [A];
    jwks.up = true;
    const keys = resolver();
    await keys.keyFor(A.kid);
    clock += 1000;
    for (let index = 0; index < 50; index += 1) await refused(keys.keyFor(`junk-${index}`));
    expect(jwks.fetches).toBe(1);
    // The identity provider rotates to B; junk keeps coming after the minimum age.
    jwks.keys = [A, B];
    clock += 30_000;
    for (let index = 0; index < 50; index += 1) await refused(keys.keyFor(`junk-again-${index}`));
    expect(jwks.fetches).toBe(2);
    // The set the first junk token fetched already has B: accepted at once, with no further fetch.
    await expect(keys.keyFor(B.kid)).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
  });

  it('finds a rotated key on the first request after the minimum age, even if it was refused before', async () => {
    jwks.keys = [A];
    jwks.up = true;
    const keys = resolver();
    await keys.keyFor(A.kid);
    jwks.keys = [A, B];
    clock += 5000;
    await refused(keys.keyFor(B.kid));
    clock += 30_000;
    await expect(keys.keyFor(B.kid)).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
  });

  it('drops a removed key once the set is older than its maximum age, and keeps the set when a fetch fails', async () => {
    jwks.keys = [A, B];
    jwks.up = true;
    const keys = resolver();
    await keys.keyFor(A.kid);
    jwks.up = false;
    clock += 600_000;
    await expect(keys.keyFor(A.kid)).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
    jwks.up = true;
    jwks.keys = [B];
    clock += 30_000;
    await refused(keys.keyFor(A.kid));
    await expect(keys.keyFor(B.kid)).resolves.toBeDefined();
  });
});

describe('the gateway with a JWKS', () => {
  let t: TestApp;
  const issuer = 'https://idp.example.test';
  beforeAll(async () => {
    jwks.keys = [A];
    jwks.up = true;
    t = await startTestApp({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: issuer });
  });
  afterAll(() => t.close());

  const token = (key: SigningKey) =>
    jwt.sign(
      {
        sub: 'dana.hughes',
        name: 'Dana Hughes',
        agency: 'derby-yos',
        case_system: 'derby-yos-childview',
        roles: ['YOS_CASE_MANAGER'],
      },
      key.privateKey,
      { algorithm: 'RS256', keyid: key.kid, issuer, audience: t.config.auth.audience, expiresIn: 300 },
    );

  const meOn = (gateway: TestApp, value: string) =>
    request(gateway.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${value}`)
      .send({ query: '{ me { subject } }' });
  const me = (value: string) => meOn(t, value);

  it('accepts a token signed with a key of the set and refuses one with an unknown kid', async () => {
    expect((await me(token(A))).body).toEqual({ data: { me: { subject: 'dana.hughes' } } });
    const unknown = await me(token(signingKey('key-unknown')));
    expect((unknown.body as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token it already checked once its key is withdrawn and the set fetched again', async () => {
    // A gateway of its own that refetches the key set after one second (AUTH_JWKS_MAX_AGE_SECONDS).
    jwks.keys = [A, B];
    jwks.up = true;
    const quick = await startTestApp({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: issuer, AUTH_JWKS_MAX_AGE_SECONDS: '1' });
    try {
      const call = (value: string) => meOn(quick, value);
      const signedWithA = token(A);
      // Checked once, then reused: the same token string is trusted again for a minute with the same key.
      expect((await call(signedWithA)).body).toEqual({ data: { me: { subject: 'dana.hughes' } } });
      expect((await call(signedWithA)).body).toEqual({ data: { me: { subject: 'dana.hughes' } } });
      jwks.keys = [B];
      await vi.waitFor(
        async () => {
          const refused = (await call(signedWithA)).body as { errors?: { extensions: { code: string } }[] };
          expect(refused.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
        },
        { timeout: 20_000, interval: 200 },
      );
      expect((await call(token(B))).body).toEqual({ data: { me: { subject: 'dana.hughes' } } });
    } finally {
      await quick.close();
      jwks.keys = [A];
    }
  }, 60_000);
});
