import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from 'src/app.js';
import { AppConfig } from 'src/config/app-config.js';
import { refuseOwnerConnection } from 'src/database/owner-connection.js';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { statementBytes } from 'src/disclosure/chain/checkpoint-statement.js';
import { sha256Hex } from 'src/disclosure/chain/hashing.js';
import { REQUEST_FLAG_CONFLICT } from 'src/audit-api/anomaly.repository.js';
import { purgeExpiredReceipts } from 'src/disclosure/chain/retention.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog, type VerifyOptions } from 'src/disclosure/chain/verifier.js';
import { startTestApp, TEST_AUDIT_KEY, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';
import { inRolledBackTransaction } from '../support/rolled-back.js';

const ownerUrl = inject('testDatabaseUrl');

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

/** Reads Jordan and returns the id of the receipt it left (committed, not yet sealed). */
async function unsealedReceipt(): Promise<string> {
  const correlationId = `retention-${randomUUID()}`;
  const response = await t.gql(
    'dana.hughes',
    `query($id: ID!) { child(id: $id) { givenName } }`,
    { id: JORDAN.id },
    {
      headers: { 'x-correlation-id': correlationId },
    },
  );
  expect(response.body.errors).toBeUndefined();
  const [row] = await db.query<{ id: string }[]>('SELECT id FROM disclosure_receipt WHERE correlation_id = $1', [correlationId]);
  if (!row) throw new Error('no receipt');
  return row.id;
}

describe('retention is the one way out of the log', () => {
  it('refuses a DELETE of an unsealed receipt even after a session sets tandem.retention', async () => {
    const id = await unsealedReceipt();
    for (const sql of ['DELETE FROM disclosure_receipt WHERE id = $1', 'DELETE FROM disclosure_seal WHERE receipt_id = $1']) {
      await inRolledBackTransaction(db, async (manager) => {
        await manager.query(`SELECT set_config('tandem.retention', 'on', true)`);
        await expect(manager.query(sql, [id])).rejects.toThrow(/append-only/);
      });
    }
  });

  it('runs retention as tandem_retention, a role that cannot log in, and only for those given it', async () => {
    const [fn] = await db.query<{ owner: string; definer: boolean; public_may: boolean }[]>(
      `SELECT p.proowner::regrole::text AS owner, p.prosecdef AS definer,
         has_function_privilege('public', p.oid, 'EXECUTE') AS public_may
       FROM pg_proc p WHERE p.proname = 'tandem_purge_disclosures'`,
    );
    expect(fn).toEqual({ owner: 'tandem_retention', definer: true, public_may: false });
    const [role] = await db.query<{ rolcanlogin: boolean }[]>(
      `SELECT rolcanlogin FROM pg_roles WHERE rolname = 'tandem_retention'`,
    );
    expect(role?.rolcanlogin).toBe(false);
    // Nothing was sealed long enough ago: a run removes nothing, and says so.
    await expect(purgeExpiredReceipts(db, 365)).resolves.toMatchObject({ removed: 0 });
  });
});

describe('a checkpoint is dated when the gateway writes it (retention trusts its date)', () => {
  /** The newest checkpoint copied as the next one, with its range and date changed. */
  const FORGED = `INSERT INTO disclosure_checkpoint (id, first_seq, last_seq, merkle_root, chain_head, signed_at, key_id, statement, signature)
    SELECT id + 1, last_seq + 1, last_seq + $1::bigint, merkle_root, chain_head, $2, key_id, statement, signature
    FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1`;

  async function asGateway(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('SET LOCAL ROLE tandem_gateway');
      await work(manager);
    });
  }

  it('refuses the gateway a checkpoint dated long ago, one covering no seal and one covering seals not written', async () => {
    await unsealedReceipt();
    await t.app.get(SealerService).sealAll();
    const longAgo = new Date('2000-01-01T00:00:00Z');
    for (const [covering, at, refusal] of [
      [0, longAgo, /dated when it is written/],
      [0, new Date(), /covers at least one seal/],
      [5, new Date(), /only seals already written/],
      [1, new Date(Date.now() + 3_600_000), /dated when it is written/],
    ] as const) {
      await asGateway(async (manager) => {
        await expect(manager.query(FORGED, [covering, at])).rejects.toThrow(refusal);
      });
    }
  });

  it('lets the gateway raise and widen anomaly flags, not remove or rewrite them, nor record a retention run', async () => {
    for (const sql of [
      `INSERT INTO disclosure_retention (through_checkpoint_id, through_seq, boundary_chain_hash, receipts_removed, cutoff, performed_at)
       SELECT id, last_seq, chain_head, 0, now() - interval '400 days', now() FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1`,
      'DELETE FROM disclosure_anomaly',
      'TRUNCATE disclosure_anomaly',
      "UPDATE disclosure_anomaly SET kind = 'BREAK_GLASS'",
      'UPDATE disclosure_anomaly SET child_id = NULL',
      "UPDATE disclosure_anomaly SET user_subject = 'someone.else'",
    ]) {
      await asGateway(async (manager) => {
        await expect(manager.query(sql)).rejects.toThrow(/permission denied/);
      });
    }
    await asGateway(async (manager) => {
      // As the scan raises a flag and meets it again: the upsert it runs.
      const raise = `INSERT INTO disclosure_anomaly (kind, key, user_subject, agency_id, child_id, window_start, window_end, count, first_receipt_id, detected_at)
        SELECT 'BREAK_GLASS', 'gateway-role-test', 'someone', id, NULL, now(), now(), 1, 1, now() FROM agency ORDER BY code LIMIT 1
        ${REQUEST_FLAG_CONFLICT}`;
      expect(await manager.query(raise)).toEqual([{ inserted: true }]);
      expect(await manager.query(raise)).toEqual([{ inserted: false }]);
    });
  });

  it('refuses the gateway a seal in a range already checkpointed (retention would remove what it names)', async () => {
    const id = await unsealedReceipt();
    await t.app.get(SealerService).sealAll();
    const today = await unsealedReceipt();
    for (const seq of ['-1', '0', '1']) {
      await asGateway(async (manager) => {
        await expect(
          manager.query(
            `INSERT INTO disclosure_seal (seq, receipt_id, response_id, response_recorded_at, checkpoint_id, leaf_hash, chain_hash)
             SELECT $1::bigint, $2::bigint, NULL, NULL, id, leaf_hash, chain_hash FROM disclosure_seal s JOIN disclosure_checkpoint c ON c.id = s.checkpoint_id
             WHERE s.receipt_id = $3 LIMIT 1`,
            [seq, today, id],
          ),
        ).rejects.toThrow(/follows the last checkpoint|duplicate key/);
      });
    }
  });

  it('lets the gateway seal as it does in production', async () => {
    await unsealedReceipt();
    await asGateway(async (manager) => {
      const sealed = await t.app.get(SealerService).seal(manager);
      expect(sealed.receipts).toBeGreaterThan(0);
    });
  });

  it('and audit:verify names a checkpoint that covers no seal', async () => {
    await unsealedReceipt();
    await t.app.get(SealerService).sealAll();
    const key = t.app.get(CheckpointKey);
    await inRolledBackTransaction(db, async (manager) => {
      // The tables' owner gets past the trigger (as it may alter it): the verifier still says no.
      const [last] = await manager.query<
        { id: number; last_seq: string; merkle_root: Buffer; chain_head: Buffer; statement: Buffer }[]
      >('SELECT id, last_seq, merkle_root, chain_head, statement FROM disclosure_checkpoint ORDER BY id DESC LIMIT 1');
      if (!last) throw new Error('no checkpoint');
      const signedAt = new Date();
      const statement = statementBytes({
        v: 1,
        log: 'tandem-disclosures',
        checkpoint: last.id + 1,
        firstSeq: (BigInt(last.last_seq) + 1n).toString(),
        lastSeq: last.last_seq,
        treeSize: 0,
        merkleRoot: last.merkle_root.toString('hex'),
        chainHead: last.chain_head.toString('hex'),
        previous: sha256Hex(last.statement),
        signedAt: signedAt.toISOString(),
        keyId: key.keyId,
      });
      await manager.query(
        `INSERT INTO disclosure_checkpoint (id, first_seq, last_seq, merkle_root, chain_head, signed_at, key_id, statement, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          last.id + 1,
          BigInt(last.last_seq) + 1n,
          last.last_seq,
          last.merkle_root,
          last.chain_head,
          signedAt,
          key.keyId,
          statement,
          key.sign(statement),
        ],
      );
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toMatchObject({ checkpointId: last.id + 1, problem: 'the checkpoint covers no seal' });
    });
  });
});

describe('audit:verify notices receipts removed before they were sealed', () => {
  it('when a receipt and its place in the queue are both gone', async () => {
    const id = await unsealedReceipt();
    expect((await verifyLog(db, trusted)).ok).toBe(true);
    await inRolledBackTransaction(db, async (manager) => {
      // Only DDL by the tables' owner gets past the trigger now; before, a session setting did.
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER disclosure_receipt_append_only');
      await manager.query('DELETE FROM disclosure_pending WHERE receipt_id = $1', [id]);
      await manager.query('DELETE FROM disclosure_receipt WHERE id = $1', [id]);
      const report = await verifyLog(manager, trusted);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.problem).toMatch(/1 committed receipts are missing: removed before they were sealed/);
    });
  });

  it('when a receipt is gone but its place in the queue is not, naming it', async () => {
    const id = await unsealedReceipt();
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query('ALTER TABLE disclosure_receipt DISABLE TRIGGER disclosure_receipt_append_only');
      await manager.query('DELETE FROM disclosure_receipt WHERE id = $1', [id]);
      const report = await verifyLog(manager, trusted);
      expect(report.firstProblem).toMatchObject({ receiptId: id, problem: 'a receipt waiting to be sealed was removed' });
      // The sealer drops the orphaned place; the count still shows the receipt missing.
      await t.app.get(SealerService).seal(manager);
      expect((await verifyLog(manager, trusted)).firstProblem?.problem).toMatch(/missing: removed before they were sealed/);
    });
  });

  it('but not when receipts were never committed (a rolled-back change leaves a gap in the ids)', async () => {
    await unsealedReceipt();
    await inRolledBackTransaction(db, async (manager) => {
      await manager.query(
        `WITH copied AS (
           INSERT INTO disclosure_receipt (recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, break_glass, after_allocation_ended, correlation_id, body)
           SELECT recorded_at, entry_kind, outcome, user_subject, agency_id, case_system_id, child_id, break_glass, after_allocation_ended, correlation_id, body
           FROM disclosure_receipt ORDER BY id DESC LIMIT 3 RETURNING id
         ) INSERT INTO disclosure_pending SELECT id FROM copied`,
      );
    });
    await unsealedReceipt();
    await t.app.get(SealerService).sealAll();
    const report = await verifyLog(db, trusted);
    expect(report.firstProblem).toBeNull();
    expect(report.committed).toBe(report.receipts + report.removedByRetention);
  });
});

describe('the gateway in production', () => {
  it('refuses to serve requests as the owner of the log’s tables unless told to', async () => {
    // The test database's connection owns the tables (a superuser on PostgreSQL, the one user of PGlite).
    await expect(refuseOwnerConnection(db, { production: true, allowOwnerConnection: false })).rejects.toThrow(
      /DATABASE_OWNER_URL.*AUDIT_ALLOW_OWNER_CONNECTION=true/s,
    );
    await expect(refuseOwnerConnection(db, { production: true, allowOwnerConnection: true })).resolves.toBeUndefined();
    await expect(refuseOwnerConnection(db, { production: false, allowOwnerConnection: false })).resolves.toBeUndefined();
  });

  // A second login role and production's DATABASE_URL need a server: PGlite has one user only.
  it.skipIf(!ownerUrl)('does not start when DATABASE_URL is the owner, naming DATABASE_OWNER_URL', async () => {
    await expect(createApp(AppConfig.fromEnvironment(production()), { logger: false })).rejects.toThrow(/DATABASE_OWNER_URL/);
  });
});

/** A production configuration on the test server, connecting as its owner unless changed. */
function production(): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tandem-owner-')),
    DATABASE_URL: ownerUrl,
    DATABASE_POOL_SIZE: '2',
    AUTH_JWKS_URL: 'https://identity.invalid/.well-known/jwks.json',
    AUTH_ISSUER: 'https://identity.invalid/',
    AUDIT_SIGNING_KEY: TEST_AUDIT_KEY,
    AUDIT_SEAL_INTERVAL_MS: '0',
    NOTIFY_POLL_MS: '0',
  };
}

describe.skipIf(!ownerUrl)('under login roles that do not own the tables', () => {
  const gateway = `tandem_it_${randomBytes(4).toString('hex')}`;
  const stranger = `tandem_it_${randomBytes(4).toString('hex')}`;
  const as = async (role: string, work: (client: pg.Client) => Promise<void>) => {
    const url = new URL(ownerUrl ?? '');
    url.username = role;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await db.query(`CREATE ROLE ${gateway} LOGIN IN ROLE tandem_gateway`);
    await db.query(`CREATE ROLE ${stranger} LOGIN`);
  });
  afterAll(async () => {
    await db.query(`DROP OWNED BY ${gateway}, ${stranger}; DROP ROLE IF EXISTS ${gateway}; DROP ROLE IF EXISTS ${stranger}`);
  });

  it('a production gateway starts with DATABASE_URL in tandem_gateway and DATABASE_OWNER_URL the owner', async () => {
    const url = new URL(ownerUrl ?? '');
    url.username = gateway;
    const app = await createApp(
      AppConfig.fromEnvironment({ ...production(), DATABASE_URL: url.toString(), DATABASE_OWNER_URL: ownerUrl }),
      {
        logger: false,
      },
    );
    await app.close();
  });

  it('the gateway’s cannot become tandem_retention, but may run retention; others may not', async () => {
    // No request through `t` here: a second application replaced passport's (global) jwt strategy.
    const [{ id } = { id: '0' }] = await db.query<{ id: string }[]>('SELECT max(id) AS id FROM disclosure_receipt');
    await as(gateway, async (client) => {
      await expect(client.query('SET ROLE tandem_retention')).rejects.toThrow(/permission denied/);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('tandem.retention', 'on', true)`);
      await expect(client.query('DELETE FROM disclosure_receipt WHERE id = $1', [id])).rejects.toThrow(/permission denied/);
      await client.query('ROLLBACK');
      await expect(client.query('SELECT tandem_purge_disclosures(30)')).rejects.toThrow(/at least 365 days/);
      const { rows } = await client.query<{ removed: string }>('SELECT tandem_purge_disclosures(365) AS removed');
      expect(rows[0]?.removed).toBe('0');
      await expect(client.query('DELETE FROM disclosure_tally')).rejects.toThrow(/permission denied/);
    });
    await as(stranger, async (client) => {
      await expect(client.query('SELECT tandem_purge_disclosures(365)')).rejects.toThrow(/permission denied/);
    });
  });

  it('the gateway’s may add the compact log’s months and read and append to it, never change or remove it, nor others', async () => {
    await as(gateway, async (client) => {
      await client.query('SELECT tandem_add_response_partitions(2)');
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'disclosure_response'::regclass ORDER BY c.relname`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(4);
      for (const table of [...rows.map((row) => row.name), 'disclosure_response', 'disclosure_dictionary']) {
        await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
        for (const sql of [
          `DELETE FROM ${table}`,
          `TRUNCATE ${table}`,
          `UPDATE ${table} SET ${table === 'disclosure_dictionary' ? 'value = value' : 'entries = entries'}`,
        ])
          await expect(client.query(sql)).rejects.toThrow(/permission denied|append-only/);
      }
      await expect(
        client.query(
          "CREATE TABLE disclosure_response_209901 PARTITION OF disclosure_response FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')",
        ),
      ).rejects.toThrow(/permission denied|must be owner/);
      // It appends a response and its place in the queue, counted as its receipts (rolled back: the bytes are no response).
      await client.query('BEGIN');
      await client.query(
        `WITH added AS (
           INSERT INTO disclosure_response (recorded_at, correlation_id, user_subject, agency_id, case_system_id, purpose, entries,
             break_glass, after_allocation_ended, flagged, children, records, owners, entry_map, body)
           VALUES (now(), 'role-test', 'role.test', gen_random_uuid(), gen_random_uuid(), NULL, 3, false, false, false, '{}', '{}', '{}',
             '\\x000000000000000000000000000000000000000000', '\\x03')
           RETURNING id, recorded_at, entries
         ) INSERT INTO disclosure_response_pending SELECT id, recorded_at, entries FROM added`,
      );
      const { rows: tally } = await client.query<{ receipts: string }>(
        'SELECT receipts FROM disclosure_tally ORDER BY id DESC LIMIT 1',
      );
      expect(tally[0]?.receipts).toBe('3');
      // It reserves dictionary numbers and stores an entry under one, as a response's insert does; it reads the entries' views.
      const { rows: reserved } = await client.query<{ number: number }>(
        `SELECT nextval(pg_get_serial_sequence('disclosure_dictionary', 'number'))::int AS number`,
      );
      await client.query(
        `INSERT INTO disclosure_dictionary (number, kind, value) OVERRIDING SYSTEM VALUE VALUES ($1, 'DISCLOSED', $2)`,
        [reserved[0]?.number, JSON.stringify([`role.test.${Date.now()}`])],
      );
      for (const view of ['disclosure_entry', 'disclosure_receipt_entry', 'disclosure_response_entry'])
        await client.query(`SELECT count(*) FROM ${view}`);
      await client.query('ROLLBACK');
      await expect(client.query('ALTER TABLE disclosure_response DETACH PARTITION disclosure_response_default')).rejects.toThrow(
        /must be owner/,
      );
    });
    await as(stranger, async (client) => {
      await expect(client.query('SELECT tandem_add_response_partitions(2)')).rejects.toThrow(/permission denied/);
    });
  });
});
