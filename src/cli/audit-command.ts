import { readFileSync } from 'node:fs';
import { AppConfig } from 'src/config/app-config.js';
import { OpenDatabase } from 'src/database/data-source.js';
import { CheckpointKey, keyIdOf } from 'src/disclosure/chain/checkpoint-key.js';
import type { CheckpointStatement } from 'src/disclosure/chain/checkpoint-statement.js';
import { purgeExpiredReceipts } from 'src/disclosure/chain/retention.js';
import { problemLine, recordedVerification } from 'src/audit-api/verification-runs.js';
import { type ExportedCheckpoint } from 'src/disclosure/chain/verifier.js';
import { workerHelpers } from 'src/disclosure/chain/verify-helpers.js';
import { createPublicKey } from 'node:crypto';

const USAGE = `Usage:
  npm run audit:verify -- [--trust public-key.pem ...] [--held checkpoints.jsonl]
      checks every receipt, chain link and signed checkpoint; exits 1 and names the first bad entry
  npm run audit:checkpoints -- [--after N]
      prints the signed checkpoints (JSON lines) for the other agency to hold, after checkpoint N
  npm run audit:public-key
      prints the public key that signs checkpoints (PEM)
  npm run audit:retention
      removes sealed receipts older than AUDIT_RETENTION_DAYS, keeping the chain verifiable
`;

interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

function options(args: readonly string[], name: string): string[] {
  const values: string[] = [];
  args.forEach((arg, index) => {
    if (arg === name && args[index + 1]) values.push(args[index + 1] as string);
  });
  return values;
}

/** The audit commands, on the database the gateway is configured with (DATABASE_URL, else DATA_DIR). */
export async function auditCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  const [command, ...rest] = args;
  const config = AppConfig.fromEnvironment(env);
  const key = CheckpointKey.load(config.audit.signingKeyPem, config.dataDir);
  if (command === 'public-key') {
    out.stdout(key.publicKeyPem());
    return 0;
  }
  if (!['verify', 'checkpoints', 'retention'].includes(command ?? '')) {
    out.stderr(USAGE);
    return 2;
  }
  // Three connections: the verifier reads the log on one of its own while the run records its progress.
  const database = await OpenDatabase.open(
    config.databaseUrl ? { url: config.databaseUrl, poolSize: 3 } : { embeddedDir: config.dataDir },
  );
  try {
    await database.migrate();
    const dataSource = database.dataSource;
    if (command === 'checkpoints') {
      const after = Number(options(rest, '--after')[0] ?? 0);
      const rows = await dataSource.query<{ statement: Buffer; signature: Buffer }[]>(
        'SELECT statement, signature FROM disclosure_checkpoint WHERE id > $1 ORDER BY id',
        [after],
      );
      for (const row of rows) {
        const exported: ExportedCheckpoint = {
          statement: JSON.parse(row.statement.toString('utf8')) as CheckpointStatement,
          signature: row.signature.toString('base64'),
        };
        out.stdout(`${JSON.stringify(exported)}\n`);
      }
      return 0;
    }
    if (command === 'retention') {
      const run = await purgeExpiredReceipts(dataSource, config.audit.retentionDays);
      out.stdout(
        `Removed ${run.removed} receipts older than ${config.audit.retentionDays} days (whole sealed batches)` +
          (run.throughCheckpointId === null ? '.\n' : `; the log now starts after checkpoint ${run.throughCheckpointId}.\n`),
      );
      return 0;
    }
    const trusted = new Map([[key.keyId, key.publicKeyPem()]]);
    for (const file of options(rest, '--trust')) {
      const pem = readFileSync(file, 'utf8');
      trusted.set(keyIdOf(createPublicKey(pem)), pem);
    }
    const held = options(rest, '--held').flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ExportedCheckpoint),
    );
    // Recorded like a run started from the console, so "the last verification" is the same whichever started it.
    const result = await recordedVerification(
      dataSource,
      {
        trustedKeys: trusted,
        heldCheckpoints: held,
        pageSize: 20_000,
        // Stretches of the chain checked by worker threads beside this one, on a PostgreSQL server.
        helpers: config.databaseUrl ? workerHelpers(config.databaseUrl) : undefined,
      },
      { origin: 'CLI', subject: env.USER ?? env.LOGNAME ?? 'cli', name: null },
    );
    if ('running' in result) {
      out.stderr(`A verification started by ${result.running.started_by} is running; see auditVerification.\n`);
      return 3;
    }
    const { report } = result;
    out.stdout(
      [
        `Disclosure log: ${report.receipts} sealed receipts in ${report.checkpoints} signed checkpoints; ` +
          `${report.pending} waiting to be sealed; ${report.removedByRetention} removed by retention; ` +
          `${report.committed} committed in all.`,
        `Checked: each receipt's bytes against its leaf hash and its indexed columns, each chain link, each checkpoint's ` +
          `Merkle root, chain head, link to the one before and Ed25519 signature (trusted keys: ${[...trusted.keys()].join(', ')}), ` +
          `and the receipts in the log and removed by retention against those counted when committed` +
          (held.length > 0 ? `, and ${held.length} checkpoints held outside the log.` : '.'),
        `Took ${report.seconds.toFixed(2)} s: ${report.receiptsPerSecond.toLocaleString('en-GB')} receipts/s.`,
        report.chainHead ? `Chain head: ${report.chainHead}` : '',
        report.ok ? 'OK' : report.firstProblem ? problemLine(report.firstProblem) : 'FAILED',
      ]
        .filter((line) => line !== '')
        .join('\n') + '\n',
    );
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}
