import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { AgencyInvolvementEntity } from 'src/children/entities/agency-involvement.entity.js';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { WorkerAllocationEntity } from 'src/children/entities/worker-allocation.entity.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import type { AllocationRole } from 'src/vocabulary/children.enums.js';

/** An open allocation, with the practitioner's name, as the lead rules name the lead worker. */
export interface OpenAllocation {
  readonly childId: string;
  readonly agencyId: string;
  readonly role: AllocationRole;
  readonly practitionerName: string;
  readonly subject: string;
  readonly team: string | null;
  /** YYYY-MM-DD. */
  readonly startDate: string;
}

/** Everything the responsibility rules read about some children, in one statement per kind. */
export interface ResponsibilityRows {
  readonly children: readonly ChildEntity[];
  readonly episodes: readonly LegalStatusEpisodeEntity[];
  readonly involvements: readonly AgencyInvolvementEntity[];
  readonly allocations: readonly OpenAllocation[];
}

@Injectable()
export class ResponsibilityInputsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Locks the child's row for the rest of the change. */
  async lockChild(manager: EntityManager, childId: string): Promise<void> {
    await manager.query('SELECT 1 FROM child WHERE id = $1 FOR UPDATE', [childId]);
  }

  /** Through `manager` inside a change (so the rules see it), through the pool otherwise. */
  async load(childIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<ResponsibilityRows> {
    if (childIds.length === 0) return { children: [], episodes: [], involvements: [], allocations: [] };
    const ids = [...childIds];
    const [children, episodes, involvements, allocations] = await Promise.all([
      manager.getRepository(ChildEntity).createQueryBuilder('c').where('c.id IN (:...ids)', { ids }).getMany(),
      manager
        .getRepository(LegalStatusEpisodeEntity)
        .createQueryBuilder('ls')
        .where('ls.child_id IN (:...ids)', { ids })
        .orderBy('ls.start_date', 'ASC')
        .addOrderBy('ls.recorded_at', 'ASC')
        .getMany(),
      manager
        .getRepository(AgencyInvolvementEntity)
        .createQueryBuilder('ai')
        .where('ai.child_id IN (:...ids)', { ids })
        .getMany(),
      manager
        .getRepository(WorkerAllocationEntity)
        .createQueryBuilder('wa')
        .innerJoin(PractitionerEntity, 'p', 'p.id = wa.practitioner_id')
        .select([
          'wa.child_id AS "childId"',
          'wa.agency_id AS "agencyId"',
          'wa.role AS "role"',
          'p.display_name AS "practitionerName"',
          'p.subject AS "subject"',
          'p.team AS "team"',
          `to_char(wa.start_date, 'YYYY-MM-DD') AS "startDate"`,
        ])
        .where('wa.child_id IN (:...ids) AND wa.end_date IS NULL', { ids })
        .orderBy('wa.start_date', 'DESC')
        .getRawMany<OpenAllocation>(),
    ]);
    return { children, episodes, involvements, allocations };
  }
}
