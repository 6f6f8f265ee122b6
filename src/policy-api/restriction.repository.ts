import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildRestrictionEntity } from 'src/policy-api/child-restriction.entity.js';

@Injectable()
export class RestrictionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  insert(
    manager: EntityManager,
    row: Omit<ChildRestrictionEntity, 'id' | 'createdAt' | 'endedAt' | 'child'>,
  ): Promise<ChildRestrictionEntity> {
    const repository = manager.getRepository(ChildRestrictionEntity);
    return repository.save(repository.create({ ...row, endedAt: null }));
  }

  findById(id: string): Promise<ChildRestrictionEntity | null> {
    return this.dataSource.getRepository(ChildRestrictionEntity).findOneBy({ id });
  }

  /** Ends an open restriction; false when it had already ended. */
  async end(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    const result = await manager
      .getRepository(ChildRestrictionEntity)
      .createQueryBuilder()
      .update()
      .set({ endedAt: at })
      .where('id = :id AND ended_at IS NULL', { id })
      .execute();
    return result.affected === 1;
  }
}
