import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 §1: the identifiers a child can carry (NHS number, PNC ID, UPN, stored normalised and
 * indexed for matching), sex as recorded, previous and alternative names, and merges of duplicate
 * children (which rows moved, so an unmerge can move exactly those back).
 */
export class AddChildIdentityAndMerges1796195000000 implements MigrationInterface {
  name = 'AddChildIdentityAndMerges1796195000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "child_merge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "survivor_id" uuid NOT NULL, "merged_id" uuid NOT NULL, "moved" jsonb NOT NULL, "merged_by" text NOT NULL, "merged_by_name" text NOT NULL, "merged_by_agency_id" uuid NOT NULL, "merged_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "undo_before" TIMESTAMP WITH TIME ZONE NOT NULL, "undone_at" TIMESTAMP WITH TIME ZONE, "undone_by" text, CONSTRAINT "PK_f86ee468e1952515194c8409374" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "child_merge_one_active" ON "child_merge"  ("merged_id") WHERE "undone_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_e79d308b4cc7963c2c2934ba98" ON "child_merge"  ("survivor_id") `);
    await queryRunner.query(`CREATE TYPE "public"."recorded_sex" AS ENUM('FEMALE', 'MALE', 'INDETERMINATE', 'NOT_KNOWN')`);
    await queryRunner.query(`ALTER TABLE "child" ADD "sex" "public"."recorded_sex"`);
    await queryRunner.query(`ALTER TABLE "child" ADD "other_names" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "child" ADD "nhs_number" text`);
    await queryRunner.query(`ALTER TABLE "child" ADD "pnc_id" text`);
    await queryRunner.query(`ALTER TABLE "child" ADD "upn" text`);
    await queryRunner.query(`ALTER TABLE "child" ADD "identifiers_agency_id" uuid`);
    await queryRunner.query(`ALTER TABLE "child" ADD "merged_into_id" uuid`);
    await queryRunner.query(`CREATE INDEX "child_merged_into" ON "child"  ("merged_into_id") WHERE "merged_into_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "child_upn" ON "child"  ("upn") WHERE "upn" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "child_pnc_id" ON "child"  ("pnc_id") WHERE "pnc_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "child_nhs_number" ON "child"  ("nhs_number") WHERE "nhs_number" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."child_nhs_number"`);
    await queryRunner.query(`DROP INDEX "public"."child_pnc_id"`);
    await queryRunner.query(`DROP INDEX "public"."child_upn"`);
    await queryRunner.query(`DROP INDEX "public"."child_merged_into"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "identifiers_agency_id"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "upn"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "pnc_id"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "nhs_number"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "other_names"`);
    await queryRunner.query(`ALTER TABLE "child" DROP COLUMN "sex"`);
    await queryRunner.query(`DROP TYPE "public"."recorded_sex"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e79d308b4cc7963c2c2934ba98"`);
    await queryRunner.query(`DROP INDEX "public"."child_merge_one_active"`);
    await queryRunner.query(`DROP TABLE "child_merge"`);
  }
}
