import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A filter already resolved to ids, as the log's columns hold them. */
export interface LogFilter {
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
}

export interface LogRow {
  readonly id: string;
  readonly body: Buffer;
}

const COLUMN: Record<keyof Omit<LogFilter, 'from' | 'to' | 'agencyIds'>, string> = {
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

  /** Whether a police investigation into the child is open now (C3): a SAR must not tip it off. */
  async investigationOpen(childId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM child_restriction WHERE child_id = $1 AND kind = 'POLICE_HSB_INVESTIGATION' AND ended_at IS NULL LIMIT 1`,
      [childId],
    );
    return rows.length > 0;
  }

  checkpoints(afterId: number, limit: number) {
    return this.dataSource.query<{ id: number; statement: Buffer; signature: Buffer; key_id: string; public_key_pem: string }[]>(
      `SELECT c.id, c.statement, c.signature, c.key_id, k.public_key_pem
       FROM disclosure_checkpoint c JOIN audit_signing_key k ON k.key_id = c.key_id
       WHERE c.id > $1 ORDER BY c.id LIMIT $2`,
      [afterId, limit],
    );
  }
}
