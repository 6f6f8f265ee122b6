import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddObligations1796230000000 implements MigrationInterface {
  name = 'AddObligations1796230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."obligation_state" AS ENUM('OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED', 'SATISFIED', 'WAIVED', 'CANCELLED')`);
    await queryRunner.query(`CREATE TABLE "obligation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "definition_id" text NOT NULL, "policy" text NOT NULL, "title" text NOT NULL, "citation" text NOT NULL, "state" "public"."obligation_state" NOT NULL, "owner_agency_id" uuid NOT NULL, "owner_subject" text, "owner_name" text, "owner_role" text, "owner_team" text, "trigger_event_id" uuid NOT NULL, "trigger_type" text NOT NULL, "trigger_date" date NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_soon_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_explanation" text NOT NULL, "escalation_level" integer NOT NULL DEFAULT '0', "next_check_at" TIMESTAMP WITH TIME ZONE, "evidence_event_id" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" text, "closed_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "obligation_closed" CHECK (("state" IN ('SATISFIED', 'WAIVED', 'CANCELLED')) = ("closed_at" IS NOT NULL)), CONSTRAINT "PK_3a70be17386980c9fec1df4d25d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "obligation_owner_subject_idx" ON "obligation"  ("owner_subject", "state") WHERE "owner_subject" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "obligation_owner_idx" ON "obligation"  ("owner_agency_id", "state", "due_at") `);
    await queryRunner.query(`CREATE INDEX "obligation_child_idx" ON "obligation"  ("child_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "obligation_next_check_idx" ON "obligation"  ("next_check_at") WHERE "state" IN ('OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED') AND "next_check_at" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "obligation_once_per_trigger" ON "obligation"  ("definition_id", "child_id", "trigger_event_id") `);
    await queryRunner.query(`CREATE TABLE "obligation_transition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "obligation_id" uuid NOT NULL, "from_state" "public"."obligation_state", "to_state" "public"."obligation_state" NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "by" text NOT NULL, "reason" text NOT NULL, CONSTRAINT "PK_9b5e5f8a7ffe388006188dbf709" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_fb44688887acbdb792b75e5125" ON "obligation_transition"  ("obligation_id", "at") `);
    await queryRunner.query(`ALTER TABLE "domain_event" ADD "duties_checked_at" TIMESTAMP WITH TIME ZONE`);
    // Events from before the duties engine open nothing: duties run from the events after it.
    await queryRunner.query(`UPDATE "domain_event" SET "duties_checked_at" = now()`);
    await queryRunner.query(`CREATE INDEX "domain_event_duties_unchecked_idx" ON "domain_event"  ("id") WHERE duties_checked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."domain_event_duties_unchecked_idx"`);
    await queryRunner.query(`ALTER TABLE "domain_event" DROP COLUMN "duties_checked_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fb44688887acbdb792b75e5125"`);
    await queryRunner.query(`DROP TABLE "obligation_transition"`);
    await queryRunner.query(`DROP INDEX "public"."obligation_once_per_trigger"`);
    await queryRunner.query(`DROP INDEX "public"."obligation_next_check_idx"`);
    await queryRunner.query(`DROP INDEX "public"."obligation_child_idx"`);
    await queryRunner.query(`DROP INDEX "public"."obligation_owner_idx"`);
    await queryRunner.query(`DROP INDEX "public"."obligation_owner_subject_idx"`);
    await queryRunner.query(`DROP TABLE "obligation"`);
    await queryRunner.query(`DROP TYPE "public"."obligation_state"`);
  }
}
