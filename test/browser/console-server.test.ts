import { readFileSync } from 'node:fs';
import { NotFoundException } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from 'src/config/app-config.js';
import { ConsoleController } from 'src/console/console.controller.js';
import { TEST_AUDIT_KEY, startTestApp, type TestApp } from '../support/test-app.js';

/** The gateway's side of the console, without a browser: sign-in modes, the development token, the pages. */
describe('the console’s sign-in', () => {
  it('refuses development tokens in production, as if the endpoint did not exist', () => {
    const production = AppConfig.fromEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://tandem@127.0.0.1:5432/tandem',
      AUTH_JWKS_URL: 'https://identity.invalid/.well-known/jwks.json',
      AUTH_ISSUER: 'https://identity.invalid/',
      AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
      CONSOLE_OIDC_CLIENT_ID: 'tandem-console',
    });
    const controller = new ConsoleController(production);
    expect(() => controller.devToken({ subject: 'audrey.fox' })).toThrow(NotFoundException);
    expect(controller.signIn()).toEqual({
      mode: 'oidc',
      authority: 'https://identity.invalid/',
      clientId: 'tandem-console',
      scope: 'openid profile',
    });
    const unconfigured = AppConfig.fromEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://tandem@127.0.0.1:5432/tandem',
      AUTH_JWKS_URL: 'https://identity.invalid/.well-known/jwks.json',
      AUTH_ISSUER: 'https://identity.invalid/',
      AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    });
    expect(new ConsoleController(unconfigured).signIn()).toMatchObject({ mode: 'unavailable' });
  });

  describe('over HTTP', () => {
    let development: TestApp;
    let verifiedByProvider: TestApp;
    beforeAll(async () => {
      development = await startTestApp({ CONSOLE_DIR: '/nonexistent/console' });
    });
    afterAll(() => development.close());

    it('gives a demo user a short-lived token in development, and nobody else one', async () => {
      const server = development.app.getHttpServer();
      const signIn = await request(server).get('/console/api/sign-in');
      expect(signIn.status).toBe(200);
      expect(signIn.body).toMatchObject({ mode: 'development' });
      expect((signIn.body as { users: { subject: string }[] }).users.map((user) => user.subject)).toContain('audrey.fox');
      const issued = await request(server).post('/console/api/dev-token').send({ subject: 'audrey.fox' });
      expect(issued.status).toBe(200);
      const { token, expiresAt } = issued.body as { token: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      const me = await request(server)
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send({ query: '{ me { subject roles } }' });
      expect(me.body).toEqual({ data: { me: { subject: 'audrey.fox', roles: ['AUDITOR'] } } });
      expect((await request(server).post('/console/api/dev-token').send({ subject: 'nobody' })).status).toBe(404);
      expect((await request(server).post('/console/api/dev-token').send({})).status).toBe(404);
    });

    it('says how to build the console when it is not built, and the gateway still serves the API', async () => {
      const server = development.app.getHttpServer();
      const page = await request(server).get('/console/disclosures');
      expect(page.status).toBe(503);
      expect(page.text).toContain('npm run build:console');
      expect((await request(server).get('/console/api/unknown')).status).toBe(404);
      expect((await request(server).get('/health')).status).toBe(200);
    });

    it('answers 404 for the development token when tokens come from the identity provider', async () => {
      verifiedByProvider = await startTestApp({
        AUTH_JWKS_URL: 'https://identity.invalid/.well-known/jwks.json',
        AUTH_ISSUER: 'https://identity.invalid/',
        CONSOLE_OIDC_CLIENT_ID: 'tandem-console',
      });
      try {
        const server = verifiedByProvider.app.getHttpServer();
        expect((await request(server).post('/console/api/dev-token').send({ subject: 'audrey.fox' })).status).toBe(404);
        const signIn = await request(server).get('/console/api/sign-in');
        expect(signIn.body).toEqual({
          mode: 'oidc',
          authority: 'https://identity.invalid/',
          clientId: 'tandem-console',
          scope: 'openid profile',
        });
      } finally {
        await verifiedByProvider.close();
      }
    });
  });
});

describe('the console’s build', () => {
  it('is part of npm run build (so npm start serves it), into the folder the gateway serves by default', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toContain('npm run -s build:console');
    expect(scripts['build:console']).toContain('vite build console');
    expect(readFileSync('console/vite.config.ts', 'utf8')).toMatch(/outDir: 'dist'/);
    expect(AppConfig.fromEnvironment({}).console.dir).toBe('console/dist');
  });
});
