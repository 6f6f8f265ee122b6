import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from 'src/app.js';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { TEST_AUDIT_KEY } from '../support/test-app.js';

/**
 * A production install: a new database, migrations as the tables' owner, the gateway as a role in
 * tandem_gateway, no demo data — and the directory files still give it every authority the
 * protocols describe. PostgreSQL only (a second login role needs a server).
 */
const serverUrl = inject('testDatabaseUrl');
const suffix = randomBytes(4).toString('hex');
const database = `tandem_prod_${suffix}`;
const role = `tandem_prod_${suffix}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!serverUrl)('a production start with no demo data', () => {
  let app: Awaited<ReturnType<typeof createApp>> | undefined;

  afterAll(async () => {
    await app?.close();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin(`DROP ROLE IF EXISTS ${role}`);
  });

  it('serves all four authorities with their front doors, youth justice and leaving-care services', async () => {
    await admin(`CREATE DATABASE ${database}`);
    await admin(`CREATE ROLE ${role} LOGIN IN ROLE tandem_gateway`);
    const owner = new URL(serverUrl ?? '');
    owner.pathname = `/${database}`;
    const gateway = new URL(owner);
    gateway.username = role;
    app = await createApp(
      AppConfig.fromEnvironment({
        NODE_ENV: 'production',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'tandem-prod-')),
        DATABASE_URL: gateway.toString(),
        DATABASE_OWNER_URL: owner.toString(),
        DATABASE_POOL_SIZE: '2',
        AUTH_JWKS_URL: 'https://identity.invalid/.well-known/jwks.json',
        AUTH_ISSUER: 'https://identity.invalid/',
        AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
        AUDIT_SEAL_INTERVAL_MS: '0',
        NOTIFY_POLL_MS: '0',
      }),
      { logger: false },
    );
    const [children] = await app.get(DataSource).query<{ count: number }[]>('SELECT count(*)::int AS count FROM child');
    expect(children?.count).toBe(0);
    const services = await app.get(AgencyDirectory).localAuthorityServices();
    const byCode = new Map(services.map((service) => [service.localAuthority.code, service]));
    for (const code of ['derby', 'islington', 'hammersmith-fulham', 'somerset']) {
      const authority = byCode.get(code);
      expect(authority, code).toBeDefined();
      expect(authority?.youthJustice, code).not.toBeNull();
      expect(authority?.childrensSocialCare, code).not.toBeNull();
      expect(authority?.leavingCare, code).not.toBeNull();
    }
    expect(byCode.get('islington')?.frontDoorTeam?.code).toBeDefined();
    expect(byCode.get('hammersmith-fulham')?.frontDoorTeam?.code).toBeDefined();
  });
});
