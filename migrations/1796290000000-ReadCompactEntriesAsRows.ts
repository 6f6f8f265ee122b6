import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The most receipts one response row holds (src/disclosure/compact/response-columns.ts, MAX_ENTRIES). */
const MAX_ENTRIES = 1024;

/**
 * Every entry of the log as a row of its own, whichever form stores it, for the readers that
 * filter and count entries (the auditors' API, subject access, exports, the anomaly scan): the views
 * `disclosure_receipt_entry` and `disclosure_response_entry`, and `disclosure_entry` of both. A response row carries an entry map (per receipt: kind, outcome, flags and
 * the places of its child, record and owner in the row's arrays) that the view unnests, and its
 * entries' ids are its id plus their place: the ids' sequence now steps by MAX_ENTRIES, so those
 * ids belong to no other row and entries of both forms keep one order. The arrays and flags of
 * both forms are columns of the view, so a reader can name an indexable condition for each branch
 * (`child_id = $1 AND children @> ARRAY[$1]`). Hand-written: TypeORM declares no views over
 * partitioned tables.
 */
export class ReadCompactEntriesAsRows1796290000000 implements MigrationInterface {
  name = 'ReadCompactEntriesAsRows1796290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER SEQUENCE disclosure_receipt_id_seq INCREMENT BY ${MAX_ENTRIES}`);
    // Requests wrote no responses before this migration (only tests and the bench did).
    await queryRunner.query(`ALTER TABLE disclosure_response ADD COLUMN entry_map bytea NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE disclosure_response ADD CONSTRAINT disclosure_response_entry_map
       CHECK (entries <= ${MAX_ENTRIES} AND octet_length(entry_map) = entries * 7)`,
    );
    // Each form as a view of its own (simple views, which the planner folds into a query, so an
    // ORDER BY … LIMIT on one of them walks an index), and both together.
    await queryRunner.query(`CREATE VIEW disclosure_receipt_entry AS
SELECT r.id, r.id AS base, 0 AS place, false AS compact, r.recorded_at, r.entry_kind, r.outcome, r.user_subject,
  r.agency_id, r.case_system_id, r.child_id, r.record_kind, r.record_id, r.owning_agency_id, r.purpose, r.break_glass,
  r.after_allocation_ended, r.correlation_id, r.body,
  ARRAY[r.child_id] AS children, ARRAY[r.record_id] AS records, ARRAY[r.owning_agency_id] AS owners,
  r.break_glass AS any_break_glass, (r.break_glass OR r.after_allocation_ended OR r.outcome <> 'DISCLOSED') AS flagged
FROM disclosure_receipt r`);
    await queryRunner.query(`CREATE VIEW disclosure_response_entry AS
SELECT s.id + e.place AS id, s.id AS base, e.place, true AS compact, s.recorded_at,
  (ARRAY['DISCLOSURE', 'CONSULTATION', 'ALTERATION', 'AUDIT_QUERY']::varchar[])[1 + (e.code & 3)] AS entry_kind,
  (ARRAY['DISCLOSED', 'DENIED', 'NOT_FOUND', 'ALTERED', 'AUDITED']::varchar[])[1 + ((e.code >> 2) & 7)] AS outcome,
  s.user_subject, s.agency_id, s.case_system_id,
  s.children[get_byte(s.entry_map, e.at + 1) * 256 + get_byte(s.entry_map, e.at + 2)] AS child_id,
  NULL::varchar AS record_kind,
  s.records[get_byte(s.entry_map, e.at + 3) * 256 + get_byte(s.entry_map, e.at + 4)] AS record_id,
  s.owners[get_byte(s.entry_map, e.at + 5) * 256 + get_byte(s.entry_map, e.at + 6)] AS owning_agency_id,
  s.purpose, (e.code & 32) <> 0 AS break_glass, (e.code & 64) <> 0 AS after_allocation_ended, s.correlation_id, s.body,
  s.children, s.records, s.owners, s.break_glass AS any_break_glass, s.flagged
FROM disclosure_response s
CROSS JOIN LATERAL (
  SELECT p AS place, p * 7 AS at, get_byte(s.entry_map, p * 7) AS code FROM generate_series(0, s.entries - 1) AS p
) e`);
    await queryRunner.query(`CREATE VIEW disclosure_entry AS
SELECT * FROM disclosure_receipt_entry UNION ALL SELECT * FROM disclosure_response_entry`);
    // Default privileges gave the gateway more than reading; a view of two tables takes no writes anyway.
    await queryRunner.query(`DO $do$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE ALL ON disclosure_entry, disclosure_receipt_entry, disclosure_response_entry FROM tandem_gateway;
    GRANT SELECT ON disclosure_entry, disclosure_receipt_entry, disclosure_response_entry TO tandem_gateway;
  END IF;
END $do$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW disclosure_entry`);
    await queryRunner.query(`DROP VIEW disclosure_response_entry`);
    await queryRunner.query(`DROP VIEW disclosure_receipt_entry`);
    await queryRunner.query(`ALTER TABLE disclosure_response DROP CONSTRAINT disclosure_response_entry_map`);
    await queryRunner.query(`ALTER TABLE disclosure_response DROP COLUMN entry_map`);
    await queryRunner.query(`ALTER SEQUENCE disclosure_receipt_id_seq INCREMENT BY 1`);
  }
}
