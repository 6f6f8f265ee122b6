import type { DataSource, EntityManager } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { DirectoryChangeEntity } from 'src/directory/entities/directory-change.entity.js';
import { DirectoryVersionEntity } from 'src/directory/entities/directory-version.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';
import type { DirectoryContents, DirectoryFileVersion } from 'src/directory/files/directory-files.js';

/** Any number, the same for every instance: one loader at a time, even when several start together. */
const LOADER_LOCK = 7345002;

/** combineDirectory has resolved every reference; a miss here is a bug, not bad data. */
function required(ids: ReadonlyMap<string, string>, code: string): string {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`Directory entry ${code} is not in the directory`);
  return id;
}

/** The stored directory versions, their audit trail, and the tables they fill. */
export class DirectoryStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction that holds the loader's lock, so a load is all or nothing. */
  exclusively<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [LOADER_LOCK]);
      return work(manager);
    });
  }

  versions(manager: EntityManager): Promise<DirectoryVersionEntity[]> {
    return manager.getRepository(DirectoryVersionEntity).find({ order: { id: 'ASC', version: 'ASC' } });
  }

  /** Stores a new file version and its audit entry; an existing version is never overwritten. */
  async insertVersion(manager: EntityManager, { document, checksum }: DirectoryFileVersion, actor: string): Promise<void> {
    await manager
      .getRepository(DirectoryVersionEntity)
      .insert({ id: document.id, version: document.version, document, checksum });
    await manager.getRepository(DirectoryChangeEntity).insert({
      directoryId: document.id,
      version: document.version,
      checksum,
      action: 'LOADED',
      actor,
    });
  }

  /**
   * Inserts or updates every entry by its id. Nothing is deleted: children, allocations and receipts
   * refer to agencies for good. Agencies and teams refer to each other, so agencies go in first
   * without their teams, and get them once the teams exist.
   */
  async upsert(manager: EntityManager, contents: DirectoryContents): Promise<void> {
    const authorityId = new Map(contents.localAuthorities.map((authority) => [authority.code, authority.id]));
    const agencyId = new Map(contents.agencies.map((agency) => [agency.code, agency.id]));
    const teamId = new Map(contents.teams.map((team) => [team.code, team.id]));
    const ref = (ids: Map<string, string>, code: string | null): string | null => (code === null ? null : required(ids, code));
    const upsertRows = async <T extends object>(entity: new () => T, rows: T[], columns: string[]) => {
      if (rows.length === 0) return;
      await manager.createQueryBuilder().insert().into(entity).values(rows).orUpdate(columns, ['id']).execute();
    };
    await upsertRows(
      LocalAuthorityEntity,
      contents.localAuthorities.map((authority) =>
        Object.assign(new LocalAuthorityEntity(), { id: authority.id, code: authority.code, name: authority.name }),
      ),
      ['code', 'name'],
    );
    await upsertRows(
      AgencyEntity,
      contents.agencies.map((agency) =>
        Object.assign(new AgencyEntity(), {
          id: agency.id,
          code: agency.code,
          name: agency.name,
          kind: agency.kind,
          localAuthorityId: ref(authorityId, agency.localAuthority),
        }),
      ),
      ['code', 'name', 'kind', 'local_authority_id'],
    );
    await upsertRows(
      TeamEntity,
      contents.teams.map((team) =>
        Object.assign(new TeamEntity(), {
          id: team.id,
          code: team.code,
          agencyId: required(agencyId, team.agency),
          name: team.name,
          dutyPhone: team.dutyPhone,
          dutyEmail: team.dutyEmail,
        }),
      ),
      ['code', 'agency_id', 'name', 'duty_phone', 'duty_email'],
    );
    for (const agency of contents.agencies) {
      await manager
        .getRepository(AgencyEntity)
        .update(
          { id: agency.id },
          { frontDoorTeamId: ref(teamId, agency.frontDoorTeam), outOfHoursTeamId: ref(teamId, agency.outOfHoursTeam) },
        );
    }
    await upsertRows(
      CaseSystemEntity,
      contents.caseSystems.map((system) =>
        Object.assign(new CaseSystemEntity(), {
          id: system.id,
          code: system.code,
          name: system.name,
          agencyId: required(agencyId, system.agency),
          webhookOwnerTeamId: ref(teamId, system.webhookOwnerTeam),
        }),
      ),
      ['code', 'name', 'agency_id', 'webhook_owner_team_id'],
    );
  }

  changes(): Promise<DirectoryChangeEntity[]> {
    return this.dataSource.getRepository(DirectoryChangeEntity).find({ order: { at: 'ASC' } });
  }
}
