import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';

@Injectable()
export class InvolvementRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  forChildren(childIds: readonly string[]): Promise<AgencyInvolvementEntity[]> {
    return this.dataSource
      .getRepository(AgencyInvolvementEntity)
      .createQueryBuilder('ai')
      .where('ai.child_id IN (:...childIds)', { childIds })
      .orderBy('ai.end_date', 'DESC', 'NULLS FIRST')
      .addOrderBy('ai.start_date', 'DESC')
      .getMany();
  }

  findOpen(
    manager: EntityManager,
    childId: string,
    agencyId: string,
    role: InvolvementRole,
  ): Promise<AgencyInvolvementEntity | null> {
    return manager.getRepository(AgencyInvolvementEntity).findOneBy({ childId, agencyId, role, endDate: IsNull() });
  }

  insert(manager: EntityManager, involvement: Pick<AgencyInvolvementEntity, 'childId' | 'agencyId' | 'role' | 'startDate'>) {
    const repository = manager.getRepository(AgencyInvolvementEntity);
    return repository.save(repository.create({ ...involvement, endDate: null }));
  }

  /** The roles the agency is involved with the child in now, in `manager`'s transaction. */
  async openRoles(manager: EntityManager, childId: string, agencyId: string): Promise<InvolvementRole[]> {
    const rows = await manager.getRepository(AgencyInvolvementEntity).findBy({ childId, agencyId, endDate: IsNull() });
    return rows.map((row) => row.role);
  }

  /** Whether an agency other than this one is the child's home YOS now. */
  async homeYosOtherThan(manager: EntityManager, childId: string, agencyId: string): Promise<boolean> {
    return manager
      .getRepository(AgencyInvolvementEntity)
      .createQueryBuilder('ai')
      .where('ai.child_id = :childId AND ai.agency_id <> :agencyId AND ai.role = :role AND ai.end_date IS NULL', {
        childId,
        agencyId,
        role: InvolvementRole.YOS_HOME,
      })
      .getExists();
  }

  /** Whether the agency is involved with the child in that role now. */
  async isOpen(childId: string, agencyId: string, role: InvolvementRole): Promise<boolean> {
    return (await this.findOpen(this.dataSource.manager, childId, agencyId, role)) !== null;
  }

  /**
   * Whether the agency is involved with the child in that role now, in `manager`'s transaction,
   * holding that involvement (FOR SHARE) so that it cannot end before the transaction does.
   */
  async holdOpen(manager: EntityManager, childId: string, agencyId: string, role: InvolvementRole): Promise<boolean> {
    const row = await manager
      .getRepository(AgencyInvolvementEntity)
      .createQueryBuilder('ai')
      .setLock('pessimistic_read')
      .where('ai.child_id = :childId AND ai.agency_id = :agencyId AND ai.role = :role AND ai.end_date IS NULL', {
        childId,
        agencyId,
        role,
      })
      .getOne();
    return row !== null;
  }

  findById(id: string): Promise<AgencyInvolvementEntity | null> {
    return this.dataSource.getRepository(AgencyInvolvementEntity).findOneBy({ id });
  }

  /** Ends an open involvement; false when it had already ended. */
  async end(manager: EntityManager, id: string, endDate: string): Promise<boolean> {
    const result = await manager.getRepository(AgencyInvolvementEntity).update({ id, endDate: IsNull() }, { endDate });
    return result.affected === 1;
  }
}
