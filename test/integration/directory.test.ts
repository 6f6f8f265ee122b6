import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from 'src/app.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { AppConfig } from 'src/config/app-config.js';
import { OpenDatabase } from 'src/database/data-source.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { loadDirectory } from 'src/directory/directory-loader.js';
import { DirectoryRepository } from 'src/directory/directory.repository.js';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';
import { DIRECTORY_FILES_DIR, readDirectoryFiles } from 'src/directory/files/directory-files.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, DEMO_LOCAL_AUTHORITIES } from 'src/seed/demo-directory.js';
import { resetDatabase } from '../support/test-database.js';

/** A copy of the shipped directory files, with one file changed. */
function directoryCopy(file: string, change: (document: Record<string, unknown>) => void): string {
  const folder = mkdtempSync(join(tmpdir(), 'tandem-directory-'));
  cpSync(DIRECTORY_FILES_DIR, folder, { recursive: true });
  const path = join(folder, file);
  const document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  change(document);
  writeFileSync(path, JSON.stringify(document, null, 2));
  return folder;
}

function entries(document: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const list = document[key];
  if (!Array.isArray(list)) throw new Error(`no ${key}`);
  return list.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null);
}

describe('the directory files', () => {
  it('name every demo authority, agency and case system with its code and id unchanged', () => {
    const files = readDirectoryFiles(DIRECTORY_FILES_DIR).map((file) => file.document);
    const authorities = files.flatMap((file) => file.localAuthorities);
    const agencies = files.flatMap((file) => file.agencies);
    const caseSystems = files.flatMap((file) => file.caseSystems);
    for (const authority of DEMO_LOCAL_AUTHORITIES) {
      expect(authorities).toContainEqual(
        expect.objectContaining({ id: authority.id, code: authority.code, name: authority.name }),
      );
    }
    const authorityCode = new Map(DEMO_LOCAL_AUTHORITIES.map((authority) => [authority.id, authority.code]));
    for (const agency of DEMO_AGENCIES) {
      expect(agencies).toContainEqual(
        expect.objectContaining({
          id: agency.id,
          code: agency.code,
          name: agency.name,
          kind: agency.kind,
          localAuthority: agency.localAuthorityId ? authorityCode.get(agency.localAuthorityId) : null,
        }),
      );
    }
    for (const system of DEMO_CASE_SYSTEMS) {
      expect(caseSystems).toContainEqual(
        expect.objectContaining({ id: system.id, code: system.code, name: system.name, agency: system.agency }),
      );
    }
  });
});

describe('loading the directory', () => {
  it('stores each file version with an audit entry, once, and fills the directory tables', async () => {
    const database = await resetDatabase();
    const files = readDirectoryFiles(DIRECTORY_FILES_DIR);
    const changes = await database.dataSource.query<{ directory_id: string; version: number; action: string; actor: string }[]>(
      'SELECT directory_id, version, action, actor FROM directory_change ORDER BY directory_id',
    );
    expect(changes.map((change) => change.directory_id)).toEqual(files.map((file) => file.document.id).sort());
    expect(changes.every((change) => change.action === 'LOADED' && change.actor.startsWith('start-up'))).toBe(true);
    // Loading again (a second instance, the next start) stores and audits nothing new.
    expect((await loadDirectory(database.dataSource)).loaded).toEqual([]);
    const [count] = await database.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM directory_change');
    expect(count?.count).toBe(files.length);
    const [agencies] = await database.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM agency');
    expect(agencies?.count).toBe(files.reduce((sum, file) => sum + file.document.agencies.length, 0));
  });

  it('refuses a file edited without a new version, and takes the edit as a new version', async () => {
    const database = await resetDatabase();
    const edit = (document: Record<string, unknown>) => {
      const edt = entries(document, 'teams').find((team) => team.code === 'somerset-edt');
      if (!edt) throw new Error('no Somerset EDT');
      edt.dutyPhone = '01632 960999';
    };
    await expect(loadDirectory(database.dataSource, directoryCopy('somerset.json', edit))).rejects.toThrow(
      /somerset version 2 \(somerset\.json\) differs from the stored one: give the change a new version/,
    );
    const [before] = await database.dataSource.query<{ duty_phone: string | null }[]>(
      `SELECT duty_phone FROM team WHERE code = 'somerset-edt'`,
    );
    expect(before?.duty_phone).toBeNull();

    const versioned = directoryCopy('somerset.json', (document) => {
      edit(document);
      document.version = 3;
    });
    expect((await loadDirectory(database.dataSource, versioned)).loaded).toEqual(['somerset@3']);
    const [after] = await database.dataSource.query<{ duty_phone: string | null }[]>(
      `SELECT duty_phone FROM team WHERE code = 'somerset-edt'`,
    );
    expect(after?.duty_phone).toBe('01632 960999');
    const audit = await database.dataSource.query<{ version: number }[]>(
      `SELECT version FROM directory_change WHERE directory_id = 'somerset' ORDER BY version`,
    );
    expect(audit.map((entry) => entry.version)).toEqual([2, 3]);
  });

  it('refuses a file that fails validation or names what is not in the directory, and stores nothing', async () => {
    const database = await resetDatabase();
    const invalid = directoryCopy('somerset.json', (document) => {
      document.version = 3;
      const agency = entries(document, 'agencies')[0];
      if (agency) agency.kind = 'COUNCIL';
    });
    await expect(loadDirectory(database.dataSource, invalid)).rejects.toThrow(/somerset\.json is invalid: agencies\.0\.kind/);
    const dangling = directoryCopy('somerset.json', (document) => {
      document.version = 3;
      const system = entries(document, 'caseSystems')[0];
      if (system) system.agency = 'somerset-nowhere';
    });
    await expect(loadDirectory(database.dataSource, dangling)).rejects.toThrow(/somerset-csc-lcs names an unknown agency/);
    const [stored] = await database.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM directory_version WHERE id = 'somerset' AND version = 3`,
    );
    expect(stored?.count).toBe(0);
  });
});

describe('a fresh database with no demo data', () => {
  let fresh: OpenDatabase | undefined;
  afterAll(async () => {
    await fresh?.close();
  });

  it('serves all four authorities with their front doors, youth justice and leaving-care services', async () => {
    fresh = await OpenDatabase.open({ embeddedDir: undefined });
    await fresh.migrate();
    await loadDirectory(fresh.dataSource);
    const [children] = await fresh.dataSource.query<{ count: number }[]>(
      'SELECT (SELECT count(*) FROM child) + (SELECT count(*) FROM practitioner) AS count',
    );
    expect(Number(children?.count)).toBe(0);

    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-fresh-'));
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      AUDIT_SEAL_INTERVAL_MS: '0',
      NOTIFY_POLL_MS: '0',
    });
    const app = await createApp(config, { database: fresh, logger: false });
    try {
      const token = DevelopmentSigningKey.loadOrCreate(dataDir).sign(
        {
          sub: 'hf.front.door',
          name: 'ICAT duty worker',
          agency: 'hammersmith-fulham-csc',
          case_system: 'hammersmith-fulham-csc-mosaic',
          roles: ['CSC_FRONT_DOOR'],
        },
        { issuer: config.auth.issuer, audience: config.auth.audience, expiresInSeconds: 300 },
      );
      const response = await request(app.getHttpServer())
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send({
          query: `{ agencies { code kind localAuthority { code } frontDoorTeam { code name } outOfHoursTeam { code } }
                    localAuthorities { localAuthority { code } youthJustice { code } childrensSocialCare { code } leavingCare { code } frontDoorTeam { name } } }`,
        });
      type Body = {
        data: {
          agencies: {
            code: string;
            kind: string;
            localAuthority: { code: string } | null;
            frontDoorTeam: { code: string; name: string } | null;
          }[];
          localAuthorities: {
            localAuthority: { code: string };
            youthJustice: { code: string } | null;
            childrensSocialCare: { code: string } | null;
            leavingCare: { code: string } | null;
            frontDoorTeam: { name: string } | null;
          }[];
        };
      };
      const body = response.body as Body;
      const agency = (code: string) => body.data.agencies.find((candidate) => candidate.code === code);
      expect(agency('hammersmith-fulham-csc')).toMatchObject({
        kind: 'CHILDRENS_SOCIAL_CARE',
        frontDoorTeam: { code: 'hammersmith-fulham-icat', name: 'ICAT' },
        outOfHoursTeam: { code: 'hammersmith-fulham-edt' },
      });
      expect(agency('somerset-csc')).toMatchObject({
        frontDoorTeam: { code: 'somerset-csc-front-door' },
        outOfHoursTeam: { code: 'somerset-edt' },
      });
      expect(agency('hammersmith-fulham-yos')).toMatchObject({
        kind: 'YOUTH_JUSTICE',
        localAuthority: { code: 'hammersmith-fulham' },
      });
      expect(agency('somerset-yjs')).toMatchObject({ kind: 'YOUTH_JUSTICE', localAuthority: { code: 'somerset' } });
      expect(agency('hammersmith-fulham-leaving-care')).toMatchObject({ kind: 'LEAVING_CARE' });
      expect(agency('somerset-leaving-care')).toMatchObject({ kind: 'LEAVING_CARE' });
      expect(agency('islington-csc')).toMatchObject({ frontDoorTeam: { code: 'islington-csct' } });
      expect(body.data.localAuthorities.map((authority) => authority.localAuthority.code)).toEqual([
        'derby',
        'hammersmith-fulham',
        'islington',
        'somerset',
      ]);
      for (const authority of body.data.localAuthorities) {
        expect(authority.youthJustice).not.toBeNull();
        expect(authority.childrensSocialCare).not.toBeNull();
        expect(authority.leavingCare).not.toBeNull();
        expect(authority.frontDoorTeam).not.toBeNull();
      }
    } finally {
      await app.close();
    }
  });
});

describe("the directory's reads", () => {
  // PGlite has one connection and one instance: a write never waits there for a reload.
  it.skipIf(!inject('testDatabaseUrl'))(
    'load on a connection of their own, so writes holding every pool connection still get the directory',
    async () => {
      await resetDatabase();
      const url = inject('testDatabaseUrl');
      if (!url) throw new Error('no server');
      const small = await OpenDatabase.open({ url, poolSize: 2, connectionWaitMs: 2000 });
      try {
        const directory = new AgencyDirectory(new DirectoryRepository(small.dataSource));
        // Each holds a pool connection for its transaction, then needs the directory loaded.
        const write = () =>
          small.dataSource.transaction(async (manager) => {
            await manager.query('SELECT 1');
            return (await directory.agencyByCode('derby-yos'))?.id;
          });
        const derbyYos = DEMO_AGENCIES.find((agency) => agency.code === 'derby-yos')?.id;
        expect(await Promise.all([write(), write()])).toEqual([derbyYos, derbyYos]);
        // Its own connection is closed after the read: none is left open (the server may take a moment to see it go).
        const open = async () =>
          (
            await small.dataSource.query<{ n: number }[]>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tandem directory' AND datname = current_database()",
            )
          )[0]?.n;
        for (let tries = 0; tries < 100 && (await open()) !== 0; tries++) await new Promise((done) => setTimeout(done, 50));
        expect(await open()).toBe(0);
      } finally {
        await small.close();
      }
    },
  );

  it('read every field the entities read, as the entities read it, in code order', async () => {
    const database = await resetDatabase();
    const { dataSource } = database;
    const rows = await new DirectoryRepository(dataSource).loadAll();
    const byCode = { order: { code: 'ASC' as const } };
    const authorities = await dataSource.getRepository(LocalAuthorityEntity).find(byCode);
    const agencies = await dataSource.getRepository(AgencyEntity).find(byCode);
    const teams = await dataSource.getRepository(TeamEntity).find(byCode);
    const caseSystems = await dataSource.getRepository(CaseSystemEntity).find(byCode);
    expect(rows.authorities).toEqual(authorities.map(({ id, code, name }) => ({ id, code, name })));
    expect(rows.agencies).toEqual(
      agencies.map(({ id, code, name, kind, localAuthorityId, frontDoorTeamId, outOfHoursTeamId }) => ({
        id,
        code,
        name,
        kind,
        localAuthorityId,
        frontDoorTeamId,
        outOfHoursTeamId,
      })),
    );
    expect(rows.teams).toEqual(
      teams.map(({ id, code, name, dutyPhone, dutyEmail }) => ({ id, code, name, dutyPhone, dutyEmail })),
    );
    expect(rows.caseSystems).toEqual(caseSystems.map(({ id, code, name, agencyId }) => ({ id, code, name, agencyId })));
    // The comparison covers nulls as well as values.
    expect(rows.agencies.some((agency) => agency.localAuthorityId === null)).toBe(true);
    expect(rows.agencies.some((agency) => agency.frontDoorTeamId !== null)).toBe(true);
  });
});
