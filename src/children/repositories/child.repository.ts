import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';

/** A SQL condition: the agency has an open involvement with the child aliased `alias`. */
function involvedSql(alias: string): string {
  return `EXISTS (SELECT 1 FROM agency_involvement ai WHERE ai.child_id = ${alias}.id AND ai.agency_id = :agencyId AND ai.end_date IS NULL)`;
}

@Injectable()
export class ChildRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The child, if the agency is involved with it; otherwise undefined (as if it did not exist). */
  findInvolved(childId: string, agencyId: string): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where('c.id = :childId', { childId })
      .andWhere(involvedSql('c'), { agencyId })
      .getOne();
  }

  findInvolvedByReference(caseSystemId: string, value: string, agencyId: string): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .innerJoin(ChildIdentifierEntity, 'ci', 'ci.child_id = c.id')
      .where('ci.case_system_id = :caseSystemId AND ci.value = :value', { caseSystemId, value })
      .andWhere(involvedSql('c'), { agencyId })
      .getOne();
  }

  /** Children the agency is involved with, by family name then id, after a keyset cursor. */
  pageInvolved(agencyId: string, limit: number, after: { sortKey: string; id: string } | undefined): Promise<ChildEntity[]> {
    const query = this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where(involvedSql('c'), { agencyId })
      .orderBy('c.family_name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere('(c.family_name, c.id) > (:sortKey, :id)', after);
    return query.getMany();
  }

  /** Which of these children the agency is involved with. */
  async involvedIds(childIds: readonly string[], agencyId: string): Promise<Set<string>> {
    if (childIds.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(AgencyInvolvementEntity)
      .createQueryBuilder('ai')
      .select('DISTINCT ai.child_id', 'childId')
      .where('ai.child_id IN (:...childIds) AND ai.agency_id = :agencyId AND ai.end_date IS NULL', { childIds, agencyId })
      .getRawMany<{ childId: string }>();
    return new Set(rows.map((row) => row.childId));
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
    childId: string,
    expectedVersion: number,
    patch: Partial<Pick<ChildEntity, 'givenName' | 'familyName' | 'dateOfBirth'>>,
  ): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ChildEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :childId AND version = :expectedVersion', { childId, expectedVersion })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  findById(childId: string): Promise<ChildEntity | null> {
    return this.dataSource.getRepository(ChildEntity).findOneBy({ id: childId });
  }
}
