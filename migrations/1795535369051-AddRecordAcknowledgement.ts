import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRecordAcknowledgement1795535369051 implements MigrationInterface {
  name = 'AddRecordAcknowledgement1795535369051';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "record_acknowledgement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "version" integer NOT NULL, "subject" text NOT NULL, "name" text NOT NULL, "agency_id" uuid NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0081d090ac0460606f593f77f9d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_440e6e096598d3fdd94ea054f0" ON "record_acknowledgement"  ("record_id", "created_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_440e6e096598d3fdd94ea054f0"`);
    await queryRunner.query(`DROP TABLE "record_acknowledgement"`);
  }
}
