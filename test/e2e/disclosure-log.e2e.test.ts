import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { type Queryable, verifyLog, type VerifyOptions } from 'src/disclosure/chain/verifier.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';

let t: TestApp;
let db: DataSource;
let trusted: VerifyOptions;
beforeAll(async () => {
  // These tests alter, remove and forge receipts in the JSON form's rows (the compact form's own
  // are in compact-log.test.ts), so requests here log in that form.
  t = await startTestApp({ AUDIT_LOG_FORM: 'json' });
  db = t.app.get(DataSource);
  const key = t.app.get(CheckpointKey);
  trusted = { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) };
});
afterAll(() => t.close());

async function receiptsOf(correlationId: string, from: Queryable = db): Promise<ReceiptBody[]> {
  return (await loggedReceipts(from, { correlationId })).map((row) => row.body);
}

async function read(subject: string, query: string, variables: Record<string, unknown> = {}, purpose = 'CASE_MANAGEMENT') {
  const correlationId = `test-${randomUUID()}`;
  const response = await t.gql(subject, query, variables, { purpose, headers: { 'x-correlation-id': correlationId } });
  return { response, correlationId, receipts: await receiptsOf(correlationId) };
}

const CARE_PLAN = recordOf(JORDAN, RecordKind.CARE_PLAN);

describe('a receipt for every disclosure', () => {
  it('names the exact fields disclosed and withheld, through aliases and fragments, with rule, clause and lawful basis', async () => {
    const { response, receipts, correlationId } = await read(
      'dana.hughes',
      `query Plan($id: ID!) {
        plan: record(id: $id) { ...Plan kind version author { name } }
      }
      fragment Plan on SharedRecord { ... on CarePlan { content { gist: summary health courtProceedingsInformation } } }`,
      { id: CARE_PLAN },
    );
    expect(response.body.errors).toBeUndefined();
    expect(receipts).toHaveLength(1);
    const [receipt] = receipts;
    expect(receipt).toMatchObject({
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      correlationId,
      purpose: 'CASE_MANAGEMENT',
      child: JORDAN.id,
      record: { kind: 'CARE_PLAN', id: CARE_PLAN, version: 2 },
      user: { subject: 'dana.hughes' },
      recipient: { agencyCode: 'derby-yos' },
      operation: { channel: 'GRAPHQL', name: 'Plan' },
    });
    expect(receipt?.operation.hash).toMatch(/^[0-9a-f]{64}$/);
    // Field names, not aliases; what was withheld is not listed as disclosed.
    const withheld = (receipt?.withheld ?? []).map((entry) => entry.field);
    expect(withheld).toContain('content.courtProceedingsInformation');
    expect(receipt?.disclosed).toContain('content.summary');
    expect(receipt?.disclosed).toContain('author.name');
    expect(receipt?.disclosed).not.toContain('content.courtProceedingsInformation');
    expect(receipt?.disclosed.some((path) => path.includes('gist'))).toBe(false);
    const planning = receipt?.bases.find((basis) => basis.class === 'CARE_PLANNING');
    expect(planning?.agreement?.id).toBe('derby-yos-csc');
    expect(planning?.lawfulBasis).toBeTruthy();
    const court = receipt?.withheld.find((entry) => entry.field === 'content.courtProceedingsInformation');
    const shown = (response.body.data as { plan: { withheld?: unknown } } | undefined)?.plan;
    expect(shown).toBeDefined();
    expect(court?.rule).toMatch(/^(C1|DEFAULT-DENY)$/);
  });

  it('gives the child, its placement and each record of a list its own receipt', async () => {
    const { response, receipts } = await read(
      'dana.hughes',
      `query($id: ID!) { child(id: $id) { givenName currentPlacement { address } records(first: 5) { edges { node { id kind } } } } }`,
      { id: JORDAN.id },
    );
    expect(response.body.errors).toBeUndefined();
    const kinds = receipts.map((receipt) => receipt.record?.kind);
    expect(kinds).toContain('CHILD');
    expect(kinds).toContain('PLACEMENT');
    const child = receipts.find((receipt) => receipt.record?.kind === 'CHILD');
    expect(child?.disclosed).toEqual(['givenName']);
    const records = (response.body.data as { child: { records: { edges: unknown[] } } }).child.records.edges.length;
    expect(receipts.filter((receipt) => !['CHILD', 'PLACEMENT'].includes(receipt.record?.kind ?? ''))).toHaveLength(records);
  });

  it('writes nothing for a request that disclosed nothing', async () => {
    const { receipts } = await read('dana.hughes', '{ me { name } }');
    expect(receipts).toEqual([]);
  });
});

describe('fail closed', () => {
  it('sends no data when the receipts cannot be committed', async () => {
    t.app.get(DisclosureService).failNextCommits(1);
    const { response, receipts } = await read('dana.hughes', `query($id: ID!) { child(id: $id) { givenName familyName } }`, {
      id: JORDAN.id,
    });
    expect(response.status).toBe(503);
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response.body)).not.toContain('Jordan');
    expect(receipts).toEqual([]);
  });
});

describe('append-only, enforced by PostgreSQL', () => {
  const attempts = [
    `UPDATE disclosure_receipt SET purpose = 'AUDIT' WHERE id = (SELECT max(id) FROM disclosure_receipt)`,
    `DELETE FROM disclosure_receipt WHERE id = (SELECT max(id) FROM disclosure_receipt)`,
    `TRUNCATE disclosure_receipt`,
    `UPDATE disclosure_checkpoint SET key_id = 'x'`,
    `DELETE FROM disclosure_seal`,
  ];

  it('refuses the gateway role any update, delete or truncate, and lets it insert and select', async () => {
    await read('dana.hughes', `query($id: ID!) { child(id: $id) { givenName } }`, { id: JORDAN.id });
    for (const sql of attempts) {
      await inRolledBackTransaction(db, async (manager) => {
        await manager.query('SET LOCAL ROLE tandem_gateway');
        await expect(manager.query(sql)).rejects.toThrow(/permission denied/);
      });
    }
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SET LOCAL ROLE tandem_gateway');
      const [row] = await manager.query<{ count: string }[]>('SELECT count(*) FROM disclosure_receipt');
      expect(Number(row?.count)).toBeGreaterThan(0);
    });
  });

  it('refuses even the tables’ owner, by trigger', async () => {
    for (const sql of attempts) {
      await inRolledBackTransaction(db, async (manager) => {
        await expect(manager.query(sql)).rejects.toThrow(/append-only/);
      });
    }
  });
});

describe('tamper evidence', () => {
  it('seals every receipt into a chain of signed checkpoints that verifies end to end', async () => {
    await read('dana.hughes', `query($id: ID!) { record(id: $id) { kind } }`, { id: CARE_PLAN });
    await t.app.get(SealerService).sealAll();
    const report = await verifyLog(db, trusted);
    expect(report.firstProblem).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.receipts).toBeGreaterThan(0);
    expect(report.pending).toBe(0);
  });

  it('catches a receipt altered directly in SQL, and names it', async () => {
    const { receipts, correlationId } = await read('dana.hughes', `query($id: ID!) { record(id: $id) { kind } }`, {
      id: CARE_PLAN,
    });
    expect(receipts).toHaveLength(1);
    await t.app.get(SealerService).sealAll();
    const [{ id } = { id: '' }] = await db.query<{ id: string }[]>(
      'SELECT id FROM disclosure_receipt WHERE correlation_id = $1',
      [correlationId],
    );
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER');
      const forged = Buffer.from(JSON.stringify({ ...receipts[0], purpose: 'SAFEGUARDING' }));
      await manager.query('UPDATE disclosure_receipt SET body = $1 WHERE id = $2', [forged, id]);
      const report = await verifyLog(manager, trusted);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.receiptId).toBe(id);
      expect(report.firstProblem?.problem).toMatch(/altered/);
    });
    await inRolledBackTransaction(db, async (manager) => {
      // Bytes that are not UTF-8, or that a client would decode to the original text (a BOM before
      // it): named alterations, not a crash and not a pass.
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER');
      await manager.query(`UPDATE disclosure_receipt SET body = '\\x7b22ff00'::bytea WHERE id = $1`, [id]);
      expect((await verifyLog(manager, trusted)).firstProblem).toMatchObject({
        receiptId: id,
        problem: expect.stringMatching(/altered/) as string,
      });
      await manager.query(`UPDATE disclosure_receipt SET body = '\\xefbbbf'::bytea || body WHERE id = $1`, [id]);
      expect((await verifyLog(manager, trusted)).firstProblem).toMatchObject({
        receiptId: id,
        problem: expect.stringMatching(/altered/) as string,
      });
    });
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER');
      await manager.query(`UPDATE disclosure_receipt SET user_subject = 'someone.else' WHERE id = $1`, [id]);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toMatchObject({ receiptId: id, problem: expect.stringMatching(/user_subject/) as string });
    });
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER USER');
      await manager.query('ALTER TABLE disclosure_seal DISABLE TRIGGER USER');
      await manager.query('DELETE FROM disclosure_seal WHERE receipt_id = $1', [id]);
      await manager.query('DELETE FROM disclosure_receipt WHERE id = $1', [id]);
      const report = await verifyLog(manager, trusted);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.problem).toMatch(/missing|no longer/);
    });
    expect((await verifyLog(db, trusted)).ok).toBe(true);
  });

  it('names a checkpoint statement rewritten into something that is not JSON, without stopping', async () => {
    await t.app.get(SealerService).sealAll();
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_checkpoint DISABLE TRIGGER USER');
      await manager.query(
        `UPDATE disclosure_checkpoint SET statement = convert_to('not json', 'UTF8') WHERE id = (SELECT max(id) FROM disclosure_checkpoint)`,
      );
      const report = await verifyLog(manager, trusted);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.problem).toMatch(/differs from what was signed/);
    });
  });

  it('names sealed bytes that are not a receipt, whatever they hold', async () => {
    await t.app.get(SealerService).sealAll();
    const [last] = await db.query<{ id: string; body: Buffer }[]>(
      'SELECT id, body FROM disclosure_receipt ORDER BY id DESC LIMIT 1',
    );
    const name = last?.body.indexOf('"name":"') ?? -1;
    expect(name).toBeGreaterThan(0);
    // The last receipt with a byte that is not UTF-8 in its user's name: a decoder that replaces it
    // would read a receipt whose columns all match.
    const notUtf8 = Buffer.concat([
      last?.body.subarray(0, name + 8) ?? Buffer.alloc(0),
      Buffer.from([0xff]),
      last?.body.subarray(name + 8) ?? Buffer.alloc(0),
    ]);
    for (const body of [Buffer.from('not json'), Buffer.from('null'), Buffer.from('{"v":1}'), notUtf8]) {
      await inRolledBackTransaction(db, async (manager) => {
        // Written around the writer as the tables' owner, then sealed: the chain holds them, the verifier must say what they are.
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO disclosure_receipt (recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, record_kind, record_id, record_version, owning_agency_id, purpose, break_glass, after_allocation_ended, correlation_id, body)
           SELECT recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, record_kind, record_id, record_version, owning_agency_id, purpose, break_glass, after_allocation_ended, correlation_id, $1::bytea
           FROM disclosure_receipt WHERE id = $2 RETURNING id`,
          [body, last?.id],
        );
        await manager.query('INSERT INTO disclosure_pending (receipt_id) VALUES ($1)', [row?.id]);
        await t.app.get(SealerService).seal(manager);
        const report = await verifyLog(manager, trusted);
        expect(report.firstProblem, body.toString('latin1').slice(0, 40)).toMatchObject({
          receiptId: row?.id,
          problem: expect.stringMatching(/not a receipt/) as string,
        });
      });
    }
  });

  it('refuses checkpoints signed by a key it does not trust, and a log rewritten after a checkpoint was exported', async () => {
    await t.app.get(SealerService).sealAll();
    const other = CheckpointKey.generate();
    const untrusted = await verifyLog(db, { trustedKeys: new Map([[other.keyId, other.publicKeyPem()]]) });
    expect(untrusted.firstProblem?.problem).toMatch(/not trusted/);
    const [row] = await db.query<{ statement: Buffer; signature: Buffer }[]>(
      'SELECT statement, signature FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1',
    );
    const held = {
      statement: JSON.parse(row?.statement.toString('utf8') ?? '{}') as never,
      signature: Buffer.from('forged').toString('base64'),
    };
    const rewritten = await verifyLog(db, { ...trusted, heldCheckpoints: [held] });
    expect(rewritten.firstProblem?.problem).toMatch(/held outside/);
    const genuine = await verifyLog(db, {
      ...trusted,
      heldCheckpoints: [{ statement: held.statement, signature: row?.signature.toString('base64') ?? '' }],
    });
    expect(genuine.ok).toBe(true);
  });
});

describe('retention', () => {
  it('does not let a forged retention record hide entries', async () => {
    await t.app.get(SealerService).sealAll();
    await inRolledBackTransaction(db, async (manager) => {
      // The gateway may insert into disclosure_retention: a record claiming the latest checkpoint was purged.
      await manager.query(
        `INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
         SELECT id, last_seq, chain_head, 0, now() - interval '400 days', now() FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1`,
      );
      const report = await verifyLog(manager, trusted);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.problem).toMatch(/retention record/);
    });
  });

  it('removes whole sealed batches older than the retention period and the rest still verifies', async () => {
    await read('dana.hughes', `query($id: ID!) { record(id: $id) { kind } }`, { id: CARE_PLAN });
    const sealer = t.app.get(SealerService);
    await sealer.sealAll();
    await inRolledBackTransaction(db, async (manager) => {
      await expect(manager.query('SELECT tandem_purge_disclosures(30)')).rejects.toThrow(/at least 365 days/);
    });
    await inRolledBackTransaction(db, async (manager) => {
      // A batch sealed two years ago (signing time set for the test), then one sealed now.
      const old = randomUUID();
      await manager.query(
        `INSERT INTO disclosure_receipt (recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, break_glass, after_allocation_ended, correlation_id, body)
         SELECT r.recorded_at, r.entry_kind, r.outcome, r.user_subject, r.agency_id, r.case_system_id, r.break_glass, r.after_allocation_ended, $1, r.body
         FROM disclosure_receipt r ORDER BY id DESC LIMIT 1`,
        [old],
      );
      await manager.query(`INSERT INTO disclosure_pending SELECT id FROM disclosure_receipt WHERE correlation_id = $1`, [old]);
      // The copy's columns no longer match its body (correlation id), so it must be gone before verifying.
      await sealer.seal(manager, new Date(Date.now() - 2 * 365 * 86_400_000));
      await manager.query(
        `INSERT INTO disclosure_receipt (recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, record_kind, record_id, record_version, owning_agency_id, purpose, break_glass, after_allocation_ended, correlation_id, body)
         SELECT recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, record_kind, record_id, record_version, owning_agency_id, purpose, break_glass, after_allocation_ended, correlation_id, body
         FROM disclosure_receipt WHERE correlation_id <> $1 ORDER BY id DESC LIMIT 1`,
        [old],
      );
      await manager.query(`INSERT INTO disclosure_pending SELECT max(id) FROM disclosure_receipt`);
      await sealer.seal(manager);
      const [{ removed } = { removed: '0' }] = await manager.query<{ removed: string }[]>(
        'SELECT tandem_purge_disclosures(365) AS removed',
      );
      expect(Number(removed)).toBeGreaterThan(0);
      const [{ left } = { left: '1' }] = await manager.query<{ left: string }[]>(
        'SELECT count(*) AS left FROM disclosure_receipt WHERE correlation_id = $1',
        [old],
      );
      expect(Number(left)).toBe(0);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toBeNull();
      expect(report.removedByRetention).toBe(Number(removed));
      expect(report.receipts).toBe(1);
    });
  });
});
