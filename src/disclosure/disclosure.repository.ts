import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql, statement } from 'src/common/database/sql.js';
import type { ReceiptRow } from 'src/disclosure/receipt.js';

const COLUMNS = [
  ['recorded_at', 'timestamptz'],
  ['entry_kind', 'varchar'],
  ['outcome', 'varchar'],
  ['user_subject', 'varchar'],
  ['agency_id', 'uuid'],
  ['case_system_id', 'uuid'],
  ['child_id', 'uuid'],
  ['record_kind', 'varchar'],
  ['record_id', 'uuid'],
  ['record_version', 'int4'],
  ['owning_agency_id', 'uuid'],
  ['purpose', 'varchar'],
  ['break_glass', 'bool'],
  ['after_allocation_ended', 'bool'],
  ['correlation_id', 'varchar'],
] as const;

/**
 * Bodies travel as one text, joined by U+001E (RECORD SEPARATOR): canonical JSON never holds it raw
 * (JSON escapes control characters), and one long text is bound as it is, where an array of texts
 * is escaped element by element by the driver. Stored as exactly their UTF-8 bytes.
 */
const SEPARATOR = '\u001e';

/**
 * One statement for any number of receipts: the receipts and their places in the sealer's queue,
 * so a request costs one round trip however much it disclosed, and the plan never changes shape.
 */
const INSERT = statement(
  'tandem_insert_receipts',
  `WITH inserted AS (
  INSERT INTO disclosure_receipt (${COLUMNS.map(([name]) => name).join(', ')}, body)
  SELECT ${COLUMNS.map(([name]) => name).join(', ')}, convert_to(body, 'UTF8')
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')}, string_to_array($${COLUMNS.length + 1}::text, chr(30)))
    AS t(${COLUMNS.map(([name]) => name).join(', ')}, body)
  RETURNING id
)
INSERT INTO disclosure_pending (receipt_id) SELECT id FROM inserted`,
);

/** Writes to the disclosure log: insert only. */
@Injectable()
export class DisclosureRepository {
  constructor(@Inject(Sql) private readonly sql: Sql) {}

  /** One statement for any number of receipts (prepared once per connection), in `manager`'s transaction when given. */
  async insert(rows: readonly ReceiptRow[], manager?: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    await this.sql.rows(INSERT, columnsOf(rows), manager);
  }
}

function columnsOf(rows: readonly ReceiptRow[]): unknown[] {
  return [
    rows.map((row) => row.recordedAt),
    rows.map((row) => row.entryKind),
    rows.map((row) => row.outcome),
    rows.map((row) => row.userSubject),
    rows.map((row) => row.agencyId),
    rows.map((row) => row.caseSystemId),
    rows.map((row) => row.childId),
    rows.map((row) => row.recordKind),
    rows.map((row) => row.recordId),
    rows.map((row) => row.recordVersion),
    rows.map((row) => row.owningAgencyId),
    rows.map((row) => row.purpose),
    rows.map((row) => row.breakGlass),
    rows.map((row) => row.afterAllocationEnded),
    rows.map((row) => row.correlationId),
    bodiesText(rows),
  ];
}

/** The bodies joined; refused if any is empty or holds a raw separator (it would split into other receipts). */
export function bodiesText(rows: readonly Pick<ReceiptRow, 'body'>[]): string {
  if (rows.some((row) => row.body === '')) throw new Error('A receipt body is empty');
  const text = rows.map((row) => row.body).join(SEPARATOR);
  // One scan of the joined text (which the driver reads whole anyway), not one per body.
  let separators = 0;
  for (let at = text.indexOf(SEPARATOR); at !== -1; at = text.indexOf(SEPARATOR, at + 1)) separators++;
  if (separators !== rows.length - 1) throw new Error('A receipt body holds a raw record separator');
  return text;
}
