import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddVisitsAndRecordLifecycle1796220000000 implements MigrationInterface {
  name = 'AddVisitsAndRecordLifecycle1796220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "record_copy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "version" integer NOT NULL, "recipient_agency_id" uuid NOT NULL, "sent_by_subject" text NOT NULL, "sent_by_name" text NOT NULL, "sent_by_agency_id" uuid NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "record_copy_once_per_recipient" UNIQUE ("record_id", "version", "recipient_agency_id"), CONSTRAINT "PK_6758ad11e771ec897cead52ab37" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "record_signature" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "version" integer NOT NULL, "signer_subject" text NOT NULL, "signer_name" text NOT NULL, "signer_role" text NOT NULL, "signer_agency_id" uuid NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "record_signature_once_per_agency" UNIQUE ("record_id", "version", "signer_agency_id"), CONSTRAINT "PK_e81be72b2e2e5c8090d4d968468" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TYPE "public"."visit_kind" AS ENUM('STATUTORY_LOOKED_AFTER', 'FORMER_LOOKED_AFTER_IN_DETENTION', 'PERSONAL_ADVISER', 'JOINT', 'YOS_SUPERVISION')`);
    await queryRunner.query(`CREATE TABLE "visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "kind" "public"."visit_kind" NOT NULL, "visit_date" date NOT NULL, "visitors" jsonb NOT NULL, "seen_alone" boolean, "refused_to_be_seen_alone" boolean NOT NULL DEFAULT false, "location" text, "notes" text, "recorded_by" text NOT NULL, "recorded_by_name" text NOT NULL, "recorded_by_agency_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "visit_refused_not_alone" CHECK (NOT "refused_to_be_seen_alone" OR "seen_alone" = false), CONSTRAINT "visit_has_visitors" CHECK (jsonb_typeof("visitors") = 'array' AND jsonb_array_length("visitors") >= 1), CONSTRAINT "PK_c9919ef5a07627657c535d8eb88" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_81dd48c931e9e6816edde0ac8c" ON "visit"  ("child_id", "kind", "visit_date") `);
    await queryRunner.query(`CREATE INDEX "IDX_5a7ec96925c4e690ffa2cffa88" ON "visit"  ("child_id", "visit_date") `);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "withdrawn_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "withdrawal_reason" text`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "withdrawn_by_name" text`);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD "withdrawn_by_agency_id" uuid`);
    await queryRunner.query(`CREATE TYPE "public"."record_version_status" AS ENUM('DRAFT', 'FINAL')`);
    await queryRunner.query(`ALTER TABLE "shared_record_version" ADD "status" "public"."record_version_status" NOT NULL DEFAULT 'FINAL'`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aaa899395263284ff9b8691f1e"`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind" ADD VALUE IF NOT EXISTS 'SETTLING_IN_REPORT'`);
    await queryRunner.query(`CREATE INDEX "IDX_aaa899395263284ff9b8691f1e" ON "shared_record"  ("child_id", "kind") `);
    await queryRunner.query(`ALTER TABLE "shared_record" ADD CONSTRAINT "shared_record_withdrawal_complete" CHECK (("withdrawn_at" IS NULL) = ("withdrawal_reason" IS NULL))`);
    await queryRunner.query(`ALTER TABLE "record_copy" ADD CONSTRAINT "FK_1fcc119914664fb2e1ffd35c76b" FOREIGN KEY ("record_id", "version") REFERENCES "shared_record_version"("record_id","version") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "record_copy" ADD CONSTRAINT "FK_9116f831723c2ca58c40f9ccdef" FOREIGN KEY ("recipient_agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "record_signature" ADD CONSTRAINT "FK_78991c3be6eb166654d0aa87cd7" FOREIGN KEY ("record_id", "version") REFERENCES "shared_record_version"("record_id","version") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "record_signature" ADD CONSTRAINT "FK_db1cc168016192eb32b97b3112a" FOREIGN KEY ("signer_agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_888713df961d0eb51a8870264c8" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_3709a9796e77de5367a263d5393" FOREIGN KEY ("recorded_by_agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "visit" DROP CONSTRAINT "FK_3709a9796e77de5367a263d5393"`);
    await queryRunner.query(`ALTER TABLE "visit" DROP CONSTRAINT "FK_888713df961d0eb51a8870264c8"`);
    await queryRunner.query(`ALTER TABLE "record_signature" DROP CONSTRAINT "FK_db1cc168016192eb32b97b3112a"`);
    await queryRunner.query(`ALTER TABLE "record_signature" DROP CONSTRAINT "FK_78991c3be6eb166654d0aa87cd7"`);
    await queryRunner.query(`ALTER TABLE "record_copy" DROP CONSTRAINT "FK_9116f831723c2ca58c40f9ccdef"`);
    await queryRunner.query(`ALTER TABLE "record_copy" DROP CONSTRAINT "FK_1fcc119914664fb2e1ffd35c76b"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP CONSTRAINT "shared_record_withdrawal_complete"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aaa899395263284ff9b8691f1e"`);
    await queryRunner.query(`CREATE TYPE "public"."record_kind_old" AS ENUM('ASSET_PLUS', 'ONSET', 'SINGLE_ASSESSMENT', 'EARLY_HELP_ASSESSMENT', 'CUSTODY_VISIT_ASSESSMENT', 'CARE_PLAN', 'PLACEMENT_PLAN', 'DETENTION_PLACEMENT_PLAN', 'PATHWAY_PLAN', 'INTERVENTION_PLAN', 'RELEASE_PLAN', 'PLANNING_MEETING_RECORD', 'CUSTODY_INFORMATION_PACK', 'AIM3_ASSESSMENT')`);
    await queryRunner.query(`ALTER TABLE "shared_record" ALTER COLUMN "kind" TYPE "public"."record_kind_old" USING "kind"::"text"::"public"."record_kind_old"`);
    await queryRunner.query(`DROP TYPE "public"."record_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."record_kind_old" RENAME TO "record_kind"`);
    await queryRunner.query(`CREATE INDEX "IDX_aaa899395263284ff9b8691f1e" ON "shared_record" USING btree ("child_id", "kind") `);
    await queryRunner.query(`ALTER TABLE "shared_record_version" DROP COLUMN "status"`);
    await queryRunner.query(`DROP TYPE "public"."record_version_status"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "withdrawn_by_agency_id"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "withdrawn_by_name"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "withdrawal_reason"`);
    await queryRunner.query(`ALTER TABLE "shared_record" DROP COLUMN "withdrawn_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5a7ec96925c4e690ffa2cffa88"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_81dd48c931e9e6816edde0ac8c"`);
    await queryRunner.query(`DROP TABLE "visit"`);
    await queryRunner.query(`DROP TYPE "public"."visit_kind"`);
    await queryRunner.query(`DROP TABLE "record_signature"`);
    await queryRunner.query(`DROP TABLE "record_copy"`);
  }
}
