import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql, statement } from 'src/common/database/sql.js';
import type { ResponseColumns } from 'src/disclosure/compact/response-columns.js';
import type { DictionaryKind } from 'src/disclosure/compact/response-codec.js';
import { type DictionaryEntry, type DictionaryStore, isDictionaryKind } from 'src/disclosure/compact/stored-dictionary.js';

/** One response in the compact form, with the columns auditors filter on. */
export interface StoredResponse {
  readonly columns: ResponseColumns;
  readonly body: Buffer;
}

const COLUMNS = [
  ['recorded_at', 'timestamptz'],
  ['correlation_id', 'varchar'],
  ['user_subject', 'varchar'],
  ['agency_id', 'uuid'],
  ['case_system_id', 'uuid'],
  ['purpose', 'varchar'],
  ['entries', 'int4'],
  ['break_glass', 'bool'],
  ['after_allocation_ended', 'bool'],
  ['flagged', 'bool'],
  ['children', 'text'],
  ['records', 'text'],
  ['owners', 'text'],
  ['body', 'bytea'],
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Arrays of ids travel as their array literals (unnest would flatten an array of arrays). */
const ARRAYS: ReadonlySet<string> = new Set(['children', 'records', 'owners']);

/**
 * Responses and their places in the sealer's queue in one statement, whatever their number; the
 * queue's insert counts their receipts in disclosure_tally (a trigger, in the same transaction).
 */
const INSERT = statement(
  'tandem_insert_responses',
  `WITH inserted AS (
  INSERT INTO disclosure_response (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${COLUMNS.map(([name]) => (ARRAYS.has(name) ? `${name}::uuid[]` : name)).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
    AS t(${COLUMNS.map(([name]) => name).join(', ')})
  RETURNING id, recorded_at, entries
)
INSERT INTO disclosure_response_pending (response_id, recorded_at, entries) SELECT id, recorded_at, entries FROM inserted`,
);

/** A value already there keeps its number: the insert of a value another instance is adding waits for it (and FIND then reads it). */
const NUMBER = statement(
  'tandem_number_dictionary',
  `WITH wanted AS (SELECT * FROM unnest($1::varchar[], $2::text[]) AS t(kind, value)),
  added AS (
    INSERT INTO disclosure_dictionary (kind, value) SELECT kind, value FROM wanted
    ON CONFLICT (kind, md5(value)) DO NOTHING RETURNING number, kind, value
  )
SELECT number, kind, value FROM added
UNION ALL
SELECT d.number, d.kind, d.value FROM disclosure_dictionary d JOIN wanted w ON d.kind = w.kind AND md5(d.value) = md5(w.value)`,
);

const FIND = statement(
  'tandem_find_dictionary',
  `SELECT d.number, d.kind, d.value FROM disclosure_dictionary d
   JOIN unnest($1::varchar[], $2::text[]) AS w(kind, value) ON d.kind = w.kind AND md5(d.value) = md5(w.value)`,
);

/** Writes of the compact form of the disclosure log (insert only), and its dictionary. */
@Injectable()
export class ResponseLogRepository implements DictionaryStore {
  constructor(@Inject(Sql) private readonly sql: Sql) {}

  async insert(responses: readonly StoredResponse[], manager?: EntityManager): Promise<void> {
    if (responses.length === 0) return;
    await this.sql.rows(INSERT, columnsOf(responses), manager);
  }

  async number(values: readonly { readonly kind: DictionaryKind; readonly value: string }[]): Promise<DictionaryEntry[]> {
    const rows = await this.sql.rows<EntryRow>(NUMBER, [values.map((entry) => entry.kind), values.map((entry) => entry.value)]);
    // A value another instance added meanwhile: its insert was waited for and skipped, but the
    // statement's snapshot began before it committed. A statement of its own sees it.
    const found = new Set(rows.map((row) => `${row.kind}\u0000${row.value}`));
    const late = values.filter((entry) => !found.has(`${entry.kind}\u0000${entry.value}`));
    if (late.length > 0)
      rows.push(...(await this.sql.rows<EntryRow>(FIND, [late.map((entry) => entry.kind), late.map((entry) => entry.value)])));
    return rows.map(entryOf);
  }

  async all(): Promise<DictionaryEntry[]> {
    return (await this.sql.rows<EntryRow>({ name: '', text: ALL_ENTRIES }, [])).map(entryOf);
  }
}

export interface EntryRow {
  readonly number: number;
  readonly kind: string;
  readonly value: string;
}

/** The whole dictionary (the verifier reads it on its own connection). */
export const ALL_ENTRIES = 'SELECT number, kind, value FROM disclosure_dictionary ORDER BY number';

export function entryOf(row: EntryRow): DictionaryEntry {
  if (!isDictionaryKind(row.kind)) throw new Error(`Dictionary entry ${row.number} has an unknown kind`);
  return { number: row.number, kind: row.kind, value: row.value };
}

function columnsOf(responses: readonly StoredResponse[]): unknown[] {
  const literal = (ids: readonly string[]) => {
    // Only UUIDs go into a literal: anything else would be refused by the cast, or split into two.
    if (ids.some((id) => !UUID.test(id))) throw new Error('A response refers to an id that is not a UUID');
    return `{${ids.join(',')}}`;
  };
  return [
    responses.map(({ columns }) => columns.recordedAt),
    responses.map(({ columns }) => columns.correlationId),
    responses.map(({ columns }) => columns.userSubject),
    responses.map(({ columns }) => columns.agencyId),
    responses.map(({ columns }) => columns.caseSystemId),
    responses.map(({ columns }) => columns.purpose),
    responses.map(({ columns }) => columns.entries),
    responses.map(({ columns }) => columns.breakGlass),
    responses.map(({ columns }) => columns.afterAllocationEnded),
    responses.map(({ columns }) => columns.flagged),
    responses.map(({ columns }) => literal(columns.children)),
    responses.map(({ columns }) => literal(columns.records)),
    responses.map(({ columns }) => literal(columns.owners)),
    responses.map(({ body }) => body),
  ];
}
