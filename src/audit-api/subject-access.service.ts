import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from 'src/common/pagination/connection.js';
import { shapedCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid } from 'src/children/children.service.js';
import { ChildMergeRepository } from 'src/children/repositories/child-merge.repository.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { AuditRepository, type LogFilter } from 'src/audit-api/audit.repository.js';
import { agencyOrNull, bodyOf, entryPage } from 'src/audit-api/log-entries.js';
import { logReader, readerNote } from 'src/audit-api/log-readers.js';
import type { DisclosureEntry } from 'src/audit-api/audit-log.models.js';
import { SAR_LIMIT, type SubjectAccessEntry, type SubjectAccessReport } from 'src/audit-api/subject-access.models.js';

/**
 * Who received what about a child: the subject access report for auditors, and for an allocated
 * worker the feed of their agency's records other agencies received.
 */
@Injectable()
export class SubjectAccessService {
  /** The merges a child absorbed: receipts keep the id they were written with, so the report reads those ids too. */
  private readonly merges: ChildMergeRepository;

  constructor(
    @Inject(AuditRepository) private readonly log: AuditRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(DataSource) dataSource: DataSource,
  ) {
    this.merges = new ChildMergeRepository(dataSource);
  }

  /**
   * Every disclosure about the child, and about each child merged into it while the merge stands
   * (the log is append-only: a merge never rewrites a receipt's child id), newest first. A team
   * manager asks only about a child of their team (refused otherwise, whether or not the child
   * exists), and sees the disclosures their own agency received or made.
   */
  async subjectAccessReport(principal: Principal, childId: string): Promise<SubjectAccessReport> {
    const reader = await logReader(principal, this.directory);
    if (!isUuid(childId)) throw TandemError.badInput('Not a child id', 'childId');
    if (reader.kind === 'TEAM_MANAGER' && !(await this.log.isTeamChild(childId, reader.manager))) {
      // Logged too: a manager asking about a child outside their team is what an auditor looks for.
      await this.disclosure.recordAuditQuery(
        principal,
        'subjectAccessReport',
        { childId, scope: 'TEAM', refused: true },
        childId,
      );
      throw TandemError.forbidden("Only the children allocated to your team's practitioners");
    }
    // The child is checked once, so the ids merged into it are read by id rather than through the team.
    const scope = { agencyIds: reader.scope.agencyIds };
    const childIds = [childId, ...(await this.merges.mergedInto(childId))];
    const filters: LogFilter[] = childIds.map((id) => ({ childId: id, entryKind: 'DISCLOSURE', ...scope }));
    const [pages, counts, investigation] = await Promise.all([
      Promise.all(filters.map((filter) => this.log.page(filter, SAR_LIMIT))),
      Promise.all(filters.map((filter) => this.log.count(filter))),
      // An investigation open on any id the report reads (one may stay with a merged child).
      Promise.all(childIds.map((id) => this.log.investigationOpen(id))).then((open) => open.some(Boolean)),
    ]);
    // Receipt ids rise with time across the whole log, so sorting by id merges the pages newest first.
    const rows = pages
      .flat()
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0))
      .slice(0, SAR_LIMIT);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const entries = await Promise.all(rows.map((row) => this.sarEntry(bodyOf(row), investigation)));
    const query = {
      childId,
      ...(childIds.length > 1 ? { mergedChildIds: childIds.slice(1) } : {}),
      ...readerNote(reader),
      returned: entries.length,
    };
    await this.disclosure.recordAuditQuery(principal, 'subjectAccessReport', query, childId);
    return { childId, generatedAt: new Date(), total, truncated: total > entries.length, entries };
  }

  /**
   * For an allocated worker: when another agency received their agency's records about their
   * children, and every emergency (break-glass) read of those children.
   */
  async accessFeed(principal: Principal, first?: number | null, after?: string | null): Promise<Page<DisclosureEntry>> {
    principal.requirePurpose();
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.log.accessFeed(
      principal.subject,
      principal.agency.id,
      size + 1,
      after ? shapedCursor(after, { id: 'digits', sortKey: 'none' }).id : undefined,
    );
    return entryPage(this.directory, rows, size);
  }

  /**
   * One SAR line. Recipients are named by agency and role (Art 15(1)(c)); while a police
   * investigation is open, police recipients are not named (DPA 2018 Sch 2 para 2: it could tip
   * the investigation off); fields supplied by a third party are flagged for review before release
   * (Sch 2 para 16), their content never being in the log anyway.
   */
  private async sarEntry(body: ReceiptBody, investigationOpen: boolean): Promise<SubjectAccessEntry> {
    const agency = await agencyOrNull(this.directory, body.recipient.agencyId);
    const exempt = investigationOpen && agency?.kind === AgencyKind.POLICE;
    return {
      recordedAt: new Date(body.at),
      recipientAgency: exempt ? null : (agency?.name ?? body.recipient.agencyCode),
      recipientRole: exempt ? null : body.user.roles.join(', '),
      purpose: exempt ? null : body.purpose,
      what: body.record?.kind ?? 'CHILD',
      fields: exempt ? [] : [...body.disclosed],
      // The bases would name the police agreement's (crime and disorder) while the recipient is withheld.
      lawfulBases: exempt
        ? []
        : [...new Set(body.bases.map((basis) => basis.lawfulBasis).filter((basis): basis is string => basis !== null))],
      exemption: exempt ? 'Recipient not named while a police investigation is open (DPA 2018 Sch 2 para 2)' : null,
      thirdPartyReview: body.bases.some((basis) => basis.class === 'THIRD_PARTY'),
    };
  }
}
