import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The CSC operations manager's decision on a release plan (003 §8.3), and the release checklist and looked-after review as record kinds. */
export class ReleasePlanDecisionAndChecklist1796235000000 implements MigrationInterface {
  name = 'ReleasePlanDecisionAndChecklist1796235000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."record_signature_decision" AS ENUM('AGREED', 'NOT_AGREED')`);
    await queryRunner.query(`ALTER TABLE "record_signature" ADD "decision" "public"."record_signature_decision" NOT NULL DEFAULT 'AGREED'`);
    await queryRunner.query(`ALTER TABLE "record_signature" ADD "reason" text`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind" ADD VALUE IF NOT EXISTS 'RELEASE_CHECKLIST'`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind" ADD VALUE IF NOT EXISTS 'LOOKED_AFTER_REVIEW'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_aaa899395263284ff9b8691f1e"`);
    await queryRunner.query(`CREATE TYPE "public"."record_kind_old" AS ENUM('ASSET_PLUS', 'ONSET', 'SINGLE_ASSESSMENT', 'EARLY_HELP_ASSESSMENT', 'CUSTODY_VISIT_ASSESSMENT', 'CARE_PLAN', 'PLACEMENT_PLAN', 'DETENTION_PLACEMENT_PLAN', 'PATHWAY_PLAN', 'INTERVENTION_PLAN', 'RELEASE_PLAN', 'PLANNING_MEETING_RECORD', 'CUSTODY_INFORMATION_PACK', 'AIM3_ASSESSMENT', 'SETTLING_IN_REPORT')`);
    await queryRunner.query(`ALTER TABLE "shared_record" ALTER COLUMN "kind" TYPE "public"."record_kind_old" USING "kind"::"text"::"public"."record_kind_old"`);
    await queryRunner.query(`DROP TYPE "public"."record_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind_old" RENAME TO "record_kind"`);
    await queryRunner.query(`CREATE INDEX "IDX_aaa899395263284ff9b8691f1e" ON "shared_record" USING btree ("child_id", "kind") `);
    await queryRunner.query(`ALTER TABLE "record_signature" DROP COLUMN "reason"`);
    await queryRunner.query(`ALTER TABLE "record_signature" DROP COLUMN "decision"`);
    await queryRunner.query(`DROP TYPE "public"."record_signature_decision"`);
  }
}
