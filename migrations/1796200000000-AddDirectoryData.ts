import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory as data: teams (front doors, emergency duty teams) with their duty contacts, each
 * agency's front-door and out-of-hours team, the team that answers for a case system's webhooks,
 * practitioners' work contact details and directory team, and the stored versions of the reviewed
 * directory files with their audit trail (like sharing agreements).
 */
export class AddDirectoryData1796200000000 implements MigrationInterface {
  name = 'AddDirectoryData1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "team" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "agency_id" uuid NOT NULL, "name" text NOT NULL, "duty_phone" text, "duty_email" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b5aa1ec412d4465ec20d475c6ad" UNIQUE ("code"), CONSTRAINT "PK_f57d8293406df4af348402e4b74" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "directory_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "directory_id" text NOT NULL, "version" integer NOT NULL, "checksum" text NOT NULL, "action" text NOT NULL, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1ded4670f5c8e28a7b174a37fb6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "directory_version" ("id" text NOT NULL, "version" integer NOT NULL, "document" jsonb NOT NULL, "checksum" text NOT NULL, "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_84f682be9dc01f4861d5bb81718" PRIMARY KEY ("id", "version"))`);
    await queryRunner.query(`ALTER TABLE "agency" ADD "front_door_team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "agency" ADD "out_of_hours_team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "case_system" ADD "webhook_owner_team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "practitioner" ADD "team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "practitioner" ADD "phone" text`);
    await queryRunner.query(`ALTER TABLE "practitioner" ADD "email" text`);
    await queryRunner.query(`ALTER TABLE "team" ADD CONSTRAINT "FK_94ba9be2b1ec93bdc73b36bc57b" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agency" ADD CONSTRAINT "FK_f2358740169d4c607acbcfa1268" FOREIGN KEY ("front_door_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agency" ADD CONSTRAINT "FK_c10fd527ef6117a98c8c4d29199" FOREIGN KEY ("out_of_hours_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "case_system" ADD CONSTRAINT "FK_94db97bea586feceacc8d9d7013" FOREIGN KEY ("webhook_owner_team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "practitioner" ADD CONSTRAINT "FK_75597ff8fcd85bc0dc19d7a2107" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "practitioner" DROP CONSTRAINT "FK_75597ff8fcd85bc0dc19d7a2107"`);
    await queryRunner.query(`ALTER TABLE "case_system" DROP CONSTRAINT "FK_94db97bea586feceacc8d9d7013"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP CONSTRAINT "FK_c10fd527ef6117a98c8c4d29199"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP CONSTRAINT "FK_f2358740169d4c607acbcfa1268"`);
    await queryRunner.query(`ALTER TABLE "team" DROP CONSTRAINT "FK_94ba9be2b1ec93bdc73b36bc57b"`);
    await queryRunner.query(`ALTER TABLE "practitioner" DROP COLUMN "email"`);
    await queryRunner.query(`ALTER TABLE "practitioner" DROP COLUMN "phone"`);
    await queryRunner.query(`ALTER TABLE "practitioner" DROP COLUMN "team_id"`);
    await queryRunner.query(`ALTER TABLE "case_system" DROP COLUMN "webhook_owner_team_id"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP COLUMN "out_of_hours_team_id"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP COLUMN "front_door_team_id"`);
    await queryRunner.query(`DROP TABLE "directory_version"`);
    await queryRunner.query(`DROP TABLE "directory_change"`);
    await queryRunner.query(`DROP TABLE "team"`);
  }
}
