import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = [
  ['COURT_ORDER', 'court_order_reference', 'court_order_permission_id'],
  ['CONSENT', 'consent_reference', 'consent_permission_id'],
  ['THIRD_PARTY_PERMISSION', 'third_party_permission_reference', 'third_party_permission_id'],
] as const;

/**
 * Each court order, consent (C1) or third-party permission (C2) recorded on a record gets its own
 * row and id, so a receipt can name the permission a disclosure relied on. References recorded
 * before get a row each, by an unknown recorder, dated by the record's last change.
 */
export class AddDisclosurePermissions1796180000002 implements MigrationInterface {
  name = 'AddDisclosurePermissions1796180000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."disclosure_permission_kind" AS ENUM('COURT_ORDER', 'CONSENT', 'THIRD_PARTY_PERMISSION')`);
    await queryRunner.query(`CREATE TABLE "disclosure_permission" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "kind" "public"."disclosure_permission_kind" NOT NULL, "reference" text NOT NULL, "recorded_by" text NOT NULL, "recorded_by_agency_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4ac1d0823865021f8c0bcea09f4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_737eb0d6383bffd10183cccb36" ON "disclosure_permission"  ("record_id", "recorded_at") `);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "court_order_permission_id" uuid`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "consent_permission_id" uuid`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "third_party_permission_id" uuid`);
    await queryRunner.query(`ALTER TABLE "disclosure_permission" ADD CONSTRAINT "FK_a2ef4c856004aee3f1b2fab4b57" FOREIGN KEY ("record_id") REFERENCES "shared_record"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    for (const [kind, reference, permission] of KINDS) {
      await queryRunner.query(
        `INSERT INTO "disclosure_permission" ("record_id", "kind", "reference", "recorded_by", "recorded_by_agency_id", "recorded_at")
         SELECT "id", '${kind}'::"public"."disclosure_permission_kind", "${reference}", '(recorded before permissions had ids)', "owning_agency_id", "updated_at"
         FROM "shared_record" WHERE "${reference}" IS NOT NULL`,
      );
      await queryRunner.query(
        `UPDATE "shared_record" r SET "${permission}" = p."id" FROM "disclosure_permission" p
         WHERE p."record_id" = r."id" AND p."kind" = '${kind}' AND r."${reference}" IS NOT NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "disclosure_permission" DROP CONSTRAINT "FK_a2ef4c856004aee3f1b2fab4b57"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "third_party_permission_id"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "consent_permission_id"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "court_order_permission_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_737eb0d6383bffd10183cccb36"`);
    await queryRunner.query(`DROP TABLE "disclosure_permission"`);
    await queryRunner.query(`DROP TYPE "public"."disclosure_permission_kind"`);
  }
}
