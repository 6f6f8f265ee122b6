import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A filter already resolved to ids, as the log's columns hold them. */
export interface LogFilter {
  /** One entry. */
  readonly entryId?: string;
  readonly childId?: string;
  readonly userSubject?: string;
  readonly caseSystemId?: string;
  readonly agencyId?: string;
  readonly recordId?: string;
  readonly purpose?: string;
  readonly outcome?: string;
  readonly entryKind?: string;
  readonly breakGlass?: boolean;
  readonly from?: Date;
  readonly to?: Date;
  /** The auditor's scope (AuditScope): entries these agencies received, or of what they own. */
  readonly agencyIds?: readonly string[];
  /** A team manager's scope: only entries about the children of their team (TEAM in the access policy). */
  readonly teamOf?: TeamManager;
  /** Only entries of these kinds. */
  readonly entryKinds?: readonly string[];
}

/** A manager, as the directory knows them: their token subject at their agency. */
export interface TeamManager {
  readonly subject: string;
  readonly agencyId: string;
}

/**
 * The children with a current allocation to a practitioner of the manager's team at the manager's
 * agency: how tandem_child_access computes the TEAM relationship. `$s`/`$a` are the manager's
 * subject and agency; a practitioner with no team has no team children.
 */
const TEAM_CHILDREN = (s: string, a: string) =>
  `SELECT wt.child_id FROM worker_allocation wt
   JOIN practitioner pt ON pt.id = wt.practitioner_id
   JOIN practitioner me ON me.agency_id = pt.agency_id AND me.team = pt.team
   WHERE me.subject = ${s} AND me.agency_id = ${a} AND wt.end_date IS NULL`;

export interface LogRow {
  readonly id: string;
  readonly body: Buffer;
}

const COLUMN: Record<keyof Omit<LogFilter, 'from' | 'to' | 'agencyIds' | 'teamOf' | 'entryKinds'>, string> = {
  entryId: 'id',
  childId: 'child_id',
  userSubject: 'user_subject',
  caseSystemId: 'case_system_id',
  agencyId: 'agency_id',
  recordId: 'record_id',
  purpose: 'purpose',
  outcome: 'outcome',
  entryKind: 'entry_kind',
  breakGlass: 'break_glass',
};

/** The SQL of a filtered, keyset-paginated read of the log, newest first (also printed by the bench with EXPLAIN). */
export function logQuery(filter: LogFilter, limit: number, beforeId?: string): { sql: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    parameters.push(value);
    conditions.push(sql.replace('?', `$${parameters.length}`));
  };
  for (const [key, column] of Object.entries(COLUMN) as [keyof typeof COLUMN, string][]) {
    const value = filter[key];
    if (value !== undefined) add(`r.${column} = ?`, value);
  }
  if (filter.agencyIds) {
    parameters.push(filter.agencyIds);
    const ids = `$${parameters.length}::uuid[]`;
    conditions.push(`(r.agency_id = ANY(${ids}) OR r.owning_agency_id = ANY(${ids}))`);
  }
  if (filter.teamOf) {
    parameters.push(filter.teamOf.subject, filter.teamOf.agencyId);
    conditions.push(`r.child_id IN (${TEAM_CHILDREN(`$${parameters.length - 1}`, `$${parameters.length}::uuid`)})`);
  }
  if (filter.entryKinds) {
    parameters.push(filter.entryKinds);
    conditions.push(`r.entry_kind = ANY($${parameters.length}::text[])`);
  }
  if (filter.from) add('r.recorded_at >= ?', filter.from);
  if (filter.to) add('r.recorded_at < ?', filter.to);
  if (beforeId) add('r.id < ?', beforeId);
  parameters.push(limit);
  return {
    sql: `SELECT r.id, r.body FROM disclosure_receipt r${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT $${parameters.length}`,
    parameters,
  };
}

/** Reads of the disclosure log for auditors and for owning agencies' access feeds. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  page(filter: LogFilter, limit: number, beforeId?: string): Promise<LogRow[]> {
    const { sql, parameters } = logQuery(filter, limit, beforeId);
    return this.dataSource.query<LogRow[]>(sql, parameters);
  }

  async count(filter: LogFilter): Promise<number> {
    const { sql, parameters } = logQuery(filter, 1);
    const countSql = sql.replace('SELECT r.id, r.body', 'SELECT count(*) AS n').replace(/ ORDER BY .*$/, '');
    const [row] = await this.dataSource.query<{ n: string }[]>(countSql, parameters.slice(0, -1));
    return Number(row?.n ?? 0);
  }

  /**
   * Disclosures to other agencies of the agency's records about children the user is allocated to
   * now, and every break-glass read of those children (whoever owns what it showed), so that each
   * allocated worker sees an emergency read.
   */
  accessFeed(subject: string, agencyId: string, limit: number, beforeId?: string): Promise<LogRow[]> {
    return this.dataSource.query<LogRow[]>(
      `SELECT r.id, r.body FROM disclosure_receipt r
       WHERE r.entry_kind = 'DISCLOSURE'
         AND ((r.owning_agency_id = $1 AND r.agency_id <> $1) OR (r.break_glass AND r.user_subject <> $2))
         AND r.child_id IN (
           SELECT wa.child_id FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
           WHERE p.subject = $2 AND p.agency_id = $1 AND wa.end_date IS NULL
         )
         ${beforeId ? 'AND r.id < $4' : ''}
       ORDER BY r.id DESC LIMIT $3`,
      beforeId ? [agencyId, subject, limit, beforeId] : [agencyId, subject, limit],
    );
  }

  /** Whether the child is one of the manager's team's children now (see TEAM_CHILDREN). */
  async isTeamChild(childId: string, manager: TeamManager): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM (${TEAM_CHILDREN('$2', '$3::uuid')}) t WHERE t.child_id = $1 LIMIT 1`,
      [childId, manager.subject, manager.agencyId],
    );
    return rows.length > 0;
  }

  /** Where each of these entries sits in the hash chain; entries not yet sealed are absent. */
  seals(ids: readonly string[]): Promise<{ receipt_id: string; seq: string; checkpoint_id: number }[]> {
    return this.dataSource.query(
      'SELECT receipt_id::text AS receipt_id, seq::text AS seq, checkpoint_id FROM disclosure_seal WHERE receipt_id = ANY($1::bigint[])',
      [ids],
    );
  }

  /**
   * Children matching a family name (with given name and date of birth when given), or holding a
   * case reference, at most `limit`: candidates the caller's scope then narrows.
   */
  childCandidates(
    search: { familyName?: string | null; givenName?: string | null; dateOfBirth?: string | null; caseReference?: string | null },
    limit: number,
  ): Promise<{ id: string; given_name: string; family_name: string; date_of_birth: string }[]> {
    return this.dataSource.query(
      `SELECT c.id, c.given_name, c.family_name, to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth FROM child c
       WHERE ($1::text IS NULL OR lower(c.family_name) = lower($1))
         AND ($2::text IS NULL OR lower(c.given_name) = lower($2))
         AND ($3::date IS NULL OR c.date_of_birth = $3::date)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM child_identifier i WHERE i.child_id = c.id AND i.value = $4))
       ORDER BY c.family_name, c.given_name, c.id LIMIT $5`,
      [search.familyName ?? null, search.givenName ?? null, search.dateOfBirth ?? null, search.caseReference ?? null, limit],
    );
  }

  /** Whether a police investigation into the child is open now (C3): a SAR must not tip it off. */
  async investigationOpen(childId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM child_restriction WHERE child_id = $1 AND kind = 'POLICE_HSB_INVESTIGATION' AND ended_at IS NULL LIMIT 1`,
      [childId],
    );
    return rows.length > 0;
  }

  /** Checkpoints after `afterId` (and before `beforeId`), oldest first, or newest first for the latest. */
  checkpoints(range: { afterId: number; beforeId: number | null; limit: number; newestFirst: boolean }) {
    return this.dataSource.query<
      {
        id: number;
        first_seq: string;
        last_seq: string;
        signed_at: Date;
        statement: Buffer;
        signature: Buffer;
        key_id: string;
        public_key_pem: string;
      }[]
    >(
      `SELECT c.id, c.first_seq, c.last_seq, c.signed_at, c.statement, c.signature, c.key_id, k.public_key_pem
       FROM disclosure_checkpoint c JOIN audit_signing_key k ON k.key_id = c.key_id
       WHERE c.id > $1 AND ($2::int IS NULL OR c.id < $2::int)
       ORDER BY c.id ${range.newestFirst ? 'DESC' : 'ASC'} LIMIT $3`,
      [range.afterId, range.beforeId, range.limit],
    );
  }
}
