import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddWebhookLeaseToken1796170000002 implements MigrationInterface {
  name = 'AddWebhookLeaseToken1796170000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ADD "lease_token" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "lease_token"`);
  }
}
