import { randomUUID } from 'node:crypto';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { StoredDictionary } from 'src/disclosure/compact/stored-dictionary.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ALL_ENTRIES, entryOf, type EntryRow } from 'src/disclosure/response-log.repository.js';

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

/** Filters on what both forms of the log hold as columns (the view disclosure_entry); the rest are checked on each decoded receipt. */
const COLUMNS: readonly [keyof ReceiptFilter, string][] = [
  ['correlationId', 'correlation_id'],
  ['entryKind', 'entry_kind'],
  ['userSubject', 'user_subject'],
  ['childId', 'child_id'],
  ['recordId', 'record_id'],
];

interface Row {
  id: string;
  base: string;
  place: number;
  compact: boolean;
  body: Buffer;
}

/** The stored dictionary, read-only: the tests decode the log, never add to it. */
function dictionaryOf(db: Queryable): StoredDictionary {
  return new StoredDictionary({
    all: async () => (await db.query<EntryRow[]>(ALL_ENTRIES)).map(entryOf),
    reserve: () => Promise.reject(new Error('The tests do not add to the dictionary')),
  });
}

/**
 * The entries of the disclosure log that match, in the order they were written, whichever form
 * stores them (a JSON receipt, or an entry of a compact response decoded): the one way the tests
 * read what was logged, so that how the log stores its entries is known in one place here.
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
  if (conditions.length === 0 && filter.recordKind === undefined && !filter.containing?.length)
    throw new Error('loggedReceipts needs at least one condition');
  const rows = await db.query<Row[]>(
    // Ordered by the view's columns (e.base), not the text the row is read as: ids differ in length.
    `SELECT id::text AS id, base::text AS base, place, compact, body FROM disclosure_entry e
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY e.base, e.place`,
    parameters,
  );
  const dictionary = dictionaryOf(db);
  const responses = new Map<string, Promise<ReceiptBody[]>>();
  const found: LoggedReceipt[] = [];
  for (const row of rows) {
    let body: ReceiptBody;
    let text: string;
    if (row.compact) {
      let decoded = responses.get(row.base);
      if (!decoded) responses.set(row.base, (decoded = dictionary.decode(row.body)));
      const receipt = (await decoded)[row.place];
      if (!receipt) throw new Error(`Entry ${row.id} is not in its response`);
      body = receipt;
      text = canonicalJson(receipt);
    } else {
      text = row.body.toString('utf8');
      body = JSON.parse(text) as ReceiptBody;
    }
    if (filter.recordKind !== undefined && body.record?.kind !== filter.recordKind) continue;
    if (filter.containing && !filter.containing.every((part) => text.includes(part))) continue;
    found.push({
      id: row.id,
      entryKind: body.entry,
      outcome: body.outcome,
      userSubject: body.user.subject,
      childId: body.child,
      recordKind: body.record?.kind ?? null,
      recordId: body.record?.id ?? null,
      recordVersion: body.record?.version ?? null,
      correlationId: body.correlationId,
      body,
      text,
    });
  }
  return found;
}

/** What a test gateway offers for one read: a GraphQL request as a demo user. */
interface Reader {
  gql(
    subject: string,
    query: string,
    variables: Record<string, unknown>,
    options: { headers: Record<string, string> },
  ): Promise<{ body: { errors?: unknown } }>;
}

/** The receipts of one real read (dana.hughes reads Jordan with his care plan), under a correlation id of its own. */
export async function receiptsOfARead(t: Reader, db: Queryable, childId: string): Promise<ReceiptBody[]> {
  const correlationId = `read-${randomUUID()}`;
  const response = await t.gql(
    'dana.hughes',
    `query($id: ID!) { child(id: $id) { givenName records(kinds: [CARE_PLAN]) { edges { node { id } } } } }`,
    { id: childId },
    { headers: { 'x-correlation-id': correlationId } },
  );
  if (response.body.errors !== undefined) throw new Error(`the read failed: ${JSON.stringify(response.body.errors)}`);
  const receipts = await loggedReceipts(db, { correlationId });
  if (receipts.length === 0) throw new Error('the read logged nothing');
  return receipts.map((receipt) => receipt.body);
}
