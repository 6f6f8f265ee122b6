import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';

/** The policy's row filter, written against `c.id`. */
export interface ChildFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

@Injectable()
export class ChildRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The child, if the filter lets the caller see it; otherwise null (as if it did not exist). */
  findVisible(childId: string, filter: ChildFilter): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where('c.id = :childId', { childId })
      .andWhere(filter.sql, filter.params)
      .getOne();
  }

  findByReference(caseSystemId: string, value: string): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .innerJoin(ChildIdentifierEntity, 'ci', 'ci.child_id = c.id')
      .where('ci.case_system_id = :caseSystemId AND ci.value = :value', { caseSystemId, value })
      .getOne();
  }

  /** Children with this name and date of birth (letter case aside), at most ten. */
  findByIdentity(givenName: string, familyName: string, dateOfBirth: string): Promise<ChildEntity[]> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where(
        'c.date_of_birth = :dateOfBirth AND lower(c.given_name) = lower(:givenName) AND lower(c.family_name) = lower(:familyName)',
        {
          dateOfBirth,
          givenName,
          familyName,
        },
      )
      .orderBy('c.id')
      .limit(10)
      .getMany();
  }

  /** Children the filter lets the caller see, by family name then id, after a keyset cursor. */
  pageVisible(filter: ChildFilter, limit: number, after: { sortKey: string; id: string } | undefined): Promise<ChildEntity[]> {
    const query = this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where(filter.sql, filter.params)
      .orderBy('c.family_name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere('(c.family_name, c.id) > (:sortKey, :id)', after);
    return query.getMany();
  }

  identifiersFor(childIds: readonly string[]): Promise<ChildIdentifierEntity[]> {
    return this.dataSource
      .getRepository(ChildIdentifierEntity)
      .createQueryBuilder('ci')
      .where('ci.child_id IN (:...childIds)', { childIds })
      .orderBy('ci.created_at', 'ASC')
      .getMany();
  }

  referenceTaken(manager: EntityManager, caseSystemId: string, value: string): Promise<boolean> {
    return manager.getRepository(ChildIdentifierEntity).exists({ where: { caseSystemId, value } });
  }

  async insert(
    manager: EntityManager,
    child: Pick<ChildEntity, 'givenName' | 'familyName' | 'dateOfBirth'>,
    reference: { caseSystemId: string; value: string },
  ): Promise<ChildEntity> {
    const saved = await manager.getRepository(ChildEntity).save(manager.getRepository(ChildEntity).create(child));
    await manager.getRepository(ChildIdentifierEntity).insert({ childId: saved.id, ...reference });
    return saved;
  }

  /** Applies the change only if the version is still `expectedVersion`; returns whether it did. */
  async updateDetails(
    manager: EntityManager,
    childId: string,
    expectedVersion: number,
    patch: Partial<Pick<ChildEntity, 'givenName' | 'familyName' | 'dateOfBirth'>>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ChildEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :childId AND version = :expectedVersion', { childId, expectedVersion })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  findByIds(childIds: readonly string[]): Promise<ChildEntity[]> {
    if (childIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where('c.id IN (:...childIds)', { childIds })
      .getMany();
  }

  findById(childId: string): Promise<ChildEntity | null> {
    return this.dataSource.getRepository(ChildEntity).findOneBy({ id: childId });
  }
}
