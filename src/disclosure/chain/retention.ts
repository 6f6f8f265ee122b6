import type { Queryable } from 'src/disclosure/chain/verifier.js';

export interface RetentionRun {
  /** Receipts removed by this run (0 when no whole sealed batch was old enough). */
  readonly removed: number;
  /** The last checkpoint whose receipts are gone, after this run; null when none ever were. */
  readonly throughCheckpointId: number | null;
}

/**
 * Removes the receipts older than `retentionDays` through the log's one way out: the database
 * function `tandem_purge_disclosures`, which runs as the role `tandem_retention` (no session can
 * become it), removes only whole sealed batches whose checkpoint was signed before the cutoff, and
 * records what it removed. The database refuses fewer than 365 days.
 */
export async function purgeExpiredReceipts(dataSource: Queryable, retentionDays: number): Promise<RetentionRun> {
  const [run] = await dataSource.query<{ removed: string }[]>('SELECT tandem_purge_disclosures($1) AS removed', [retentionDays]);
  // A statement of its own: the call's snapshot was taken before the function wrote its record.
  const [last] = await dataSource.query<{ through: number | null }[]>(
    'SELECT max(through_checkpoint_id) AS through FROM disclosure_retention',
  );
  return { removed: Number(run?.removed ?? 0), throughCheckpointId: last?.through ?? null };
}
