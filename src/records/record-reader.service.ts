import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { type Page, toPage } from 'src/common/pagination/connection.js';
import { encodeCursor } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { isUuid, NO_ID } from 'src/children/children.service.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import type { RecordCopyEntity } from 'src/records/entities/record-copy.entity.js';
import type { RecordVersionSummary } from 'src/records/models/shared-record.model.js';
import { permissionsOf, type RecordView, toAuthor, toRecordView } from 'src/records/records.mappers.js';
import { type Readable, readableRange, readableVersions, readsOnlyCopies, withinHistory } from 'src/records/readable-versions.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import {
  type PagedRecord,
  type RecordFilter,
  type RecordOrder,
  listedAtFor,
  RecordRepository,
  type VersionSummaryRow,
} from 'src/records/repositories/record.repository.js';
import { narrowedByLifecycle, type PageRequest, pageRequest, READ_AHEAD_PAGES, readAheadKey } from 'src/records/record-pages.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { PolicyService, type RecordFacts } from 'src/policy/policy.service.js';
import { type Disclosed, isDisclosed } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';

/** Whether the projection withheld a field resolved separately (so its resolver must not fill it). */
export function isWithheld(record: RecordView, field: string): boolean {
  return record.withheld.some((entry) => entry.field === field);
}

type VersionRow = Awaited<ReturnType<RecordRepository['versions']>>[number];

/** A version in a record's history, with what its separately resolved signatures need (not GraphQL fields). */
export type VersionSummaryView = Omit<RecordVersionSummary, 'signatures'> & {
  readonly recordId: string;
  readonly childId: string;
  readonly historyBefore: Date | null;
};

/** What decides which versions of a record a caller reads. */
type ScopeFacts = Pick<SharedRecordEntity, 'id' | 'childId' | 'kind' | 'owningAgencyId'>;

/** Shared records as a caller may see them: each version projected field by field by the policy. */
@Injectable()
export class RecordReader {
  private readonly loaders = new RequestLoaders('records');

  constructor(
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordLifecycleRepository) private readonly lifecycle: RecordLifecycleRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  /**
   * A record at the latest version the caller may read, or at `version`; NOT_FOUND when the caller
   * may not see it. Others than the owner read FINAL versions only; under C3 the latest is the last
   * before the investigation opened. A version the caller may not read is refused exactly like one
   * that does not exist.
   */
  async get(principal: Principal, recordId: string, version?: number | null): Promise<Disclosed<RecordView>> {
    const record = await this.findVisible(principal, recordId);
    const readable = await this.readable(principal, record);
    if (readable.latest < 1) throw TandemError.notFound('Record');
    const wanted = version ?? readable.latest;
    if (!readable.versions.some((entry) => entry.version === wanted)) {
      throw TandemError.badInput(readableRange(readable.versions), 'version');
    }
    return this.view(principal, record, wanted, readable);
  }

  /**
   * Which versions of a record the caller may read, each with its status (batched per request):
   * the owner reads drafts too, others FINAL versions, copy recipients the versions sent to them,
   * police and CPS under C3 what was written before the investigation opened.
   */
  async readable(principal: Principal, record: ScopeFacts): Promise<Readable> {
    const own = record.owningAgencyId === principal.agency.id;
    const copiesOnly = !own && readsOnlyCopies(record.kind, principal.agency.kind);
    const [rows, before, copies] = await Promise.all([
      this.versionRows(principal, record.id),
      this.policy.versionCutoff(principal, record.childId),
      copiesOnly ? this.copies(principal, record.id) : Promise.resolve(null),
    ]);
    const copied = copies
      ? new Set(copies.filter((copy) => copy.recipientAgencyId === principal.agency.id).map((copy) => copy.version))
      : null;
    const versions = readableVersions(rows, { own, before, copied });
    return { versions, latest: versions.at(-1)?.version ?? 0, before };
  }

  /** Pages of a child's records; children asked for with the same arguments share one batch. */
  pageForChild(
    principal: Principal,
    childId: string,
    kinds: readonly RecordKind[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<RecordView>> {
    const request = pageRequest(kinds, first, after);
    const { size } = request;
    return this.loaders
      .loader<string, Page<RecordView>>(principal, request.key, async (ids) => {
        // Under C3 a record's later changes must not show, not even in its place in the list or its cursor.
        const order: RecordOrder = (await this.policy.limitedByC3(principal)) ? 'created' : 'updated';
        const paged = await this.pages(principal, ids, request, order);
        // The page brought each record's versions along: deciding what is readable needs no other statement.
        const versionRows = this.versionRowsLoader(principal);
        const versionContents = this.versionLoader(principal);
        for (const { record, versions, likelyRead } of paged) {
          versionRows.prime(record.id, [...versions]);
          for (const version of likelyRead) versionContents.prime(`${record.id}@${version.version}`, version);
        }
        const rows = paged.map(({ record }) => record);
        const readable = new Map(
          await Promise.all(rows.map(async (row) => [row.id, await this.readable(principal, row)] as const)),
        );
        const sortKey = (row: SharedRecordEntity) => listedAtFor(row, order, principal.agency.id).toISOString();
        const grouped = groupBy(
          ids,
          rows.filter((row) => (readable.get(row.id)?.latest ?? 0) >= 1),
          (row) => row.childId,
        );
        return Promise.all(
          grouped.map(async (group) => {
            const page = toPage(group, size, (row) => encodeCursor(sortKey(row), row.id));
            const edges = await Promise.all(
              page.edges.map(async (edge) => {
                const scope = readable.get(edge.node.id);
                if (!scope) throw new Error(`No readable versions for ${edge.node.id}`);
                return { cursor: edge.cursor, node: await this.view(principal, edge.node, scope.latest, scope) };
              }),
            );
            return { pageInfo: page.pageInfo, edges };
          }),
        );
      })
      .load(childId);
  }

  /**
   * Each child's page: the one its look-up read ahead (RecordsReadAhead) where there is one, the
   * others in one statement.
   */
  private async pages(
    principal: Principal,
    childIds: readonly string[],
    request: PageRequest,
    order: RecordOrder,
  ): Promise<PagedRecord[]> {
    const readAhead = principal.slot(READ_AHEAD_PAGES);
    const brought = childIds.flatMap((id) => readAhead.get(readAheadKey(request, id)) ?? []);
    const others = childIds.filter((id) => !readAhead.has(readAheadKey(request, id)));
    if (others.length === 0) return brought;
    const filter = await this.filter(principal, others);
    return [
      ...brought,
      ...(await this.records.pagesFor(
        others,
        request.kinds,
        request.size + 1,
        request.cursor,
        filter,
        order,
        principal.agency.id,
      )),
    ];
  }

  /**
   * The record's history as the caller may read it: each readable version with its status (its
   * signatures resolve separately); null when that field was withheld.
   */
  async versions(principal: Principal, record: RecordView): Promise<VersionSummaryView[] | null> {
    if (isWithheld(record, 'versions')) return null;
    const readable = await this.readable(principal, scopeOf(record));
    const byVersion = new Map((await this.versionRows(principal, record.id)).map((row) => [row.version, row]));
    return Promise.all(
      readable.versions.map(async ({ version, status }) => {
        const row = byVersion.get(version);
        if (!row) throw new Error(`Version ${version} of ${record.id} vanished`);
        return {
          version,
          status,
          createdAt: row.createdAt,
          author: await toAuthor(row, this.directory),
          recordId: record.id,
          childId: record.childId,
          historyBefore: readable.before,
        };
      }),
    );
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
    const filter = await this.filter(principal);
    const found = await this.records.findWithVisibility(isUuid(recordId) ? recordId : NO_ID, filter);
    if (!found.record || !found.visible) {
      const hidden = isUuid(recordId) ? found.record : null;
      this.disclosure.noteConsultation(principal, {
        outcome: hidden ? 'DENIED' : 'NOT_FOUND',
        childId: hidden?.childId ?? null,
        recordKind: hidden?.kind ?? null,
        recordId: hidden?.id ?? null,
        owningAgencyId: hidden?.owningAgencyId ?? null,
        lookup: recordId,
      });
      throw TandemError.notFound('Record');
    }
    return found.record;
  }

  /** The policy's row filter narrowed by the records' lifecycle (see narrowedByLifecycle). */
  private async filter(principal: Principal, childIds?: readonly string[]): Promise<RecordFilter> {
    const [policy, limitedByC3] = await Promise.all([
      this.policy.recordFilter(principal, { childId: 'r.child_id', record: 'r' }, childIds),
      this.policy.limitedByC3(principal),
    ]);
    return narrowedByLifecycle(principal, policy, limitedByC3);
  }

  /** Every version of a record without content, oldest first, batched per request. */
  private versionRows(principal: Principal, recordId: string): Promise<VersionSummaryRow[]> {
    return this.versionRowsLoader(principal).load(recordId);
  }

  private versionRowsLoader(principal: Principal) {
    return this.loaders.loader<string, VersionSummaryRow[]>(principal, 'versionRows', async (ids) =>
      groupBy(ids, await this.records.versionSummaries(ids), (row) => row.recordId),
    );
  }

  /** Versions with their content, by "recordId@version", batched per request (a page primes the ones it brought). */
  private versionLoader(principal: Principal) {
    return this.loaders.loader<string, VersionRow | undefined>(principal, 'recordVersion', async (keys) => {
      const pairs = keys.map((key) => {
        const [recordId = '', number = '0'] = key.split('@');
        return { recordId, version: Number(number) };
      });
      const rows = await this.records.versions(pairs);
      const byKey = new Map(rows.map((found) => [`${found.recordId}@${found.version}`, found]));
      return keys.map((key) => byKey.get(key));
    });
  }

  /** The copies sent of a record (batched per request), whoever they went to. */
  copies(principal: Principal, recordId: string): Promise<RecordCopyEntity[]> {
    return this.loaders
      .loader<string, RecordCopyEntity[]>(principal, 'copies', async (ids) =>
        groupBy(ids, await this.lifecycle.copiesFor(ids), (row) => row.recordId),
      )
      .load(recordId);
  }

  private async view(
    principal: Principal,
    record: SharedRecordEntity,
    version: number,
    readable: Readable,
  ): Promise<Disclosed<RecordView>> {
    const row = await this.versionLoader(principal).load(`${record.id}@${version}`);
    if (!row) throw TandemError.notFound('Record version');
    const status = readable.versions.find((entry) => entry.version === version)?.status;
    if (!status) throw TandemError.notFound('Record version');
    const view = await toRecordView(record, row, this.directory, {
      latestVersion: readable.latest,
      status,
      showsWithdrawal: record.withdrawnAt !== null && withinHistory(readable, record.withdrawnAt),
    });
    const access = await this.policy.childAccess(principal, record.childId);
    return this.discloser.disclose(
      principal,
      view,
      this.policy.recordAttributes(principal, record, access),
      permissionsOf(record),
    );
  }
}

/** The facts a separately resolved field needs, from what the record's disclosure already holds. */
export function scopeOf(record: RecordView): ScopeFacts {
  const owningAgencyId = isDisclosed(record) ? record.disclosure.owningAgencyId : null;
  if (owningAgencyId === null) throw new Error(`Record ${record.id} reached a field resolver without its disclosure`);
  return { id: record.id, childId: record.childId, kind: record.kind, owningAgencyId };
}
