/**
 * The compact log's part of `npm run bench` (BENCH_ONLY=compact): BENCH_COMPACT_RECEIPTS (default
 * 10,000,000) receipts of the key read, in the compact form, in a database of its own.
 *
 * The same requests as bench-audit.ts (a child and three plans; every 50th a look-up that found
 * nothing), spread over the last 30 days, each request's receipts one response encoded by the
 * gateway's `ResponseLog` (its stored dictionary) and inserted by `ResponseLogRepository.insert` in
 * large batches; sealed by `SealerService.sealAll`; then the bytes stored per receipt with every
 * index and seal, the auditors' queries as the API runs them (over both forms) with their plans,
 * the anomaly scan's cost, and
 * `auditCommand(['verify'])`, the code behind `npm run audit:verify`, as the CLI prints it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCommand } from '../src/cli/audit-command.js';
import { Sql } from '../src/common/database/sql.js';
import { AppConfig } from '../src/config/app-config.js';
import { OpenDatabase } from '../src/database/data-source.js';
import { CheckpointKey } from '../src/disclosure/chain/checkpoint-key.js';
import { SealerService } from '../src/disclosure/chain/sealer.service.js';
import type { ReceiptBody } from '../src/disclosure/receipt.js';
import { ResponseLog } from '../src/disclosure/response-log.js';
import { ResponseLogRepository, type StoredResponse } from '../src/disclosure/response-log.repository.js';
import { benchAnomalyScan, fmt, printPlans, requestReceipts, since } from './bench-audit.js';

const INSERT_BATCH = 5_000;
const SEAL_BATCH_SIZE = 20_000;

interface Options {
  readonly url: string;
  readonly receipts: number;
  readonly pem: string;
}

/** Returns whether the log verified with every receipt sealed. */
export async function benchCompactLog({ url, receipts, pem }: Options): Promise<boolean> {
  console.log(`compact log: ${fmt(receipts)} receipts of the key read in the compact form (a database of its own):`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-compact-'));
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    AUDIT_SIGNING_KEY: pem,
    AUDIT_SEAL_INTERVAL_MS: '0',
    AUDIT_SEAL_BATCH_SIZE: String(SEAL_BATCH_SIZE),
  };
  const database = await OpenDatabase.open({ url, poolSize: 4 });
  try {
    await database.migrate();
    const dataSource = database.dataSource;
    const repository = new ResponseLogRepository(new Sql(dataSource));
    const log = new ResponseLog(repository);
    const span = 30 * 24 * 3600 * 1000;
    const from = Date.now() - span;
    // The months a live log has: the sealer added each before it began.
    await dataSource.query(`SELECT tandem_add_response_partitions(2, 2)`);
    let written = 0;
    let request = 0;
    let encodeSeconds = 0;
    const started = process.hrtime.bigint();
    let inflight: Promise<void> = Promise.resolve();
    while (written < receipts) {
      const batch: StoredResponse[] = [];
      let inBatch = 0;
      const built = process.hrtime.bigint();
      while (batch.length < INSERT_BATCH && written + inBatch < receipts) {
        const bodies: ReceiptBody[] = [];
        requestReceipts(request, new Date(from + Math.floor((span * (written + inBatch)) / receipts)), bodies);
        request += 1;
        batch.push(await log.encodeWaiting(bodies));
        inBatch += bodies.length;
      }
      encodeSeconds += since(built);
      await inflight;
      inflight = log.insert(batch);
      written += inBatch;
    }
    await inflight;
    const insertSeconds = since(started);
    console.log(
      `  inserted ${fmt(written)} receipts as ${fmt(request)} responses with ResponseLog.encodeWaiting and ResponseLog.insert, ${fmt(INSERT_BATCH)} a statement: ` +
        `${insertSeconds.toFixed(1)} s, ${fmt(written / insertSeconds)} receipts/s (of which ${encodeSeconds.toFixed(1)} s encoding in JS)`,
    );
    const config = AppConfig.fromEnvironment(env);
    const sealer = new SealerService(dataSource, config, CheckpointKey.fromPem(pem));
    const sealStarted = process.hrtime.bigint();
    const sealed = await sealer.sealAll();
    const sealSeconds = since(sealStarted);
    console.log(
      `  sealed ${fmt(sealed)} receipts (${fmt(request)} responses, one seal each) with SealerService.sealAll: ${sealSeconds.toFixed(1)} s, ${fmt(sealed / sealSeconds)} receipts/s`,
    );
    await dataSource.query(
      'VACUUM (ANALYZE) disclosure_response, disclosure_seal, disclosure_response_pending, disclosure_dictionary',
    );
    const [size] = await dataSource.query<{ responses: string; seals: string; dictionary: string; partitions: string }[]>(
      `SELECT (SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'disclosure_response'::regclass) AS responses,
         pg_total_relation_size('disclosure_seal') AS seals, pg_total_relation_size('disclosure_dictionary') AS dictionary,
         (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = 'disclosure_response'::regclass) AS partitions`,
    );
    const perReceipt = (bytes: string | undefined) => (Number(bytes ?? 0) / Math.max(1, written)).toFixed(1);
    console.log(
      `  stored per receipt, every index included: ${perReceipt(size?.responses)} B in the response table (${size?.partitions ?? '?'} partitions), ` +
        `${perReceipt(size?.seals)} B of seals, dictionary ${fmt(Number(size?.dictionary ?? 0))} B in all`,
    );
    await printSizes(dataSource, written);
    // The API's own SQL (logQuery), over both forms of the log.
    await printPlans(dataSource);
    await benchAnomalyScan(dataSource, config, new Date(from));
    console.log('  $ npm run audit:verify');
    let output = '';
    const code = await auditCommand(['verify'], env, {
      stdout: (text) => (output += text),
      stderr: (text) => (output += text),
    });
    for (const line of output.trimEnd().split('\n')) console.log(`  ${line}`);
    if (sealed !== written) console.log(`  MISMATCH: ${fmt(written)} receipts inserted, ${fmt(sealed)} sealed`);
    return code === 0 && sealed === written;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Where the bytes go: the response table's heap and each of its indexes (over every partition), and the seals'. */
async function printSizes(
  dataSource: { query<T>(sql: string, parameters?: unknown[]): Promise<T> },
  receipts: number,
): Promise<void> {
  const rows = await dataSource.query<{ name: string; bytes: string }[]>(
    `SELECT 'heap (with TOAST)' AS name, sum(pg_table_size(i.inhrelid))::text AS bytes
       FROM pg_inherits i WHERE i.inhparent = 'disclosure_response'::regclass
     UNION ALL
     SELECT regexp_replace(x.relname, '^disclosure_response_[a-z0-9]+_', ''), sum(pg_relation_size(x.oid))::text
       FROM pg_inherits i JOIN pg_index ix ON ix.indrelid = i.inhrelid JOIN pg_class x ON x.oid = ix.indexrelid
       WHERE i.inhparent = 'disclosure_response'::regclass GROUP BY 1
     UNION ALL
     SELECT 'seals (all)', pg_total_relation_size('disclosure_seal')::text`,
  );
  console.log(
    `  bytes per receipt: ${[...rows]
      .sort((a, b) => Number(b.bytes) - Number(a.bytes))
      .map((row) => `${row.name} ${(Number(row.bytes) / Math.max(1, receipts)).toFixed(1)}`)
      .join(', ')}`,
  );
}
