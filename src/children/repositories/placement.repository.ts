import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PlacementStatus } from 'src/vocabulary/children.enums.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';

/** What a correction of a planned move may change. */
export type PlannedDetails = Partial<
  Pick<
    PlacementEntity,
    'plannedDate' | 'placementType' | 'placementName' | 'address' | 'postcode' | 'areaLocalAuthorityId' | 'reason'
  >
>;

@Injectable()
export class PlacementRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  currentFor(childIds: readonly string[]): Promise<PlacementEntity[]> {
    return this.dataSource
      .getRepository(PlacementEntity)
      .createQueryBuilder('p')
      .where('p.child_id IN (:...childIds) AND p.status = :status', { childIds, status: PlacementStatus.CURRENT })
      .getMany();
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
