import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention records its runs itself (`tandem_purge_disclosures`, as tandem_retention); the gateway's
 * role could also insert into `disclosure_retention`, and a record it made up would block the next
 * run or confuse audit:verify. It may read the records, no longer write them.
 */
export class KeepRetentionRecordsFromTheGateway1796460000000 implements MigrationInterface {
  name = 'KeepRetentionRecordsFromTheGateway1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE INSERT ON disclosure_retention FROM tandem_gateway;
  END IF;
END
$do$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    GRANT INSERT ON disclosure_retention TO tandem_gateway;
  END IF;
END
$do$`);
  }
}
