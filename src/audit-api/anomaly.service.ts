import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { shapedCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid } from 'src/children/children.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AnomalyRepository, type AnomalyRow, type Thresholds } from 'src/audit-api/anomaly.repository.js';
import { AnomalyScanRepository } from 'src/audit-api/anomaly-scan.repository.js';
import { bankHolidaysBetween } from 'src/common/time/working-days.js';
import { agencyOrNull, auditScopeFilter, requireAudit } from 'src/audit-api/log-entries.js';
import type {
  AnomalyDispositionKind,
  AnomalyKind,
  DisclosureAnomaly,
  DisposeAnomalyInput,
} from 'src/audit-api/anomaly.models.js';

const DAY_MS = 86_400_000;
/** Receipts per step of the incremental scan (one transaction each). */
const SCAN_STEP = 5000;

/** Accesses flagged for an auditor (break-glass, after an allocation ended, bulk or out of hours) and their dispositions. */
@Injectable()
export class AnomalyService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AnomalyRepository) private readonly anomalies: AnomalyRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(AnomalyScanRepository) private readonly scan: AnomalyScanRepository,
  ) {}

  /**
   * The schedule's detection: reads the receipts sealed since the last pass, each once, until it has
   * caught up (or `maxSteps` steps); another instance already scanning makes this a no-op.
   */
  async scanNew(maxSteps = 100): Promise<{ examined: number; flagged: number }> {
    let examined = 0;
    let flagged = 0;
    const now = new Date();
    // Late-sealed receipts of the last year still meet their bank holidays.
    const holidays = bankHolidaysBetween(new Date(now.getTime() - 366 * DAY_MS), new Date(now.getTime() + DAY_MS));
    for (let step = 0; step < maxSteps; step++) {
      const done = await this.scan.step(SCAN_STEP, this.thresholds(), holidays);
      if (!done) break;
      examined += done.examined;
      flagged += done.flagged;
      if (done.examined < SCAN_STEP) break;
    }
    return { examined, flagged };
  }

  private thresholds(): Thresholds {
    const audit = this.config.audit;
    return {
      windowMinutes: audit.anomalyWindowMinutes,
      children: audit.anomalyChildrenThreshold,
      outOfHours: audit.anomalyOutOfHoursThreshold,
      workStart: audit.workingHours.start,
      workEnd: audit.workingHours.end,
    };
  }

  async listAnomalies(
    principal: Principal,
    kind: AnomalyKind | null,
    undisposedOnly: boolean,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DisclosureAnomaly>> {
    requireAudit(principal);
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = after ? shapedCursor(after, { id: 'uuid', sortKey: 'instant' }) : undefined;
    const { agencyIds } = await auditScopeFilter(principal, this.directory);
    const rows = await this.anomalies.list(
      kind ?? undefined,
      undisposedOnly,
      size + 1,
      cursor ? { at: cursor.sortKey, id: cursor.id } : undefined,
      agencyIds,
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

  /**
   * An auditor's detection over a time range (default: the last two windows), receipts sealed or
   * not; returns how many flags are new. The schedule scans incrementally instead (scanNew).
   */
  async detect(principal: Principal, from?: Date | null, to?: Date | null): Promise<number> {
    requireAudit(principal);
    const audit = this.config.audit;
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 2 * audit.anomalyWindowMinutes * 60_000);
    if (start >= end) throw TandemError.badInput('from must be before to', 'from');
    const since = await this.anomalies.now();
    await this.anomalies.detect(start, end, this.thresholds());
    // What is new in the auditor's scope: the flags of other authorities are theirs to count.
    const { agencyIds } = await auditScopeFilter(principal, this.directory);
    const flagged = await this.anomalies.countDetectedSince(since, agencyIds);
    await this.disclosure.recordAuditQuery(principal, 'detectAnomalies', {
      from: start.toISOString(),
      to: end.toISOString(),
      flagged,
    });
    return flagged;
  }

  async dispose(principal: Principal, input: DisposeAnomalyInput): Promise<DisclosureAnomaly> {
    requireAudit(principal);
    const { agencyIds } = await auditScopeFilter(principal, this.directory);
    if (!isUuid(input.anomalyId) || !(await this.anomalies.exists(input.anomalyId, agencyIds)))
      throw TandemError.notFound('Anomaly');
    if (agencyIds && !(await this.anomalies.disposable(input.anomalyId, agencyIds))) {
      throw TandemError.forbidden(
        "The reader's authority disposes of this flag, or one that worked with the child before the access: your agencies came to the child after it",
      );
    }
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

  private async toAnomaly(row: AnomalyRow): Promise<DisclosureAnomaly> {
    return {
      id: row.id,
      kind: row.kind as AnomalyKind,
      userSubject: row.user_subject,
      agency: await agencyOrNull(this.directory, row.agency_id),
      childId: row.child_id,
      windowStart: row.window_start,
      windowEnd: row.window_end,
      count: row.count,
      firstEntryId: row.first_receipt_id,
      detectedAt: row.detected_at,
      disposition: row.disposition
        ? {
            disposition: row.disposition as AnomalyDispositionKind,
            note: row.note ?? '',
            recordedBy: row.auditor_name ?? '',
            recordedAt: row.disposed_at ?? row.detected_at,
          }
        : null,
    };
  }
}
