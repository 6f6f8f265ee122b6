import type { VerifyReport } from 'src/disclosure/chain/verifier.js';

/** A DataSource or a transaction's EntityManager. */
interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** What a verification reports, but for how long it took: two runs over one log must agree on it. */
export function verifiedOutcome(report: VerifyReport) {
  const { ok, receipts, checkpoints, chainHead, firstProblem, committed } = report;
  return { ok, receipts, checkpoints, chainHead, firstProblem, committed };
}

/**
 * Flips a bit of the sealed bytes of the entry at `seq`, a JSON receipt or a compact response (a
 * second flip puts them back). The log's triggers are off for it inside the caller's transaction.
 */
export async function flipSealedBytes(manager: Queryable, seq: string): Promise<void> {
  for (const table of ['disclosure_receipt', 'disclosure_response'])
    await manager.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  await manager.query(
    `UPDATE disclosure_receipt r SET body = set_byte(body, 0, get_byte(body, 0) # 1)
     FROM disclosure_seal s WHERE s.seq = $1 AND s.receipt_id = r.id`,
    [seq],
  );
  await manager.query(
    `UPDATE disclosure_response r SET body = set_byte(body, 0, get_byte(body, 0) # 1)
     FROM disclosure_seal s WHERE s.seq = $1 AND s.response_id = r.id AND s.response_recorded_at = r.recorded_at`,
    [seq],
  );
  for (const table of ['disclosure_receipt', 'disclosure_response'])
    await manager.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
}
