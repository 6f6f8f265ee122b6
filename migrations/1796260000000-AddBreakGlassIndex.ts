import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Break-glass reads indexed on their own (only they are in it): auditors' "every break-glass read"
 * walked the index of all flagged entries (refusals and look-ups that found nothing among them),
 * 1,522 entries read for none found on a 300,000-receipt log.
 */
export class AddBreakGlassIndex1796260000000 implements MigrationInterface {
  name = 'AddBreakGlassIndex1796260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "disclosure_receipt_break_glass_idx" ON "disclosure_receipt"  ("id") WHERE break_glass`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."disclosure_receipt_break_glass_idx"`);
  }
}
