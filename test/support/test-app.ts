import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { Clock } from 'src/common/clock/clock.js';
import { createApp } from 'src/app.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { AppConfig } from 'src/config/app-config.js';
import { demoUser } from 'src/seed/demo-directory.js';
import { resetDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions: Record<string, unknown> }[] };
  headers: Record<string, string>;
}

export interface RequestOptions {
  /** The X-Purpose-Of-Use header; CASE_MANAGEMENT unless given, none when null. */
  readonly purpose?: string | null;
  readonly headers?: Record<string, string>;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly key: DevelopmentSigningKey;
  /** A token for a demo user, signed with the gateway's development key. */
  token(subject: string, claims?: Record<string, unknown>): string;
  /** POST /graphql as a demo user (or anonymously with `null`). */
  gql<T = Record<string, unknown>>(
    subject: string | null,
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** One checkpoint-signing key for the whole run, since the disclosure log runs across test files. */
export const TEST_AUDIT_KEY = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/**
 * A gateway on the test database with fresh demo data and its own data directory. Neither the
 * sealer nor the notification dispatcher runs on a timer: tests run them when they want to look.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApp> {
  const database = await resetDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-test-'));
  const config = AppConfig.fromEnvironment({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUDIT_SEAL_INTERVAL_MS: '0',
    AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    NOTIFY_POLL_MS: '0',
    // The suite runs in either stored form of the log when it is asked to.
    ...(process.env.AUDIT_LOG_FORM ? { AUDIT_LOG_FORM: process.env.AUDIT_LOG_FORM } : {}),
    ...env,
  });
  const app = await createApp(config, { database, logger: false, clock: options.clock });
  const key = DevelopmentSigningKey.loadOrCreate(dataDir);
  const token = (subject: string, claims: Record<string, unknown> = {}) => {
    const user = demoUser(subject);
    if (!user) throw new Error(`No demo user ${subject}`);
    return key.sign(
      {
        sub: user.subject,
        name: user.name,
        agency: user.agency,
        case_system: user.caseSystem,
        roles: [...user.roles],
        ...claims,
      },
      { issuer: config.auth.issuer, audience: config.auth.audience, expiresInSeconds: 300 },
    );
  };
  return {
    app,
    config,
    key,
    token,
    async gql(subject, query, variables, options: RequestOptions = {}) {
      const call = request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
      if (subject) call.set('authorization', `Bearer ${token(subject)}`);
      const purpose = options.purpose === undefined ? 'CASE_MANAGEMENT' : options.purpose;
      if (purpose !== null) call.set('x-purpose-of-use', purpose);
      for (const [name, value] of Object.entries(options.headers ?? {})) call.set(name, value);
      const response = await call.send({ query, variables });
      return {
        status: response.status,
        body: response.body as GraphQLResponse<never>['body'],
        headers: response.headers,
      };
    },
    close: () => app.close(),
  };
}

/** The `extensions.code` of each error, for terse assertions. */
export function codes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.body.errors ?? []).map((error) => error.extensions.code);
}
