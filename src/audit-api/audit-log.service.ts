import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from 'src/common/pagination/connection.js';
import { shapedCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid } from 'src/children/children.service.js';
import { isPurpose } from 'src/vocabulary/purpose.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AuditRepository, type LogFilter } from 'src/audit-api/audit.repository.js';
import { auditScopeFilter, bodyOf, entryPage, requireAudit, toEntry } from 'src/audit-api/log-entries.js';
import { EXPORT_DEFAULT_ROWS, EXPORT_MAX_ROWS, EXPORT_MEDIA_TYPES, writeExport } from 'src/audit-api/log-export.js';
import { logReader, readerNote } from 'src/audit-api/log-readers.js';
import type {
  DisclosureCheckpoint,
  DisclosureEntry,
  DisclosureExport,
  DisclosureFilter,
  ExportFormat,
} from 'src/audit-api/audit-log.models.js';

/** The largest id a log entry can have (bigint). */
const MAX_ENTRY_ID = 9_223_372_036_854_775_807n;

/**
 * The auditors' view of the disclosure log (role AUDITOR, purpose AUDIT): search, one entry, export
 * and the signed checkpoints; search and one entry also for team managers over their team's
 * children (LogReader). Metadata and field names, never record content; every query is itself
 * logged before it is answered.
 */
@Injectable()
export class AuditLogService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuditRepository) private readonly log: AuditRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  async disclosures(
    principal: Principal,
    filter: DisclosureFilter | null,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DisclosureEntry>> {
    const reader = await logReader(principal, this.directory);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const resolved = { ...(await this.resolve(filter)), ...reader.scope };
    const rows = await this.log.page(
      resolved,
      size + 1,
      after ? shapedCursor(after, { id: 'digits', sortKey: 'none' }).id : undefined,
    );
    await this.disclosure.recordAuditQuery(
      principal,
      'disclosures',
      { filter: describe(filter), ...readerNote(reader), returned: Math.min(rows.length, size) },
      resolved.childId ?? null,
    );
    return entryPage(this.directory, rows, size);
  }

  /** One entry by its id; null when there is none or it is outside the reader's scope (the two look the same). */
  async entry(principal: Principal, id: string): Promise<DisclosureEntry | null> {
    const reader = await logReader(principal, this.directory);
    if (!/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) > MAX_ENTRY_ID) throw TandemError.badInput('Not a log entry id', 'id');
    const [row] = await this.log.page({ entryId: id, ...reader.scope }, 1);
    await this.disclosure.recordAuditQuery(
      principal,
      'disclosureEntry',
      { id, ...readerNote(reader), returned: row ? 1 : 0 },
      row ? bodyOf(row).child : null,
    );
    return row ? toEntry(this.directory, row) : null;
  }

  async export(
    principal: Principal,
    filter: DisclosureFilter | null,
    format: ExportFormat,
    limit?: number | null,
  ): Promise<DisclosureExport> {
    requireAudit(principal);
    const max = limit ?? EXPORT_DEFAULT_ROWS;
    if (!Number.isInteger(max) || max < 1 || max > EXPORT_MAX_ROWS)
      throw TandemError.badInput(`limit must be between 1 and ${EXPORT_MAX_ROWS}`, 'limit');
    const resolved = { ...(await this.resolve(filter)), ...(await auditScopeFilter(principal, this.directory)) };
    const file = await writeExport(
      { page: (size, beforeId) => this.log.page(resolved, size, beforeId), entry: (row) => toEntry(this.directory, row) },
      format,
      max,
      undefined,
      { fhir: { observer: this.config.auth.audience } },
    );
    await this.disclosure.recordAuditQuery(
      principal,
      'exportDisclosures',
      { filter: describe(filter), format, returned: file.rows, truncated: file.truncated },
      resolved.childId ?? null,
    );
    return {
      format,
      contentType: EXPORT_MEDIA_TYPES[format],
      rows: file.rows,
      truncated: file.truncated,
      content: file.content,
    };
  }

  async checkpoints(
    principal: Principal,
    range: { after?: number | null; before?: number | null; first?: number | null; newestFirst?: boolean | null },
  ): Promise<DisclosureCheckpoint[]> {
    requireAudit(principal);
    const size = pageSize(range.first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.log.checkpoints({
      afterId: range.after ?? 0,
      beforeId: range.before ?? null,
      limit: size,
      newestFirst: range.newestFirst ?? false,
    });
    await this.disclosure.recordAuditQuery(principal, 'disclosureCheckpoints', {
      after: range.after ?? 0,
      ...(range.before != null ? { before: range.before } : {}),
      ...(range.newestFirst ? { newestFirst: true } : {}),
      returned: rows.length,
    });
    return rows.map((row) => ({
      id: row.id,
      statement: row.statement.toString('utf8'),
      signature: row.signature.toString('base64'),
      keyId: row.key_id,
      publicKey: row.public_key_pem,
      signedAt: row.signed_at,
      firstSeq: row.first_seq,
      lastSeq: row.last_seq,
      receipts: Number(BigInt(row.last_seq) - BigInt(row.first_seq) + 1n),
    }));
  }

  private async resolve(filter: DisclosureFilter | null): Promise<LogFilter> {
    if (!filter) return {};
    const uuid = (value: string | null | undefined, field: string) => {
      if (value == null) return undefined;
      if (!isUuid(value)) throw TandemError.badInput('Not an id', `filter.${field}`);
      return value.toLowerCase();
    };
    let agencyId: string | undefined;
    if (filter.agency != null) {
      agencyId = (await this.directory.agencyByCode(filter.agency))?.id;
      if (!agencyId) throw TandemError.badInput(`Unknown agency "${filter.agency.slice(0, 40)}"`, 'filter.agency');
    }
    let caseSystemId: string | undefined;
    if (filter.caseSystem != null) {
      caseSystemId = (await this.directory.caseSystemByCode(filter.caseSystem))?.id;
      if (!caseSystemId)
        throw TandemError.badInput(`Unknown case system "${filter.caseSystem.slice(0, 40)}"`, 'filter.caseSystem');
    }
    if (filter.purpose != null && !isPurpose(filter.purpose))
      throw TandemError.badInput('Unknown purpose of use', 'filter.purpose');
    if (filter.from && filter.to && filter.from >= filter.to) throw TandemError.badInput('from must be before to', 'filter.from');
    return {
      childId: uuid(filter.childId, 'childId'),
      recordId: uuid(filter.recordId, 'recordId'),
      userSubject: filter.userSubject ?? undefined,
      agencyId,
      caseSystemId,
      purpose: filter.purpose ?? undefined,
      outcome: filter.outcome ?? undefined,
      entryKind: filter.entryKind ?? undefined,
      breakGlass: filter.breakGlass ?? undefined,
      from: filter.from ?? undefined,
      to: filter.to ?? undefined,
    };
  }
}

function describe(filter: DisclosureFilter | null): Record<string, unknown> {
  if (!filter) return {};
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
}
