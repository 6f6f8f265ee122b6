import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CLAIMS = {
  sub: 'dana.hughes',
  name: 'Dana Hughes',
  agency: 'derby-yos',
  case_system: 'derby-yos-childview',
  roles: ['YOS_CASE_MANAGER'],
};

async function me(authorization: string | undefined) {
  const call = request(t.app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
  if (authorization !== undefined) call.set('authorization', authorization);
  const response = await call.send({ query: '{ me { subject agency { code } roles } }' });
  return response.body as { data?: { me: { subject: string } } | null; errors?: { extensions: { code: string } }[] };
}

function signed(overrides: { claims?: Record<string, unknown>; issuer?: string; audience?: string; expiresIn?: number }) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    token: jwt.sign({ ...CLAIMS, ...overrides.claims }, privateKey, {
      algorithm: 'ES256',
      expiresIn: overrides.expiresIn ?? 300,
    }),
  };
}

describe('authentication', () => {
  it('accepts a valid development token and knows the caller', async () => {
    const body = await me(`Bearer ${t.token('dana.hughes')}`);
    expect(body.data?.me).toEqual({ subject: 'dana.hughes', agency: { code: 'derby-yos' }, roles: ['YOS_CASE_MANAGER'] });
  });

  const refused: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['a malformed header', () => 'Bearer not.a.jwt'],
    [
      'an expired token',
      () =>
        `Bearer ${t.key.sign(CLAIMS, { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: -120 })}`,
    ],
    [
      'the wrong audience',
      () => `Bearer ${t.key.sign(CLAIMS, { issuer: t.config.auth.issuer, audience: 'someone-else', expiresInSeconds: 300 })}`,
    ],
    [
      'the wrong issuer',
      () => `Bearer ${t.key.sign(CLAIMS, { issuer: 'evil', audience: t.config.auth.audience, expiresInSeconds: 300 })}`,
    ],
    [
      'alg none',
      () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const payload = Buffer.from(
          JSON.stringify({ ...CLAIMS, iss: t.config.auth.issuer, aud: t.config.auth.audience, iat: now, exp: now + 300 }),
        ).toString('base64url');
        return `Bearer ${header}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key',
      () => {
        const hs = jwt.sign(CLAIMS, t.key.publicKeyPem(), {
          algorithm: 'HS256',
          issuer: t.config.auth.issuer,
          audience: t.config.auth.audience,
          expiresIn: 300,
        });
        return `Bearer ${hs}`;
      },
    ],
    ['a key Tandem does not trust', () => `Bearer ${signed({}).token}`],
    [
      'an unknown agency',
      () =>
        `Bearer ${t.key.sign({ ...CLAIMS, agency: 'nowhere-yos' }, { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: 300 })}`,
    ],
    [
      // RFC 7515 §4.1.11: extensions the recipient must understand, and Tandem understands none.
      'a header with critical extensions',
      () => {
        const stored = JSON.parse(readFileSync(join(t.config.dataDir, 'development-signing-key.json'), 'utf8')) as {
          kid: string;
          privateJwk: JsonWebKey;
        };
        const key = createPrivateKey({ key: stored.privateJwk, format: 'jwk' });
        const token = jwt.sign(CLAIMS, key, {
          algorithm: 'ES256',
          keyid: stored.kid,
          issuer: t.config.auth.issuer,
          audience: t.config.auth.audience,
          expiresIn: 300,
          header: { alg: 'ES256', kid: stored.kid, crit: ['b64'], b64: false } as jwt.JwtHeader,
        });
        return `Bearer ${token}`;
      },
    ],
    [
      // Each case system's feed and subscription are filtered by the token's case system alone.
      'a case system of another agency',
      () =>
        `Bearer ${t.key.sign({ ...CLAIMS, case_system: 'derby-csc-liquidlogic' }, { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: 300 })}`,
    ],
    [
      'an unknown case system',
      () =>
        `Bearer ${t.key.sign({ ...CLAIMS, case_system: 'nowhere-system' }, { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: 300 })}`,
    ],
    [
      'no known role',
      () =>
        `Bearer ${t.key.sign({ ...CLAIMS, roles: ['ADMIN'] }, { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: 300 })}`,
    ],
  ];

  it.each(refused)('refuses %s with UNAUTHENTICATED and no data', async (_name, header) => {
    const body = await me(header());
    expect(body.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(body.data ?? null).toBeNull();
  });

  it('refuses every operation without a token, queries and mutations alike', async () => {
    for (const query of [
      '{ agencies { code } }',
      '{ children { edges { cursor } } }',
      'mutation { registerChild(input: { caseReference: "x", givenName: "a", familyName: "b", dateOfBirth: "2012-01-01" }) { id } }',
    ]) {
      const response = await request(t.app.getHttpServer()).post('/graphql').send({ query });
      expect((response.body as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
        'UNAUTHENTICATED',
      );
    }
  });
});
