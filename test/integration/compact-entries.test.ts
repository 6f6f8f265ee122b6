import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisclosureRepository } from 'src/disclosure/disclosure.repository.js';
import { MAX_ENTRIES } from 'src/disclosure/compact/response-columns.js';
import { type ReceiptBody, rowOf } from 'src/disclosure/receipt.js';
import { ResponseLog } from 'src/disclosure/response-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { receiptsOfARead } from '../support/logged-receipts.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';

let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

/** A real read's first receipt, then every kind of entry, outcome and flag a response may hold beside it. */
async function everyShape(): Promise<ReceiptBody[]> {
  const [first, second] = await receiptsOfARead(t, db, JORDAN.id);
  if (!first?.record || !second) throw new Error('the read logged too little');
  const otherOwner = randomUUID();
  const none = { child: null, record: null, disclosed: [], withheld: [], bases: [] };
  // Under a correlation id of their own: the read's own receipts are in the log already.
  const own = `shapes-${randomUUID()}`;
  const shapes: ReceiptBody[] = [
    first,
    second,
    { ...first, entry: 'CONSULTATION', outcome: 'NOT_FOUND', ...none },
    { ...first, entry: 'CONSULTATION', outcome: 'DENIED', child: randomUUID(), record: null },
    { ...first, breakGlass: true },
    { ...second, afterAllocationEnded: true, record: { ...first.record, id: randomUUID(), owningAgencyId: otherOwner } },
    { ...first, record: { ...first.record, owningAgencyId: null } },
    {
      ...first,
      entry: 'ALTERATION',
      outcome: 'ALTERED',
      ...none,
      child: JORDAN.id,
      alteration: { action: 'x', versionBefore: 1, versionAfter: 2 },
    },
    { ...first, entry: 'AUDIT_QUERY', outcome: 'AUDITED', ...none, query: { childId: JORDAN.id } },
  ];
  return shapes.map((body) => ({ ...body, correlationId: own }));
}

const COLUMNS = `entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, record_id, owning_agency_id, purpose,
  break_glass, after_allocation_ended, correlation_id, recorded_at, any_break_glass, flagged`;

describe('the log as one row per entry, whichever form stores it (disclosure_entry)', () => {
  it('shows each receipt of a compact response with the columns its JSON receipt has', async () => {
    const bodies = await everyShape();
    await inRolledBackTransaction(db, async (manager) => {
      await t.app.get(DisclosureRepository).insert(
        bodies.map((body) => rowOf(body)),
        manager,
      );
      await t.app.get(ResponseLog).write([bodies], manager);
      const rows = await manager.query<Record<string, unknown>[]>(
        `SELECT compact, ${COLUMNS} FROM disclosure_entry WHERE correlation_id = $1 ORDER BY base, place`,
        [bodies[0]?.correlationId],
      );
      const json = rows.filter((row) => row.compact === false).map(({ compact: _, ...row }) => row);
      const compact = rows.filter((row) => row.compact === true).map(({ compact: _, ...row }) => row);
      expect(json).toHaveLength(bodies.length);
      // The response flags say "some entry of it": compared apart.
      const own = ({ any_break_glass: _, flagged: __, ...row }: Record<string, unknown>) => row;
      expect(compact.map(own)).toEqual(json.map(own));
      expect(compact.every((row) => row.any_break_glass === true && row.flagged === true)).toBe(true);
    });
  });

  it("numbers a response's entries from its own id, after every earlier entry and before every later one", async () => {
    const bodies = await everyShape();
    await inRolledBackTransaction(db, async (manager) => {
      await t.app.get(DisclosureRepository).insert([rowOf(bodies[0] as ReceiptBody)], manager);
      await t.app.get(ResponseLog).write([bodies], manager);
      await t.app.get(DisclosureRepository).insert([rowOf(bodies[1] as ReceiptBody)], manager);
      const rows = await manager.query<{ id: string; base: string; place: number; compact: boolean }[]>(
        `SELECT id::text AS id, base::text AS base, place, compact FROM disclosure_entry e WHERE correlation_id = $1 ORDER BY e.base, e.place`,
        [bodies[0]?.correlationId],
      );
      // Written as a receipt, then the response, then a receipt again: in that order by id.
      const ids = rows.map((row) => BigInt(row.id));
      expect(rows.map((row) => row.compact)).toEqual([false, ...bodies.map(() => true), false]);
      expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      const compact = rows.filter((row) => row.compact);
      expect(compact.map((row) => BigInt(row.id) - BigInt(row.base))).toEqual(compact.map((_, place) => BigInt(place)));
      // No other row's id falls among a response's entries'.
      const after = rows.at(-1);
      expect(after?.compact).toBe(false);
      expect(BigInt(after?.id ?? 0) - BigInt(compact[0]?.base ?? 0)).toBeGreaterThanOrEqual(BigInt(MAX_ENTRIES));
    });
  });

  it('refuses a response row whose entry map does not cover its entries', async () => {
    const bodies = await everyShape();
    await expect(
      inRolledBackTransaction(db, async (manager) => {
        const stored = await t.app.get(ResponseLog).encodeWaiting(bodies);
        await t.app
          .get(ResponseLog)
          .insert([{ ...stored, columns: { ...stored.columns, entryMap: stored.columns.entryMap.subarray(7) } }], manager);
      }),
    ).rejects.toThrow(/disclosure_response_entry_map/);
  });
});
