import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';
import { DisclosurePermissionEntity } from 'src/records/entities/disclosure-permission.entity.js';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';

/** How record lists are ordered: by last change, or (for callers who must not learn of later changes, C3) by creation. */
export type RecordOrder = 'updated' | 'created';

/** Sort key of record lists, cut to the millisecond a cursor can carry. */
const SORT_KEY: Readonly<Record<RecordOrder, string>> = {
  updated: "date_trunc('milliseconds', r.updated_at)",
  created: "date_trunc('milliseconds', r.created_at)",
};
const SORT_COLUMN: Readonly<Record<RecordOrder, string>> = { updated: 'record.updated_at', created: 'record.created_at' };

/** The record's columns that hold each kind of permission: its reference, and the permission's id. */
const PERMISSION_COLUMNS = {
  [DisclosurePermissionKind.COURT_ORDER]: ['courtOrderReference', 'courtOrderPermissionId'],
  [DisclosurePermissionKind.CONSENT]: ['consentReference', 'consentPermissionId'],
  [DisclosurePermissionKind.THIRD_PARTY_PERMISSION]: ['thirdPartyPermissionReference', 'thirdPartyPermissionId'],
} as const;

/** The policy's row filter, written against alias `r`. */
export interface RecordFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

export type VersionSummaryRow = Omit<SharedRecordVersionEntity, 'content' | 'record' | 'authorAgency'>;
export type NewVersion = Omit<SharedRecordVersionEntity, 'recordId' | 'version' | 'createdAt' | 'record' | 'authorAgency'>;

@Injectable()
export class RecordRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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
   * One page of records per child, most recently updated first, in one statement for many children
   * (a window per child), fetching `limit` rows each.
   */
  pagesFor(
    childIds: readonly string[],
    kinds: readonly RecordKind[] | undefined,
    limit: number,
    after: { sortKey: string; id: string } | undefined,
    filter: RecordFilter,
    order: RecordOrder = 'updated',
  ): Promise<SharedRecordEntity[]> {
    const inner = this.dataSource
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .addSelect(`row_number() OVER (PARTITION BY r.child_id ORDER BY ${SORT_KEY[order]} DESC, r.id DESC)`, 'rank')
      .where('r.child_id IN (:...childIds)', { childIds })
      .andWhere(filter.sql, filter.params);
    if (kinds && kinds.length > 0) inner.andWhere('r.kind IN (:...kinds)', { kinds });
    if (after) {
      inner.andWhere(`(${SORT_KEY[order]}, r.id) < (:sortKey::timestamptz, :afterId::uuid)`, {
        sortKey: after.sortKey,
        afterId: after.id,
      });
    }
    return this.dataSource
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('record')
      .innerJoin(`(${inner.getQuery()})`, 'ranked', 'ranked.id = record.id')
      .setParameters(inner.getParameters())
      .where('ranked.rank <= :limit', { limit })
      .orderBy(SORT_COLUMN[order], 'DESC')
      .addOrderBy('record.id', 'DESC')
      .getMany();
  }

  /** Versions by (record, version) pairs, in one statement. */
  versions(keys: readonly { recordId: string; version: number }[]): Promise<SharedRecordVersionEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(SharedRecordVersionEntity)
      .createQueryBuilder('v')
      .where('(v.record_id, v.version) IN (SELECT * FROM unnest(:recordIds::uuid[], :versions::int[]))', {
        recordIds: keys.map((key) => key.recordId),
        versions: keys.map((key) => key.version),
      })
      .getMany();
  }

  /** Every version of these records, without content, oldest first. */
  versionSummaries(recordIds: readonly string[]): Promise<VersionSummaryRow[]> {
    return this.dataSource
      .getRepository(SharedRecordVersionEntity)
      .createQueryBuilder('v')
      .select([
        'v.recordId',
        'v.version',
        'v.authorSubject',
        'v.authorName',
        'v.authorAgencyId',
        'v.authorCaseSystem',
        'v.status',
        'v.createdAt',
      ])
      .where('v.record_id IN (:...recordIds)', { recordIds })
      .orderBy('v.version', 'ASC')
      .getMany();
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
       ORDER BY r.child_id, r.updated_at DESC`,
      [childIds],
    );
  }
}
