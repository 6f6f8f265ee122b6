import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipts of 2–8 kB stay in the row, uncompressed: above the default 2 kB target PostgreSQL
 * compresses each one on insert (and the sealer and verifier decompress it), which cost more than
 * the space it saves on an append-only log. Hand-written: a storage parameter.
 */
export class KeepReceiptsInline1796170000001 implements MigrationInterface {
  name = 'KeepReceiptsInline1796170000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "disclosure_receipt" SET (toast_tuple_target = 8160)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "disclosure_receipt" RESET (toast_tuple_target)`);
  }
}
