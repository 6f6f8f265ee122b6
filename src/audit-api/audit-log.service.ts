import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from 'src/common/pagination/connection.js';
import { decodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid } from 'src/children/children.service.js';
import { isPurpose } from 'src/vocabulary/purpose.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AuditRepository, type LogFilter } from 'src/audit-api/audit.repository.js';
import { auditScopeFilter, entryPage, requireAudit, toEntry } from 'src/audit-api/log-entries.js';
import { EXPORT_DEFAULT_ROWS, EXPORT_MAX_ROWS, writeExport } from 'src/audit-api/log-export.js';
import {
  type DisclosureCheckpoint,
  type DisclosureEntry,
  type DisclosureExport,
  type DisclosureFilter,
  ExportFormat,
} from 'src/audit-api/audit-log.models.js';

/**
 * The auditors' view of the disclosure log (role AUDITOR, purpose AUDIT): search, export and the
 * signed checkpoints. Metadata and field names, never record content; every query an auditor makes
 * is itself logged before it is answered.
 */
@Injectable()
export class AuditLogService {
  constructor(
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
    requireAudit(principal);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const resolved = { ...(await this.resolve(filter)), ...(await auditScopeFilter(principal, this.directory)) };
    const rows = await this.log.page(resolved, size + 1, after ? decodeCursor(after).id : undefined);
    await this.disclosure.recordAuditQuery(
      principal,
      'disclosures',
      { filter: describe(filter), returned: Math.min(rows.length, size) },
      resolved.childId ?? null,
    );
    return entryPage(this.directory, rows, size);
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
    );
    await this.disclosure.recordAuditQuery(
      principal,
      'exportDisclosures',
      { filter: describe(filter), format, returned: file.rows, truncated: file.truncated },
      resolved.childId ?? null,
    );
    return {
      format,
      contentType: format === ExportFormat.JSON ? 'application/json' : 'text/csv; charset=utf-8',
      rows: file.rows,
      truncated: file.truncated,
      content: file.content,
    };
  }

  async checkpoints(principal: Principal, after?: number | null, first?: number | null): Promise<DisclosureCheckpoint[]> {
    requireAudit(principal);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.log.checkpoints(after ?? 0, size);
    await this.disclosure.recordAuditQuery(principal, 'disclosureCheckpoints', { after: after ?? 0, returned: rows.length });
    return rows.map((row) => ({
      id: row.id,
      statement: row.statement.toString('utf8'),
      signature: row.signature.toString('base64'),
      keyId: row.key_id,
      publicKey: row.public_key_pem,
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
