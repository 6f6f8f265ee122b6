import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAccessPolicy1795532938185 implements MigrationInterface {
  name = 'AddAccessPolicy1795532938185';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "break_glass_access" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "subject" text NOT NULL, "agency_id" uuid NOT NULL, "justification" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_44e3a3b4c281ed2b7d43318069f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_bac8ac8d4f6bfa38cbb239412e" ON "break_glass_access"  ("child_id", "subject", "expires_at") `);
    await queryRunner.query(`CREATE TYPE "public"."restriction_kind" AS ENUM('POLICE_HSB_INVESTIGATION', 'CONTACT_RESTRICTION')`);
    await queryRunner.query(`CREATE TABLE "child_restriction" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "kind" "public"."restriction_kind" NOT NULL, "restricted_subject" text, "restricted_agency_id" uuid, "details" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "recorded_by" text NOT NULL, "recorded_by_agency_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_21e6ef1f7c74d91463ece869971" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0683c6d6d9b0116291bb695788" ON "child_restriction"  ("child_id", "kind") `);
    await queryRunner.query(`CREATE TABLE "practitioner_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practitioner_id" uuid NOT NULL, "child_id" uuid NOT NULL, "kind" text NOT NULL, "message" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3c4f0eb4f5a137876111e68fcf9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b57627f225f48df2ca07a7afc4" ON "practitioner_alert"  ("practitioner_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "sharing_agreement_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agreement_id" text NOT NULL, "version" integer NOT NULL, "checksum" text NOT NULL, "action" text NOT NULL, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dc55f9a2379bfb1263d44cfaccd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "sharing_agreement" ("id" text NOT NULL, "version" integer NOT NULL, "document" jsonb NOT NULL, "checksum" text NOT NULL, "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2c41643ab8c3cf0c2e03b64d8d3" PRIMARY KEY ("id", "version"))`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "court_order_reference" text`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "consent_reference" text`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "third_party_permission_reference" text`);
    await queryRunner.query(`DROP INDEX "public"."agency_involvement_one_open_per_role"`);
    await queryRunner.query(`ALTER TYPE "public"."involvement_role" ADD VALUE 'POLICE'`);
    await queryRunner.query(`ALTER TYPE "public"."involvement_role" ADD VALUE 'PROBATION'`);
    await queryRunner.query(`DROP INDEX "public"."worker_allocation_one_open_per_role"`);
    await queryRunner.query(`ALTER TYPE "public"."allocation_role" ADD VALUE 'VISITING_REPRESENTATIVE'`);
    await queryRunner.query(`ALTER TYPE "public"."allocation_role" ADD VALUE 'PROBATION_OFFICER'`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aaa899395263284ff9b8691f1e"`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind" ADD VALUE 'CUSTODY_INFORMATION_PACK'`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind" ADD VALUE 'AIM3_ASSESSMENT'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "agency_involvement_one_open_per_role" ON "agency_involvement"  ("child_id", "agency_id", "role") WHERE "end_date" IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "worker_allocation_one_open_per_role" ON "worker_allocation"  ("child_id", "practitioner_id", "role") WHERE "end_date" IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_aaa899395263284ff9b8691f1e" ON "shared_record"  ("child_id", "kind") `);
    await queryRunner.query(`ALTER TABLE "child_restriction" ADD CONSTRAINT "FK_49b75f32cfa05e0a727a43f735e" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "child_restriction" DROP CONSTRAINT "FK_49b75f32cfa05e0a727a43f735e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aaa899395263284ff9b8691f1e"`);
    await queryRunner.query(`DROP INDEX "public"."worker_allocation_one_open_per_role"`);
    await queryRunner.query(`DROP INDEX "public"."agency_involvement_one_open_per_role"`);
    await queryRunner.query(`CREATE TYPE "public"."record_kind_old" AS ENUM('ASSET_PLUS', 'ONSET', 'SINGLE_ASSESSMENT', 'EARLY_HELP_ASSESSMENT', 'CUSTODY_VISIT_ASSESSMENT', 'CARE_PLAN', 'PLACEMENT_PLAN', 'DETENTION_PLACEMENT_PLAN', 'PATHWAY_PLAN', 'INTERVENTION_PLAN', 'RELEASE_PLAN', 'PLANNING_MEETING_RECORD')`);
    await queryRunner.query(`ALTER TABLE "shared_record" ALTER COLUMN "kind" TYPE "public"."record_kind_old" USING "kind"::"text"::"public"."record_kind_old"`);
    await queryRunner.query(`DROP TYPE "public"."record_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind_old" RENAME TO "record_kind"`);
    await queryRunner.query(`CREATE INDEX "IDX_aaa899395263284ff9b8691f1e" ON "shared_record" USING btree ("child_id", "kind") `);
    await queryRunner.query(`CREATE TYPE "public"."allocation_role_old" AS ENUM('YOS_CASE_MANAGER', 'SOCIAL_WORKER', 'PERSONAL_ADVISER', 'INDEPENDENT_REVIEWING_OFFICER', 'TEAM_MANAGER')`);
    await queryRunner.query(`ALTER TABLE "worker_allocation" ALTER COLUMN "role" TYPE "public"."allocation_role_old" USING "role"::"text"::"public"."allocation_role_old"`);
    await queryRunner.query(`DROP TYPE "public"."allocation_role"`);
    await queryRunner.query(`ALTER TYPE "public"."allocation_role_old" RENAME TO "allocation_role"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "worker_allocation_one_open_per_role" ON "worker_allocation" USING btree ("child_id", "practitioner_id", "role") WHERE (end_date IS NULL)`);
    await queryRunner.query(`CREATE TYPE "public"."involvement_role_old" AS ENUM('YOS_HOME', 'YOS_HOST', 'CSC', 'LEAVING_CARE', 'SECURE_ESTATE')`);
    await queryRunner.query(`ALTER TABLE "agency_involvement" ALTER COLUMN "role" TYPE "public"."involvement_role_old" USING "role"::"text"::"public"."involvement_role_old"`);
    await queryRunner.query(`DROP TYPE "public"."involvement_role"`);
    await queryRunner.query(`ALTER TYPE "public"."involvement_role_old" RENAME TO "involvement_role"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "agency_involvement_one_open_per_role" ON "agency_involvement" USING btree ("agency_id", "child_id", "role") WHERE (end_date IS NULL)`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "third_party_permission_reference"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "consent_reference"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "court_order_reference"`);
    await queryRunner.query(`DROP TABLE "sharing_agreement"`);
    await queryRunner.query(`DROP TABLE "sharing_agreement_change"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b57627f225f48df2ca07a7afc4"`);
    await queryRunner.query(`DROP TABLE "practitioner_alert"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0683c6d6d9b0116291bb695788"`);
    await queryRunner.query(`DROP TABLE "child_restriction"`);
    await queryRunner.query(`DROP TYPE "public"."restriction_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bac8ac8d4f6bfa38cbb239412e"`);
    await queryRunner.query(`DROP TABLE "break_glass_access"`);
  }
}
