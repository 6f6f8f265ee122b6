import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { purgeExpiredReceipts } from 'src/disclosure/chain/retention.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog, type VerifyOptions } from 'src/disclosure/chain/verifier.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { DictionaryConflict, ResponseLog } from 'src/disclosure/response-log.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { Sql } from 'src/common/database/sql.js';
import { ResponseLogRepository } from 'src/disclosure/response-log.repository.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';

let t: TestApp;
let db: DataSource;
let log: ResponseLog;
let trusted: VerifyOptions;
beforeAll(async () => {
  // The compact form's own tests: requests here log in it whatever the run's default.
  t = await startTestApp({ AUDIT_LOG_FORM: 'compact' });
  db = t.app.get(DataSource);
  log = t.app.get(ResponseLog);
  const key = t.app.get(CheckpointKey);
  trusted = { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) };
});
afterAll(() => t.close());

/** The receipts of one real read of Jordan with his plans, as the JSON form logged them. */
async function readOfJordan(): Promise<ReceiptBody[]> {
  const correlationId = `compact-${randomUUID()}`;
  const response = await t.gql(
    'dana.hughes',
    `query($id: ID!) { child(id: $id) { givenName familyName records(kinds: [CARE_PLAN]) { edges { node { id kind } } } } }`,
    { id: JORDAN.id },
    { headers: { 'x-correlation-id': correlationId } },
  );
  expect(response.body.errors).toBeUndefined();
  const receipts = await loggedReceipts(db, { correlationId });
  expect(receipts.length).toBeGreaterThan(0);
  return receipts.map((receipt) => receipt.body);
}

/** The id of the newest compact response of this correlation id. */
async function responseId(manager: EntityManager | DataSource, correlationId: string): Promise<string> {
  const [row] = await manager.query<{ id: string }[]>(
    'SELECT id FROM disclosure_response WHERE correlation_id = $1 ORDER BY id DESC LIMIT 1',
    [correlationId],
  );
  if (!row) throw new Error('no response');
  return row.id;
}

/** The read's receipts with a field path no dictionary holds yet. */
function withNewFieldSet(bodies: readonly ReceiptBody[]): ReceiptBody[] {
  return bodies.map((body) => ({ ...body, disclosed: [...body.disclosed, `compact.${randomUUID()}`] }));
}

/** The new field set is stored once, and the log still verifies. */
async function expectStoredOnce(novel: readonly ReceiptBody[]): Promise<void> {
  const [added] = await db.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM disclosure_dictionary WHERE kind = 'DISCLOSED' AND value = $1`,
    [JSON.stringify(novel[0]?.disclosed)],
  );
  expect(added?.n).toBe('1');
  await t.app.get(SealerService).sealAll();
  expect((await verifyLog(db, trusted)).firstProblem).toBeNull();
}

describe('the compact form of the log', () => {
  it('stores a response as one row with its columns, seals it, and verifies it with the receipts around it', async () => {
    const bodies = await readOfJordan();
    await log.write([bodies]);
    // The newest row of the read's correlation id: the one just written (the read logged its own).
    const [row] = await db.query<{ entries: number; children: string[]; flagged: boolean; bytes: number }[]>(
      `SELECT entries, children::text[] AS children, flagged, octet_length(body) AS bytes
       FROM disclosure_response WHERE correlation_id = $1 ORDER BY id DESC LIMIT 1`,
      [bodies[0]?.correlationId],
    );
    const json = bodies.reduce((sum, body) => sum + Buffer.byteLength(canonicalJson(body)), 0);
    expect(row).toMatchObject({ entries: bodies.length, children: [JORDAN.id], flagged: false });
    // The same receipts in a fraction of the bytes of their JSON form.
    expect(row?.bytes).toBeLessThan(json / 4);
    await t.app.get(SealerService).sealAll();
    const report = await verifyLog(db, trusted);
    expect(report.firstProblem).toBeNull();
    expect(report.committed).toBe(report.receipts + report.removedByRetention);
  });

  it('numbers each dictionary value once, whoever adds it', async () => {
    const bodies = await readOfJordan();
    const before = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_dictionary');
    await Promise.all([log.write([bodies]), log.write([bodies]), t.app.get(ResponseLog).write([bodies])]);
    const after = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_dictionary');
    expect(after).toEqual(before);
    const [duplicates] = await db.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM (SELECT kind, value FROM disclosure_dictionary GROUP BY kind, value HAVING count(*) > 1) d',
    );
    expect(duplicates?.n).toBe('0');
    // Three instances (each its own dictionary in memory) meeting a field set none has seen, at once: one number.
    const novel = withNewFieldSet(bodies);
    const repository = t.app.get(ResponseLogRepository);
    await Promise.all([1, 2, 3].map(() => new ResponseLog(repository).write([novel])));
    await expectStoredOnce(novel);
  });

  it('gives up its own number for a value another instance stored first, and encodes the response again with that one', async () => {
    const bodies = await readOfJordan();
    const novel = withNewFieldSet(bodies);
    const repository = t.app.get(ResponseLogRepository);
    const mine = new ResponseLog(repository);
    await mine.warm();
    // This instance numbers the new value, another stores it under its own number before this one's insert.
    const stored = mine.encode(novel);
    expect(stored.entries.map((entry) => entry.kind)).toContain('DISCLOSED');
    await new ResponseLog(repository).write([novel]);
    await expect(mine.insert([stored])).rejects.toThrow(DictionaryConflict);
    const again = mine.encode(novel);
    expect(again.entries).toEqual([]);
    await mine.insert([again]);
    await expectStoredOnce(novel);
  });

  it('takes the stored number for a value it read from the store before its own insert of it failed', async () => {
    const novel = withNewFieldSet(await readOfJordan());
    const repository = t.app.get(ResponseLogRepository);
    const mine = new ResponseLog(repository);
    await mine.warm();
    const stored = mine.encode(novel);
    await new ResponseLog(repository).write([novel]);
    // Reading the store (a start, an auditor's page decoding the other's response) before its own insert fails.
    await mine.warm();
    expect(mine.encode(novel).entries).toEqual([]);
    await expect(mine.insert([stored])).rejects.toThrow(DictionaryConflict);
    const again = mine.encode(novel);
    expect(again.entries).toEqual([]);
    await mine.insert([again]);
    await expectStoredOnce(novel);
  });

  it('sends a new entry again after the transaction that carried it rolled back', async () => {
    const novel = withNewFieldSet(await readOfJordan());
    await inRolledBackTransaction(db, (manager) => log.write([novel], manager));
    await log.write([novel]);
    const found = await loggedReceipts(db, { correlationId: novel[0]?.correlationId ?? '', containing: ['compact.'] });
    expect(found.map((receipt) => receipt.body.disclosed)).toContainEqual(novel[0]?.disclosed);
    await expectStoredOnce(novel);
  });

  it('writes a response as JSON receipts when its dictionary values keep conflicting, never failing the request for it', async () => {
    const correlationId = `conflict-${randomUUID()}`;
    const bodies = withNewFieldSet(await readOfJordan()).map((body) => ({ ...body, correlationId }));
    const conflict = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'disclosure_dictionary_value_idx' });
    const inserts = vi.spyOn(t.app.get(ResponseLogRepository), 'insert').mockRejectedValue(conflict);
    try {
      await t.app.get(DisclosureService).write(bodies);
      expect(inserts).toHaveBeenCalledTimes(4);
    } finally {
      inserts.mockRestore();
    }
    const rows = await db.query<{ compact: boolean }[]>('SELECT compact FROM disclosure_entry WHERE correlation_id = $1', [
      correlationId,
    ]);
    expect(rows.map((row) => row.compact)).toEqual(bodies.map(() => false));
  });

  it('splits a response of more than 1,024 receipts into rows, every receipt read back in order', async () => {
    const [first] = await readOfJordan();
    if (!first?.record) throw new Error('the read logged no record');
    const record = first.record;
    const many = `split-${randomUUID()}`;
    const bodies = Array.from({ length: 1030 }, () => ({
      ...first,
      correlationId: many,
      record: { ...record, id: randomUUID() },
    }));
    await t.app.get(DisclosureService).write(bodies);
    const rows = await db.query<{ entries: number }[]>(
      'SELECT entries FROM disclosure_response WHERE correlation_id = $1 ORDER BY id',
      [many],
    );
    expect(rows.map((row) => row.entries)).toEqual([1024, 6]);
    const logged = await loggedReceipts(db, { correlationId: many });
    expect(logged.map((receipt) => receipt.recordId)).toEqual(bodies.map((body) => body.record.id));
  });

  it('numbers a new value without a statement of its own: the response that first uses it stores it', async () => {
    const bodies = await readOfJordan();
    const novel = withNewFieldSet(bodies);
    const calls = vi.spyOn(t.app.get(Sql), 'rows');
    try {
      await log.write([novel]);
      expect(calls.mock.calls.map(([statement]) => statement.name)).toEqual(['tandem_insert_responses']);
      // Once stored, a response using it brings no entry: its statement leaves the dictionary alone.
      await log.write([novel]);
      expect(calls.mock.calls.map(([statement]) => statement.name)).toEqual([
        'tandem_insert_responses',
        'tandem_insert_responses_only',
      ]);
    } finally {
      calls.mockRestore();
    }
    const found = await loggedReceipts(db, { correlationId: novel[0]?.correlationId ?? '', containing: ['compact.'] });
    const sets = (list: readonly (readonly string[])[]) => list.map((paths) => JSON.stringify(paths)).sort();
    expect(sets(found.map((receipt) => receipt.body.disclosed))).toEqual(
      sets([...novel, ...novel].map((body) => body.disclosed)),
    );
    await expectStoredOnce(novel);
  });

  it('adds the months ahead at most once an hour, and never stops sealing when it cannot', async () => {
    const sealer = t.app.get(SealerService);
    const calls = vi.spyOn(db, 'query');
    const partitionCalls = () => calls.mock.calls.filter(([sql]) => sql.includes('tandem_add_response_partitions')).length;
    try {
      const later = Date.now() + 10 * 3_600_000;
      await sealer.addPartitions(later);
      await sealer.addPartitions(later + 60_000);
      expect(partitionCalls()).toBe(1);
      calls.mockRejectedValueOnce(new Error('permission denied for function tandem_add_response_partitions'));
      await expect(sealer.addPartitions(later + 3_600_000)).resolves.toBeUndefined();
      // Failed, so tried again at the next pass rather than an hour later.
      await sealer.addPartitions(later + 3_600_000 + 1000);
      expect(partitionCalls()).toBe(3);
    } finally {
      calls.mockRestore();
    }
  });

  it('names a response whose bytes, columns or dictionary entries were changed, or that was removed', async () => {
    const bodies = await readOfJordan();
    const correlationId = bodies[0]?.correlationId ?? '';
    await log.write([bodies]);
    await t.app.get(SealerService).sealAll();
    const id = await responseId(db, correlationId);
    const tampered = async (sql: string, problem: RegExp) =>
      inRolledBackTransaction(db, async (manager) => {
        await manager.query('ALTER TABLE disclosure_response DISABLE TRIGGER USER');
        await manager.query('ALTER TABLE disclosure_dictionary DISABLE TRIGGER USER');
        await manager.query(sql, [id]);
        const report = await verifyLog(manager, trusted);
        expect(report.ok).toBe(false);
        expect(report.firstProblem?.problem).toMatch(problem);
      });
    await tampered(
      `UPDATE disclosure_response SET body = overlay(body placing '\\x00'::bytea from 40 for 1) WHERE id = $1`,
      /do not match its sealed hash/,
    );
    await tampered(
      `UPDATE disclosure_response SET children = '{}' WHERE id = $1`,
      /column children differs from the sealed response/,
    );
    await tampered(`UPDATE disclosure_response SET break_glass = true WHERE id = $1`, /column break_glass differs/);
    // The entry map is what auditors' filters read each entry's kind, flags and child from.
    await tampered(
      `UPDATE disclosure_response SET entry_map = set_byte(entry_map, 0, get_byte(entry_map, 0) | 32) WHERE id = $1`,
      /column entry_map differs/,
    );
    await tampered(`UPDATE disclosure_response SET user_subject = 'someone.else' WHERE id = $1`, /column user_subject differs/);
    await tampered(`DELETE FROM disclosure_response WHERE id = $1`, /the response was removed/);
    // A value rewritten in the dictionary (as canonical JSON) no longer matches the digest the response was sealed with.
    await tampered(
      `UPDATE disclosure_dictionary SET value = '["tampered.' || md5(random()::text) || '"]' WHERE number = (SELECT min(number) FROM disclosure_dictionary WHERE kind = 'DISCLOSED') AND $1::bigint IS NOT NULL`,
      /not a response \(The dictionary entries differ from those the response was written with\)/,
    );
    await tampered(
      `UPDATE disclosure_dictionary SET value = value || ' ' WHERE number = (SELECT min(number) FROM disclosure_dictionary) AND $1::bigint IS NOT NULL`,
      /the dictionary: Dictionary entry \d+ is not canonical JSON/,
    );
    expect((await verifyLog(db, trusted)).ok).toBe(true);
  });

  it('notices a response removed before it was sealed, or written around its queue', async () => {
    const bodies = await readOfJordan();
    await inRolledBackTransaction(db, async (manager) => {
      await log.write([bodies], manager);
      const id = await responseId(manager, bodies[0]?.correlationId ?? '');
      await manager.query('ALTER TABLE disclosure_response DISABLE TRIGGER USER');
      await manager.query('DELETE FROM disclosure_response WHERE id = $1', [id]);
      expect((await verifyLog(manager, trusted)).firstProblem).toMatchObject({
        receiptId: id,
        problem: 'a receipt waiting to be sealed was removed',
      });
    });
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query(
        `INSERT INTO disclosure_response (recorded_at, correlation_id, user_subject, agency_id, case_system_id, purpose, entries,
           break_glass, after_allocation_ended, flagged, children, records, owners, entry_map, body)
         SELECT recorded_at, correlation_id, user_subject, agency_id, case_system_id, purpose, entries,
           break_glass, after_allocation_ended, flagged, children, records, owners, entry_map, body
         FROM disclosure_response ORDER BY id DESC LIMIT 1`,
      );
      expect((await verifyLog(manager, trusted)).firstProblem?.problem).toBe(
        'a committed receipt is neither sealed nor waiting to be sealed',
      );
    });
    // An id is unique only within a month's partition: a second row with a sealed response's id is not that response.
    await t.app.get(SealerService).sealAll();
    await inRolledBackTransaction(db, async (manager) => {
      const [copy] = await manager.query<{ id: string }[]>(
        `INSERT INTO disclosure_response (id, recorded_at, correlation_id, user_subject, agency_id, case_system_id, purpose, entries,
           break_glass, after_allocation_ended, flagged, children, records, owners, entry_map, body)
         SELECT id, recorded_at + interval '1 millisecond', correlation_id, user_subject, agency_id, case_system_id, purpose, entries,
           break_glass, after_allocation_ended, flagged, children, records, owners, entry_map, body
         FROM disclosure_response ORDER BY id DESC LIMIT 1 RETURNING id`,
      );
      expect((await verifyLog(manager, trusted)).firstProblem).toMatchObject({
        receiptId: copy?.id,
        problem: 'a committed receipt is neither sealed nor waiting to be sealed',
      });
    });
  });

  it('is append-only, by its parent table and by each month’s partition named directly', async () => {
    await log.write([await readOfJordan()]);
    const [partition] = await db.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'disclosure_response'::regclass AND c.relname <> 'disclosure_response_default' ORDER BY c.relname LIMIT 1`,
    );
    expect(partition?.name).toMatch(/^disclosure_response_\d{6}$/);
    for (const table of ['disclosure_response', partition?.name ?? '', 'disclosure_response_default', 'disclosure_dictionary']) {
      for (const sql of [`UPDATE ${table} SET recorded_at = recorded_at`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        const statement = table === 'disclosure_dictionary' ? sql.replace('recorded_at = recorded_at', 'value = value') : sql;
        await inRolledBackTransaction(db, async (manager) => {
          await expect(manager.query(statement)).rejects.toThrow(/append-only/);
        });
      }
    }
  });

  it('keeps a month’s partitions ahead, and a month that already has responses in the default partition there', async () => {
    const [{ added } = { added: -1 }] = await db.query<{ added: number }[]>('SELECT tandem_add_response_partitions(2) AS added');
    expect(added).toBe(0);
    const bodies = (await readOfJordan()).map((body) => ({ ...body, at: '2031-05-04T10:00:00.000Z' }));
    await inRolledBackTransaction(db, async (manager) => {
      await log.write([bodies], manager);
      const [where] = await manager.query<{ partition: string }[]>(
        `SELECT tableoid::regclass::text AS partition FROM disclosure_response WHERE correlation_id = $1 AND recorded_at = $2`,
        [bodies[0]?.correlationId, bodies[0]?.at],
      );
      expect(where?.partition).toBe('disclosure_response_default');
      // Far ahead is not added (at most 24 months), and nothing fails.
      await expect(manager.query('SELECT tandem_add_response_partitions(100)')).resolves.toBeDefined();
      // Months before this one, for a log loaded or seeded after the fact.
      const back = new Date();
      back.setUTCDate(1);
      back.setUTCMonth(back.getUTCMonth() - 3);
      const name = `disclosure_response_${back.getUTCFullYear()}${String(back.getUTCMonth() + 1).padStart(2, '0')}`;
      await manager.query('SELECT tandem_add_response_partitions(0, 3)');
      const [found] = await manager.query<{ t: string | null }[]>('SELECT to_regclass($1)::text AS t', [name]);
      expect(found?.t).toBe(name);
    });
  });

  it('retention removes whole sealed batches of responses with their seals, and the log still verifies', async () => {
    const bodies = await readOfJordan();
    await inRolledBackTransaction(db, async (manager) => {
      await log.write([bodies], manager);
      const longAgo = new Date(Date.now() - 400 * 86_400_000);
      while ((await t.app.get(SealerService).seal(manager, longAgo)).receipts > 0);
      const [before] = await manager.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_response');
      const run = await purgeExpiredReceipts(manager, 365);
      expect(run.removed).toBeGreaterThanOrEqual(bodies.length);
      const [after] = await manager.query<{ n: string }[]>('SELECT count(*) AS n FROM disclosure_response');
      expect(Number(after?.n)).toBe(0);
      expect(Number(before?.n)).toBeGreaterThan(0);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toBeNull();
      expect(report.committed).toBe(report.receipts + report.removedByRetention);
    });
  });
});
