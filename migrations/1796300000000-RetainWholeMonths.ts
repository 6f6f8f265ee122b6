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
    await queryRunner.query(MONTH_BOUNDS);
    await queryRunner.query(DROP_MONTH);
    // Owned by the partitions' owner, who alone may drop them (the migrating role, unless a superuser
    // runs this migration for one that is not); run only by retention.
    await queryRunner.query(`DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION tandem_drop_response_month(regclass, bigint, timestamptz, boolean) OWNER TO %s',
    -- A role's name as regrole writes it, quoted where it must be.
    (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'public.disclosure_response'::regclass));
  REVOKE ALL ON FUNCTION tandem_drop_response_month(regclass, bigint, timestamptz, boolean) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION tandem_drop_response_month(regclass, bigint, timestamptz, boolean) TO tandem_retention;
END
$do$`);
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(WHOLE_MONTHS_PURGE)}`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(asRetentionRole(`EXECUTE ${dollarQuoted(purgeFunction(PURGE_BOTH))}`));
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_drop_response_month(regclass, bigint, timestamptz, boolean)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_response_month_bounds(regclass)`);
  }
}

/** Partition bounds are read back as text: in UTC and ISO, whatever the session's settings. */
const SETTINGS = `SET search_path = pg_catalog, public, pg_temp SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'`;

/** Where a month's partition of the response log starts and ends (NULLs for the default partition, or a table that is none). */
const MONTH_BOUNDS = `CREATE OR REPLACE FUNCTION tandem_response_month_bounds(part regclass, OUT starts timestamptz, OUT ends timestamptz)
LANGUAGE sql STABLE ${SETTINGS} AS $fn$
  SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']*)''\\)'))[1]::timestamptz,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz
    FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
    WHERE c.oid = part AND i.inhparent = 'public.disclosure_response'::regclass
$fn$`;

/**
 * One month's partition of the response log, for retention, in two steps. First (`dropping`
 * false, before retention deletes the batch's seals) it locks the month against inserts until the
 * run commits and answers the receipts the month holds when every response in it has its seal in
 * the batch, NULL otherwise. Then (`dropping` true, once the seals are gone) it drops the month if
 * no response in it still has a seal or waits in the sealer's queue — waiting at most two seconds
 * for the lock a drop takes on the whole table, so requests are never held longer; NULL when it
 * could not (the caller then deletes the month's rows). Either way only for a cutoff at least 365
 * days back, a batch sealed before it and a month that ended before it, under READ COMMITTED (each
 * check sees what committed before the lock). Owned by the partitions' owner, run only by retention.
 */
const DROP_MONTH = `CREATE OR REPLACE FUNCTION tandem_drop_response_month(part regclass, through_seq bigint, cutoff timestamptz, dropping boolean) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER ${SETTINGS} SET lock_timeout = '2s' AS $fn$
DECLARE
  bounds record;
  blocked boolean;
  held bigint;
BEGIN
  IF cutoff IS NULL OR cutoff > now() - interval '365 days' OR through_seq IS NULL
     OR through_seq > coalesce((SELECT max(last_seq) FROM public.disclosure_checkpoint WHERE signed_at < cutoff), 0) THEN
    RAISE EXCEPTION 'A month of the disclosure log is dropped only by retention, for batches sealed before its cutoff'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'Retention drops a month only under READ COMMITTED' USING ERRCODE = 'invalid_transaction_state';
  END IF;
  SELECT * INTO bounds FROM public.tandem_response_month_bounds(part);
  IF bounds.ends IS NULL OR bounds.ends > cutoff THEN
    RETURN NULL;
  END IF;
  IF NOT dropping THEN
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', part);
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s r WHERE NOT EXISTS (SELECT 1 FROM public.disclosure_seal s WHERE s.response_id = r.id AND s.seq <= $1))', part)
      INTO blocked USING through_seq;
  ELSE
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$s r JOIN public.disclosure_seal s ON s.response_id = r.id)
      OR EXISTS (SELECT 1 FROM public.disclosure_response_pending p JOIN %1$s r ON r.id = p.response_id AND r.recorded_at = p.recorded_at)', part)
      INTO blocked;
  END IF;
  IF blocked THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT coalesce(sum(entries), 0) FROM %s', part) INTO held;
  IF dropping THEN
    BEGIN
      EXECUTE format('DROP TABLE %s', part);
    EXCEPTION WHEN lock_not_available THEN
      RETURN NULL;
    END;
  END IF;
  RETURN held;
END
$fn$`;

/**
 * Whole months: the months wholly in the batches are checked and locked first, the batches' seals
 * and their other entries deleted, and the months dropped last, so the drop's lock on the response
 * table is held only to the commit. A month whose drop cannot get that lock is deleted row by row.
 */
const WHOLE_MONTHS_PURGE = `CREATE OR REPLACE FUNCTION tandem_purge_disclosures(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER ${SETTINGS} AS $fn$
DECLARE
  cutoff timestamptz;
  done_through integer;
  target record;
  removed bigint;
  part regclass;
  months regclass[] := '{}';
  starts timestamptz[] := '{}';
  ends timestamptz[] := '{}';
  bounds record;
  held bigint;
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
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'public.disclosure_response'::regclass ORDER BY inhrelid LOOP
    IF public.tandem_drop_response_month(part, target.last_seq, cutoff, false) IS NOT NULL THEN
      SELECT * INTO bounds FROM public.tandem_response_month_bounds(part);
      months := months || part;
      starts := starts || bounds.starts;
      ends := ends || bounds.ends;
    END IF;
  END LOOP;
  -- The batches' seals, JSON receipts and responses outside those months.
  WITH gone AS (
    DELETE FROM disclosure_seal WHERE seq <= target.last_seq RETURNING receipt_id, response_id, response_recorded_at
  ), receipts AS (
    DELETE FROM disclosure_receipt WHERE id IN (SELECT receipt_id FROM gone WHERE receipt_id IS NOT NULL) RETURNING 1
  ), responses AS (
    DELETE FROM disclosure_response
    WHERE (id, recorded_at) IN (
      SELECT g.response_id, g.response_recorded_at FROM gone g
      WHERE g.response_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM unnest(starts, ends) m(s, e) WHERE g.response_recorded_at >= m.s AND g.response_recorded_at < m.e))
    RETURNING entries
  )
  SELECT (SELECT count(*) FROM receipts) + (SELECT coalesce(sum(entries), 0) FROM responses) INTO removed;
  FOREACH part IN ARRAY months LOOP
    held := public.tandem_drop_response_month(part, target.last_seq, cutoff, true);
    IF held IS NULL THEN
      -- Not dropped (its lock not had in time): its responses go row by row, like the rest.
      SELECT * INTO bounds FROM public.tandem_response_month_bounds(part);
      WITH deleted AS (
        DELETE FROM disclosure_response WHERE recorded_at >= bounds.starts AND recorded_at < bounds.ends RETURNING entries
      ) SELECT coalesce(sum(entries), 0) INTO held FROM deleted;
    END IF;
    removed := removed + held;
  END LOOP;
  INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
    VALUES (target.id, target.last_seq, target.chain_head, removed, cutoff, now());
  RETURN removed;
END
$fn$`;
