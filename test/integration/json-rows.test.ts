import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildRepository } from 'src/children/repositories/child.repository.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { listedAtFor, RecordRepository } from 'src/records/repositories/record.repository.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

/**
 * The key read's statements send each row as one JSON object (jsonRowsOf): what the repositories
 * make of them is what TypeORM's column-by-column reader makes of the same rows, times to the
 * millisecond included (both cut microseconds off; a cursor is written from them), and a page keeps
 * its order.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.app.get(DataSource);
  // Times with microseconds, which a rounding reader would move to the next millisecond.
  await db.query(`UPDATE child SET created_at = '2026-03-04 05:06:07.891999+00', updated_at = now() WHERE id = $1`, [JORDAN.id]);
  await db.query(
    `UPDATE shared_record SET withdrawn_at = '2026-05-06 07:08:09.123999+00', withdrawal_reason = 'Entered in error', updated_at = '2026-05-06 07:08:09.999999+00'
     WHERE id = (SELECT id FROM shared_record WHERE child_id = $1 ORDER BY id LIMIT 1)`,
    [JORDAN.id],
  );
});
afterAll(() => t.close());

describe('rows read as JSON', () => {
  it("a child's look-up gives the child as TypeORM reads it", async () => {
    const { child } = await t.app
      .get(ChildRepository)
      .lookUpById(JORDAN.id, ['nobody', '00000000-0000-0000-0000-000000000000', '2026-01-01']);
    const stored = await t.app.get(DataSource).getRepository(ChildEntity).findOneByOrFail({ id: JORDAN.id });
    expect(child).toEqual(stored);
    expect(child?.createdAt.toISOString()).toBe('2026-03-04T05:06:07.891Z');
    expect(await t.app.get(ChildRepository).findById(JORDAN.id)).toEqual(stored);
  });

  it('a page of records gives each record as TypeORM reads it, newest change first as the reader may know it', async () => {
    const stored = await t.app
      .get(DataSource)
      .getRepository(SharedRecordEntity)
      .find({ where: { childId: JORDAN.id } });
    expect(stored.length).toBeGreaterThan(1);
    const reader = stored[0]?.owningAgencyId ?? '';
    const paged = await t.app
      .get(RecordRepository)
      .pagesFor([JORDAN.id], undefined, 100, undefined, { sql: 'TRUE', params: {} }, 'updated', reader);
    const listed = (record: SharedRecordEntity) => listedAtFor(record, 'updated', reader).getTime();
    stored.sort((a, b) => listed(b) - listed(a) || (a.id < b.id ? 1 : -1));
    expect(paged.map(({ record }) => record)).toEqual(stored);
    const withdrawn = paged.find(({ record }) => record.withdrawnAt !== null)?.record;
    expect(withdrawn?.withdrawnAt?.toISOString()).toBe('2026-05-06T07:08:09.123Z');
    expect(withdrawn?.updatedAt.toISOString()).toBe('2026-05-06T07:08:09.999Z');
  });
});
