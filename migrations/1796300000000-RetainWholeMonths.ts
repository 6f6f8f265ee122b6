import type { MigrationInterface, QueryRunner } from 'typeorm';
import { asRetentionRole } from './1796171000000-ConfineRetentionToItsRole.js';
import { dollarQuoted, PURGE_BOTH, purgeFunction } from './1796280000000-AddCompactResponseLog.js';

/**
 * Retention by whole months (docs/DISCLOSURE-LOG.md#retention): a run's cutoff is the start of the
 * cutoff's month (UTC) plus an hour for the sealer, so every run within a month removes the same
 * batches, once; and a month's partition of the response log whose every response is in those
 * batches is dropped whole instead of deleted row by row. Hand-written: TypeORM does not generate
 * functions.
 */
export class RetainWholeMonths1796300000000 implements MigrationInterface {
  name = 'RetainWholeMonths1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Owned by the partitions' owner (the migrating role), who alone may drop them; run only by retention.
    await queryRunner.query(DROP_MONTH);
    await queryRunner.query(`DO $do$
BEGIN
  REVOKE ALL ON FUNCTION tandem_drop_response_month(regclass, bigint, timestamptz) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION tandem_drop_response_month(regclass, bigint, timestamptz) TO tandem_retention;
END
$do$`);
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(WHOLE_MONTHS_PURGE)}`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(purgeFunction(PURGE_BOTH))}`));
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_drop_response_month(regclass, bigint, timestamptz)`);
  }
}

/**
 * Drops one month's partition of the response log when retention may remove every response in it:
 * the month ended before the cutoff, the cutoff is at least 365 days back, the batch retention
 * removes was sealed before it, and every response of the month has its seal in that batch (a
 * response still in the sealer's queue keeps its month). The month is locked against inserts first,
 * so none lands in it between the check and the drop. Returns the receipts the month held, or NULL
 * when it stays (the default partition always does). Checked here as well as by the caller: the
 * function drops nothing retention would not remove.
 */
const DROP_MONTH = `CREATE OR REPLACE FUNCTION tandem_drop_response_month(part regclass, through_seq bigint, cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
  ends timestamptz;
  unsealed boolean;
  held bigint;
BEGIN
  IF cutoff IS NULL OR cutoff > now() - interval '365 days' OR through_seq IS NULL
     OR through_seq > coalesce((SELECT max(last_seq) FROM public.disclosure_checkpoint WHERE signed_at < cutoff), 0) THEN
    RAISE EXCEPTION 'A month of the disclosure log is dropped only by retention, for batches sealed before its cutoff'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- A month's range ends where its bound says (the default partition has none).
  SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz INTO ends
    FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
    WHERE c.oid = part AND i.inhparent = 'public.disclosure_response'::regclass;
  IF ends IS NULL OR ends > cutoff THEN
    RETURN NULL;
  END IF;
  EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', part);
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s r WHERE NOT EXISTS (SELECT 1 FROM public.disclosure_seal s WHERE s.response_id = r.id AND s.seq <= $1))', part)
    INTO unsealed USING through_seq;
  IF unsealed THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT coalesce(sum(entries), 0) FROM %s', part) INTO held;
  EXECUTE format('DROP TABLE %s', part);
  RETURN held;
END
$fn$`;

/** Whole months: the responses of dropped months count by their receipts like the rows deleted. */
const WHOLE_MONTHS_PURGE = `CREATE OR REPLACE FUNCTION tandem_purge_disclosures(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
  cutoff timestamptz;
  done_through integer;
  target record;
  removed bigint;
  part regclass;
  dropped bigint := 0;
BEGIN
  IF retention_days IS NULL OR retention_days < 365 THEN
    RAISE EXCEPTION 'Disclosure receipts are kept for at least 365 days' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  cutoff := now() - make_interval(days => retention_days);
  -- Whole months: the start of the cutoff's month (UTC), plus an hour for the sealer to seal that
  -- month's last responses. Every run within a month then removes the same batches, once.
  cutoff := least(cutoff, (date_trunc('month', cutoff AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + interval '1 hour');
  -- One at a time, and never while the sealer extends the chain.
  PERFORM pg_advisory_xact_lock(7284117204);
  SELECT coalesce(max(through_checkpoint_id), 0) INTO done_through FROM disclosure_retention;
  -- Every receipt of a checkpoint signed before the cutoff was recorded before it.
  SELECT id, last_seq, chain_head INTO target FROM disclosure_checkpoint
    WHERE signed_at < cutoff AND id > done_through ORDER BY id DESC LIMIT 1;
  IF target.id IS NULL THEN
    RETURN 0;
  END IF;
  -- Months wholly in these batches go at once; what is left of the batches, row by row.
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'public.disclosure_response'::regclass ORDER BY inhrelid LOOP
    dropped := dropped + coalesce(public.tandem_drop_response_month(part, target.last_seq, cutoff), 0);
  END LOOP;
  ${PURGE_BOTH}
  removed := removed + dropped;
  INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
    VALUES (target.id, target.last_seq, target.chain_head, removed, cutoff, now());
  RETURN removed;
END
$fn$`;
