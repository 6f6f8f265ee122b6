import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHILD_ACCESS_1796270000000 } from './1796270000000-ChildAccessInOnePass.js';

const BY_SUBJECT = `    SELECT bool_or(p.subject = caller_subject AND (wa.end_date IS NULL OR wa.end_date >= grace)) AS allocated,
      bool_or(p.subject = caller_subject AND wa.end_date IS NULL) AS open,`;
const AS_ME = `    -- Allocated: the practitioner allocated is the caller at the caller's agency (me), not anyone
    -- of another agency whose token carries the same subject.
    SELECT bool_or(p.id = me.id AND (wa.end_date IS NULL OR wa.end_date >= grace)) AS allocated,
      bool_or(p.id = me.id AND wa.end_date IS NULL) AS open,`;

/** The function of migration 1796270000000 with its one change: `allocated` and `open` are the caller's row (me). */
export const CHILD_ACCESS_1796320000000 = replacedOnce(CHILD_ACCESS_1796270000000, BY_SUBJECT, AS_ME);

function replacedOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error('Migration 1796320000000: the allocation lines are not where they were');
  return text.replace(from, to);
}

/**
 * A caller is allocated to a child only as the practitioner of the caller's own agency: the
 * allocation's practitioner must be the caller's row at the caller's agency (subject and agency),
 * not any practitioner whose subject a token of another agency happens to carry. Same columns.
 */
export class AllocatedOnlyAtTheCallersAgency1796320000000 implements MigrationInterface {
  name = 'AllocatedOnlyAtTheCallersAgency1796320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHILD_ACCESS_1796320000000);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHILD_ACCESS_1796270000000);
  }
}
