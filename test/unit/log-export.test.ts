import { describe, expect, it } from 'vitest';
import { type DisclosureEntry, DisclosureEntryKind, DisclosureOutcome, ExportFormat } from 'src/audit-api/audit-log.models.js';
import { EXPORT_PAGE_ROWS, type ExportSource, writeExport } from 'src/audit-api/log-export.js';

/** A log of `size` rows (ids size…1, newest first) that records every page asked of it. */
function logOf(size: number): ExportSource<{ readonly id: string }> & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    page: (limit, beforeId) => {
      asked.push(limit);
      const top = beforeId === undefined ? size : Number(beforeId) - 1;
      const ids = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, index) => String(top - index));
      return Promise.resolve(ids.map((id) => ({ id })));
    },
    entry: (row) => Promise.resolve(entryOf(row.id)),
  };
}

function entryOf(id: string): DisclosureEntry {
  return {
    id,
    recordedAt: new Date('2026-12-01T10:00:00Z'),
    entryKind: DisclosureEntryKind.DISCLOSURE,
    outcome: DisclosureOutcome.DISCLOSED,
    recipient: { subject: 'dana.hughes', name: 'Dana Hughes', roles: [], agency: null, caseSystem: 'childview-derby' },
    childId: null,
    subject: null,
    purpose: 'CASE_MANAGEMENT',
    justification: null,
    breakGlass: false,
    afterAllocationEnded: false,
    disclosedFields: ['givenName'],
    withheld: [],
    bases: [],
    alteration: null,
    lookup: null,
    correlationId: `c-${id}`,
    operationName: null,
    operationHash: null,
    channel: 'GRAPHQL',
  };
}

describe('an export', () => {
  it('reads the log a page at a time and stops at its limit, saying whether more matched', async () => {
    const log = logOf(2500);
    const file = await writeExport(log, ExportFormat.CSV, 2200);
    expect(file).toMatchObject({ rows: 2200, truncated: true });
    expect(Math.max(...log.asked)).toBe(EXPORT_PAGE_ROWS);
    expect(file.content.split('\r\n')).toHaveLength(2200 + 2);
    expect(await writeExport(logOf(2500), ExportFormat.CSV, 2500)).toMatchObject({ rows: 2500, truncated: false });
    expect(await writeExport(logOf(2000), ExportFormat.CSV, 2000)).toMatchObject({ rows: 2000, truncated: false });
    expect(await writeExport(logOf(2001), ExportFormat.CSV, 2000)).toMatchObject({ rows: 2000, truncated: true });
  });

  it('stops at its byte cap, whole entries only', async () => {
    const small = await writeExport(logOf(3000), ExportFormat.JSON, 3000, 20_000);
    expect(small.truncated).toBe(true);
    expect(Buffer.byteLength(small.content)).toBeLessThanOrEqual(20_000);
    const parsed = JSON.parse(small.content) as DisclosureEntry[];
    expect(parsed).toHaveLength(small.rows);
    expect(parsed[0]?.id).toBe('3000');
  });

  it('writes the same file as serialising every entry at once', async () => {
    const json = await writeExport(logOf(5), ExportFormat.JSON, 10);
    expect(json).toMatchObject({ rows: 5, truncated: false });
    expect(json.content).toBe(JSON.stringify(['5', '4', '3', '2', '1'].map(entryOf)));
    expect((await writeExport(logOf(0), ExportFormat.JSON, 10)).content).toBe('[]');
    expect((await writeExport(logOf(0), ExportFormat.CSV, 10)).content).toMatch(/^id,recordedAt,[^\r\n]*\r\n$/);
  });
});
