import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDisclosureLog1796157357704 implements MigrationInterface {
  name = 'AddDisclosureLog1796157357704';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "anomaly_disposition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "anomaly_id" uuid NOT NULL, "disposition" character varying(30) NOT NULL, "note" text NOT NULL, "auditor_subject" character varying(200) NOT NULL, "auditor_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d4db0b7ece32049e18702dd4cae" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "anomaly_disposition_anomaly_idx" ON "anomaly_disposition"  ("anomaly_id", "recorded_at") `);
    await queryRunner.query(`CREATE TABLE "audit_signing_key" ("key_id" character varying(64) NOT NULL, "public_key_pem" text NOT NULL, "first_used_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_31203c4506665f32d222b42b299" PRIMARY KEY ("key_id"))`);
    await queryRunner.query(`CREATE TABLE "disclosure_anomaly" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(30) NOT NULL, "key" text NOT NULL, "user_subject" character varying(200) NOT NULL, "agency_id" uuid NOT NULL, "child_id" uuid, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "count" integer NOT NULL, "first_receipt_id" bigint NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_11ecc61c8c92cf91ec133cd5bd3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "disclosure_anomaly_key_idx" ON "disclosure_anomaly"  ("key") `);
    await queryRunner.query(`CREATE INDEX "disclosure_anomaly_detected_idx" ON "disclosure_anomaly"  ("detected_at") `);
    await queryRunner.query(`CREATE TABLE "disclosure_checkpoint" ("id" integer NOT NULL, "first_seq" bigint NOT NULL, "last_seq" bigint NOT NULL, "merkle_root" bytea NOT NULL, "chain_head" bytea NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key_id" character varying(64) NOT NULL, "statement" bytea NOT NULL, "signature" bytea NOT NULL, CONSTRAINT "PK_db558689e7a41f29f2540f4020a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "disclosure_pending" ("receipt_id" bigint NOT NULL, CONSTRAINT "PK_ff02e0d1b2d3452fe04fe4a6e01" PRIMARY KEY ("receipt_id"))`);
    await queryRunner.query(`CREATE TABLE "disclosure_receipt" ("id" BIGSERIAL NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "entry_kind" character varying(20) NOT NULL, "outcome" character varying(20) NOT NULL, "user_subject" character varying(200) NOT NULL, "agency_id" uuid NOT NULL, "case_system_id" uuid NOT NULL, "child_id" uuid, "record_kind" character varying(40), "record_id" uuid, "record_version" integer, "owning_agency_id" uuid, "purpose" character varying(30), "break_glass" boolean NOT NULL, "after_allocation_ended" boolean NOT NULL, "correlation_id" character varying(100) NOT NULL, "body" bytea NOT NULL, CONSTRAINT "PK_d5d94ebdfcd3e5e020bab554df0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_flagged_idx" ON "disclosure_receipt"  ("id") WHERE break_glass OR after_allocation_ended OR outcome <> 'DISCLOSED'`);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_recorded_at_idx" ON "disclosure_receipt"  ("recorded_at") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_owner_idx" ON "disclosure_receipt"  ("owning_agency_id", "id") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_record_idx" ON "disclosure_receipt"  ("record_id", "id") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_case_system_idx" ON "disclosure_receipt"  ("case_system_id", "id") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_agency_idx" ON "disclosure_receipt"  ("agency_id", "id") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_user_idx" ON "disclosure_receipt"  ("user_subject", "id") `);
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_child_idx" ON "disclosure_receipt"  ("child_id", "id") `);
    await queryRunner.query(`CREATE TABLE "disclosure_retention" ("id" SERIAL NOT NULL, "through_checkpoint_id" integer NOT NULL, "through_seq" bigint NOT NULL, "boundary_chain_hash" bytea NOT NULL, "receipts_removed" bigint NOT NULL, "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL, "performed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f59cbbdef03d050a0348e62eee5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "disclosure_seal" ("seq" bigint NOT NULL, "receipt_id" bigint NOT NULL, "checkpoint_id" integer NOT NULL, "leaf_hash" bytea NOT NULL, "chain_hash" bytea NOT NULL, CONSTRAINT "PK_9686b6380474c1cfc5f142e0e10" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "disclosure_seal_receipt_idx" ON "disclosure_seal"  ("receipt_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."disclosure_seal_receipt_idx"`);
    await queryRunner.query(`DROP TABLE "disclosure_seal"`);
    await queryRunner.query(`DROP TABLE "disclosure_retention"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_child_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_user_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_agency_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_case_system_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_record_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_owner_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_recorded_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_flagged_idx"`);
    await queryRunner.query(`DROP TABLE "disclosure_receipt"`);
    await queryRunner.query(`DROP TABLE "disclosure_pending"`);
    await queryRunner.query(`DROP TABLE "disclosure_checkpoint"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_anomaly_detected_idx"`);
    await queryRunner.query(`DROP INDEX "public"."disclosure_anomaly_key_idx"`);
    await queryRunner.query(`DROP TABLE "disclosure_anomaly"`);
    await queryRunner.query(`DROP TABLE "audit_signing_key"`);
    await queryRunner.query(`DROP INDEX "public"."anomaly_disposition_anomaly_idx"`);
    await queryRunner.query(`DROP TABLE "anomaly_disposition"`);
  }
}
