import type { ReceiptBody } from 'src/disclosure/receipt.js';

/** A DataSource or a transaction's EntityManager. */
interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** One entry of the disclosure log as the tests read it: its indexed columns, its body and the bytes stored. */
export interface LoggedReceipt {
  readonly id: string;
  readonly entryKind: string;
  readonly outcome: string;
  readonly userSubject: string;
  readonly childId: string | null;
  readonly recordKind: string | null;
  readonly recordId: string | null;
  readonly recordVersion: number | null;
  readonly correlationId: string;
  readonly body: ReceiptBody;
  /** The stored canonical JSON, as text. */
  readonly text: string;
}

/** Which entries: every condition given must hold. */
export interface ReceiptFilter {
  readonly correlationId?: string;
  readonly entryKind?: string;
  readonly userSubject?: string;
  readonly childId?: string;
  readonly recordId?: string;
  readonly recordKind?: string;
  /** Text the entry's canonical JSON contains. */
  readonly containing?: readonly string[];
}

const COLUMNS: readonly [keyof ReceiptFilter, string][] = [
  ['correlationId', 'correlation_id'],
  ['entryKind', 'entry_kind'],
  ['userSubject', 'user_subject'],
  ['childId', 'child_id'],
  ['recordId', 'record_id'],
  ['recordKind', 'record_kind'],
];

interface Row {
  id: string;
  entry_kind: string;
  outcome: string;
  user_subject: string;
  child_id: string | null;
  record_kind: string | null;
  record_id: string | null;
  record_version: number | null;
  correlation_id: string;
  body: Buffer;
}

/**
 * The entries of the disclosure log that match, in the order they were written: the one way the
 * tests read what was logged, so that how the log stores its entries is known in one place here.
 */
export async function loggedReceipts(db: Queryable, filter: ReceiptFilter): Promise<LoggedReceipt[]> {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  for (const [key, column] of COLUMNS) {
    const value = filter[key];
    if (typeof value !== 'string') continue;
    parameters.push(value);
    conditions.push(`${column} = $${parameters.length}`);
  }
  for (const text of filter.containing ?? []) {
    parameters.push(text);
    conditions.push(`strpos(convert_from(body, 'UTF8'), $${parameters.length}) > 0`);
  }
  if (conditions.length === 0) throw new Error('loggedReceipts needs at least one condition');
  const rows = await db.query<Row[]>(
    `SELECT id, entry_kind, outcome, user_subject, child_id, record_kind, record_id, record_version, correlation_id, body
     FROM disclosure_receipt WHERE ${conditions.join(' AND ')} ORDER BY id`,
    parameters,
  );
  return rows.map((row) => {
    const text = row.body.toString('utf8');
    return {
      id: String(row.id),
      entryKind: row.entry_kind,
      outcome: row.outcome,
      userSubject: row.user_subject,
      childId: row.child_id,
      recordKind: row.record_kind,
      recordId: row.record_id,
      recordVersion: row.record_version,
      correlationId: row.correlation_id,
      body: JSON.parse(text) as ReceiptBody,
      text,
    };
  });
}
