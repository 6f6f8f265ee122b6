import { describe, expect, it } from 'vitest';
import { ReceiptWriter } from 'src/disclosure/receipt-writer.js';
import type { ReceiptRow } from 'src/disclosure/receipt.js';

const row = (n: number) => ({ correlationId: String(n) }) as unknown as ReceiptRow;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit of receipts', () => {
  it('sends the writes of one turn together, and those arriving meanwhile in the next statement', async () => {
    const statements: string[][] = [];
    let release: () => void = () => undefined;
    const writer = new ReceiptWriter<ReceiptRow>(async (rows) => {
      statements.push(rows.map((r) => r.correlationId));
      if (statements.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = writer.write([row(1)]);
    const second = writer.write([row(2)]);
    await tick();
    const third = writer.write([row(3), row(4)]);
    const fourth = writer.write([row(5)]);
    release();
    await Promise.all([first, second, third, fourth]);
    expect(statements).toEqual([
      ['1', '2'],
      ['3', '4', '5'],
    ]);
  });

  it('fails every write of a statement that failed, and only those', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const writer = new ReceiptWriter(async () => {
      calls += 1;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (calls === 2) throw new Error('log down');
    });
    const first = writer.write([row(1)]);
    await tick();
    const second = writer.write([row(2)]);
    const third = writer.write([row(3)]);
    release();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow('log down');
    await expect(third).rejects.toThrow('log down');
    await expect(writer.write([row(4)])).resolves.toBeUndefined();
  });
});
