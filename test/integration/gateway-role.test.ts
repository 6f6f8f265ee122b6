import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AnomalyService } from 'src/audit-api/anomaly.service.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { createApp } from 'src/app.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { AppConfig } from 'src/config/app-config.js';
import { demoUser } from 'src/seed/demo-directory.js';
import { resetDatabase } from '../support/test-database.js';
import { TEST_AUDIT_KEY } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

const ownerUrl = inject('testDatabaseUrl');
const role = `tandem_it_${randomBytes(4).toString('hex')}`;

async function asOwner(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// A login role needs a server: PGlite has one user only.
describe.skipIf(!ownerUrl)('the gateway under a role that does not own the tables', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let token: string;

  beforeAll(async () => {
    await resetDatabase();
    await asOwner(`CREATE ROLE ${role} LOGIN IN ROLE tandem_gateway`);
    const url = new URL(ownerUrl ?? '');
    url.username = role;
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-role-'));
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      DATABASE_OWNER_URL: ownerUrl,
      DATABASE_POOL_SIZE: '2',
      SEED_DEMO_DATA: 'false',
      AUDIT_SEAL_INTERVAL_MS: '0',
      AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    });
    app = await createApp(config, { logger: false });
    const user = demoUser('dana.hughes');
    if (!user) throw new Error('No demo user');
    token = DevelopmentSigningKey.loadOrCreate(dataDir).sign(
      { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
      { issuer: config.auth.issuer, audience: config.auth.audience, expiresInSeconds: 300 },
    );
  });

  afterAll(async () => {
    await app?.close();
    await asOwner(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`);
  });

  it('serves reads and writes their receipts, but cannot change or remove an entry', async () => {
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({ query: `{ child(id: "${JORDAN.id}") { givenName } }` });
    expect(response.body).toEqual({ data: { child: { givenName: 'Jordan' } } });
    const dataSource = app.get(DataSource);
    const [who] = await dataSource.query<{ user: string }[]>('SELECT current_user AS user');
    expect(who?.user).toBe(role);
    const [mine] = await dataSource.query<{ id: string }[]>('SELECT max(id) AS id FROM disclosure_receipt');
    for (const sql of [
      `UPDATE disclosure_receipt SET purpose = 'AUDIT' WHERE id = $1`,
      'DELETE FROM disclosure_receipt WHERE id = $1',
      'DELETE FROM disclosure_seal WHERE receipt_id = $1',
      'UPDATE disclosure_checkpoint SET key_id = $1',
    ]) {
      await expect(dataSource.query(sql, [mine?.id])).rejects.toThrow(/permission denied/);
    }
    await expect(dataSource.query('TRUNCATE disclosure_receipt')).rejects.toThrow(/permission denied/);
    await expect(dataSource.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
  });

  it('seals as that role, from the queue’s start and from just below the newest response sealed', async () => {
    const sealer = app.get(SealerService);
    await sealer.sealAll();
    const correlationId = `role-seal-${Date.now()}`;
    const response = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .set('x-correlation-id', correlationId)
      .send({ query: `{ child(id: "${JORDAN.id}") { givenName } }` });
    expect(response.body).toEqual({ data: { child: { givenName: 'Jordan' } } });
    expect((await sealer.sealBatch('recent')).receipts).toBeGreaterThan(0);
    // The read's own response (the compact form, the default) is among those sealed.
    const [sealed] = await app
      .get(DataSource)
      .query<{ n: string }[]>(
        'SELECT count(*) AS n FROM disclosure_response r JOIN disclosure_seal s ON s.response_id = r.id WHERE r.correlation_id = $1',
        [correlationId],
      );
    expect(sealed?.n).toBe('1');
    // Taking a row locks it, which needs UPDATE on one of its columns; changing it stays refused.
    await expect(app.get(DataSource).query('UPDATE disclosure_response_pending SET entries = entries')).rejects.toThrow(
      /append-only/,
    );
  });

  it('scans the sealed log for anomalies as that role (its step, its prune and its settings)', async () => {
    await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({ query: `{ child(id: "${JORDAN.id}") { givenName } }` })
      .expect(200);
    await app.get(SealerService).sealAll();
    const { examined } = await app.get(AnomalyService).scanNew();
    expect(examined).toBeGreaterThan(0);
  });
});
