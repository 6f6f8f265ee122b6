import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal status in two dimensions (care and justice) with court outcomes; the responsibility policy
 * store; referrals opened by protocol notices (replacing caretaking tasks); cancelled planned moves.
 *
 * Existing episodes: each is given the dimension of its basis (NONE: of the episode it closed).
 * CARE_LEAVER was a status typed in; it is now derived (Table 4.5-A), so such an episode becomes
 * NONE in the care dimension (care had ended). Until now any new episode closed the open one, so a
 * care basis closed by a justice episode (a care order "ended" by a custodial sentence) had not
 * really ended: the last care episode of a child closed that way is reopened.
 */
export class LegalStatusDimensionsAndNotices1796210000000 implements MigrationInterface {
  name = 'LegalStatusDimensionsAndNotices1796210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."legal_status_episode_one_open"`);
    await queryRunner.query(`ALTER TABLE "placement" DROP CONSTRAINT "placement_effective_when_current"`);
    await queryRunner.query(`CREATE TABLE "responsibility_policy_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "policy_id" text NOT NULL, "version" integer NOT NULL, "checksum" text NOT NULL, "action" text NOT NULL, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7744237cdd0eaaaab4b70fa0984" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "responsibility_policy" ("id" text NOT NULL, "version" integer NOT NULL, "local_authority" text NOT NULL, "document" jsonb NOT NULL, "checksum" text NOT NULL, "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dd90e8be60346bb085ba6ca27d3" PRIMARY KEY ("id", "version"))`);
    await queryRunner.query(`ALTER TABLE "child_referral" ADD "opened_by_event_id" uuid`);
    await queryRunner.query(`ALTER TYPE "public"."referral_status" ADD VALUE IF NOT EXISTS 'WITHDRAWN'`);
    // Caretaking requests are referrals now (opened by the out-of-borough move's notice); an open
    // caretaking task is carried over as a pending referral from the home YOS to the host YOS.
    await queryRunner.query(
      `INSERT INTO "child_referral" ("child_id", "from_agency_id", "to_agency_id", "role", "status", "clause", "referred_by", "referred_by_name", "opened_by_event_id", "created_at")
       SELECT t."child_id", t."home_agency_id", t."host_agency_id", 'YOS_HOST', 'PENDING', 'caretaking task (before referrals)', 'tandem:protocol-notice', 'Tandem (protocol notice)', t."event_id", t."created_at"
         FROM "caretaking_task" t
        WHERE t."status" = 'OPEN' AND t."home_agency_id" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "child_referral" r WHERE r."child_id" = t."child_id" AND r."to_agency_id" = t."host_agency_id" AND r."role" = 'YOS_HOST' AND r."status" = 'PENDING')`,
    );
    await queryRunner.query(`DROP TABLE "caretaking_task"`);
    await queryRunner.query(`CREATE TYPE "public"."legal_dimension" AS ENUM('CARE', 'JUSTICE')`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "dimension" "public"."legal_dimension"`);
    await queryRunner.query(
      `UPDATE "legal_status_episode" SET "dimension" = (CASE WHEN "basis"::text IN ('NONE', 'CARE_LEAVER', 'S17_CHILD_IN_NEED', 'S20_ACCOMMODATED', 'S31_CARE_ORDER', 'INTERIM_CARE_ORDER') THEN 'CARE' ELSE 'JUSTICE' END)::"public"."legal_dimension"`,
    );
    await queryRunner.query(
      `UPDATE "legal_status_episode" e SET "dimension" = COALESCE((SELECT p."dimension" FROM "legal_status_episode" p WHERE p."child_id" = e."child_id" AND p."id" <> e."id" AND p."end_date" = e."start_date" AND p."basis"::text NOT IN ('NONE', 'CARE_LEAVER') ORDER BY p."start_date" DESC LIMIT 1), 'CARE') WHERE e."basis"::text = 'NONE'`,
    );
    await queryRunner.query(
      `UPDATE "legal_status_episode" e SET "end_date" = NULL WHERE e."dimension" = 'CARE' AND e."end_date" IS NOT NULL AND e."basis"::text NOT IN ('NONE', 'CARE_LEAVER')
         AND NOT EXISTS (SELECT 1 FROM "legal_status_episode" s WHERE s."child_id" = e."child_id" AND s."id" <> e."id" AND s."dimension" = 'CARE' AND s."start_date" >= e."end_date")
         AND EXISTS (SELECT 1 FROM "legal_status_episode" o WHERE o."child_id" = e."child_id" AND o."dimension" = 'JUSTICE' AND o."start_date" = e."end_date")`,
    );
    // And the other way: a remand or sentence "closed" by a care basis CSC recorded during it.
    await queryRunner.query(
      `UPDATE "legal_status_episode" e SET "end_date" = NULL WHERE e."dimension" = 'JUSTICE' AND e."end_date" IS NOT NULL AND e."basis"::text <> 'NONE'
         AND NOT EXISTS (SELECT 1 FROM "legal_status_episode" s WHERE s."child_id" = e."child_id" AND s."id" <> e."id" AND s."dimension" = 'JUSTICE' AND s."start_date" >= e."end_date")
         AND EXISTS (SELECT 1 FROM "legal_status_episode" o WHERE o."child_id" = e."child_id" AND o."dimension" = 'CARE' AND o."start_date" = e."end_date" AND o."basis"::text NOT IN ('NONE', 'CARE_LEAVER'))`,
    );
    await queryRunner.query(`UPDATE "legal_status_episode" SET "basis" = 'NONE' WHERE "basis"::text = 'CARE_LEAVER'`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ALTER COLUMN "dimension" SET NOT NULL`);
    await queryRunner.query(`CREATE TYPE "public"."court_outcome" AS ENUM('BAILED', 'BAILED_TO_RESIDE_AS_DIRECTED', 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION', 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', 'OUT_OF_COURT_DISPOSAL', 'COMMUNITY_SENTENCE', 'CUSTODIAL_SENTENCE', 'RELEASED', 'ACQUITTED', 'REMAND_ENDED', 'ORDER_COMPLETED')`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "outcome" "public"."court_outcome"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "court" text`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "hearing_date" date`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "next_hearing_date" date`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "conditions" text`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "place_of_detention_agency_id" uuid`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "expected_release_date" date`);
    await queryRunner.query(`CREATE TYPE "public"."yro_requirement" AS ENUM('SUPERVISION', 'INTENSIVE_FOSTERING', 'LOCAL_AUTHORITY_RESIDENCE', 'INTENSIVE_SUPERVISION_AND_SURVEILLANCE', 'CURFEW', 'OTHER')`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "requirements" "public"."yro_requirement" array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ADD "asset_plus_reference" text`);
    await queryRunner.query(`ALTER TABLE "placement" ADD "cancellation_reason" text`);
    await queryRunner.query(`ALTER TYPE "public"."legal_status_basis" RENAME TO "legal_status_basis_old"`);
    await queryRunner.query(`CREATE TYPE "public"."legal_status_basis" AS ENUM('NONE', 'EARLY_HELP', 'S17_CHILD_IN_NEED', 'S47_CHILD_PROTECTION', 'S20_ACCOMMODATED', 'INTERIM_CARE_ORDER', 'S31_CARE_ORDER', 'BAIL', 'BAIL_TO_RESIDE_AS_DIRECTED', 'REMAND_LOCAL_AUTHORITY_ACCOMMODATION', 'REMAND_YOUTH_DETENTION_ACCOMMODATION', 'OUT_OF_COURT_DISPOSAL', 'COMMUNITY_ORDER', 'CUSTODIAL_SENTENCE', 'RELEASED_ON_LICENCE')`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ALTER COLUMN "basis" TYPE "public"."legal_status_basis" USING "basis"::"text"::"public"."legal_status_basis"`);
    await queryRunner.query(`DROP TYPE "public"."legal_status_basis_old"`);
    await queryRunner.query(`ALTER TYPE "public"."placement_status" ADD VALUE IF NOT EXISTS 'CANCELLED'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "legal_status_episode_one_open" ON "legal_status_episode"  ("child_id", "dimension") WHERE "end_date" IS NULL`);
    await queryRunner.query(`ALTER TABLE "placement" ADD CONSTRAINT "placement_cancelled_with_reason" CHECK (("status"::text = 'CANCELLED') = ("cancellation_reason" IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "placement" ADD CONSTRAINT "placement_effective_once_made" CHECK ("status"::text IN ('PLANNED', 'CANCELLED') OR "effective_date" IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Lossy, as going back must be: the old model held one basis at a time. The justice episodes
    // the old vocabulary cannot name are dropped, then every episode but the newest open one is closed.
    await queryRunner.query(
      `DELETE FROM "legal_status_episode" WHERE "basis"::text IN ('EARLY_HELP', 'S47_CHILD_PROTECTION', 'BAIL', 'OUT_OF_COURT_DISPOSAL', 'COMMUNITY_ORDER', 'RELEASED_ON_LICENCE')`,
    );
    await queryRunner.query(
      `UPDATE "legal_status_episode" e SET "end_date" = (SELECT max(o."start_date") FROM "legal_status_episode" o WHERE o."child_id" = e."child_id" AND o."end_date" IS NULL)
        WHERE e."end_date" IS NULL AND EXISTS (SELECT 1 FROM "legal_status_episode" o WHERE o."child_id" = e."child_id" AND o."end_date" IS NULL AND o."id" <> e."id" AND (o."start_date", o."recorded_at") > (e."start_date", e."recorded_at"))`,
    );
    await queryRunner.query(`CREATE TABLE "caretaking_task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "child_id" uuid NOT NULL, "placement_id" uuid NOT NULL, "home_agency_id" uuid, "host_agency_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "event_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6f42ee79217c9823330e7f1ff34" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "caretaking_task_child_idx" ON "caretaking_task"  ("child_id") `);
    await queryRunner.query(`DELETE FROM "placement" WHERE "status"::text = 'CANCELLED'`);
    await queryRunner.query(`UPDATE "child_referral" SET "status" = 'DECLINED' WHERE "status"::text = 'WITHDRAWN'`);
    await queryRunner.query(`ALTER TABLE "placement" DROP CONSTRAINT "placement_effective_once_made"`);
    await queryRunner.query(`ALTER TABLE "placement" DROP CONSTRAINT "placement_cancelled_with_reason"`);
    await queryRunner.query(`DROP INDEX "public"."legal_status_episode_one_open"`);
    // placement_status keeps CANCELLED: no row holds it any more, and swapping the type would mean
    // rebuilding the partial index on it for nothing.
    await queryRunner.query(`CREATE TYPE "public"."legal_status_basis_old" AS ENUM('NONE', 'S17_CHILD_IN_NEED', 'S20_ACCOMMODATED', 'S31_CARE_ORDER', 'INTERIM_CARE_ORDER', 'REMAND_LOCAL_AUTHORITY_ACCOMMODATION', 'REMAND_YOUTH_DETENTION_ACCOMMODATION', 'BAIL_TO_RESIDE_AS_DIRECTED', 'CUSTODIAL_SENTENCE', 'CARE_LEAVER')`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" ALTER COLUMN "basis" TYPE "public"."legal_status_basis_old" USING "basis"::"text"::"public"."legal_status_basis_old"`);
    await queryRunner.query(`DROP TYPE "public"."legal_status_basis"`);
    await queryRunner.query(`ALTER TYPE "public"."legal_status_basis_old" RENAME TO "legal_status_basis"`);
    await queryRunner.query(`ALTER TABLE "placement" DROP COLUMN "cancellation_reason"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "asset_plus_reference"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "requirements"`);
    await queryRunner.query(`DROP TYPE "public"."yro_requirement"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "expected_release_date"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "place_of_detention_agency_id"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "conditions"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "next_hearing_date"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "hearing_date"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "court"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "outcome"`);
    await queryRunner.query(`DROP TYPE "public"."court_outcome"`);
    await queryRunner.query(`ALTER TABLE "legal_status_episode" DROP COLUMN "dimension"`);
    await queryRunner.query(`DROP TYPE "public"."legal_dimension"`);
    await queryRunner.query(`ALTER TABLE "child_referral" DROP COLUMN "opened_by_event_id"`);
    await queryRunner.query(`DROP TABLE "responsibility_policy"`);
    await queryRunner.query(`DROP TABLE "responsibility_policy_change"`);
    await queryRunner.query(`ALTER TABLE "placement" ADD CONSTRAINT "placement_effective_when_current" CHECK (((status = 'PLANNED'::placement_status) OR (effective_date IS NOT NULL)))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "legal_status_episode_one_open" ON "legal_status_episode" USING btree ("child_id") WHERE (end_date IS NULL)`);
  }
}
