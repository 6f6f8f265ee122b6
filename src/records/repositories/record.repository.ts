import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordAcknowledgementEntity } from 'src/records/entities/record-acknowledgement.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SharedRecordVersionEntity } from 'src/records/entities/shared-record-version.entity.js';

/** Sort key of record lists, cut to the millisecond a cursor can carry. */
const SORT_KEY = "date_trunc('milliseconds', r.updated_at)";

/** The policy's row filter, written against alias `r`. */
export interface RecordFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

export type VersionSummaryRow = Omit<SharedRecordVersionEntity, 'content' | 'record' | 'authorAgency'>;

@Injectable()
export class RecordRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The record, if the policy's filter (written against alias `r`) lets the caller see it. */
  findVisible(recordId: string, filter: RecordFilter): Promise<SharedRecordEntity | null> {
    return this.dataSource
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('r')
      .where('r.id = :recordId', { recordId })
      .andWhere(filter.sql, filter.params)
      .getOne();
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
  ): Promise<SharedRecordEntity[]> {
    const inner = this.dataSource
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .addSelect(`row_number() OVER (PARTITION BY r.child_id ORDER BY ${SORT_KEY} DESC, r.id DESC)`, 'rank')
      .where('r.child_id IN (:...childIds)', { childIds })
      .andWhere(filter.sql, filter.params);
    if (kinds && kinds.length > 0) inner.andWhere('r.kind IN (:...kinds)', { kinds });
    if (after) {
      inner.andWhere(`(${SORT_KEY}, r.id) < (:sortKey::timestamptz, :afterId::uuid)`, {
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
      .orderBy('record.updated_at', 'DESC')
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
        'v.createdAt',
      ])
      .where('v.record_id IN (:...recordIds)', { recordIds })
      .orderBy('v.version', 'ASC')
      .getMany();
  }

  async insert(
    manager: EntityManager,
    record: Pick<SharedRecordEntity, 'childId' | 'kind' | 'owningAgencyId'>,
    version: Omit<SharedRecordVersionEntity, 'recordId' | 'version' | 'createdAt' | 'record' | 'authorAgency'>,
  ): Promise<SharedRecordEntity> {
    const records = manager.getRepository(SharedRecordEntity);
    const saved = await records.save(records.create({ ...record, currentVersion: 1 }));
    const versions = manager.getRepository(SharedRecordVersionEntity);
    await versions.save(versions.create({ ...version, recordId: saved.id, version: 1 }));
    return saved;
  }

  /**
   * Adds version `expectedVersion + 1` if the record is still at `expectedVersion`; false when
   * someone else got there first.
   */
  async addVersion(
    manager: EntityManager,
    recordId: string,
    expectedVersion: number,
    version: Omit<SharedRecordVersionEntity, 'recordId' | 'version' | 'createdAt' | 'record' | 'authorAgency'>,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(SharedRecordEntity)
      .createQueryBuilder()
      .update()
      .set({ currentVersion: () => 'current_version + 1' })
      .where('id = :recordId AND current_version = :expectedVersion', { recordId, expectedVersion })
      .execute();
    if (result.affected !== 1) return false;
    const versions = manager.getRepository(SharedRecordVersionEntity);
    await versions.save(versions.create({ ...version, recordId, version: expectedVersion + 1 }));
    return true;
  }

  findById(recordId: string): Promise<SharedRecordEntity | null> {
    return this.dataSource.getRepository(SharedRecordEntity).findOneBy({ id: recordId });
  }

  /** Sets one permission reference on a record. */
  async setPermission(
    manager: EntityManager,
    recordId: string,
    column: 'courtOrderReference' | 'consentReference' | 'thirdPartyPermissionReference',
    reference: string,
  ): Promise<void> {
    await manager.getRepository(SharedRecordEntity).update({ id: recordId }, { [column]: reference });
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

  /** Each child's most recently updated AssetPlus at its current version, in one statement. */
  latestAssetPlus(
    childIds: readonly string[],
  ): Promise<{ id: string; version: number; child_id: string; owning_agency_id: string; content: Record<string, unknown> }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (r.child_id) r.id, v.version, r.child_id, r.owning_agency_id, v.content
       FROM shared_record r JOIN shared_record_version v ON v.record_id = r.id AND v.version = r.current_version
       WHERE r.child_id = ANY($1::uuid[]) AND r.kind = 'ASSET_PLUS'
       ORDER BY r.child_id, r.updated_at DESC`,
      [childIds],
    );
  }
}
