import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's role raises anomaly flags and widens them (a request's count, its window), as the
 * scan upserts them; it had UPDATE and DELETE on the whole table, so it could also remove a
 * break-glass flag or turn it into another child's or another kind. Now it may not delete or
 * truncate flags, and may update only the columns a repeated detection widens.
 */
export class KeepAnomalyFlagsFromTheGateway1796450000000 implements MigrationInterface {
  name = 'KeepAnomalyFlagsFromTheGateway1796450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON disclosure_anomaly FROM tandem_gateway;
    GRANT UPDATE (count, window_start, window_end, first_receipt_id) ON disclosure_anomaly TO tandem_gateway;
  END IF;
END
$do$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE UPDATE (count, window_start, window_end, first_receipt_id) ON disclosure_anomaly FROM tandem_gateway;
    GRANT UPDATE, DELETE ON disclosure_anomaly TO tandem_gateway;
  END IF;
END
$do$`);
  }
}
