import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification runs of the disclosure log (server-side or `audit:verify`): one at a time, by a
 * partial unique index. Written by hand from TypeORM's schema diff for AuditVerificationRunEntity
 * (the build that `migration:generate` needs could not run); `migration:check` should find no drift.
 */
export class AddAuditVerificationRuns1796240000000 implements MigrationInterface {
  name = 'AddAuditVerificationRuns1796240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."audit_verification_state" AS ENUM('RUNNING', 'PASSED', 'FAILED', 'ERROR')`);
    await queryRunner.query(`CREATE TABLE "audit_verification_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "state" "public"."audit_verification_state" NOT NULL, "origin" character varying(10) NOT NULL, "started_by" text NOT NULL, "started_by_name" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "heartbeat_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "checked" bigint NOT NULL DEFAULT '0', "total" bigint NOT NULL DEFAULT '0', "checkpoints" integer, "chain_head" text, "failure_receipt_id" bigint, "failure_seq" bigint, "failure_checkpoint_id" integer, "failures" text array NOT NULL DEFAULT '{}', CONSTRAINT "audit_verification_run_finished" CHECK (("state" = 'RUNNING') = ("finished_at" IS NULL)), CONSTRAINT "PK_95f593e1f953cb20956d621b8e1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_verification_run_started_idx" ON "audit_verification_run"  ("started_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "audit_verification_run_one_running" ON "audit_verification_run"  ("state") WHERE "state" = 'RUNNING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_verification_run_one_running"`);
    await queryRunner.query(`DROP INDEX "public"."audit_verification_run_started_idx"`);
    await queryRunner.query(`DROP TABLE "audit_verification_run"`);
    await queryRunner.query(`DROP TYPE "public"."audit_verification_state"`);
  }
}
