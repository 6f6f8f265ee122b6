import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PlacementStatus, type PlacementType } from 'src/vocabulary/children.enums.js';
import { Sql, statement } from 'src/common/database/sql.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';

/** What a correction of a planned move may change. */
export type PlannedDetails = Partial<
  Pick<
    PlacementEntity,
    'plannedDate' | 'placementType' | 'placementName' | 'address' | 'postcode' | 'areaLocalAuthorityId' | 'reason'
  >
>;

/** A placement row as the current-placement statement gives it: dates as 'YYYY-MM-DD', as TypeORM gives them. */
interface PlacementRow {
  readonly id: string;
  readonly child_id: string;
  readonly status: PlacementStatus;
  readonly placement_type: PlacementType;
  readonly placement_name: string | null;
  readonly address: string;
  readonly postcode: string | null;
  readonly area_local_authority_id: string;
  readonly reason: string;
  readonly planned_date: string | null;
  readonly effective_date: string | null;
  readonly end_date: string | null;
  readonly cancellation_reason: string | null;
  readonly recorded_by: string;
  readonly recorded_by_agency_id: string;
  readonly created_at: Date;
  readonly version: number;
}

/** Children's current placements: read with most reads of a child, so prepared once per connection. */
const CURRENT = statement(
  'tandem_current_placements',
  `SELECT id, child_id, status, placement_type, placement_name, address, postcode, area_local_authority_id, reason,
     to_char(planned_date, 'YYYY-MM-DD') AS planned_date, to_char(effective_date, 'YYYY-MM-DD') AS effective_date,
     to_char(end_date, 'YYYY-MM-DD') AS end_date, cancellation_reason, recorded_by, recorded_by_agency_id, created_at, version
   FROM placement WHERE child_id = ANY($1::uuid[]) AND status = '${PlacementStatus.CURRENT}'`,
);

function placementOf(row: PlacementRow): PlacementEntity {
  return Object.assign(new PlacementEntity(), {
    id: row.id,
    childId: row.child_id,
    status: row.status,
    placementType: row.placement_type,
    placementName: row.placement_name,
    address: row.address,
    postcode: row.postcode,
    areaLocalAuthorityId: row.area_local_authority_id,
    reason: row.reason,
    plannedDate: row.planned_date,
    effectiveDate: row.effective_date,
    endDate: row.end_date,
    cancellationReason: row.cancellation_reason,
    recordedBy: row.recorded_by,
    recordedByAgencyId: row.recorded_by_agency_id,
    createdAt: row.created_at,
    version: row.version,
  });
}

@Injectable()
export class PlacementRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sql) private readonly sql: Sql,
  ) {}

  async currentFor(childIds: readonly string[]): Promise<PlacementEntity[]> {
    return (await this.sql.rows<PlacementRow>(CURRENT, [childIds])).map(placementOf);
  }

  /**
   * One page of placements per child, newest recorded first, in one statement for many children
   * (a window per child), fetching `limit` rows each.
   */
  async pagesFor(
    childIds: readonly string[],
    limit: number,
    after: { sortKey: string; id: string } | undefined,
  ): Promise<PlacementEntity[]> {
    const inner = this.dataSource
      .getRepository(PlacementEntity)
      .createQueryBuilder('p')
      .select('p.id', 'id')
      .addSelect('row_number() OVER (PARTITION BY p.child_id ORDER BY p.created_at DESC, p.id DESC)', 'rank')
      .where('p.child_id IN (:...childIds)', { childIds });
    if (after)
      inner.andWhere('(p.created_at, p.id) < (:sortKey::timestamptz, :afterId::uuid)', {
        sortKey: after.sortKey,
        afterId: after.id,
      });
    return this.dataSource
      .getRepository(PlacementEntity)
      .createQueryBuilder('placement')
      .innerJoin(`(${inner.getQuery()})`, 'ranked', 'ranked.id = placement.id')
      .setParameters(inner.getParameters())
      .where('ranked.rank <= :limit', { limit })
      .orderBy('placement.created_at', 'DESC')
      .addOrderBy('placement.id', 'DESC')
      .getMany();
  }

  /** The child a placement belongs to (which never changes), or null when there is no such placement. */
  async childOf(placementId: string): Promise<string | null> {
    const found = await this.dataSource
      .getRepository(PlacementEntity)
      .findOne({ select: { id: true, childId: true }, where: { id: placementId } });
    return found?.childId ?? null;
  }

  findForUpdate(manager: EntityManager, placementId: string): Promise<PlacementEntity | null> {
    return manager
      .getRepository(PlacementEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :placementId', { placementId })
      .getOne();
  }

  findCurrentForUpdate(manager: EntityManager, childId: string): Promise<PlacementEntity | null> {
    return manager
      .getRepository(PlacementEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.child_id = :childId AND p.status = :status', { childId, status: PlacementStatus.CURRENT })
      .getOne();
  }

  async end(manager: EntityManager, placementId: string, endDate: string): Promise<void> {
    await manager
      .getRepository(PlacementEntity)
      .update({ id: placementId }, { status: PlacementStatus.ENDED, endDate, version: () => 'version + 1' });
  }

  /** Makes a planned placement current, if its version is still `expectedVersion`. */
  async makeCurrent(
    manager: EntityManager,
    placementId: string,
    expectedVersion: number,
    effectiveDate: string,
  ): Promise<boolean> {
    return this.updatePlanned(manager, placementId, expectedVersion, { status: PlacementStatus.CURRENT, effectiveDate });
  }

  /** Calls off a planned placement, if its version is still `expectedVersion`. */
  async cancel(manager: EntityManager, placementId: string, expectedVersion: number, reason: string): Promise<boolean> {
    return this.updatePlanned(manager, placementId, expectedVersion, {
      status: PlacementStatus.CANCELLED,
      cancellationReason: reason,
    });
  }

  /** Corrects a planned placement's details, if its version is still `expectedVersion`. */
  async correct(manager: EntityManager, placementId: string, expectedVersion: number, patch: PlannedDetails): Promise<boolean> {
    return this.updatePlanned(manager, placementId, expectedVersion, patch);
  }

  private async updatePlanned(
    manager: EntityManager,
    placementId: string,
    expectedVersion: number,
    patch: PlannedDetails & Pick<Partial<PlacementEntity>, 'status' | 'cancellationReason' | 'effectiveDate'>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(PlacementEntity)
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :placementId AND version = :expectedVersion AND status = :planned', {
        placementId,
        expectedVersion,
        planned: PlacementStatus.PLANNED,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  insert(
    manager: EntityManager,
    placement: Omit<PlacementEntity, 'id' | 'createdAt' | 'version' | 'child' | 'areaLocalAuthority' | 'recordedByAgency'>,
  ): Promise<PlacementEntity> {
    const repository = manager.getRepository(PlacementEntity);
    return repository.save(repository.create(placement));
  }

  findById(manager: EntityManager, placementId: string): Promise<PlacementEntity | null> {
    return manager.getRepository(PlacementEntity).findOneBy({ id: placementId });
  }
}
