import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Referrals: one agency asks another to become involved with a child, and the other accepts or declines. */
export class AddChildReferrals1796180000001 implements MigrationInterface {
  name = 'AddChildReferrals1796180000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."referral_status" AS ENUM('PENDING', 'ACCEPTED', 'DECLINED')`);
    await queryRunner.query(`CREATE TABLE "child_referral" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "from_agency_id" uuid NOT NULL, "to_agency_id" uuid NOT NULL, "role" "public"."involvement_role" NOT NULL, "status" "public"."referral_status" NOT NULL, "clause" text NOT NULL, "referred_by" text NOT NULL, "referred_by_name" text NOT NULL, "decided_by" text, "decided_by_name" text, "decided_at" TIMESTAMP WITH TIME ZONE, "involvement_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e314aeea1f1a0f792987cb6f8c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "child_referral_one_pending" ON "child_referral"  ("child_id", "to_agency_id", "role") WHERE "status" = 'PENDING'`);
    await queryRunner.query(`CREATE INDEX "IDX_aa571baa401c3eeb7976272eb0" ON "child_referral"  ("from_agency_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_a322a448434f40f7553a9b5b6c" ON "child_referral"  ("to_agency_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "child_referral" ADD CONSTRAINT "FK_13f5d29aa23b14d351e0b6601c3" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "child_referral" ADD CONSTRAINT "FK_3b867a64f011d3fb4af6cb3a972" FOREIGN KEY ("from_agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "child_referral" ADD CONSTRAINT "FK_3ec11e83d2b6341f9d35b4428e8" FOREIGN KEY ("to_agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "child_referral" DROP CONSTRAINT "FK_3ec11e83d2b6341f9d35b4428e8"`);
    await queryRunner.query(`ALTER TABLE "child_referral" DROP CONSTRAINT "FK_3b867a64f011d3fb4af6cb3a972"`);
    await queryRunner.query(`ALTER TABLE "child_referral" DROP CONSTRAINT "FK_13f5d29aa23b14d351e0b6601c3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a322a448434f40f7553a9b5b6c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aa571baa401c3eeb7976272eb0"`);
    await queryRunner.query(`DROP INDEX "public"."child_referral_one_pending"`);
    await queryRunner.query(`DROP TABLE "child_referral"`);
    await queryRunner.query(`DROP TYPE "public"."referral_status"`);
  }
}
