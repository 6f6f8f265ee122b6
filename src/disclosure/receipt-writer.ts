/**
 * Group commit: receipts written while a statement is in flight wait and go together in the
 * next one, so concurrent requests share round trips and plans instead of queueing one INSERT
 * each. Every caller still learns whether its own receipts were committed (fail closed).
 */
export class ReceiptWriter<Row> {
  private pending: { rows: readonly Row[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly insert: (rows: readonly Row[]) => Promise<void>,
    private readonly maxRows = 2000,
  ) {}

  write(rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // One turn of the event loop lets the other requests finishing now join the statement.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch: typeof this.pending = [];
        let count = 0;
        while (this.pending.length > 0 && (batch.length === 0 || count + (this.pending[0]?.rows.length ?? 0) <= this.maxRows)) {
          const next = this.pending.shift();
          if (!next) break;
          batch.push(next);
          count += next.rows.length;
        }
        try {
          await this.insert(batch.flatMap((entry) => entry.rows));
          for (const entry of batch) entry.resolve();
        } catch (error) {
          // One statement: if it failed, none of its receipts were committed.
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
