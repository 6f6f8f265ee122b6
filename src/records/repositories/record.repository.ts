import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import { DisclosurePermissionEntity } from 'src/records/entities/disclosure-permission.entity.js';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';
import { jsonRowsOf, Sql, statement, StatementTexts } from 'src/common/database/sql.js';
import type { RecordVersionStatus } from 'src/vocabulary/record-status.js';

/**
 * How record lists are ordered: by last change, or (for callers who must not learn of later changes,
 * C3) by creation. The last change is the reader's to know: its own agency's records by their last
 * save, drafts included; another agency's by their last FINAL version or withdrawal (`shared_at`), so
 * neither the order nor a cursor shows when the owner saved a draft.
 */
export type RecordOrder = 'updated' | 'created';

/** When a record last changed as the reader (`:pg_reader_agency`) may know it (alias `rows`). */
function listedAt(rows: string): string {
  return `CASE WHEN ${rows}.owning_agency_id = :pg_reader_agency THEN ${rows}.updated_at ELSE coalesce(${rows}.shared_at, ${rows}.created_at) END`;
}

/** Sort key of record lists, cut to the millisecond a cursor can carry. */
const SORT_KEY: Readonly<Record<RecordOrder, string>> = {
  updated: `date_trunc('milliseconds', ${listedAt('r')})`,
  created: "date_trunc('milliseconds', r.created_at)",
};
/**
 * The same order over a page's rows once selected (alias `rows`; for jsonRowsOf, `j`), cut to the
 * millisecond as the page was taken: two records of one millisecond go by id, as the cursor compares them.
 */
function pageOrder(order: RecordOrder, rows = 'j'): string {
  return `date_trunc('milliseconds', ${order === 'updated' ? listedAt(rows) : `${rows}.created_at`}) DESC, ${rows}.id DESC`;
}

/** The time a record is listed by for a reader of `readerAgencyId`, as SORT_KEY reads it (a cursor's sort key). */
export function listedAtFor(record: SharedRecordEntity, order: RecordOrder, readerAgencyId: string): Date {
  if (order === 'created') return record.createdAt;
  return record.owningAgencyId === readerAgencyId ? record.updatedAt : (record.sharedAt ?? record.createdAt);
}

/** The record's columns that hold each kind of permission: its reference, and the permission's id. */
const PERMISSION_COLUMNS = {
  [DisclosurePermissionKind.COURT_ORDER]: ['courtOrderReference', 'courtOrderPermissionId'],
  [DisclosurePermissionKind.CONSENT]: ['consentReference', 'consentPermissionId'],
  [DisclosurePermissionKind.THIRD_PARTY_PERMISSION]: ['thirdPartyPermissionReference', 'thirdPartyPermissionId'],
} as const;

const RECORD_COLUMNS = `record.id, record.child_id, record.kind, record.owning_agency_id, record.current_version,
  record.court_order_reference, record.consent_reference, record.third_party_permission_reference,
  record.court_order_permission_id, record.consent_permission_id, record.third_party_permission_id, record.withdrawn_at,
  record.withdrawal_reason, record.withdrawn_by_name, record.withdrawn_by_agency_id, record.created_at, record.updated_at,
  record.shared_at`;

interface RecordRow {
  readonly id: string;
  readonly child_id: string;
  readonly kind: RecordKind;
  readonly owning_agency_id: string;
  readonly current_version: number;
  readonly court_order_reference: string | null;
  readonly consent_reference: string | null;
  readonly third_party_permission_reference: string | null;
  readonly court_order_permission_id: string | null;
  readonly consent_permission_id: string | null;
  readonly third_party_permission_id: string | null;
  readonly withdrawal_reason: string | null;
  readonly withdrawn_by_name: string | null;
  readonly withdrawn_by_agency_id: string | null;
  /** ISO text: a page's rows come as JSON (jsonRowsOf). */
  readonly withdrawn_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly shared_at: string | null;
}

function recordOf(row: RecordRow): SharedRecordEntity {
  return Object.assign(new SharedRecordEntity(), {
    id: row.id,
    childId: row.child_id,
    kind: row.kind,
    owningAgencyId: row.owning_agency_id,
    currentVersion: row.current_version,
    courtOrderReference: row.court_order_reference,
    consentReference: row.consent_reference,
    thirdPartyPermissionReference: row.third_party_permission_reference,
    courtOrderPermissionId: row.court_order_permission_id,
    consentPermissionId: row.consent_permission_id,
    thirdPartyPermissionId: row.third_party_permission_id,
    withdrawnAt: row.withdrawn_at === null ? null : new Date(row.withdrawn_at),
    withdrawalReason: row.withdrawal_reason,
    withdrawnByName: row.withdrawn_by_name,
    withdrawnByAgencyId: row.withdrawn_by_agency_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    sharedAt: row.shared_at === null ? null : new Date(row.shared_at),
  });
}

const VERSION_COLUMNS = `record_id, version, status, author_subject, author_name, author_agency_id, author_case_system, created_at`;

interface VersionRow {
  readonly record_id: string;
  readonly version: number;
  readonly content: Record<string, unknown>;
  readonly status: RecordVersionStatus;
  readonly author_subject: string;
  readonly author_name: string;
  readonly author_agency_id: string;
  readonly author_case_system: string;
  readonly created_at: Date;
}

const VERSIONS = statement(
  'tandem_record_versions',
  `SELECT ${VERSION_COLUMNS}, content FROM shared_record_version
   WHERE (record_id, version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
);

const VERSION_SUMMARIES = statement(
  'tandem_record_version_summaries',
  `SELECT ${VERSION_COLUMNS} FROM shared_record_version WHERE record_id = ANY($1::uuid[]) ORDER BY version ASC`,
);

/**
 * A page's record with every version of it (no content), oldest first: what deciding its readable
 * versions needs; and, with content, the versions a reader most often reads (its current version
 * and its latest FINAL one), so that showing them needs no other statement. Which version a caller
 * reads is still the policy's decision: the others are read when it picks them.
 */
export interface PagedRecord {
  readonly record: SharedRecordEntity;
  readonly versions: readonly VersionSummaryRow[];
  readonly likelyRead: readonly SharedRecordVersionEntity[];
}

/** The current and the latest FINAL version's number and content, as JSON (the page's versions carry the rest). */
const LIKELY_READ_JSON = `(SELECT json_agg(json_build_object('version', v.version, 'content', v.content))
  FROM shared_record_version v WHERE v.record_id = record.id AND (v.version = record.current_version
    OR v.version = (SELECT max(f.version) FROM shared_record_version f WHERE f.record_id = record.id AND f.status = 'FINAL')))`;

const VERSION_JSON = `'record_id', v.record_id, 'version', v.version, 'status', v.status, 'author_subject', v.author_subject,
  'author_name', v.author_name, 'author_agency_id', v.author_agency_id, 'author_case_system', v.author_case_system,
  'created_at', v.created_at`;

/** A version's content as the page brings it along. */
interface ContentJson {
  readonly version: number;
  readonly content: Record<string, unknown>;
}

/** A version summary as JSON: its time is a string. */
type VersionJson = Omit<VersionRow, 'content' | 'created_at'> & { readonly created_at: string };

function summaryOfJson(row: VersionJson): VersionSummaryRow {
  return summaryOf(row, new Date(row.created_at));
}

// Objects are built without `{ ...a, b }`: V8 (Node 20) takes microseconds for a spread followed by
// another property, per object (docs/TOOLCHAIN.md); Object.assign with several sources does not.
function summaryOf(row: Omit<VersionRow, 'content' | 'created_at'>, createdAt: Date): VersionSummaryRow {
  return Object.assign(new SharedRecordVersionEntity(), {
    recordId: row.record_id,
    version: row.version,
    status: row.status,
    authorSubject: row.author_subject,
    authorName: row.author_name,
    authorAgencyId: row.author_agency_id,
    authorCaseSystem: row.author_case_system,
    createdAt,
  });
}

function versionOf(row: VersionRow): SharedRecordVersionEntity {
  return Object.assign(new SharedRecordVersionEntity(), summaryOf(row, row.created_at), { content: row.content });
}

/** A page's row: the record's columns, every version's summary and the likely read versions' content (as JSON). */
const PAGE_COLUMNS = `${RECORD_COLUMNS},
  (SELECT json_agg(json_build_object(${VERSION_JSON}) ORDER BY v.version) FROM shared_record_version v WHERE v.record_id = record.id) AS versions,
  ${LIKELY_READ_JSON} AS likely_read`;

type PageRowJson = RecordRow & { readonly versions: VersionJson[] | null; readonly likely_read: ContentJson[] | null };

function pagedOf(row: PageRowJson): PagedRecord {
  const versions = (row.versions ?? []).map(summaryOfJson);
  const likelyRead = (row.likely_read ?? []).flatMap(({ version, content }) => {
    const summary = versions.find((found) => found.version === version);
    return summary ? [Object.assign(new SharedRecordVersionEntity(), summary, { content })] : [];
  });
  return { record: recordOf(row), versions, likelyRead };
}

const ONE_PAGE_TEXTS = new StatementTexts();

function onePageText(
  childId: string,
  filter: string,
  conditions: readonly string[],
  order: RecordOrder,
  connected: string,
): string {
  const where = [`r.child_id = ${childId}`, `(${filter})`, ...conditions].join(' AND ');
  // No work on the records of a child the caller has no connection to: it costs what a missing child does.
  return `CASE WHEN ${connected} THEN (SELECT json_agg(to_json(page) ORDER BY ${pageOrder(order, 'page')}) FROM (
     SELECT ${PAGE_COLUMNS}
     FROM shared_record record
     JOIN (
       SELECT r.id FROM shared_record r WHERE ${where}
       ORDER BY ${SORT_KEY[order]} DESC, r.id DESC LIMIT :pg_limit
     ) ranked ON ranked.id = record.id
   ) page) END`;
}

/** A page's conditions beside the child and the policy: its kinds, and where the cursor left off (alias `r`). */
function pageConditions(
  kinds: readonly RecordKind[] | undefined,
  after: { sortKey: string; id: string } | undefined,
  order: RecordOrder,
): string[] {
  return [
    ...(kinds && kinds.length > 0 ? ['r.kind IN (:...pg_kinds)'] : []),
    ...(after ? [`(${SORT_KEY[order]}, r.id) < (:pg_sort_key::timestamptz, :pg_after_id::uuid)`] : []),
  ];
}

function pageParameters(
  kinds: readonly RecordKind[] | undefined,
  limit: number,
  after: { sortKey: string; id: string } | undefined,
  order: RecordOrder,
  readerAgencyId: string,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = { pg_limit: limit };
  if (order === 'updated') parameters.pg_reader_agency = readerAgencyId;
  if (kinds && kinds.length > 0) parameters.pg_kinds = kinds;
  if (after) {
    parameters.pg_sort_key = after.sortKey;
    parameters.pg_after_id = after.id;
  }
  return parameters;
}

/** The policy's row filter, written against alias `r`. */
export interface RecordFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

export type VersionSummaryRow = Omit<SharedRecordVersionEntity, 'content' | 'record' | 'authorAgency'>;
export type NewVersion = Omit<SharedRecordVersionEntity, 'recordId' | 'version' | 'createdAt' | 'record' | 'authorAgency'>;

@Injectable()
export class RecordRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sql) private readonly sql: Sql,
  ) {}

  /**
   * The record, and whether the policy's filter (written against alias `r`) lets the caller see it,
   * in one statement: a hidden record costs exactly what a missing one does.
   */
  async findWithVisibility(
    recordId: string,
    filter: RecordFilter,
  ): Promise<{ record: SharedRecordEntity | null; visible: boolean }> {
    const { entities, raw } = await this.dataSource
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('r')
      .addSelect(`(${filter.sql})`, 'pol_visible')
      .where('r.id = :recordId', { recordId })
      .setParameters(filter.params)
      .getRawAndEntities<{ pol_visible: boolean }>();
    const record = entities[0] ?? null;
    return { record, visible: record !== null && raw[0]?.pol_visible === true };
  }

  /**
   * One page of records per child, most recently changed first (as the reader may know it), in one statement for many children
   * (a window per child), fetching `limit` rows each, with every version of each record (no content).
   */
  async pagesFor(
    childIds: readonly string[],
    kinds: readonly RecordKind[] | undefined,
    limit: number,
    after: { sortKey: string; id: string } | undefined,
    filter: RecordFilter,
    order: RecordOrder,
    readerAgencyId: string,
  ): Promise<PagedRecord[]> {
    const conditions = ['r.child_id IN (:...pg_child_ids)', `(${filter.sql})`, ...pageConditions(kinds, after, order)];
    const rows = await this.sql.dynamicJsonRows<PageRowJson>(
      jsonRowsOf(
        `SELECT ${PAGE_COLUMNS}
       FROM shared_record record
       JOIN (
         SELECT r.id, row_number() OVER (PARTITION BY r.child_id ORDER BY ${SORT_KEY[order]} DESC, r.id DESC) AS rank
         FROM shared_record r WHERE ${conditions.join(' AND ')}
       ) ranked ON ranked.id = record.id
       WHERE ranked.rank <= :pg_limit`,
        pageOrder(order),
      ),
      Object.assign({}, filter.params, { pg_child_ids: childIds }, pageParameters(kinds, limit, after, order, readerAgencyId)),
    );
    return rows.map(pagedOf);
  }

  /**
   * pagesFor for one child whose id is the SQL expression `childId`, as an expression giving the
   * page's rows as one JSON array in their order (null when none, and no row read unless
   * `connected`, an SQL condition the filter implies, holds): for a statement that reads the child
   * itself (a read-ahead); pagedOfJson makes the page of its value.
   */
  onePageSql(
    childId: string,
    kinds: readonly RecordKind[] | undefined,
    limit: number,
    after: { sortKey: string; id: string } | undefined,
    filter: RecordFilter,
    order: RecordOrder,
    connected: string,
    readerAgencyId: string,
  ): RecordFilter {
    const choices = `${childId}|${kinds?.join() ?? ''}|${after ? 'after' : ''}|${order}|${connected}`;
    return {
      sql: ONE_PAGE_TEXTS.textOf(filter.sql, choices, () =>
        onePageText(childId, filter.sql, pageConditions(kinds, after, order), order, connected),
      ),
      params: Object.assign({}, filter.params, pageParameters(kinds, limit, after, order, readerAgencyId)),
    };
  }

  /** The page onePageSql's expression gave (its JSON, as the statement returned it). */
  pagedOfJson(value: unknown): PagedRecord[] {
    if (value === null) return [];
    if (!Array.isArray(value)) throw new Error('A page of records read ahead is not a list');
    // Rows of PAGE_COLUMNS, as pagesFor's statement gives them one by one.
    return (value as PageRowJson[]).map(pagedOf);
  }

  /** Versions by (record, version) pairs, in one statement. */
  async versions(keys: readonly { recordId: string; version: number }[]): Promise<SharedRecordVersionEntity[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.rows<VersionRow>(VERSIONS, [keys.map((key) => key.recordId), keys.map((key) => key.version)]);
    return rows.map(versionOf);
  }

  /** Every version of these records, without content, oldest first. */
  async versionSummaries(recordIds: readonly string[]): Promise<VersionSummaryRow[]> {
    if (recordIds.length === 0) return [];
    const rows = await this.sql.rows<Omit<VersionRow, 'content'>>(VERSION_SUMMARIES, [recordIds]);
    return rows.map((row) => summaryOf(row, row.created_at));
  }

  async insert(
    manager: EntityManager,
    record: Pick<SharedRecordEntity, 'childId' | 'kind' | 'owningAgencyId'>,
    version: NewVersion,
  ): Promise<SharedRecordEntity> {
    const records = manager.getRepository(SharedRecordEntity);
    const saved = await records.save(records.create({ ...record, currentVersion: 1 }));
    const versions = manager.getRepository(SharedRecordVersionEntity);
    await versions.save(versions.create({ ...version, recordId: saved.id, version: 1 }));
    return saved;
  }

  /**
   * Adds version `expectedVersion + 1` if the record is still at `expectedVersion` and not
   * withdrawn; false when someone else got there first.
   */
  async addVersion(manager: EntityManager, recordId: string, expectedVersion: number, version: NewVersion): Promise<boolean> {
    const result = await manager
      .getRepository(SharedRecordEntity)
      .createQueryBuilder()
      .update()
      .set({ currentVersion: () => 'current_version + 1' })
      .where('id = :recordId AND current_version = :expectedVersion AND withdrawn_at IS NULL', { recordId, expectedVersion })
      .execute();
    if (result.affected !== 1) return false;
    const versions = manager.getRepository(SharedRecordVersionEntity);
    await versions.save(versions.create({ ...version, recordId, version: expectedVersion + 1 }));
    return true;
  }

  /** The latest FINAL version of a record, read in the writer's transaction; null when it has none. */
  async latestFinalVersion(manager: EntityManager, recordId: string): Promise<number | null> {
    const rows = await manager.query<{ version: number | null }[]>(
      `SELECT max(version)::int AS version FROM shared_record_version WHERE record_id = $1 AND status = 'FINAL'`,
      [recordId],
    );
    return rows[0]?.version ?? null;
  }

  findById(recordId: string): Promise<SharedRecordEntity | null> {
    return this.dataSource.getRepository(SharedRecordEntity).findOneBy({ id: recordId });
  }

  /** Records a permission and makes it the record's current one of its kind. */
  async recordPermission(
    manager: EntityManager,
    row: Omit<DisclosurePermissionEntity, 'id' | 'recordedAt' | 'record'>,
  ): Promise<DisclosurePermissionEntity> {
    const permissions = manager.getRepository(DisclosurePermissionEntity);
    const saved = await permissions.save(permissions.create(row));
    const [referenceColumn, idColumn] = PERMISSION_COLUMNS[row.kind];
    await manager
      .getRepository(SharedRecordEntity)
      .update({ id: row.recordId }, { [referenceColumn]: row.reference, [idColumn]: saved.id });
    return saved;
  }

  async acknowledge(
    manager: EntityManager,
    row: Omit<RecordAcknowledgementEntity, 'id' | 'createdAt'>,
  ): Promise<RecordAcknowledgementEntity> {
    const repository = manager.getRepository(RecordAcknowledgementEntity);
    return repository.save(repository.create(row));
  }

  acknowledgementsFor(recordIds: readonly string[]): Promise<RecordAcknowledgementEntity[]> {
    return this.dataSource
      .getRepository(RecordAcknowledgementEntity)
      .createQueryBuilder('a')
      .where('a.record_id IN (:...recordIds)', { recordIds })
      .orderBy('a.created_at', 'ASC')
      .getMany();
  }

  /**
   * Each child's AssetPlus as it stood before a cut-off (C3): the latest FINAL version written
   * before it, of a record made before it and not withdrawn by then, in one statement.
   */
  latestAssetPlusBefore(
    cutoffs: readonly { childId: string; before: Date }[],
  ): Promise<{ id: string; version: number; child_id: string; owning_agency_id: string; content: Record<string, unknown> }[]> {
    if (cutoffs.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT DISTINCT ON (r.child_id) r.id, v.version, r.child_id, r.owning_agency_id, v.content
       FROM unnest($1::uuid[], $2::timestamptz[]) AS c(child_id, before)
       JOIN shared_record r ON r.child_id = c.child_id AND r.kind = 'ASSET_PLUS' AND r.created_at < c.before
         AND (r.withdrawn_at IS NULL OR r.withdrawn_at >= c.before)
       JOIN shared_record_version v ON v.record_id = r.id AND v.created_at < c.before AND v.status = 'FINAL'
       ORDER BY r.child_id, v.created_at DESC, v.version DESC`,
      [cutoffs.map((cutoff) => cutoff.childId), cutoffs.map((cutoff) => cutoff.before)],
    );
  }

  /**
   * Each child's most recently updated AssetPlus that stands (not withdrawn), at its latest FINAL
   * version (a draft is the YOS's work in progress), in one statement.
   */
  latestAssetPlus(
    childIds: readonly string[],
  ): Promise<{ id: string; version: number; child_id: string; owning_agency_id: string; content: Record<string, unknown> }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (r.child_id) r.id, v.version, r.child_id, r.owning_agency_id, v.content
       FROM shared_record r
       JOIN LATERAL (SELECT f.version, f.content FROM shared_record_version f
                     WHERE f.record_id = r.id AND f.status = 'FINAL' ORDER BY f.version DESC LIMIT 1) v ON TRUE
       WHERE r.child_id = ANY($1::uuid[]) AND r.kind = 'ASSET_PLUS' AND r.withdrawn_at IS NULL
       -- By its last FINAL version (shared_at), not its last save: the owner's draft must not change whose flags others read.
       ORDER BY r.child_id, coalesce(r.shared_at, r.created_at) DESC, r.id DESC`,
      [childIds],
    );
  }
}
