import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A development key the test holds itself, so it can sign tokens the token command never would. */
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KID = 'test-key';
const dataDir = mkdtempSync(join(tmpdir(), 'tandem-token-policy-'));
writeFileSync(
  join(dataDir, 'development-signing-key.json'),
  JSON.stringify({ kid: KID, privateJwk: privateKey.export({ format: 'jwk' }) }),
);

const DANA = { sub: 'dana.hughes', name: 'Dana Hughes', agency: 'derby-yos', case_system: 'derby-yos-childview' };
const now = () => Math.floor(Date.now() / 1000);

let t: TestApp;
let url: string;
const clients: ReturnType<typeof createClient>[] = [];

/** Signs exactly the payload given: no iat or exp is added. */
function sign(payload: Record<string, unknown>, audience?: string): string {
  return jwt.sign(payload, privateKey, {
    algorithm: 'ES256',
    keyid: KID,
    issuer: t.config.auth.issuer,
    audience: audience ?? t.config.auth.audience,
    noTimestamp: true,
  });
}

function valid(claims: Record<string, unknown>): Record<string, unknown> {
  return { ...DANA, roles: ['YOS_CASE_MANAGER'], iat: now(), exp: now() + 300, ...claims };
}

function without(claims: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));
}

async function me(token: string | undefined) {
  const call = request(t.app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
  if (token !== undefined) call.set('authorization', `Bearer ${token}`);
  const response = await call.send({ query: '{ me { subject roles } }' });
  return response.body as {
    data?: { me: { subject: string } } | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
}

/** Opens a graphql-ws connection and resolves with the code it was closed with. */
function closedWith(token: string): Promise<{ code: number; reason: string; error: unknown }> {
  return new Promise((resolve) => {
    let error: unknown;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
      onNonLazyError: (caught) => (error = caught),
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          resolve({ code, reason, error });
        },
      },
    });
    clients.push(client);
  });
}

beforeAll(async () => {
  t = await startTestApp({ DATA_DIR: dataDir });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${(await t.app.getUrl()).replace(/^http/, 'ws').replace('[::1]', '127.0.0.1')}/graphql`;
});
afterAll(async () => {
  for (const client of clients) void client.dispose();
  await t.close();
});

describe('token lifetime', () => {
  it('accepts a token that expires within AUTH_MAX_TOKEN_AGE_SECONDS', async () => {
    expect((await me(sign(valid({})))).data?.me.subject).toBe('dana.hughes');
  });

  it.each([
    ['no exp', () => sign(without(valid({}), 'exp'))],
    ['exp − iat over the limit', () => sign(valid({ exp: now() + 3 * 3600 }))],
    ['no iat and exp far away', () => sign(without(valid({ exp: now() + 30 * 86_400 }), 'iat'))],
    ['an empty sub', () => sign(valid({ sub: '' }))],
  ])('refuses %s over HTTP', async (_name, token) => {
    const body = await me(token());
    expect(body.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(body.data ?? null).toBeNull();
  });

  it('refuses a token without exp over graphql-ws, closing with 4401', async () => {
    const closed = await closedWith(sign(without(valid({}), 'exp')));
    expect(closed.code).toBe(4401);
  });
});

describe('roles against the agency', () => {
  it.each([
    ['AUDITOR at a YOS', { roles: ['AUDITOR'] }],
    ['SYSTEM beside a practitioner role', { roles: ['SYSTEM', 'YOS_CASE_MANAGER'] }],
    ['SYSTEM on a person’s token', { roles: ['SYSTEM'], auth_time: now() - 60, email: 'dana.hughes@derby.example' }],
    [
      'AUDITOR beside a practitioner role',
      { agency: 'derby-csc', case_system: 'derby-csc-liquidlogic', roles: ['AUDITOR', 'CSC_SOCIAL_WORKER'] },
    ],
    ['a YOS role at CSC', { agency: 'derby-csc', case_system: 'derby-csc-liquidlogic', roles: ['YOS_MANAGER'] }],
  ])('refuses %s', async (_name, claims) => {
    const body = await me(sign(valid(claims)));
    expect(body.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts a case system’s token: SYSTEM alone, with a display name', async () => {
    const token = sign(valid({ sub: 'derby-yos-integration', name: 'Derby YOS ChildView integration', roles: ['SYSTEM'] }));
    expect((await me(token)).data?.me).toEqual({ subject: 'derby-yos-integration', roles: ['SYSTEM'] });
  });
});

describe('one refusal for every invalid token', () => {
  it('says the same, and echoes neither issuer nor audience, whatever is wrong', async () => {
    const answers = [
      await me(undefined),
      await me('not.a.jwt'),
      await me(sign(valid({}), 'someone-else')),
      await me(sign(valid({ exp: now() - 120 }))),
      await me(sign(without(valid({}), 'exp'))),
      await me(sign(valid({ agency: 'nowhere-yos' }))),
      await me(sign(valid({ roles: ['AUDITOR'] }))),
    ];
    const messages = new Set(answers.map((body) => body.errors?.[0]?.message));
    expect(messages.size).toBe(1);
    const [message] = [...messages];
    expect(message).toBeDefined();
    expect(message).not.toContain(t.config.auth.audience);
    expect(message).not.toContain(t.config.auth.issuer);
  });
});

describe('refused graphql-ws connections', () => {
  it('close with 4401 for a token that does not verify, not with a connection_error message', async () => {
    const closed = await closedWith('not-a-token');
    expect(closed.code).toBe(4401);
    // graphql-ws reports a protocol violation as an Error; a refused connection is only a close.
    expect(closed.error).not.toBeInstanceOf(Error);
  });

  it('close with 4403 for a caller whose roles may not read notifications', async () => {
    const auditor = sign(
      valid({ sub: 'audrey.fox', agency: 'derby-csc', case_system: 'derby-csc-liquidlogic', roles: ['AUDITOR'] }),
    );
    expect((await closedWith(auditor)).code).toBe(4403);
  });
});
