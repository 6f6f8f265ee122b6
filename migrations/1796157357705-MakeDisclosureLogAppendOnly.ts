import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The log's tables: receipts and their seals may lose whole sealed batches to retention, the rest nothing. */
const RETAINED = ['disclosure_receipt', 'disclosure_seal'];
const PERMANENT = ['disclosure_checkpoint', 'audit_signing_key', 'disclosure_retention', 'anomaly_disposition'];
const APPEND_ONLY = [...RETAINED, ...PERMANENT];

/**
 * The disclosure log is append-only, enforced by PostgreSQL twice: triggers refuse UPDATE, DELETE
 * and TRUNCATE on its tables for everyone (retention's own function excepted, for whole sealed
 * batches), and the `tandem_gateway` role, which the gateway's login role should be a member of,
 * may only insert and select there. Hand-written: TypeORM does not generate triggers, roles or
 * grants.
 */
export class MakeDisclosureLogAppendOnly1796157357705 implements MigrationInterface {
  name = 'MakeDisclosureLogAppendOnly1796157357705';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_refuse_log_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  -- Only tandem_purge_disclosures sets this, inside its own transaction, for whole sealed batches.
  IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'retained' AND current_setting('tandem.retention', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'The disclosure log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$fn$`);
    for (const table of APPEND_ONLY) {
      const kind = RETAINED.includes(table) ? 'retained' : 'permanent';
      // Per statement, so that even a change that matches no row is refused.
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION tandem_refuse_log_change('${kind}')`,
      );
    }
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
  -- One at a time, and never while the sealer extends the chain.
  PERFORM pg_advisory_xact_lock(7284117204);
  SELECT coalesce(max(through_checkpoint_id), 0) INTO done_through FROM disclosure_retention;
  -- Every receipt of a checkpoint signed before the cutoff was recorded before it.
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
    // The gateway's privileges, given to a role its login role is made a member of (README).
    await queryRunner.query(`DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    BEGIN
      CREATE ROLE tandem_gateway NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'Cannot create role tandem_gateway; ask the database administrator to create it, then run the migrations again';
      RETURN;
    END;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tandem_gateway', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tandem_gateway', current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO tandem_gateway', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tandem_gateway', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO tandem_gateway', current_schema());
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM tandem_gateway;
  REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY.join(', ')} FROM tandem_gateway;
  GRANT EXECUTE ON FUNCTION tandem_purge_disclosures(integer) TO tandem_gateway;
END
$do$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    GRANT UPDATE, DELETE ON ${APPEND_ONLY.join(', ')} TO tandem_gateway;
  END IF;
END
$do$`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_purge_disclosures(integer)`);
    for (const table of APPEND_ONLY) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_refuse_log_change()`);
  }
}
