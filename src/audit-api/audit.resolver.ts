import { Inject } from '@nestjs/common';
import { Args, Extensions, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { costHint } from 'src/common/cost/cost-hint.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import {
  DisclosureCheckpoint,
  DisclosureConnection,
  DisclosureEntry,
  DisclosureExport,
  DisclosureFilter,
  ExportFormat,
} from 'src/audit-api/audit-log.models.js';
import { AnomalyConnection, AnomalyKind, DisclosureAnomaly, DisposeAnomalyInput } from 'src/audit-api/anomaly.models.js';
import { SubjectAccessReport } from 'src/audit-api/subject-access.models.js';
import { AuditLogService } from 'src/audit-api/audit-log.service.js';
import { SubjectAccessService } from 'src/audit-api/subject-access.service.js';
import { AnomalyService } from 'src/audit-api/anomaly.service.js';
import { EXPORT_DEFAULT_ROWS, EXPORT_MAX_ROWS } from 'src/audit-api/log-export.js';

const FIRST = { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' } as const;
const AFTER = { type: () => String, nullable: true, description: 'The endCursor of the previous page.' } as const;

/**
 * The auditors' API (role AUDITOR, purpose AUDIT) and the owning agency's access feed. The log's
 * entries and the subject access report are also a team manager's, for their team's children (S59):
 * no permission is held by exactly auditors and those managers, so these three declare one both
 * hold (ACCESS_EXPLAIN) and the service decides who reads what (logReader), refusing everyone else.
 */
@Resolver()
export class AuditResolver {
  constructor(
    @Inject(AuditLogService) private readonly log: AuditLogService,
    @Inject(SubjectAccessService) private readonly subjectAccess: SubjectAccessService,
    @Inject(AnomalyService) private readonly anomalies: AnomalyService,
  ) {}

  @Query(() => DisclosureConnection, {
    description:
      "Auditors (and team managers, for their team's children): the disclosure log, filtered, newest first. Never record content.",
  })
  @RequirePermission(Permission.AUDIT_LOG_READ)
  disclosures(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => DisclosureFilter, nullable: true, description: 'Which entries.' })
    filter: DisclosureFilter | null,
    @Args('first', FIRST) first: number | null,
    @Args('after', AFTER) after: string | null,
  ): Promise<Page<DisclosureEntry>> {
    return this.log.disclosures(principal, filter, first, after);
  }

  @Query(() => DisclosureEntry, {
    nullable: true,
    description:
      "Auditors (and team managers, for their team's children): one log entry by its id; null when there is none you may read.",
  })
  @RequirePermission(Permission.AUDIT_LOG_READ)
  disclosureEntry(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The entry (DisclosureEntry.id).' }) id: string,
  ): Promise<DisclosureEntry | null> {
    return this.log.entry(principal, id);
  }

  @Query(() => SubjectAccessReport, {
    description:
      "Auditors (and team managers, for their team's children): who received what about a child, when and why (subject access).",
  })
  @RequirePermission(Permission.AUDIT_LOG_READ)
  subjectAccessReport(
    @CurrentPrincipal() principal: Principal,
    @Args('childId', { type: () => ID, description: 'The child.' }) childId: string,
  ): Promise<SubjectAccessReport> {
    return this.subjectAccess.subjectAccessReport(principal, childId);
  }

  @Query(() => DisclosureExport, {
    description: 'Auditors: log entries as CSV, JSON or a FHIR R4 Bundle of AuditEvents, newest first.',
  })
  @RequirePermission(Permission.AUDIT_READ)
  // Costed by its limit (one per entry), and one export per operation: aliases cannot multiply it.
  @Extensions(costHint({ sizeArgument: { name: 'limit', default: EXPORT_DEFAULT_ROWS, max: EXPORT_MAX_ROWS }, perOperation: 1 }))
  exportDisclosures(
    @CurrentPrincipal() principal: Principal,
    @Args('format', { type: () => ExportFormat, description: 'CSV, JSON or FHIR.' }) format: ExportFormat,
    @Args('filter', { type: () => DisclosureFilter, nullable: true, description: 'Which entries.' })
    filter: DisclosureFilter | null,
    @Args('limit', { type: () => Int, nullable: true, description: 'At most this many entries (1–50000, default 10000).' })
    limit: number | null,
  ): Promise<DisclosureExport> {
    return this.log.export(principal, filter, format, limit);
  }

  @Query(() => DisclosureConnection, {
    description: "Your agency's records about the children allocated to you, as other agencies received them, newest first.",
  })
  @RequirePermission(Permission.CHILD_READ)
  accessFeed(
    @CurrentPrincipal() principal: Principal,
    @Args('first', FIRST) first: number | null,
    @Args('after', AFTER) after: string | null,
  ): Promise<Page<DisclosureEntry>> {
    return this.subjectAccess.accessFeed(principal, first, after);
  }

  @Query(() => AnomalyConnection, { description: 'Auditors: accesses flagged for review, newest first.' })
  @RequirePermission(Permission.AUDIT_READ)
  disclosureAnomalies(
    @CurrentPrincipal() principal: Principal,
    @Args('kind', { type: () => AnomalyKind, nullable: true, description: 'Only this kind.' }) kind: AnomalyKind | null,
    @Args('undisposedOnly', { type: () => Boolean, nullable: true, description: 'Only those without a disposition.' })
    undisposedOnly: boolean | null,
    @Args('first', FIRST) first: number | null,
    @Args('after', AFTER) after: string | null,
  ): Promise<Page<DisclosureAnomaly>> {
    return this.anomalies.listAnomalies(principal, kind, undisposedOnly ?? false, first, after);
  }

  @Query(() => [DisclosureCheckpoint], {
    description: 'Auditors: signed checkpoints, for the other agency to hold; oldest first, or the latest with newestFirst.',
  })
  @RequirePermission(Permission.AUDIT_READ)
  disclosureCheckpoints(
    @CurrentPrincipal() principal: Principal,
    @Args('after', { type: () => Int, nullable: true, description: 'After this checkpoint number.' }) after: number | null,
    @Args('first', FIRST) first: number | null,
    @Args('before', { type: () => Int, nullable: true, description: 'Before this checkpoint number (to page back).' })
    before: number | null,
    @Args('newestFirst', {
      type: () => Boolean,
      nullable: true,
      description: 'The newest first (default: the oldest first), e.g. the latest `first` checkpoints.',
    })
    newestFirst: boolean | null,
  ): Promise<DisclosureCheckpoint[]> {
    return this.log.checkpoints(principal, { after, before, first, newestFirst });
  }

  @Mutation(() => Int, {
    description: 'Auditors: flags anomalies in a time range now (it also runs on its own); returns how many are new.',
  })
  @RequirePermission(Permission.AUDIT_DISPOSE)
  detectAnomalies(
    @CurrentPrincipal() principal: Principal,
    @Args('from', { type: () => Date, nullable: true, description: 'Start (default: two windows ago).' }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true, description: 'End (default: now).' }) to: Date | null,
  ): Promise<number> {
    return this.anomalies.detect(principal, from, to);
  }

  @Mutation(() => DisclosureAnomaly, {
    description: 'Auditors: records a disposition of an anomaly (a later one supersedes, none is changed).',
  })
  @RequirePermission(Permission.AUDIT_DISPOSE)
  disposeAnomaly(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The finding.' }) input: DisposeAnomalyInput,
  ): Promise<DisclosureAnomaly> {
    return this.anomalies.dispose(principal, input);
  }
}
