import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { decodeCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid, NO_ID } from 'src/children/children.service.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import type { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import type { RecordAcknowledgement, RecordVersionSummary } from 'src/records/models/shared-record.model.js';
import { permissionsOf, type RecordView, toAuthor, toRecordView } from 'src/records/records.mappers.js';
import { type RecordOrder, RecordRepository } from 'src/records/repositories/record.repository.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { PolicyService, type RecordFacts } from 'src/policy/policy.service.js';
import type { Disclosed } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';

/** Whether the projection withheld a field resolved separately (so its resolver must not fill it). */
function isWithheld(record: RecordView, field: string): boolean {
  return record.withheld.some((entry) => entry.field === field);
}

type VersionRow = Awaited<ReturnType<RecordRepository['versions']>>[number];

/** Shared records as a caller may see them: each version projected field by field by the policy. */
@Injectable()
export class RecordReader {
  private readonly loaders = new RequestLoaders('records');

  constructor(
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /**
   * A record at the latest version the caller may see, or at `version`; NOT_FOUND when the caller
   * may not see it. Under C3 the latest is the last before the investigation opened, and a later
   * one is refused exactly like a version that does not exist.
   */
  async get(principal: Principal, recordId: string, version?: number | null): Promise<Disclosed<RecordView>> {
    const record = await this.findVisible(principal, recordId);
    const latest = (await this.latestVisible(principal, [record])).get(record.id) ?? 0;
    if (latest < 1) throw TandemError.notFound('Record');
    const wanted = version ?? latest;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > latest) {
      throw TandemError.badInput(`The record has versions 1 to ${latest}`, 'version');
    }
    return this.view(principal, record, wanted, latest);
  }

  /** Pages of a child's records; children asked for with the same arguments share one batch. */
  pageForChild(
    principal: Principal,
    childId: string,
    kinds: readonly RecordKind[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<RecordView>> {
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : undefined;
    const kindList = kinds ? [...new Set(kinds)].sort() : undefined;
    return this.loaders
      .loader<string, Page<RecordView>>(
        principal,
        `records:${kindList?.join(',') ?? '*'}:${size}:${after ?? ''}`,
        async (ids) => {
          const filter = await this.policy.recordFilter(principal, { childId: 'r.child_id', record: 'r' }, ids);
          // Under C3 a record's later changes must not show, not even in its place in the list or its cursor.
          const order: RecordOrder = (await this.policy.limitedByC3(principal)) ? 'created' : 'updated';
          const rows = await this.records.pagesFor(ids, kindList, size + 1, cursor, filter, order);
          const latest = await this.latestVisible(principal, rows);
          const sortKey = (row: SharedRecordEntity) => (order === 'created' ? row.createdAt : row.updatedAt).toISOString();
          const grouped = groupBy(
            ids,
            rows.filter((row) => (latest.get(row.id) ?? 0) >= 1),
            (row) => row.childId,
          );
          return Promise.all(
            grouped.map(async (group) => {
              const page = toPage(group, size, (row) => encodeCursor(sortKey(row), row.id));
              const edges = await Promise.all(
                page.edges.map(async (edge) => {
                  const version = latest.get(edge.node.id) ?? edge.node.currentVersion;
                  return { cursor: edge.cursor, node: await this.view(principal, edge.node, version, version) };
                }),
              );
              return { pageInfo: page.pageInfo, edges };
            }),
          );
        },
      )
      .load(childId);
  }

  /**
   * Version history of a record already projected for the caller, up to the latest they may see;
   * null when that field was withheld.
   */
  async versions(principal: Principal, record: RecordView): Promise<RecordVersionSummary[] | null> {
    if (isWithheld(record, 'versions')) return null;
    const all = await this.loaders
      .loader<string, RecordVersionSummary[]>(principal, 'recordVersions', async (ids) => {
        const rows = await this.records.versionSummaries(ids);
        const grouped = groupBy(ids, rows, (row) => row.recordId);
        return Promise.all(
          grouped.map((group) =>
            Promise.all(
              group.map(async (row) => ({
                version: row.version,
                createdAt: row.createdAt,
                author: await toAuthor(row, this.directory),
              })),
            ),
          ),
        );
      })
      .load(record.id);
    return all.filter((summary) => summary.version <= record.latestVersion);
  }

  /** Acknowledgements of the versions the caller may see; null when that field was withheld. */
  async acknowledgements(principal: Principal, record: RecordView): Promise<RecordAcknowledgement[] | null> {
    if (isWithheld(record, 'acknowledgements')) return null;
    const all = await this.loaders
      .loader<string, RecordAcknowledgement[]>(principal, 'acknowledgements', async (ids) => {
        const rows = await this.records.acknowledgementsFor(ids);
        const grouped = groupBy(ids, rows, (row) => row.recordId);
        return Promise.all(grouped.map((group) => Promise.all(group.map((row) => this.acknowledgementOf(row)))));
      })
      .load(record.id);
    return all.filter((acknowledgement) => acknowledgement.version <= record.latestVersion);
  }

  async acknowledgementOf(row: RecordAcknowledgementEntity): Promise<RecordAcknowledgement> {
    return {
      id: row.id,
      version: row.version,
      name: row.name,
      agency: await this.directory.agency(row.agencyId),
      comment: row.comment,
      createdAt: row.createdAt,
    };
  }

  /** The facts the policy decides on, for explainAccess; `viewer` null means an auditor (no visibility check). */
  async factsFor(viewer: Principal | null, recordId: string): Promise<RecordFacts & { id: string }> {
    const record = viewer
      ? await this.findVisible(viewer, recordId)
      : isUuid(recordId)
        ? await this.records.findById(recordId)
        : null;
    if (!record) throw TandemError.notFound('Record');
    return record;
  }

  /**
   * The record if the caller may see it; NOT_FOUND otherwise, logged as a consultation: DENIED
   * (with the record's child, kind and id) when it exists, NOT_FOUND when it does not. Existence and
   * visibility come from one statement, run for every look-up (an id that is not a UUID looks up
   * NO_ID), so a hidden record and a missing one take the same path.
   */
  async findVisible(principal: Principal, recordId: string): Promise<SharedRecordEntity> {
    const filter = await this.policy.recordFilter(principal, { childId: 'r.child_id', record: 'r' });
    const found = await this.records.findWithVisibility(isUuid(recordId) ? recordId : NO_ID, filter);
    if (!found.record || !found.visible) {
      const hidden = isUuid(recordId) ? found.record : null;
      this.disclosure.noteConsultation(principal, {
        outcome: hidden ? 'DENIED' : 'NOT_FOUND',
        childId: hidden?.childId ?? null,
        recordKind: hidden?.kind ?? null,
        recordId: hidden?.id ?? null,
        lookup: recordId,
      });
      throw TandemError.notFound('Record');
    }
    return found.record;
  }

  /**
   * The latest version of each record the caller may see: its current one, or under C3 (police
   * and CPS while an investigation is open) the last written before the investigation opened.
   */
  private async latestVisible(principal: Principal, records: readonly SharedRecordEntity[]): Promise<Map<string, number>> {
    const cutoffs = await Promise.all(
      records.map(async (record) => ({ record, before: await this.policy.versionCutoff(principal, record.childId) })),
    );
    const limited = cutoffs.flatMap(({ record, before }) => (before ? [{ recordId: record.id, before }] : []));
    const before = await this.records.lastVersionsBefore(limited);
    return new Map(
      cutoffs.map(({ record, before: cutoff }) => [record.id, cutoff ? (before.get(record.id) ?? 0) : record.currentVersion]),
    );
  }

  private async view(
    principal: Principal,
    record: SharedRecordEntity,
    version: number,
    latest: number,
  ): Promise<Disclosed<RecordView>> {
    const row = await this.loaders
      .loader<string, VersionRow | undefined>(principal, 'recordVersion', async (keys) => {
        const pairs = keys.map((key) => {
          const [recordId = '', number = '0'] = key.split('@');
          return { recordId, version: Number(number) };
        });
        const rows = await this.records.versions(pairs);
        const byKey = new Map(rows.map((found) => [`${found.recordId}@${found.version}`, found]));
        return keys.map((key) => byKey.get(key));
      })
      .load(`${record.id}@${version}`);
    if (!row) throw TandemError.notFound('Record version');
    const view = await toRecordView(record, row, this.directory, latest);
    const access = await this.policy.childAccess(principal, record.childId);
    return this.discloser.disclose(
      principal,
      view,
      this.policy.recordAttributes(principal, record, access),
      permissionsOf(record),
    );
  }
}
