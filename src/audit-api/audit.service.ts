import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { decodeCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid } from 'src/children/children.service.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { isPurpose, PurposeOfUse } from 'src/vocabulary/purpose.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { AnomalyRepository, type AnomalyRow } from 'src/audit-api/anomaly.repository.js';
import { AuditRepository, type LogFilter, type LogRow } from 'src/audit-api/audit.repository.js';
import {
  type AnomalyKind,
  type DisclosureAnomaly,
  type DisclosureCheckpoint,
  type DisclosureEntry,
  type DisclosureEntryKind,
  type DisclosureExport,
  type DisclosureFilter,
  type DisclosureOutcome,
  type DisposeAnomalyInput,
  ExportFormat,
  type SubjectAccessEntry,
  type SubjectAccessReport,
} from 'src/audit-api/audit.models.js';

const SAR_LIMIT = 2000;
const EXPORT_LIMIT = 50_000;

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

/**
 * The auditors' view of the disclosure log (role AUDITOR, purpose AUDIT): metadata and field names,
 * never record content; every query an auditor makes is itself logged before it is answered.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuditRepository) private readonly log: AuditRepository,
    @Inject(AnomalyRepository) private readonly anomalies: AnomalyRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  async disclosures(
    principal: Principal,
    filter: DisclosureFilter | null,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DisclosureEntry>> {
    this.requireAudit(principal);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const resolved = await this.resolve(filter);
    const rows = await this.log.page(resolved, size + 1, after ? decodeCursor(after).id : undefined);
    await this.disclosure.recordAuditQuery(
      principal,
      'disclosures',
      { filter: describe(filter), returned: Math.min(rows.length, size) },
      resolved.childId ?? null,
    );
    return this.page(rows, size);
  }

  async subjectAccessReport(principal: Principal, childId: string): Promise<SubjectAccessReport> {
    this.requireAudit(principal);
    if (!isUuid(childId)) throw TandemError.badInput('Not a child id', 'childId');
    const filter: LogFilter = { childId, entryKind: 'DISCLOSURE' };
    const [rows, total, investigation] = await Promise.all([
      this.log.page(filter, SAR_LIMIT),
      this.log.count(filter),
      this.log.investigationOpen(childId),
    ]);
    const entries = await Promise.all(rows.map((row) => this.sarEntry(bodyOf(row), investigation)));
    await this.disclosure.recordAuditQuery(principal, 'subjectAccessReport', { childId, returned: entries.length }, childId);
    return { childId, generatedAt: new Date(), total, truncated: total > entries.length, entries };
  }

  async export(
    principal: Principal,
    filter: DisclosureFilter | null,
    format: ExportFormat,
    limit?: number | null,
  ): Promise<DisclosureExport> {
    this.requireAudit(principal);
    const max = limit ?? 10_000;
    if (!Number.isInteger(max) || max < 1 || max > EXPORT_LIMIT)
      throw TandemError.badInput(`limit must be between 1 and ${EXPORT_LIMIT}`, 'limit');
    const resolved = await this.resolve(filter);
    const rows = await this.log.page(resolved, max + 1);
    const entries = await Promise.all(rows.slice(0, max).map((row) => this.toEntry(row)));
    await this.disclosure.recordAuditQuery(
      principal,
      'exportDisclosures',
      { filter: describe(filter), format, returned: entries.length },
      resolved.childId ?? null,
    );
    const content =
      format === ExportFormat.JSON
        ? JSON.stringify(entries, null, 0)
        : [CSV_COLUMNS.join(','), ...entries.map((entry) => csvLine(entry))].join('\r\n') + '\r\n';
    return {
      format,
      contentType: format === ExportFormat.JSON ? 'application/json' : 'text/csv; charset=utf-8',
      rows: entries.length,
      truncated: rows.length > max,
      content,
    };
  }

  /** For an allocated worker: when another agency received their agency's records about their children. */
  async accessFeed(principal: Principal, first?: number | null, after?: string | null): Promise<Page<DisclosureEntry>> {
    principal.requirePurpose();
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.log.accessFeed(
      principal.subject,
      principal.agency.id,
      size + 1,
      after ? decodeCursor(after).id : undefined,
    );
    return this.page(rows, size);
  }

  async listAnomalies(
    principal: Principal,
    kind: AnomalyKind | null,
    undisposedOnly: boolean,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DisclosureAnomaly>> {
    this.requireAudit(principal);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : undefined;
    const rows = await this.anomalies.list(
      kind ?? undefined,
      undisposedOnly,
      size + 1,
      cursor ? { at: cursor.sortKey, id: cursor.id } : undefined,
    );
    await this.disclosure.recordAuditQuery(principal, 'disclosureAnomalies', {
      kind,
      undisposedOnly,
      returned: Math.min(rows.length, size),
    });
    const page = toPage(rows, size, (row) => encodeCursor(row.detected_at.toISOString(), row.id));
    return {
      pageInfo: page.pageInfo,
      edges: await Promise.all(page.edges.map(async (edge) => ({ cursor: edge.cursor, node: await this.toAnomaly(edge.node) }))),
    };
  }

  /** Runs detection over a time range (default: the last two windows); returns how many flags are new. */
  async detect(principal: Principal | null, from?: Date | null, to?: Date | null): Promise<number> {
    if (principal) this.requireAudit(principal);
    const audit = this.config.audit;
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 2 * audit.anomalyWindowMinutes * 60_000);
    if (start >= end) throw TandemError.badInput('from must be before to', 'from');
    const flagged = await this.anomalies.detect(start, end, {
      windowMinutes: audit.anomalyWindowMinutes,
      children: audit.anomalyChildrenThreshold,
      outOfHours: audit.anomalyOutOfHoursThreshold,
      workStart: audit.workingHours.start,
      workEnd: audit.workingHours.end,
    });
    if (principal)
      await this.disclosure.recordAuditQuery(principal, 'detectAnomalies', {
        from: start.toISOString(),
        to: end.toISOString(),
        flagged,
      });
    return flagged;
  }

  async dispose(principal: Principal, input: DisposeAnomalyInput): Promise<DisclosureAnomaly> {
    this.requireAudit(principal);
    if (!isUuid(input.anomalyId) || !(await this.anomalies.exists(input.anomalyId))) throw TandemError.notFound('Anomaly');
    const note = input.note.trim();
    if (!note) throw TandemError.badInput('Say why', 'input.note');
    if (note.length > 2000) throw TandemError.badInput('At most 2000 characters', 'input.note');
    await this.anomalies.dispose({
      anomalyId: input.anomalyId,
      disposition: input.disposition,
      note,
      subject: principal.subject,
      name: principal.name,
    });
    await this.disclosure.recordAuditQuery(principal, 'disposeAnomaly', {
      anomalyId: input.anomalyId,
      disposition: input.disposition,
    });
    const [row] = (await this.anomalies.list(undefined, false, 1000)).filter((candidate) => candidate.id === input.anomalyId);
    if (!row) throw TandemError.notFound('Anomaly');
    return this.toAnomaly(row);
  }

  async checkpoints(principal: Principal, after?: number | null, first?: number | null): Promise<DisclosureCheckpoint[]> {
    this.requireAudit(principal);
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

  private requireAudit(principal: Principal): void {
    if (principal.requirePurpose() !== PurposeOfUse.AUDIT) {
      throw TandemError.forbidden('The disclosure log is read for purpose AUDIT only');
    }
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

  private async page(rows: readonly LogRow[], size: number): Promise<Page<DisclosureEntry>> {
    const page = toPage(rows, size, (row) => encodeCursor('', row.id));
    return {
      pageInfo: page.pageInfo,
      edges: await Promise.all(page.edges.map(async (edge) => ({ cursor: edge.cursor, node: await this.toEntry(edge.node) }))),
    };
  }

  private async toEntry(row: LogRow): Promise<DisclosureEntry> {
    const body = bodyOf(row);
    const [agency, owningAgency] = await Promise.all([
      this.agencyOrNull(body.recipient.agencyId),
      body.record?.owningAgencyId ? this.agencyOrNull(body.record.owningAgencyId) : Promise.resolve(null),
    ]);
    return {
      id: row.id,
      recordedAt: new Date(body.at),
      entryKind: body.entry as DisclosureEntryKind,
      outcome: body.outcome as DisclosureOutcome,
      recipient: {
        subject: body.user.subject,
        name: body.user.name,
        roles: [...body.user.roles],
        agency,
        caseSystem: body.recipient.caseSystemCode,
      },
      childId: body.child,
      subject: body.record ? { kind: body.record.kind, id: body.record.id, version: body.record.version, owningAgency } : null,
      purpose: body.purpose,
      justification: body.justification,
      breakGlass: body.breakGlass,
      afterAllocationEnded: body.afterAllocationEnded,
      disclosedFields: [...body.disclosed],
      withheld: body.withheld.map((item) => ({ ...item })),
      bases: body.bases.map((basis) => ({
        sensitivityClass: basis.class,
        rule: basis.rule,
        lawfulBasis: basis.lawfulBasis,
        agreementId: basis.agreement?.id ?? null,
        agreementVersion: basis.agreement?.version ?? null,
        clause: basis.agreement?.clause ?? null,
      })),
      alteration: body.alteration ? { ...body.alteration } : null,
      lookup: body.lookup ?? null,
      correlationId: body.correlationId,
      operationName: body.operation.name,
      operationHash: body.operation.hash,
      channel: body.operation.channel,
    };
  }

  /**
   * One SAR line. Recipients are named by agency and role (Art 15(1)(c)); while a police
   * investigation is open, police recipients are not named (DPA 2018 Sch 2 para 2: it could tip
   * the investigation off); fields supplied by a third party are flagged for review before release
   * (Sch 2 para 16), their content never being in the log anyway.
   */
  private async sarEntry(body: ReceiptBody, investigationOpen: boolean): Promise<SubjectAccessEntry> {
    const agency = await this.agencyOrNull(body.recipient.agencyId);
    const exempt = investigationOpen && agency?.kind === AgencyKind.POLICE;
    return {
      recordedAt: new Date(body.at),
      recipientAgency: exempt ? null : (agency?.name ?? body.recipient.agencyCode),
      recipientRole: exempt ? null : body.user.roles.join(', '),
      purpose: exempt ? null : body.purpose,
      what: body.record?.kind ?? 'CHILD',
      fields: exempt ? [] : [...body.disclosed],
      lawfulBases: [...new Set(body.bases.map((basis) => basis.lawfulBasis).filter((basis): basis is string => basis !== null))],
      exemption: exempt ? 'Recipient not named while a police investigation is open (DPA 2018 Sch 2 para 2)' : null,
      thirdPartyReview: body.bases.some((basis) => basis.class === 'THIRD_PARTY'),
    };
  }

  private async toAnomaly(row: AnomalyRow): Promise<DisclosureAnomaly> {
    return {
      id: row.id,
      kind: row.kind as AnomalyKind,
      userSubject: row.user_subject,
      agency: await this.agencyOrNull(row.agency_id),
      childId: row.child_id,
      windowStart: row.window_start,
      windowEnd: row.window_end,
      count: row.count,
      firstEntryId: row.first_receipt_id,
      detectedAt: row.detected_at,
      disposition: row.disposition
        ? {
            disposition: row.disposition as never,
            note: row.note ?? '',
            recordedBy: row.auditor_name ?? '',
            recordedAt: row.disposed_at ?? row.detected_at,
          }
        : null,
    };
  }

  private async agencyOrNull(id: string) {
    try {
      return await this.directory.agency(id);
    } catch {
      return null;
    }
  }
}

function bodyOf(row: LogRow): ReceiptBody {
  return JSON.parse(row.body.toString('utf8')) as ReceiptBody;
}

function describe(filter: DisclosureFilter | null): Record<string, unknown> {
  if (!filter) return {};
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
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
