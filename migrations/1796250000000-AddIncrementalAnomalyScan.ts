import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The incremental anomaly scan: its watermark over the chain (one row) and the running counts of
 * the windowed anomalies. The watermark starts at the first receipt of the last 26 hours (a day
 * past the longest window): older ones were flagged by the ranged detection this replaces.
 */
export class AddIncrementalAnomalyScan1796250000000 implements MigrationInterface {
  name = 'AddIncrementalAnomalyScan1796250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "anomaly_scan_state" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "scanned_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "anomaly_scan_state_one_row" CHECK ("id" = 1), CONSTRAINT "PK_0afe0229fb1924692620434bb1e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "anomaly_bucket" ("kind" character varying(30) NOT NULL, "user_subject" character varying(200) NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "agency_id" uuid NOT NULL, "count" integer NOT NULL, "first_receipt_id" bigint NOT NULL, CONSTRAINT "PK_dd6e5dfeea6ba0306ddd675ee6f" PRIMARY KEY ("kind", "user_subject", "bucket_start"))`);
    await queryRunner.query(`CREATE INDEX "anomaly_bucket_start_idx" ON "anomaly_bucket"  ("bucket_start") `);
    await queryRunner.query(`CREATE TABLE "anomaly_bucket_child" ("user_subject" character varying(200) NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "child_id" uuid NOT NULL, CONSTRAINT "PK_1f9c8d41d50873053fb36415ba2" PRIMARY KEY ("user_subject", "bucket_start", "child_id"))`);
    await queryRunner.query(`CREATE INDEX "anomaly_bucket_child_start_idx" ON "anomaly_bucket_child"  ("bucket_start") `);
    // The scan starts a day and two hours back, so the windows in progress are counted whole
    // (flags it meets again keep the larger count: rescanning adds nothing).
    await queryRunner.query(
      `INSERT INTO "anomaly_scan_state" ("id", "last_seq", "scanned_at")
       SELECT 1, coalesce(
         (SELECT min(s.seq) - 1 FROM "disclosure_seal" s JOIN "disclosure_receipt" r ON r.id = s.receipt_id
          WHERE r.recorded_at >= now() - interval '26 hours'),
         (SELECT max(seq) FROM "disclosure_seal"),
         0), now()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."anomaly_bucket_child_start_idx"`);
    await queryRunner.query(`DROP TABLE "anomaly_bucket_child"`);
    await queryRunner.query(`DROP INDEX "public"."anomaly_bucket_start_idx"`);
    await queryRunner.query(`DROP TABLE "anomaly_bucket"`);
    await queryRunner.query(`DROP TABLE "anomaly_scan_state"`);
  }
}
