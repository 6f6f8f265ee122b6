import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sealer takes compact responses off their queue with `SELECT … FOR UPDATE SKIP LOCKED`, which
 * PostgreSQL allows only to a role with UPDATE on at least one column; AddCompactResponseLog took
 * UPDATE on the queue back from tandem_gateway, so a gateway running as that role could seal no
 * compact response. One column's UPDATE gives the row lock and nothing more: the queue's
 * append-only trigger still refuses every UPDATE (docs/OPERATIONS.md#database-roles).
 * Hand-written: TypeORM does not generate grants.
 */
export class LetTheGatewayTakeQueuedResponses1796310000000 implements MigrationInterface {
  name = 'LetTheGatewayTakeQueuedResponses1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    GRANT UPDATE (entries) ON disclosure_response_pending TO tandem_gateway;
  END IF;
END
$do$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tandem_gateway') THEN
    REVOKE UPDATE (entries) ON disclosure_response_pending FROM tandem_gateway;
  END IF;
END
$do$`);
  }
}
