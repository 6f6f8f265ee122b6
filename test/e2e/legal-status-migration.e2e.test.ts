import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * LegalStatusDimensionsAndNotices on data written under the one-basis model. Before it, any new
 * episode closed the open one: a care basis closed by a justice episode is reopened, and so is a
 * remand or custodial sentence closed by a care basis CSC recorded during it.
 */
const server = process.env.DATABASE_URL;
const name = `legal_status_migration_${randomBytes(4).toString('hex')}`;
let url = '';

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(sql);
  await client.end();
}

function dataSource(migrations: Function[]): DataSource {
  return new DataSource({ type: 'postgres', url, migrations, migrationsTableName: 'migrations', logging: false });
}

beforeAll(async () => {
  if (!server) return;
  await admin(`CREATE DATABASE ${name}`);
  const target = new URL(server);
  target.pathname = `/${name}`;
  url = target.toString();
  const at = MIGRATIONS.findIndex((migration) => migration.name === 'LegalStatusDimensionsAndNotices1796210000000');
  const before = dataSource(MIGRATIONS.slice(0, at));
  await before.initialize();
  await before.runMigrations();
  await before.query(`INSERT INTO agency (id, code, name, kind) VALUES
    ('00000000-0000-4000-8000-0000000009a1', 'r13-yos', 'YOS', 'YOUTH_JUSTICE'),
    ('00000000-0000-4000-8000-0000000009a2', 'r13-csc', 'CSC', 'CHILDRENS_SOCIAL_CARE')`);
  const child = (id: string) =>
    before.query(
      `INSERT INTO child (id, given_name, family_name, date_of_birth, version) VALUES ($1, 'M', 'Igration', '2010-05-05', 1)`,
      [id],
    );
  const episode = (childId: string, basis: string, start: string, end: string | null, agency: 'a1' | 'a2') =>
    before.query(
      `INSERT INTO legal_status_episode (child_id, basis, start_date, end_date, recorded_by, recorded_by_agency_id)
       VALUES ($1, $2, $3, $4, 'someone', '00000000-0000-4000-8000-0000000009${agency}')`,
      [childId, basis, start, end],
    );
  // A: a care order "ended" by a custodial sentence (the case the migration repairs).
  await child('00000000-0000-4000-9000-00000000a001');
  await episode('00000000-0000-4000-9000-00000000a001', 'S31_CARE_ORDER', '2024-01-10', '2025-06-02', 'a2');
  await episode('00000000-0000-4000-9000-00000000a001', 'CUSTODIAL_SENTENCE', '2025-06-02', null, 'a1');
  // B: a custodial sentence "ended" by the interim care order CSC obtained while the child served it.
  await child('00000000-0000-4000-9000-00000000b001');
  await episode('00000000-0000-4000-9000-00000000b001', 'CUSTODIAL_SENTENCE', '2025-06-02', '2025-08-04', 'a1');
  await episode('00000000-0000-4000-9000-00000000b001', 'INTERIM_CARE_ORDER', '2025-08-04', null, 'a2');
  // C: a remand to YDA "ended" by the s20 accommodation CSC recorded during it.
  await child('00000000-0000-4000-9000-00000000c001');
  await episode('00000000-0000-4000-9000-00000000c001', 'REMAND_YOUTH_DETENTION_ACCOMMODATION', '2025-06-02', '2025-06-20', 'a1');
  await episode('00000000-0000-4000-9000-00000000c001', 'S20_ACCOMMODATED', '2025-06-20', null, 'a2');
  await before.destroy();

  const after = dataSource(MIGRATIONS);
  await after.initialize();
  await after.runMigrations();
  await after.destroy();
}, 120_000);

afterAll(async () => {
  if (server) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

async function open(childId: string): Promise<string[]> {
  const ds = dataSource([]);
  await ds.initialize();
  const rows = await ds.query<{ dimension: string; basis: string }[]>(
    `SELECT dimension::text, basis::text FROM legal_status_episode WHERE child_id = $1 AND end_date IS NULL ORDER BY dimension`,
    [childId],
  );
  await ds.destroy();
  return rows.map((row) => `${row.dimension}:${row.basis}`);
}

describe.skipIf(!server)('the migration on one-basis data', () => {
  it('reopens a care order that only a custodial sentence had closed', async () => {
    expect(await open('00000000-0000-4000-9000-00000000a001')).toEqual(['CARE:S31_CARE_ORDER', 'JUSTICE:CUSTODIAL_SENTENCE']);
  });

  it('reopens a custodial sentence that only a care basis had closed', async () => {
    expect(await open('00000000-0000-4000-9000-00000000b001')).toEqual(['CARE:INTERIM_CARE_ORDER', 'JUSTICE:CUSTODIAL_SENTENCE']);
  });

  it('reopens a remand that only a care basis had closed', async () => {
    expect(await open('00000000-0000-4000-9000-00000000c001')).toEqual([
      'CARE:S20_ACCOMMODATED',
      'JUSTICE:REMAND_YOUTH_DETENTION_ACCOMMODATION',
    ]);
  });
});
