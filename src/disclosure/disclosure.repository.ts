import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
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
  // Sent as text (half the bytes of hex) and stored as exactly its UTF-8 bytes.
  ['body', 'text'],
] as const;

/**
 * One statement for any number of receipts: the receipts and their places in the sealer's queue,
 * so a request costs one round trip however much it disclosed, and the plan never changes shape.
 */
const INSERT_SQL = `WITH inserted AS (
  INSERT INTO disclosure_receipt (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${COLUMNS.map(([name]) => (name === 'body' ? `convert_to(${name}, 'UTF8')` : name)).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')}) AS t(${COLUMNS.map(([name]) => name).join(', ')})
  RETURNING id
)
INSERT INTO disclosure_pending (receipt_id) SELECT id FROM inserted`;

/** Writes to the disclosure log: insert only. */
@Injectable()
export class DisclosureRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async insert(rows: readonly ReceiptRow[], manager?: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    const parameters = columnsOf(rows);
    if (!manager && this.pool) {
      // A named statement: parsed and planned once per connection, not on every request.
      await this.pool.query({ name: 'tandem_insert_receipts', text: INSERT_SQL, values: parameters });
      return;
    }
    await (manager ?? this.dataSource.manager).query(INSERT_SQL, parameters);
  }

  /** node-postgres's pool behind TypeORM on a server (not on embedded PGlite, whose adapter takes plain text). */
  private get pool(): NamedStatementPool | undefined {
    const { driver } = this.dataSource;
    if (!(driver instanceof PostgresDriver) || !driver.options.url) return undefined;
    const master: unknown = driver.master;
    return isNamedStatementPool(master) ? master : undefined;
  }
}

/** What the insert needs of node-postgres's pool: a query by name. */
interface NamedStatementPool {
  query(statement: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

function isNamedStatementPool(value: unknown): value is NamedStatementPool {
  return typeof value === 'object' && value !== null && 'query' in value && typeof value.query === 'function';
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
    rows.map((row) => row.body),
  ];
}
