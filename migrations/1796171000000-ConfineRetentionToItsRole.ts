import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The log's tables whose whole sealed batches retention may remove; the others lose nothing. */
const RETAINED = ['disclosure_receipt', 'disclosure_seal'];

/**
 * Retention becomes the one way anything leaves the disclosure log, and one a session cannot
 * switch on: `tandem_purge_disclosures` is owned by `tandem_retention`, a role no one logs in as
 * or is a member of, and runs as it (SECURITY DEFINER); the append-only triggers let a DELETE
 * through only when `current_user` is that role (before, a session could set `tandem.retention`).
 * And every receipt committed is counted (`disclosure_tally`, one row per insert, in the insert's
 * transaction), so `audit:verify` notices receipts removed before they were sealed. Hand-written:
 * TypeORM does not generate roles, functions or triggers.
 */
export class ConfineRetentionToItsRole1796171000000 implements MigrationInterface {
  name = 'ConfineRetentionToItsRole1796171000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_retention') THEN
    BEGIN
      CREATE ROLE tandem_retention NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'Cannot create role tandem_retention: run the migrations once as a role with CREATEROLE (or a superuser), or ask the database administrator to run CREATE ROLE tandem_retention NOLOGIN'
        USING ERRCODE = 'insufficient_privilege';
    END;
  END IF;
  IF (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'tandem_retention') THEN
    RAISE EXCEPTION 'The role tandem_retention must not log in (ALTER ROLE tandem_retention NOLOGIN)'
      USING ERRCODE = 'invalid_authorization_specification';
  END IF;
END
$do$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_refuse_log_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  -- Only tandem_purge_disclosures runs as tandem_retention: no session can become it without a
  -- membership no one is given, so no setting a session can change opens the log.
  IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'retained' AND current_user = 'tandem_retention' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'The disclosure log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$fn$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_purge_disclosures(retention_days integer) RETURNS bigint
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
  WITH gone AS (DELETE FROM disclosure_seal WHERE seq <= target.last_seq RETURNING receipt_id)
  DELETE FROM disclosure_receipt WHERE id IN (SELECT receipt_id FROM gone);
  GET DIAGNOSTICS removed = ROW_COUNT;
  INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
    VALUES (target.id, target.last_seq, target.chain_head, removed, cutoff, now());
  RETURN removed;
END
$fn$`);
    await queryRunner.query(
      `CREATE TABLE disclosure_tally (id bigserial PRIMARY KEY, receipts bigint NOT NULL, first_receipt_id bigint, last_receipt_id bigint, recorded_at timestamptz NOT NULL DEFAULT now())`,
    );
    await queryRunner.query(
      `CREATE TRIGGER disclosure_tally_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON disclosure_tally FOR EACH STATEMENT EXECUTE FUNCTION tandem_refuse_log_change('permanent')`,
    );
    // Per insert statement, in its transaction: a receipt that never committed is never counted.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_tally_receipts() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO disclosure_tally (receipts, first_receipt_id, last_receipt_id)
    SELECT count(*), min(receipt_id), max(receipt_id) FROM added HAVING count(*) > 0;
  RETURN NULL;
END
$fn$`);
    await queryRunner.query(
      `CREATE TRIGGER disclosure_pending_tally AFTER INSERT ON disclosure_pending REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION tandem_tally_receipts()`,
    );
    // What the log held before counting began (the trigger above already holds inserts back).
    await queryRunner.query(
      `INSERT INTO disclosure_tally (receipts)
       SELECT (SELECT count(*) FROM disclosure_receipt) + (SELECT coalesce(sum(receipts_removed), 0) FROM disclosure_retention)`,
    );
    await queryRunner.query(`DO $do$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tandem_retention', current_schema());
  GRANT SELECT, DELETE ON ${RETAINED.join(', ')} TO tandem_retention;
  GRANT SELECT ON disclosure_checkpoint TO tandem_retention;
  GRANT SELECT, INSERT ON disclosure_retention TO tandem_retention;
  GRANT USAGE ON SEQUENCE disclosure_retention_id_seq TO tandem_retention;
  REVOKE ALL ON FUNCTION tandem_purge_disclosures(integer) FROM PUBLIC;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    GRANT EXECUTE ON FUNCTION tandem_purge_disclosures(integer) TO tandem_gateway;
    GRANT SELECT, INSERT ON disclosure_tally TO tandem_gateway;
    GRANT USAGE ON SEQUENCE disclosure_tally_id_seq TO tandem_gateway;
    REVOKE UPDATE, DELETE, TRUNCATE ON disclosure_tally FROM tandem_gateway;
  END IF;
END
$do$`);
    // The migrating role keeps the right to run retention (`npm run audit:retention`): granted once the
    // function is no longer its own, since a grant to the owner passes to the next owner.
    await queryRunner.query(
      asRetentionRole(
        `ALTER FUNCTION tandem_purge_disclosures(integer) OWNER TO tandem_retention;
  EXECUTE format('GRANT EXECUTE ON FUNCTION tandem_purge_disclosures(integer) TO %I', current_user)`,
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(asRetentionRole('ALTER FUNCTION tandem_purge_disclosures(integer) OWNER TO CURRENT_USER'));
    await queryRunner.query(`DROP TRIGGER IF EXISTS disclosure_pending_tally ON disclosure_pending`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_tally_receipts()`);
    await queryRunner.query(`DROP TABLE IF EXISTS disclosure_tally`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_refuse_log_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'retained' AND current_setting('tandem.retention', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'The disclosure log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$fn$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_purge_disclosures(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
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
  PERFORM pg_advisory_xact_lock(7284117204);
  SELECT coalesce(max(through_checkpoint_id), 0) INTO done_through FROM disclosure_retention;
  SELECT id, last_seq, chain_head INTO target FROM disclosure_checkpoint
    WHERE signed_at < cutoff AND id > done_through ORDER BY id DESC LIMIT 1;
  IF target.id IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM set_config('tandem.retention', 'on', true);
  WITH gone AS (DELETE FROM disclosure_seal WHERE seq <= target.last_seq RETURNING receipt_id)
  DELETE FROM disclosure_receipt WHERE id IN (SELECT receipt_id FROM gone);
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('tandem.retention', 'off', true);
  INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
    VALUES (target.id, target.last_seq, target.chain_head, removed, cutoff, now());
  RETURN removed;
END
$fn$`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION tandem_purge_disclosures(integer) TO PUBLIC`);
  }
}

/**
 * Runs statements that need membership in tandem_retention (giving a function to it, or taking it
 * back). A superuser needs none; another migrating role (with CREATEROLE) joins the role for
 * the statement and leaves it again, so that afterwards no one is a member of it.
 */
export function asRetentionRole(statements: string): string {
  return `DO $do$
DECLARE
  joined boolean := false;
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    BEGIN
      EXECUTE format('GRANT tandem_retention TO %I', current_user);
      EXECUTE format('GRANT CREATE ON SCHEMA %I TO tandem_retention', current_schema());
      joined := true;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'The migrating role % cannot act for tandem_retention: run this migration once as a superuser, or give the migrating role CREATEROLE', current_user
        USING ERRCODE = 'insufficient_privilege';
    END;
  END IF;
  ${statements};
  IF joined THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM tandem_retention', current_schema());
    EXECUTE format('REVOKE tandem_retention FROM %I', current_user);
  END IF;
END
$do$`;
}
