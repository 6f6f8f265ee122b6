import { randomUUID } from 'node:crypto';
import type { LogRow } from 'src/audit-api/audit.repository.js';
import { type DisclosureEntry, ExportFormat } from 'src/audit-api/audit-log.models.js';
import { type AuditEventContext, auditBundle, toAuditEvent } from 'src/audit-api/fhir-audit-event.js';

/** Entries in an export when the caller gives no limit. */
export const EXPORT_DEFAULT_ROWS = 10_000;
/** The largest limit an export accepts (its cost, one per entry, counts against GRAPHQL_MAX_COST). */
export const EXPORT_MAX_ROWS = 50_000;
/** The most content one export returns; entries beyond it are left out and the file marked truncated. */
export const EXPORT_MAX_BYTES = 16 * 1024 * 1024;
/** Log rows read per statement: only one page of receipts is in memory beside the file. */
export const EXPORT_PAGE_ROWS = 1_000;

export interface ExportFile {
  readonly rows: number;
  /** More entries matched than the file holds (its limit, or its byte cap). */
  readonly truncated: boolean;
  readonly content: string;
}

/** Where an export reads from: rows it pages through by id, and each row's entry. */
export interface ExportSource<Row extends { readonly id: string } = LogRow> {
  /** Up to `limit` log rows, newest first, older than `beforeId` when given. */
  readonly page: (limit: number, beforeId: string | undefined) => Promise<readonly Row[]>;
  readonly entry: (row: Row) => Promise<DisclosureEntry>;
}

const CSV_COLUMNS = [
  'id',
  'recordedAt',
  'entryKind',
  'outcome',
  'userSubject',
  'userName',
  'agency',
  'caseSystem',
  'childId',
  'subjectKind',
  'subjectId',
  'subjectVersion',
  'purpose',
  'breakGlass',
  'afterAllocationEnded',
  'disclosedFields',
  'withheldFields',
  'lawfulBases',
  'agreements',
  'correlationId',
] as const;

/** What a FHIR export says about where it came from; the other formats need nothing. */
export interface ExportContext {
  readonly fhir: AuditEventContext;
  readonly generatedAt?: Date;
}

export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  CSV: 'text/csv; charset=utf-8',
  JSON: 'application/json',
  FHIR: 'application/fhir+json; fhirVersion=4.0',
};

/** How a file of entries is laid out: what opens it, what precedes each entry, what closes it. */
interface Layout {
  readonly opening: string;
  /** Before the first entry (e.g. where a FHIR Bundle's `entry` array starts). */
  readonly first: string;
  readonly separator: string;
  readonly closing: (rows: number) => string;
  readonly entry: (entry: DisclosureEntry) => string;
}

function layoutOf(format: ExportFormat, context: ExportContext | undefined): Layout {
  switch (format) {
    case ExportFormat.CSV:
      return {
        opening: `${CSV_COLUMNS.join(',')}\r\n`,
        first: '',
        separator: '',
        closing: () => '',
        entry: (e) => `${csvLine(e)}\r\n`,
      };
    case ExportFormat.JSON:
      return { opening: '[', first: '', separator: ',', closing: () => ']', entry: (e) => JSON.stringify(e) };
    case ExportFormat.FHIR: {
      if (!context) throw new Error('A FHIR export needs to know its source');
      // The Bundle's own fields, then `entry` once there is one: FHIR JSON has no empty arrays.
      const bundle = JSON.stringify(auditBundle(randomUUID(), context.generatedAt ?? new Date()));
      return {
        opening: bundle.slice(0, -1),
        first: ',"entry":[',
        separator: ',',
        closing: (rows) => (rows > 0 ? ']}' : '}'),
        entry: (e) => JSON.stringify({ resource: toAuditEvent(e, context.fhir) }),
      };
    }
  }
}

/**
 * Writes log entries as a CSV, JSON or FHIR (a Bundle of AuditEvents) file, reading the log a page
 * at a time (newest first) and stopping at `limit` entries or `maxBytes` of content, whichever comes
 * first, so neither the receipts read nor the file grow with the log.
 */
export async function writeExport<Row extends { readonly id: string }>(
  source: ExportSource<Row>,
  format: ExportFormat,
  limit: number,
  maxBytes = EXPORT_MAX_BYTES,
  context?: ExportContext,
): Promise<ExportFile> {
  const layout = layoutOf(format, context);
  const parts = [layout.opening];
  // Room for the longest closing, so the file always fits once closed.
  let bytes = Buffer.byteLength(layout.opening) + Buffer.byteLength(layout.closing(1));
  let rows = 0;
  let beforeId: string | undefined;
  const file = (truncated: boolean): ExportFile => ({ rows, truncated, content: parts.join('') + layout.closing(rows) });
  for (;;) {
    // One row more than the limit leaves room for, to learn whether the file leaves entries out.
    const wanted = Math.min(EXPORT_PAGE_ROWS, limit - rows + 1);
    const page = await source.page(wanted, beforeId);
    const taken = page.slice(0, limit - rows);
    for (const entry of await Promise.all(taken.map((row) => source.entry(row)))) {
      const text = (rows > 0 ? layout.separator : layout.first) + layout.entry(entry);
      const size = Buffer.byteLength(text);
      if (bytes + size > maxBytes) return file(true);
      parts.push(text);
      bytes += size;
      rows += 1;
    }
    beforeId = page.at(-1)?.id;
    if (page.length < wanted) return file(false);
    if (rows >= limit) return file(page.length > taken.length || (await source.page(1, beforeId)).length > 0);
  }
}

/** One CSV line; cells that a spreadsheet would run as a formula are prefixed with a quote. */
function csvLine(entry: DisclosureEntry): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: entry.id,
    recordedAt: entry.recordedAt.toISOString(),
    entryKind: entry.entryKind,
    outcome: entry.outcome,
    userSubject: entry.recipient.subject,
    userName: entry.recipient.name,
    agency: entry.recipient.agency?.code ?? '',
    caseSystem: entry.recipient.caseSystem,
    childId: entry.childId ?? '',
    subjectKind: entry.subject?.kind ?? '',
    subjectId: entry.subject?.id ?? '',
    subjectVersion: entry.subject?.version?.toString() ?? '',
    purpose: entry.purpose ?? '',
    breakGlass: String(entry.breakGlass),
    afterAllocationEnded: String(entry.afterAllocationEnded),
    disclosedFields: entry.disclosedFields.join(';'),
    withheldFields: entry.withheld.map((item) => `${item.field}:${item.rule}`).join(';'),
    lawfulBases: [...new Set(entry.bases.map((basis) => basis.lawfulBasis ?? ''))].filter(Boolean).join(';'),
    agreements: [
      ...new Set(
        entry.bases.map((basis) =>
          basis.agreementId ? `${basis.agreementId}@v${basis.agreementVersion ?? ''} §${basis.clause ?? ''}` : '',
        ),
      ),
    ]
      .filter(Boolean)
      .join(';'),
    correlationId: entry.correlationId,
  };
  return CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',');
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
