import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { LegalDimension } from 'src/vocabulary/children.enums.js';
import type { JusticeEpisode } from 'src/visits/custody.js';
import { VisitEntity } from 'src/visits/entities/visit.entity.js';
import type { VisitKind } from 'src/visits/models/visit-kind.js';

export type NewVisit = Omit<VisitEntity, 'id' | 'child' | 'recordedByAgency'>;

/**
 * Where a page of a child's visits starts: after the visit with this id, in (visit date, recorded
 * at, id) order, latest first. The cursor holds only the id (never the visit's date, which its
 * class may withhold); the statement reads the visit's place in the order from the visit itself,
 * of the same child.
 */
export interface VisitPosition {
  readonly id: string;
}

@Injectable()
export class VisitRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Serialises the visits recorded for one child, so that two cannot both be its first in custody. */
  async lockChild(manager: EntityManager, childId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('visit:' || $1))`, [childId]);
  }

  /** The child's justice episodes (for whether, and since when, the child was in custody). */
  justiceEpisodes(manager: EntityManager, childId: string): Promise<JusticeEpisode[]> {
    return manager
      .getRepository(LegalStatusEpisodeEntity)
      .createQueryBuilder('ls')
      .select(['ls.basis', 'ls.startDate', 'ls.endDate'])
      .where('ls.child_id = :childId AND ls.dimension = :dimension', { childId, dimension: LegalDimension.JUSTICE })
      .orderBy('ls.start_date', 'ASC')
      .getMany();
  }

  /** Whether a visit of `kind` was made on a day from `from` to `to` (inclusive). */
  async anyBetween(manager: EntityManager, childId: string, kind: VisitKind, from: string, to: string): Promise<boolean> {
    const found = await manager
      .getRepository(VisitEntity)
      .createQueryBuilder('v')
      .select('v.id')
      .where('v.child_id = :childId AND v.kind = :kind AND v.visit_date BETWEEN :from AND :to', { childId, kind, from, to })
      .limit(1)
      .getOne();
    return found !== null;
  }

  /** The caller's open allocation roles to the child, for the role they visited in. */
  async openAllocationRoles(childId: string, caller: { readonly subject: string; readonly agencyId: string }): Promise<string[]> {
    const rows = await this.dataSource.query<{ role: string }[]>(
      `SELECT wa.role::text AS role FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
        WHERE wa.child_id = $1 AND p.subject = $2 AND p.agency_id = $3 AND wa.end_date IS NULL ORDER BY wa.start_date`,
      [childId, caller.subject, caller.agencyId],
    );
    return rows.map((row) => row.role);
  }

  insert(manager: EntityManager, visit: NewVisit): Promise<VisitEntity> {
    const repository = manager.getRepository(VisitEntity);
    return repository.save(repository.create(visit));
  }

  /** Up to `limit` visits of each child after `after`, latest visit first. */
  async pagesFor(childIds: readonly string[], limit: number, after: VisitPosition | undefined): Promise<VisitEntity[]> {
    const inner = this.dataSource
      .getRepository(VisitEntity)
      .createQueryBuilder('v')
      .select('v.id', 'id')
      .addSelect('row_number() OVER (PARTITION BY v.child_id ORDER BY v.visit_date DESC, v.recorded_at DESC, v.id DESC)', 'rank')
      .where('v.child_id IN (:...childIds)', { childIds });
    if (after) {
      // Another child's visit (or none) gives no position, so that page is empty.
      inner.andWhere(
        '(v.visit_date, v.recorded_at, v.id) < (SELECT a.visit_date, a.recorded_at, a.id FROM visit a WHERE a.id = :afterId::uuid AND a.child_id = v.child_id)',
        { afterId: after.id },
      );
    }
    return this.dataSource
      .getRepository(VisitEntity)
      .createQueryBuilder('visit')
      .innerJoin(`(${inner.getQuery()})`, 'ranked', 'ranked.id = visit.id')
      .setParameters(inner.getParameters())
      .where('ranked.rank <= :limit', { limit })
      .orderBy('visit.visit_date', 'DESC')
      .addOrderBy('visit.recorded_at', 'DESC')
      .addOrderBy('visit.id', 'DESC')
      .getMany();
  }
}
