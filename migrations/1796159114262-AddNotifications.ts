import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddNotifications1796159114262 implements MigrationInterface {
  name = 'AddNotifications1796159114262';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "caretaking_task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "placement_id" uuid NOT NULL, "home_agency_id" uuid, "host_agency_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "event_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6f42ee79217c9823330e7f1ff34" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "caretaking_task_child_idx" ON "caretaking_task"  ("child_id") `);
    await queryRunner.query(`CREATE TABLE "case_system_feed" ("case_system_id" uuid NOT NULL, "last_seq" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_1d02a89105885e0c7172b72755e" PRIMARY KEY ("case_system_id"))`);
    await queryRunner.query(`CREATE TABLE "domain_event" ("id" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "type" character varying(60) NOT NULL, "child_id" uuid NOT NULL, "subject_kind" character varying(40) NOT NULL, "subject_id" uuid NOT NULL, "subject_version" integer, "facts" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by_subject" character varying(200) NOT NULL, "recorded_by_name" text NOT NULL, "recorded_by_agency_id" uuid NOT NULL, "correlation_id" character varying(100) NOT NULL, "routed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f901502d0301da69fb8cebbb8f2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "domain_event_event_id_idx" ON "domain_event"  ("event_id") `);
    await queryRunner.query(`CREATE INDEX "domain_event_child_idx" ON "domain_event"  ("child_id", "id") `);
    await queryRunner.query(`CREATE INDEX "domain_event_unrouted_idx" ON "domain_event"  ("id") WHERE routed_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "notification" ("id" uuid NOT NULL, "case_system_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "seq" bigint NOT NULL, "event_id" uuid NOT NULL, "type" character varying(60) NOT NULL, "child_id" uuid NOT NULL, "payload" jsonb NOT NULL, "receipt" jsonb NOT NULL, "late" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "escalate_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "escalation_of" uuid, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by_subject" character varying(200), "acknowledged_by_name" text, CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "notification_escalation_idx" ON "notification"  ("escalate_at") WHERE acknowledged_at IS NULL AND escalated_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "notification_feed_idx" ON "notification"  ("case_system_id", "seq") `);
    await queryRunner.query(`CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "notification_id" uuid NOT NULL, "seq" bigint NOT NULL, "status" character varying(20) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_status" integer, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery"  ("endpoint_id", "next_attempt_at") WHERE status = 'PENDING'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_delivery_endpoint_idx" ON "webhook_delivery"  ("endpoint_id", "seq") `);
    await queryRunner.query(`CREATE TABLE "webhook_endpoint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_system_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "url" text NOT NULL, "event_types" text array NOT NULL, "secret" text NOT NULL, "previous_secret" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "status" character varying(20) NOT NULL, "disabled_reason" text, "consecutive_gone" integer NOT NULL DEFAULT '0', "lease_until" TIMESTAMP WITH TIME ZONE, "created_by_subject" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "webhook_endpoint_case_system_idx" ON "webhook_endpoint"  ("case_system_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."webhook_endpoint_case_system_idx"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoint"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_delivery_endpoint_idx"`);
    await queryRunner.query(`DROP INDEX "public"."webhook_delivery_due_idx"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP INDEX "public"."notification_feed_idx"`);
    await queryRunner.query(`DROP INDEX "public"."notification_escalation_idx"`);
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP INDEX "public"."domain_event_unrouted_idx"`);
    await queryRunner.query(`DROP INDEX "public"."domain_event_child_idx"`);
    await queryRunner.query(`DROP INDEX "public"."domain_event_event_id_idx"`);
    await queryRunner.query(`DROP TABLE "domain_event"`);
    await queryRunner.query(`DROP TABLE "case_system_feed"`);
    await queryRunner.query(`DROP INDEX "public"."caretaking_task_child_idx"`);
    await queryRunner.query(`DROP TABLE "caretaking_task"`);
  }
}
