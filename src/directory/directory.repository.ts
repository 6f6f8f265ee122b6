import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CONNECTION_WAIT_MS } from 'src/common/database/connection-wait.js';
import { serverUrl } from 'src/common/database/sql.js';
import type { AgencyKind } from 'src/vocabulary/children.enums.js';

export interface AuthorityRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

export interface AgencyRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly localAuthorityId: string | null;
  readonly frontDoorTeamId: string | null;
  readonly outOfHoursTeamId: string | null;
}

export interface TeamRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly dutyPhone: string | null;
  readonly dutyEmail: string | null;
}

export interface CaseSystemRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly agencyId: string;
}

export interface DirectoryRows {
  readonly authorities: AuthorityRow[];
  readonly agencies: AgencyRow[];
  readonly teams: TeamRow[];
  readonly caseSystems: CaseSystemRow[];
}

const AUTHORITIES = 'SELECT id, code, name FROM local_authority ORDER BY code';
const AGENCIES = `SELECT id, code, name, kind::text AS kind, local_authority_id AS "localAuthorityId",
  front_door_team_id AS "frontDoorTeamId", out_of_hours_team_id AS "outOfHoursTeamId" FROM agency ORDER BY code`;
const TEAMS = 'SELECT id, code, name, duty_phone AS "dutyPhone", duty_email AS "dutyEmail" FROM team ORDER BY code';
const CASE_SYSTEMS = 'SELECT id, code, name, agency_id AS "agencyId" FROM case_system ORDER BY code';

type Query = <T extends pg.QueryResultRow>(text: string) => Promise<T[]>;

/**
 * Agencies, teams, case systems and local authorities: small tables read whole. On a server they are
 * read on a connection of their own, opened for the read, never one of the pool's: a write holding
 * a pool connection for its transaction may ask the directory to reload (after a miss), and that
 * reload must not wait for a pool connection that such writes may all be holding. The embedded
 * database has one connection and one instance, whose directory changes only at start.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async loadAll(): Promise<DirectoryRows> {
    const url = serverUrl(this.dataSource);
    if (!url) return read(<T extends pg.QueryResultRow>(text: string) => this.dataSource.query<T[]>(text));
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECTION_WAIT_MS,
      application_name: 'tandem directory',
    });
    // A connection lost between queries is emitted as 'error'; unheard it would end the process.
    // The awaited query fails in that case anyway.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await read(async <T extends pg.QueryResultRow>(text: string) => (await client.query<T>(text)).rows);
    } finally {
      // Closing must not replace the error that matters (the read's).
      await client.end().catch(() => undefined);
    }
  }
}

async function read(query: Query): Promise<DirectoryRows> {
  return {
    authorities: await query<AuthorityRow>(AUTHORITIES),
    agencies: await query<AgencyRow>(AGENCIES),
    teams: await query<TeamRow>(TEAMS),
    caseSystems: await query<CaseSystemRow>(CASE_SYSTEMS),
  };
}
