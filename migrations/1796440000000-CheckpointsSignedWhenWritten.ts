import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention removes the batches of checkpoints signed before its cutoff, so a checkpoint's signing
 * time is what makes receipts old enough to remove. The gateway's role writes checkpoints (it seals),
 * and could write one dated years ago covering today's seals, or one covering seals not written
 * yet; retention would then remove them. Now a checkpoint written by any role but the tables'
 * owner (who may alter the log's triggers anyway) is dated within five minutes of the database's
 * clock and covers, one after the last checkpoint, only seals already written, every one of them;
 * and a seal it writes follows the last checkpoint's range (never one retention would remove).
 * Hand-written: TypeORM does not generate triggers.
 */
export class CheckpointsSignedWhenWritten1796440000000 implements MigrationInterface {
  name = 'CheckpointsSignedWhenWritten1796440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_checkpoint_as_sealed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
DECLARE
  previous record;
  covered bigint;
BEGIN
  IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF NEW.signed_at IS NULL OR NEW.signed_at < statement_timestamp() - interval '5 minutes' OR NEW.signed_at > statement_timestamp() + interval '5 minutes' THEN
    RAISE EXCEPTION 'A checkpoint is dated when it is written: within five minutes of the database''s clock'
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT id, last_seq INTO previous FROM public.disclosure_checkpoint ORDER BY id DESC LIMIT 1;
  IF NEW.id <= coalesce(previous.id, 0) OR NEW.first_seq <> coalesce(previous.last_seq, 0) + 1 OR NEW.last_seq < NEW.first_seq THEN
    RAISE EXCEPTION 'A checkpoint covers at least one seal, starting after the last checkpoint''s'
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT count(*) INTO covered FROM public.disclosure_seal WHERE seq BETWEEN NEW.first_seq AND NEW.last_seq;
  IF covered <> NEW.last_seq - NEW.first_seq + 1 THEN
    RAISE EXCEPTION 'A checkpoint covers only seals already written, every one of them'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$fn$`);
    await queryRunner.query(
      `CREATE TRIGGER disclosure_checkpoint_as_sealed BEFORE INSERT ON disclosure_checkpoint FOR EACH ROW EXECUTE FUNCTION tandem_checkpoint_as_sealed()`,
    );
    // Retention removes the seals up to a checkpoint and what they name: a seal written into a
    // range already checkpointed (a negative seq, one retention freed) would have it remove a
    // receipt of today. Seals follow the last checkpoint, as the sealer writes them.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_seal_as_sealed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $fn$
BEGIN
  IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM inserted WHERE seq <= coalesce((SELECT last_seq FROM public.disclosure_checkpoint ORDER BY id DESC LIMIT 1), 0)) THEN
    RAISE EXCEPTION 'A seal follows the last checkpoint''s' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$fn$`);
    await queryRunner.query(
      `CREATE TRIGGER disclosure_seal_as_sealed AFTER INSERT ON disclosure_seal REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tandem_seal_as_sealed()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS disclosure_seal_as_sealed ON disclosure_seal`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_seal_as_sealed()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS disclosure_checkpoint_as_sealed ON disclosure_checkpoint`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_checkpoint_as_sealed()`);
  }
}
