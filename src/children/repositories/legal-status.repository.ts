import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import type { LegalDimension } from 'src/vocabulary/children.enums.js';

/** What a new episode is written with. */
export type NewEpisode = Omit<LegalStatusEpisodeEntity, 'id' | 'child' | 'recordedByAgency' | 'recordedAt' | 'endDate'>;

@Injectable()
export class LegalStatusRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every episode of these children, newest first. */
  historyFor(childIds: readonly string[]): Promise<LegalStatusEpisodeEntity[]> {
    return this.dataSource
      .getRepository(LegalStatusEpisodeEntity)
      .createQueryBuilder('ls')
      .where('ls.child_id IN (:...childIds)', { childIds })
      .orderBy('ls.start_date', 'DESC')
      .addOrderBy('ls.recorded_at', 'DESC')
      .getMany();
  }

  /** The open episode of a dimension, locked (the caller has locked the child: see ResponsibilityInputsRepository). */
  findOpenForUpdate(
    manager: EntityManager,
    childId: string,
    dimension: LegalDimension,
  ): Promise<LegalStatusEpisodeEntity | null> {
    return manager
      .getRepository(LegalStatusEpisodeEntity)
      .createQueryBuilder('ls')
      .setLock('pessimistic_write')
      .where('ls.child_id = :childId AND ls.dimension = :dimension AND ls.end_date IS NULL', { childId, dimension })
      .getOne();
  }

  async close(manager: EntityManager, id: string, endDate: string): Promise<void> {
    await manager.getRepository(LegalStatusEpisodeEntity).update({ id, endDate: IsNull() }, { endDate });
  }

  insert(manager: EntityManager, episode: NewEpisode): Promise<LegalStatusEpisodeEntity> {
    const repository = manager.getRepository(LegalStatusEpisodeEntity);
    return repository.save(repository.create({ ...episode, endDate: null }));
  }
}
