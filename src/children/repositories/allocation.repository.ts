import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';

@Injectable()
export class AllocationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Allocations with their practitioner, one query for many children. */
  forChildren(childIds: readonly string[]): Promise<(WorkerAllocationEntity & { practitioner: PractitionerEntity })[]> {
    return this.dataSource
      .getRepository(WorkerAllocationEntity)
      .createQueryBuilder('wa')
      .innerJoinAndSelect('wa.practitioner', 'p')
      .where('wa.child_id IN (:...childIds)', { childIds })
      .orderBy('wa.end_date', 'DESC', 'NULLS FIRST')
      .addOrderBy('wa.start_date', 'DESC')
      .getMany() as Promise<(WorkerAllocationEntity & { practitioner: PractitionerEntity })[]>;
  }

  /** The practitioner with this token subject, created or renamed as given. */
  async upsertPractitioner(
    manager: EntityManager,
    practitioner: Pick<PractitionerEntity, 'subject' | 'displayName' | 'agencyId' | 'team'>,
  ): Promise<PractitionerEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(PractitionerEntity)
      .values(practitioner)
      // An allocation that names no team keeps the team the practitioner has (their manager's access hangs on it).
      .orUpdate(practitioner.team === null ? ['display_name'] : ['display_name', 'team'], ['subject'])
      .execute();
    return manager.getRepository(PractitionerEntity).findOneByOrFail({ subject: practitioner.subject });
  }

  practitionerOf(manager: EntityManager, id: string): Promise<PractitionerEntity | null> {
    return manager.getRepository(PractitionerEntity).findOneBy({ id });
  }

  findPractitionerBySubject(manager: EntityManager, subject: string): Promise<PractitionerEntity | null> {
    return manager.getRepository(PractitionerEntity).findOneBy({ subject });
  }

  insert(
    manager: EntityManager,
    allocation: Pick<WorkerAllocationEntity, 'childId' | 'practitionerId' | 'agencyId' | 'role' | 'startDate'>,
  ): Promise<WorkerAllocationEntity> {
    const repository = manager.getRepository(WorkerAllocationEntity);
    return repository.save(repository.create({ ...allocation, endDate: null }));
  }

  findById(id: string): Promise<(WorkerAllocationEntity & { practitioner: PractitionerEntity }) | null> {
    return this.dataSource.getRepository(WorkerAllocationEntity).findOne({
      where: { id },
      relations: { practitioner: true },
    }) as Promise<(WorkerAllocationEntity & { practitioner: PractitionerEntity }) | null>;
  }

  /** Ends an open allocation; false when it had already ended. */
  async end(manager: EntityManager, id: string, endDate: string): Promise<boolean> {
    const result = await manager.getRepository(WorkerAllocationEntity).update({ id, endDate: IsNull() }, { endDate });
    return result.affected === 1;
  }
}
