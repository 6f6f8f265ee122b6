import type { MigrationInterface, QueryRunner } from 'typeorm';
import { asRetentionRole } from './1796171000000-ConfineRetentionToItsRole.js';

/** New tables of the log the gateway may only read and add to (default privileges gave it more). */
const LOG_TABLES = ['disclosure_dictionary', 'disclosure_response', 'disclosure_response_default', 'disclosure_response_pending'];

/**
 * The compact stored form of the disclosure log (docs/COMPACT-RECEIPTS.md): one row per response,
 * its receipts in the compact form, in a table partitioned by month of `recorded_at`; the
 * dictionary its numbers refer to; their own queue for the sealer, counted in `disclosure_tally`
 * like receipts; seals that point at a receipt or at a response; and retention over both.
 * Hand-written: TypeORM declares neither partitioned tables nor triggers and functions.
 */
export class AddCompactResponseLog1796280000000 implements MigrationInterface {
  name = 'AddCompactResponseLog1796280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A number per distinct value, handed out by the database, so any instance may add one and all
    // agree. Unique by a hash: a value (a long withheld list) may be larger than a B-tree entry.
    await queryRunner.query(`CREATE TABLE disclosure_dictionary (
  number integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind varchar(20) NOT NULL CHECK (kind IN ('DISCLOSED', 'WITHHELD', 'BASES', 'RECORD_KIND')),
  value text NOT NULL
)`);
    await queryRunner.query(`CREATE UNIQUE INDEX disclosure_dictionary_value_idx ON disclosure_dictionary (kind, md5(value))`);
    // The ids come from the receipts' sequence: one order over both forms of the log.
    await queryRunner.query(`CREATE TABLE disclosure_response (
  id bigint NOT NULL DEFAULT nextval('disclosure_receipt_id_seq'),
  recorded_at timestamptz NOT NULL,
  correlation_id varchar(100) NOT NULL,
  user_subject varchar(200) NOT NULL,
  agency_id uuid NOT NULL,
  case_system_id uuid NOT NULL,
  purpose varchar(30),
  entries integer NOT NULL CHECK (entries > 0),
  break_glass boolean NOT NULL,
  after_allocation_ended boolean NOT NULL,
  flagged boolean NOT NULL,
  children uuid[] NOT NULL,
  records uuid[] NOT NULL,
  owners uuid[] NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (id, recorded_at)
) PARTITION BY RANGE (recorded_at)`);
    await queryRunner.query(`ALTER TABLE disclosure_response ALTER COLUMN body SET STORAGE MAIN`);
    for (const [name, definition] of [
      ['user', 'btree (user_subject, id)'],
      ['agency', 'btree (agency_id, id)'],
      ['case_system', 'btree (case_system_id, id)'],
      ['children', 'gin (children)'],
      ['records', 'gin (records)'],
      ['owners', 'gin (owners)'],
      ['recorded_at_brin', 'brin (recorded_at)'],
    ]) {
      await queryRunner.query(`CREATE INDEX disclosure_response_${name}_idx ON disclosure_response USING ${definition}`);
    }
    await queryRunner.query(`CREATE INDEX disclosure_response_flagged_idx ON disclosure_response (id) WHERE flagged`);
    await queryRunner.query(`CREATE INDEX disclosure_response_break_glass_idx ON disclosure_response (id) WHERE break_glass`);
    // Whatever no month's partition takes (a clock far off, a month not yet added): an insert never fails for want of one.
    await queryRunner.query(`CREATE TABLE disclosure_response_default PARTITION OF disclosure_response DEFAULT`);
    await queryRunner.query(
      `CREATE TABLE disclosure_response_pending (response_id bigint PRIMARY KEY, recorded_at timestamptz NOT NULL, entries integer NOT NULL CHECK (entries > 0))`,
    );
    // Seals point at a receipt or at a response; a response's seal carries its month, to find its partition.
    await queryRunner.query(`ALTER TABLE disclosure_seal ALTER COLUMN receipt_id DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE disclosure_seal ADD response_id bigint, ADD response_recorded_at timestamptz`);
    await queryRunner.query(`DROP INDEX disclosure_seal_receipt_idx`);
    await queryRunner.query(`CREATE UNIQUE INDEX disclosure_seal_receipt_idx ON disclosure_seal (receipt_id) WHERE receipt_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX disclosure_seal_response_idx ON disclosure_seal (response_id) WHERE response_id IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE disclosure_seal ADD CONSTRAINT disclosure_seal_one_entry CHECK ((receipt_id IS NULL) <> (response_id IS NULL) AND (response_id IS NULL) = (response_recorded_at IS NULL))`,
    );
    for (const [table, kind] of [
      ['disclosure_dictionary', 'permanent'],
      ['disclosure_response', 'retained'],
      ['disclosure_response_default', 'retained'],
      ['disclosure_response_pending', 'queue'],
    ] as const) {
      // The queue's rows leave only by the sealer's DELETE, as disclosure_pending's do.
      const operations = kind === 'queue' ? 'UPDATE OR TRUNCATE' : 'UPDATE OR DELETE OR TRUNCATE';
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE ${operations} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION tandem_refuse_log_change('${kind}')`,
      );
    }
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_tally_responses() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO disclosure_tally (receipts, first_receipt_id, last_receipt_id)
    SELECT sum(entries), min(response_id), max(response_id) FROM added HAVING count(*) > 0;
  RETURN NULL;
END
$fn$`);
    await queryRunner.query(
      `CREATE TRIGGER disclosure_response_pending_tally AFTER INSERT ON disclosure_response_pending REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION tandem_tally_responses()`,
    );
    await queryRunner.query(ADD_PARTITIONS);
    await queryRunner.query(`SELECT tandem_add_response_partitions(2, 0)`);
    await queryRunner.query(`DO $do$
BEGIN
  GRANT SELECT, DELETE ON disclosure_response TO tandem_retention;
  -- A function may be run by anyone unless taken back: this one only by the gateway (and the owner).
  REVOKE ALL ON FUNCTION tandem_add_response_partitions(integer, integer) FROM PUBLIC;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON ${LOG_TABLES.join(', ')} FROM tandem_gateway;
    GRANT DELETE ON disclosure_response_pending TO tandem_gateway;
    GRANT EXECUTE ON FUNCTION tandem_add_response_partitions(integer, integer) TO tandem_gateway;
  END IF;
END
$do$`);
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(purgeFunction(PURGE_BOTH))}`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(purgeFunction(PURGE_RECEIPTS))}`));
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_add_response_partitions(integer, integer)`);
    await queryRunner.query(`DROP TABLE IF EXISTS disclosure_response_pending`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_tally_responses()`);
    await queryRunner.query(`DROP TABLE IF EXISTS disclosure_response`);
    await queryRunner.query(`DROP TABLE IF EXISTS disclosure_dictionary`);
    await queryRunner.query(`ALTER TABLE disclosure_seal DROP CONSTRAINT disclosure_seal_one_entry`);
    await queryRunner.query(`DROP INDEX disclosure_seal_response_idx`);
    await queryRunner.query(`DROP INDEX disclosure_seal_receipt_idx`);
    await queryRunner.query(`CREATE UNIQUE INDEX disclosure_seal_receipt_idx ON disclosure_seal (receipt_id)`);
    await queryRunner.query(`ALTER TABLE disclosure_seal DROP COLUMN response_id, DROP COLUMN response_recorded_at`);
    await queryRunner.query(`ALTER TABLE disclosure_seal ALTER COLUMN receipt_id SET NOT NULL`);
  }
}

/**
 * Adds the months' partitions (this month, `months_ahead` more and `months_back` before, UTC) that
 * are missing (an operator loading an older log, the bench seeding one, needs past months), each
 * append-only like its parent (a statement on a partition by name does not fire its parent's
 * triggers) and readable and appendable only by the gateway. A month some of whose responses went
 * to the default partition is left there. Runs as the tables' owner, for the gateway's sealer.
 */
const ADD_PARTITIONS = `CREATE OR REPLACE FUNCTION tandem_add_response_partitions(months_ahead integer, months_back integer DEFAULT 0) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
  month timestamp;
  starts timestamptz;
  ends timestamptz;
  name text;
  added integer := 0;
BEGIN
  FOR i IN -least(greatest(months_back, 0), 120)..least(greatest(months_ahead, 0), 24) LOOP
    -- Months counted in UTC: a timestamptz plus a month would be counted in the session's time zone.
    month := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i);
    starts := month AT TIME ZONE 'UTC';
    ends := (month + interval '1 month') AT TIME ZONE 'UTC';
    name := 'disclosure_response_' || to_char(month, 'YYYYMM');
    CONTINUE WHEN to_regclass('public.' || name) IS NOT NULL;
    CONTINUE WHEN EXISTS (SELECT 1 FROM disclosure_response_default d WHERE d.recorded_at >= starts AND d.recorded_at < ends);
    -- Named with its schema: the first on this function's search path is pg_catalog.
    EXECUTE format('CREATE TABLE public.%I PARTITION OF public.disclosure_response FOR VALUES FROM (%L) TO (%L)', name, starts, ends);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE OR TRUNCATE ON public.%I FOR EACH STATEMENT EXECUTE FUNCTION public.tandem_refuse_log_change(%L)',
      name || '_append_only', name, 'retained');
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM tandem_gateway', name);
    END IF;
    added := added + 1;
  END LOOP;
  RETURN added;
END
$fn$`;

const PURGE_RECEIPTS = `WITH gone AS (DELETE FROM disclosure_seal WHERE seq <= target.last_seq RETURNING receipt_id)
  DELETE FROM disclosure_receipt WHERE id IN (SELECT receipt_id FROM gone);
  GET DIAGNOSTICS removed = ROW_COUNT;`;

/** Responses count by their receipts; each is found in its month's partition. */
export const PURGE_BOTH = `WITH gone AS (
    DELETE FROM disclosure_seal WHERE seq <= target.last_seq RETURNING receipt_id, response_id, response_recorded_at
  ), receipts AS (
    DELETE FROM disclosure_receipt WHERE id IN (SELECT receipt_id FROM gone WHERE receipt_id IS NOT NULL) RETURNING 1
  ), responses AS (
    DELETE FROM disclosure_response
    WHERE (id, recorded_at) IN (SELECT response_id, response_recorded_at FROM gone WHERE response_id IS NOT NULL)
    RETURNING entries
  )
  SELECT (SELECT count(*) FROM receipts) + (SELECT coalesce(sum(entries), 0) FROM responses) INTO removed;`;

export function purgeFunction(removal: string): string {
  return `CREATE OR REPLACE FUNCTION tandem_purge_disclosures(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
  cutoff timestamptz;
  done_through integer;
  target record;
  removed bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 365 THEN
    RAISE EXCEPTION 'Disclosure receipts are kept for at least 365 days' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  cutoff := now() - make_interval(days => retention_days);
  -- One at a time, and never while the sealer extends the chain.
  PERFORM pg_advisory_xact_lock(7284117204);
  SELECT coalesce(max(through_checkpoint_id), 0) INTO done_through FROM disclosure_retention;
  -- Every receipt of a checkpoint signed before the cutoff was recorded before it.
  SELECT id, last_seq, chain_head INTO target FROM disclosure_checkpoint
    WHERE signed_at < cutoff AND id > done_through ORDER BY id DESC LIMIT 1;
  IF target.id IS NULL THEN
    RETURN 0;
  END IF;
  ${removal}
  INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
    VALUES (target.id, target.last_seq, target.chain_head, removed, cutoff, now());
  RETURN removed;
END
$fn$`;
}

/** A statement as a dollar-quoted literal for EXECUTE inside a DO block (the function's own $fn$ quotes stay inside). */
export function dollarQuoted(sql: string): string {
  return `$stmt$${sql}$stmt$`;
}
