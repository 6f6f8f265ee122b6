import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_ENTRIES } from 'src/disclosure/compact/response-columns.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { newestEntries } from 'src/disclosure/entry-query.js';
import { type LoggedEntry, ResponseLog } from 'src/disclosure/response-log.js';

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

/** An entry of the log: its id and its receipt as sealed. */
export interface LogRow {
  readonly id: string;
  readonly receipt: ReceiptBody;
}

/** Columns of the view disclosure_entry (both forms of the log) a filter compares with one value. */
const COLUMN: Record<keyof Omit<LogFilter, 'from' | 'to' | 'agencyIds' | 'teamOf' | 'entryKinds' | 'entryId'>, string> = {
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

/**
 * For a filter on an entry's own value, the condition on its row that an index can answer (the
 * response rows' arrays and flags; for a receipt it repeats the column): without it, a response's
 * entries would be unnested to be compared.
 */
const ROW_CONDITION: Partial<Record<keyof typeof COLUMN, (value: string) => string>> = {
  childId: (value) => `r.children @> ARRAY[${value}]::uuid[]`,
  recordId: (value) => `r.records @> ARRAY[${value}]::uuid[]`,
};

/**
 * The SQL of a filtered, keyset-paginated read of the log, newest first (also printed by the bench
 * with EXPLAIN): entries of both forms, ordered by the row they are stored in and then their place
 * in it (the same order as their ids: a response's entries' ids are its own plus their place, and
 * no other row's id falls among them).
 */
export function logQuery(
  filter: LogFilter,
  limit: number,
  beforeId?: string,
): { sql: string; where: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const bind = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  for (const [key, column] of Object.entries(COLUMN) as [keyof typeof COLUMN, string][]) {
    const value = filter[key];
    if (value === undefined) continue;
    const parameter = bind(value);
    conditions.push(`r.${column} = ${parameter}`);
    const row = ROW_CONDITION[key];
    if (row) conditions.push(row(parameter));
  }
  if (filter.breakGlass === true) conditions.push('r.any_break_glass');
  // Anything but a plain disclosure is flagged, and flagged rows are indexed.
  if (
    (filter.outcome !== undefined && filter.outcome !== 'DISCLOSED') ||
    (filter.entryKind !== undefined && filter.entryKind !== 'DISCLOSURE')
  )
    conditions.push('r.flagged');
  if (filter.entryId !== undefined) {
    const id = bind(filter.entryId);
    conditions.push(`r.id = ${id}::bigint AND r.base <= ${id}::bigint AND r.base > ${id}::bigint - ${MAX_ENTRIES}`);
  }
  if (filter.agencyIds) {
    const ids = `${bind(filter.agencyIds)}::uuid[]`;
    conditions.push(
      `(r.agency_id = ANY(${ids}) OR r.owning_agency_id = ANY(${ids}))`,
      `(r.agency_id = ANY(${ids}) OR r.owners && ${ids})`,
    );
  }
  if (filter.teamOf) {
    const team = TEAM_CHILDREN(bind(filter.teamOf.subject), `${bind(filter.teamOf.agencyId)}::uuid`);
    conditions.push(`r.child_id IN (${team})`, `r.children && ARRAY(${team})`);
  }
  if (filter.entryKinds) conditions.push(`r.entry_kind = ANY(${bind(filter.entryKinds)}::text[])`);
  if (filter.from) conditions.push(`r.recorded_at >= ${bind(filter.from)}`);
  if (filter.to) conditions.push(`r.recorded_at < ${bind(filter.to)}`);
  if (beforeId) {
    const id = bind(beforeId);
    conditions.push(`r.base <= ${id}::bigint AND r.id < ${id}::bigint`);
  }
  return { sql: newestEntries(conditions.join(' AND '), bind(limit)), where: conditions.join(' AND '), parameters };
}

/** Reads of the disclosure log for auditors and for owning agencies' access feeds. */
@Injectable()
export class AuditRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ResponseLog) private readonly responses: ResponseLog,
  ) {}

  async page(filter: LogFilter, limit: number, beforeId?: string): Promise<LogRow[]> {
    const { sql, parameters } = logQuery(filter, limit, beforeId);
    return this.entries(await this.dataSource.query<LoggedEntry[]>(sql, parameters));
  }

  async count(filter: LogFilter): Promise<number> {
    const { where, parameters } = logQuery(filter, 1);
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM disclosure_entry r${where ? ` WHERE ${where}` : ''}`,
      parameters.slice(0, -1),
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Disclosures to other agencies of the agency's records about children the user is allocated to
   * now, and every break-glass read of those children (whoever owns what it showed), so that each
   * allocated worker sees an emergency read.
   */
  async accessFeed(subject: string, agencyId: string, limit: number, beforeId?: string): Promise<LogRow[]> {
    const mine = `SELECT wa.child_id FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
      WHERE p.subject = $2 AND p.agency_id = $1 AND wa.end_date IS NULL`;
    const where = `r.entry_kind = 'DISCLOSURE'
      AND ((r.owning_agency_id = $1 AND r.agency_id <> $1) OR (r.break_glass AND r.user_subject <> $2))
      AND ((r.owners @> ARRAY[$1]::uuid[] AND r.agency_id <> $1) OR (r.any_break_glass AND r.user_subject <> $2))
      AND r.child_id IN (${mine}) AND r.children && ARRAY(${mine})
      ${beforeId ? 'AND r.base <= $4::bigint AND r.id < $4::bigint' : ''}`;
    const rows = await this.dataSource.query<LoggedEntry[]>(
      newestEntries(where, '$3'),
      beforeId ? [agencyId, subject, limit, beforeId] : [agencyId, subject, limit],
    );
    return this.entries(rows);
  }

  private async entries(rows: readonly LoggedEntry[]): Promise<LogRow[]> {
    const receipts = await this.responses.receiptsOf(rows);
    return rows.map((row, index) => ({ id: row.id, receipt: receipts[index] as ReceiptBody }));
  }

  /** Whether the child is one of the manager's team's children now (see TEAM_CHILDREN). */
  async isTeamChild(childId: string, manager: TeamManager): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM (${TEAM_CHILDREN('$2', '$3::uuid')}) t WHERE t.child_id = $1 LIMIT 1`,
      [childId, manager.subject, manager.agencyId],
    );
    return rows.length > 0;
  }

  /**
   * Where each of these entries sits in the hash chain (a compact entry: its response's seal);
   * entries not yet sealed are absent.
   */
  seals(ids: readonly string[]): Promise<{ receipt_id: string; seq: string; checkpoint_id: number }[]> {
    return this.dataSource.query(
      `SELECT e.id::text AS receipt_id, s.seq::text AS seq, s.checkpoint_id
       FROM unnest($1::bigint[]) AS e(id)
       JOIN LATERAL (
         SELECT seq, checkpoint_id FROM disclosure_seal WHERE receipt_id = e.id
         UNION ALL
         SELECT s.seq, s.checkpoint_id FROM disclosure_seal s JOIN disclosure_response r
           ON r.id = s.response_id AND r.recorded_at = s.response_recorded_at
         WHERE s.response_id <= e.id AND s.response_id > e.id - ${MAX_ENTRIES} AND e.id < r.id + r.entries
       ) s ON true`,
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
