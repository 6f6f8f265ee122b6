import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shared_record.shared_at`: when a record last changed as other agencies see it (its latest FINAL
 * version, or its withdrawal or reinstatement), kept by the database so that no write path can miss
 * it. Another agency's record lists are ordered (and their cursors keyed) by it instead of
 * `updated_at`, which a draft moves: the order showed when the owner saved a draft.
 */
export class ListRecordsByWhatReadersMayKnow1796436002519 implements MigrationInterface {
  name = 'ListRecordsByWhatReadersMayKnow1796436002519';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "shared_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE FUNCTION tandem_note_final_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE shared_record SET shared_at = greatest(shared_at, NEW.created_at) WHERE id = NEW.record_id;
  RETURN NULL;
END
$$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER shared_record_version_final AFTER INSERT OR UPDATE OF status ON shared_record_version
       FOR EACH ROW WHEN (NEW.status = 'FINAL') EXECUTE FUNCTION tandem_note_final_version()`,
    );
    await queryRunner.query(
      `CREATE FUNCTION tandem_note_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.shared_at := greatest(OLD.shared_at, now());
  RETURN NEW;
END
$$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER shared_record_withdrawal BEFORE UPDATE OF withdrawn_at ON shared_record
       FOR EACH ROW WHEN (NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at) EXECUTE FUNCTION tandem_note_withdrawal()`,
    );
    await queryRunner.query(
      `UPDATE shared_record r SET shared_at = greatest(
         (SELECT max(v.created_at) FROM shared_record_version v WHERE v.record_id = r.id AND v.status = 'FINAL'), r.withdrawn_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER shared_record_withdrawal ON shared_record`);
    await queryRunner.query(`DROP FUNCTION tandem_note_withdrawal()`);
    await queryRunner.query(`DROP TRIGGER shared_record_version_final ON shared_record_version`);
    await queryRunner.query(`DROP FUNCTION tandem_note_final_version()`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "shared_at"`);
  }
}
