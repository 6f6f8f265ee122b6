import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from 'src/app.js';
import { AppConfig } from 'src/config/app-config.js';
import { demoUser } from 'src/seed/demo-directory.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { TEST_AUDIT_KEY } from '../support/test-app.js';
import { resetDatabase } from '../support/test-database.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { JUSTIFICATION } from '../support/emergency.js';

/**
 * The outside security review, replayed the way the reviewer ran it: over HTTP against a gateway
 * that logs in as a role in `tandem_gateway` (migrations through DATABASE_OWNER_URL, the production
 * split), and through the database as that role and as the tables' owner. Each case below was a
 * finding (issue 11, points 1–7); each must now be refused. The detailed behaviour of each fix is
 * tested beside it (emergency-access, token-policy, disclosure-retention, referrals, audit-cost,
 * c3-versions); this file keeps the attacks themselves in one place.
 * PostgreSQL only: PGlite has one user, so there is no role split to attack.
 */
const ownerUrl = inject('testDatabaseUrl');
const role = `tandem_review_${randomBytes(4).toString('hex')}`;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KID = 'review-key';
const now = () => Math.floor(Date.now() / 1000);

async function asOwner<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!ownerUrl)('the security review, replayed', () => {
  let app: Awaited<ReturnType<typeof createApp>>;
  let config: AppConfig;

  /** Signs exactly the claims given (no iat or exp added; an undefined claim left out), as a forger with the key would. */
  function sign(claims: Record<string, unknown>): string {
    const present = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
    return jwt.sign(present, privateKey, {
      algorithm: 'ES256',
      keyid: KID,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      noTimestamp: true,
    });
  }

  /** A well-formed five-minute token for a demo user, with `claims` replacing any part. */
  function tokenFor(subject: string, claims: Record<string, unknown> = {}): string {
    const user = demoUser(subject);
    if (!user) throw new Error(`No demo user ${subject}`);
    return sign({
      sub: user.subject,
      name: user.name,
      agency: user.agency,
      case_system: user.caseSystem,
      roles: [...user.roles],
      iat: now(),
      exp: now() + 300,
      ...claims,
    });
  }

  async function post(token: string, query: string, headers: Record<string, string> = {}) {
    const call = request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
    call.set('authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries({ 'x-purpose-of-use': 'CASE_MANAGEMENT', ...headers })) call.set(name, value);
    const response = await call.send({ query });
    return response.body as { data?: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
  }

  const codes = (body: { errors?: { extensions: { code: string } }[] }) => (body.errors ?? []).map((e) => e.extensions.code);

  beforeAll(async () => {
    await resetDatabase();
    await asOwner(`CREATE ROLE ${role} LOGIN IN ROLE tandem_gateway`);
    const url = new URL(ownerUrl ?? '');
    url.username = role;
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-review-'));
    writeFileSync(
      join(dataDir, 'development-signing-key.json'),
      JSON.stringify({ kid: KID, privateJwk: privateKey.export({ format: 'jwk' }) }),
    );
    config = AppConfig.fromEnvironment({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      DATABASE_OWNER_URL: ownerUrl,
      DATABASE_POOL_SIZE: '2',
      SEED_DEMO_DATA: 'false',
      AUDIT_SEAL_INTERVAL_MS: '0',
      NOTIFY_POLL_MS: '0',
      AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    });
    app = await createApp(config, { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await asOwner(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`);
  });

  it('1. break-glass: the reviewer’s request gets nobody another authority’s looked-after child', async () => {
    const byReference = `{ childByCaseReference(reference: "MOS-771204", caseSystem: "islington-csc-mosaic") {
      givenName familyName dateOfBirth currentPlacement { address } allocations { practitioner { displayName } } } }`;
    const attempts: { headers: Record<string, string> }[] = [
      { headers: { 'x-purpose-of-use': 'EMERGENCY', 'x-access-justification': '.' } },
      {
        headers: {
          'x-purpose-of-use': 'EMERGENCY',
          'x-access-reason': 'MISSING_CHILD',
          'x-access-justification': JUSTIFICATION,
        },
      },
    ];
    for (const subject of ['ds.khan', 'gail.morgan', 'priya.shah', 'derby.csct']) {
      for (const { headers } of attempts) {
        const body = await post(tokenFor(subject), byReference, headers);
        expect(body.data?.childByCaseReference ?? null, `${subject} ${JSON.stringify(headers)}`).toBeNull();
        expect(codes(body).length, subject).toBeGreaterThan(0);
        expect(JSON.stringify(body)).not.toContain(KAYLA.familyName);
      }
    }
  });

  it('2. tokens without exp, living too long, or with an empty subject are refused', async () => {
    const refusals = [
      tokenFor('dana.hughes', { exp: undefined }),
      tokenFor('dana.hughes', { exp: now() + 30 * 86_400 }),
      tokenFor('dana.hughes', { sub: '' }),
    ];
    for (const token of refusals) {
      const body = await post(token, '{ me { subject } }');
      expect(body.data ?? null).toBeNull();
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    }
    expect((await post(tokenFor('dana.hughes'), '{ me { subject } }')).data).toEqual({ me: { subject: 'dana.hughes' } });
  });

  it('3. the log: neither the gateway’s role nor the owner with a session setting removes an unsealed receipt', async () => {
    await post(tokenFor('dana.hughes'), `{ child(id: "${JORDAN.id}") { givenName } }`);
    const [latest] = await asOwner<{ id: string }>('SELECT max(id)::text AS id FROM disclosure_receipt');
    const gateway = app.get(DataSource);
    await expect(gateway.query('DELETE FROM disclosure_receipt WHERE id = $1', [latest?.id])).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      asOwner(
        `SELECT set_config('tandem.retention', 'on', false); DELETE FROM disclosure_receipt WHERE id = ${Number(latest?.id)}`,
      ),
    ).rejects.toThrow();
    await expect(gateway.query("SELECT set_config('tandem.retention', 'on', false)")).resolves.toBeDefined();
    await expect(gateway.query('DELETE FROM disclosure_receipt WHERE id = $1', [latest?.id])).rejects.toThrow();
    const [still] = await asOwner<{ count: number }>('SELECT count(*)::int AS count FROM disclosure_receipt WHERE id = $1', [
      latest?.id,
    ]);
    expect(still?.count).toBe(1);
  });

  it('4. one agency’s manager cannot make another agency involved, nor so give it sight of the child', async () => {
    const body = await post(
      tokenFor('marcus.reid'),
      `mutation { recordInvolvement(input: { childId: "${JORDAN.id}", agencyCode: "derbyshire-police", role: POLICE, startDate: "2026-11-01" }) { id } }`,
    );
    expect(codes(body)).toEqual(['FORBIDDEN']);
    const police = await post(tokenFor('ds.khan'), `{ child(id: "${JORDAN.id}") { givenName } }`, {
      'x-purpose-of-use': 'SAFEGUARDING',
    });
    expect(codes(police)).toEqual(['NOT_FOUND']);
  });

  it('5. ten aliases of a 50,000-row export are refused before anything is read', async () => {
    const aliases = Array.from({ length: 10 }, (_, index) => `e${index}: exportDisclosures(format: JSON, limit: 50000) { rows }`);
    const body = await post(tokenFor('audrey.fox'), `{ ${aliases.join(' ')} }`, { 'x-purpose-of-use': 'AUDIT' });
    expect(body.data ?? null).toBeNull();
    expect(codes(body).length).toBeGreaterThan(0);
  });

  it('6. C3: police see nothing of a record written after an HSB investigation opened', async () => {
    const asset = recordOf(JORDAN, RecordKind.ASSET_PLUS);
    const manager = tokenFor('marcus.reid');
    const referred = await post(
      manager,
      `mutation { referChild(input: { childId: "${JORDAN.id}", agencyCode: "derbyshire-police", role: POLICE }) { id } }`,
    );
    const referralId = (referred.data?.referChild as { id: string } | undefined)?.id;
    expect(referralId, JSON.stringify(referred.errors)).toBeDefined();
    const officer = tokenFor('ds.khan');
    const accepted = await post(
      officer,
      `mutation { acceptReferral(input: { referralId: "${referralId}", startDate: "2026-11-01" }) { involvementId } }`,
      { 'x-purpose-of-use': 'SAFEGUARDING' },
    );
    expect(accepted.errors).toBeUndefined();
    const opened = await post(
      officer,
      `mutation { recordRestriction(input: { childId: "${JORDAN.id}", kind: POLICE_HSB_INVESTIGATION, details: "Op Review" }) { id } }`,
      { 'x-purpose-of-use': 'SAFEGUARDING' },
    );
    expect(opened.errors).toBeUndefined();
    const later = 'Text written once the investigation had opened';
    const updated = await post(
      tokenFor('dana.hughes'),
      `mutation { updateRecord(input: { recordId: "${asset}", expectedVersion: 1, content: { assetPlus: { analysis: "${later}", riskOfReoffending: LOW, riskOfSeriousHarm: LOW, safetyAndWellbeing: LOW } } }) { version } }`,
    );
    expect(updated.errors).toBeUndefined();
    const seen = await post(
      officer,
      `{ record(id: "${asset}") { version latestVersion versions { version } ... on AssetPlus { content { analysis } } } }`,
      { 'x-purpose-of-use': 'SAFEGUARDING' },
    );
    expect(JSON.stringify(seen)).not.toContain(later);
    expect(seen.data?.record).toMatchObject({ version: 1, latestVersion: 1, versions: [{ version: 1 }] });
  });

  it('7. roles are checked against the agency: AUDITOR at a YOS, SYSTEM on a person, AUDITOR with a practitioner role', async () => {
    const forged = [
      tokenFor('dana.hughes', { roles: ['AUDITOR'] }),
      tokenFor('dana.hughes', { roles: ['SYSTEM'], auth_time: now() }),
      tokenFor('audrey.fox', { roles: ['AUDITOR', 'CSC_SOCIAL_WORKER'] }),
    ];
    for (const token of forged) {
      const body = await post(token, '{ me { subject roles } }');
      expect(body.data ?? null).toBeNull();
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    }
  });
});
