import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  browserAvailable,
  buildConsole,
  expectAccessible,
  launchBrowser,
  newPage,
  screenshot,
  until,
} from './console-support.js';

const available = browserAvailable();

/**
 * A stand-in identity provider on this machine: OIDC discovery, the authorization endpoint (which
 * signs Audrey Fox in at once), the token endpoint (which checks the PKCE verifier against the
 * challenge) and the JWKS the gateway verifies her token with.
 */
function identityProvider() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-idp-${randomUUID()}`;
  const seen = { challengeMethod: '', challenge: '', verifierMatched: false, clientId: '' };
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  let issuer = '';
  const body = (request: IncomingMessage) =>
    new Promise<URLSearchParams>((resolve) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => resolve(new URLSearchParams(text)));
    });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization' };
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { ...cors, 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST' }).end();
    } else if (url.pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    } else if (url.pathname === '/jwks') {
      json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    } else if (url.pathname === '/authorize') {
      seen.challengeMethod = url.searchParams.get('code_challenge_method') ?? '';
      seen.challenge = url.searchParams.get('code_challenge') ?? '';
      seen.clientId = url.searchParams.get('client_id') ?? '';
      const code = randomUUID();
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      codes.set(code, { challenge: seen.challenge, redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { location: back.toString() }).end();
    } else if (url.pathname === '/token' && request.method === 'POST') {
      void body(request).then((form) => {
        const issued = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const computed = createHash('sha256').update(verifier).digest('base64url');
        seen.verifierMatched = issued !== undefined && computed === issued.challenge;
        if (!seen.verifierMatched || form.get('redirect_uri') !== issued?.redirectUri) {
          json(400, { error: 'invalid_grant' });
          return;
        }
        const person = { sub: 'audrey.fox', name: 'Audrey Fox', auth_time: Math.floor(Date.now() / 1000) };
        const sign = (claims: object, audience: string) =>
          jwt.sign(claims, privateKey, { algorithm: 'RS256', keyid: kid, issuer, audience, expiresIn: 600 });
        json(200, {
          token_type: 'Bearer',
          expires_in: 600,
          access_token: sign(
            { ...person, agency: 'derby-csc', case_system: 'derby-csc-liquidlogic', roles: ['AUDITOR'] },
            'tandem',
          ),
          id_token: sign(person, form.get('client_id') ?? ''),
        });
      });
    } else {
      response.writeHead(404).end();
    }
  });
  return {
    seen,
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return issuer;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!available)('the console’s production sign-in (OIDC, authorization code with PKCE)', { timeout: 240_000 }, () => {
  const idp = identityProvider();
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let removeBuild: () => void = () => undefined;

  beforeAll(async () => {
    const [build, launched, issuer] = await Promise.all([buildConsole(), launchBrowser(), idp.start()]);
    removeBuild = build.remove;
    browser = launched;
    // Tokens come from the identity provider (as in production): no development sign-in.
    t = await startTestApp({
      CONSOLE_DIR: build.dir,
      AUTH_JWKS_URL: `${issuer}/jwks`,
      AUTH_ISSUER: issuer,
      CONSOLE_OIDC_CLIENT_ID: 'tandem-console',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp.stop();
    removeBuild();
  });

  it('signs an auditor in at the identity provider and reads the log with her own token', async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl}/console/`);
    await until(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    // No demo users in production.
    expect(await page.getByRole('button', { name: /Audrey Fox/ }).count()).toBe(0);
    await expectAccessible(page, 'Sign-in (OIDC)');
    await screenshot(page, 'sign-in-oidc');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until(() => page.getByText('Signed in as Audrey Fox').count()).toBe(1);
    expect(idp.seen).toMatchObject({ challengeMethod: 'S256', verifierMatched: true, clientId: 'tandem-console' });
    expect(new URL(page.url()).pathname).toBe('/console/disclosures');
    await until(() => page.getByRole('row').count()).toBeGreaterThan(1);
    await page.context().close();
  });
});
