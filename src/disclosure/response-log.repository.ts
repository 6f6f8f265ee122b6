import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql, statement } from 'src/common/database/sql.js';
import type { ResponseColumns } from 'src/disclosure/compact/response-columns.js';
import { type DictionaryEntry, type DictionaryStore, isDictionaryKind } from 'src/disclosure/compact/stored-dictionary.js';

/** One response in the compact form, with the columns auditors filter on and the dictionary entries it brings. */
export interface StoredResponse {
  readonly columns: ResponseColumns;
  readonly body: Buffer;
  /** Entries it refers to that may not be stored yet: its insert adds them (those already there are skipped). */
  readonly entries: readonly DictionaryEntry[];
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
  ['entry_map', 'bytea'],
  ['body', 'bytea'],
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Arrays of ids travel as their array literals (unnest would flatten an array of arrays). */
const ARRAYS: ReadonlySet<string> = new Set(['children', 'records', 'owners']);

/** Responses and their places in the sealer's queue; the queue's insert counts their receipts in disclosure_tally (a trigger, in the same transaction). */
const RESPONSES_AND_QUEUE = `inserted AS (
  INSERT INTO disclosure_response (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${COLUMNS.map(([name]) => (ARRAYS.has(name) ? `${name}::uuid[]` : name)).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
    AS t(${COLUMNS.map(([name]) => name).join(', ')})
  RETURNING id, recorded_at, entries
)
INSERT INTO disclosure_response_pending (response_id, recorded_at, entries) SELECT id, recorded_at, entries FROM inserted`;

/**
 * Responses with the dictionary entries they bring, in one statement whatever their number
 * (numbers this instance reserved; one already stored is skipped, a value already stored under
 * another number fails the statement).
 */
const INSERT_WITH_ENTRIES = statement(
  'tandem_insert_responses',
  `WITH entries AS (
  INSERT INTO disclosure_dictionary (number, kind, value) OVERRIDING SYSTEM VALUE
  SELECT * FROM unnest($${COLUMNS.length + 1}::int[], $${COLUMNS.length + 2}::varchar[], $${COLUMNS.length + 3}::text[])
  ON CONFLICT (number) DO NOTHING
), ${RESPONSES_AND_QUEUE}`,
);

/**
 * Responses that bring no dictionary entry (nearly all, once the values a deployment discloses are
 * stored): without the dictionary's insert, which costs its statement as much again on the server
 * even when it inserts nothing (docs/TOOLCHAIN.md).
 */
const INSERT = statement('tandem_insert_responses_only', `WITH ${RESPONSES_AND_QUEUE}`);

/** Numbers of the dictionary's own identity, never handed out twice. */
const RESERVE = statement(
  'tandem_reserve_dictionary_numbers',
  `SELECT nextval(pg_get_serial_sequence('disclosure_dictionary', 'number'))::int AS number FROM generate_series(1, $1::int)`,
);

/** Writes of the compact form of the disclosure log (insert only), and its dictionary. */
@Injectable()
export class ResponseLogRepository implements DictionaryStore {
  constructor(@Inject(Sql) private readonly sql: Sql) {}

  async insert(responses: readonly StoredResponse[], manager?: EntityManager): Promise<void> {
    if (responses.length === 0) return;
    const entries = dictionaryColumns(responses);
    if (entries[0].length === 0) await this.sql.rows(INSERT, columnsOf(responses), manager);
    else await this.sql.rows(INSERT_WITH_ENTRIES, [...columnsOf(responses), ...entries], manager);
  }

  async reserve(count: number): Promise<number[]> {
    return (await this.sql.rows<{ number: number }>(RESERVE, [count])).map((row) => row.number);
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
    responses.map(({ columns }) => columns.entryMap),
    responses.map(({ body }) => body),
  ];
}

/** The entries the responses bring, each once: their numbers, kinds and values. */
function dictionaryColumns(responses: readonly StoredResponse[]): [number[], string[], string[]] {
  const entries = new Map<number, DictionaryEntry>();
  for (const response of responses) for (const entry of response.entries) entries.set(entry.number, entry);
  const all = [...entries.values()];
  return [all.map((entry) => entry.number), all.map((entry) => entry.kind), all.map((entry) => entry.value)];
}
