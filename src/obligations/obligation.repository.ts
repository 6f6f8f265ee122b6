import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { ObligationTransitionEntity } from 'src/obligations/entities/obligation-transition.entity.js';
import { LIVE_STATES, type ObligationState } from 'src/obligations/obligation-state.js';

export type NewObligation = Omit<ObligationEntity, 'id' | 'createdAt' | 'version'>;

/** Filters of the worklists; each list is one indexed query. */
export interface ObligationFilter {
  readonly childId?: string;
  readonly ownerAgencyId?: string;
  readonly ownerSubject?: string;
  readonly ownerTeam?: string;
  readonly states?: readonly ObligationState[];
}

@Injectable()
export class ObligationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Committed events the duties engine has not read, oldest first. */
  /** Unread events in commit order, after `afterId` when given. */
  unchecked(limit: number, afterId: string | null = null): Promise<DomainEventEntity[]> {
    return this.dataSource.getRepository(DomainEventEntity).find({
      where: { dutiesCheckedAt: IsNull(), ...(afterId === null ? {} : { id: MoreThan(afterId) }) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  /** Claims one event for this transaction: false when another instance has it or it was read meanwhile. */
  async claim(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM domain_event WHERE id = $1 AND duties_checked_at IS NULL FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows.length > 0;
  }

  async markChecked(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.getRepository(DomainEventEntity).update({ id }, { dutiesCheckedAt: at });
  }

  /** The child's duties whose clock still runs, locked for the change. */
  liveForChild(manager: EntityManager, childId: string): Promise<ObligationEntity[]> {
    return manager
      .getRepository(ObligationEntity)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.child_id = :childId AND o.state IN (:...states)', { childId, states: LIVE_STATES })
      .orderBy('o.created_at', 'ASC')
      .getMany();
  }

  /** Inserts a duty unless this trigger already opened it (a replayed event); null then. */
  async open(manager: EntityManager, row: NewObligation): Promise<ObligationEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ObligationEntity)
      .values(row)
      .orIgnore()
      .returning('*')
      .execute();
    const raw = (result.raw as { id?: string }[])[0];
    if (!raw?.id) return null;
    return manager.getRepository(ObligationEntity).findOneByOrFail({ id: raw.id });
  }

  async save(manager: EntityManager, row: ObligationEntity): Promise<ObligationEntity> {
    return manager.getRepository(ObligationEntity).save(row);
  }

  async transition(manager: EntityManager, row: Omit<ObligationTransitionEntity, 'id'>): Promise<void> {
    await manager.getRepository(ObligationTransitionEntity).insert(row);
  }

  /**
   * The child's events of these types committed before the event at `position`: evidence that came
   * before its duty was opened (whether it counts, by its date, the matching decides). Later events
   * reach the duty when they are read themselves.
   */
  earlierEvidence(
    manager: EntityManager,
    childId: string,
    types: readonly string[],
    position: string,
  ): Promise<DomainEventEntity[]> {
    if (types.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(DomainEventEntity)
      .createQueryBuilder('e')
      .where('e.child_id = :childId AND e.type IN (:...types) AND e.id < :position', { childId, types, position })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  /** Whether an earlier event of the child is still unread (held by another instance, or waiting). */
  async hasUnreadBefore(manager: EntityManager, childId: string, id: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM domain_event WHERE child_id = $1 AND id < $2 AND duties_checked_at IS NULL LIMIT 1`,
      [childId, id],
    );
    return rows.length > 0;
  }

  /**
   * The duties whose state machine must look again by `now` (due soon, due, the next escalation),
   * through the partial index on next_check_at; locked, skipping those another instance holds.
   */
  due(manager: EntityManager, now: Date, limit: number, ownerAgencyId: string): Promise<ObligationEntity[]> {
    return manager
      .getRepository(ObligationEntity)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`o.state IN (:...states) AND o.next_check_at IS NOT NULL AND o.next_check_at <= :now`, {
        states: LIVE_STATES,
        now,
      })
      .andWhere('o.owner_agency_id = :ownerAgencyId', { ownerAgencyId })
      .orderBy('o.next_check_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The agencies owning duties whose next check has come (each is swept acting for its own agency). */
  async dueOwners(now: Date): Promise<string[]> {
    const rows = await this.dataSource.query<{ owner: string }[]>(
      `SELECT DISTINCT owner_agency_id AS owner FROM obligation
        WHERE state IN ('OPEN', 'DUE_SOON', 'OVERDUE', 'ESCALATED') AND next_check_at IS NOT NULL AND next_check_at <= $1`,
      [now],
    );
    return rows.map((row) => row.owner);
  }

  findById(id: string): Promise<ObligationEntity | null> {
    return this.dataSource.getRepository(ObligationEntity).findOneBy({ id });
  }

  /** A page of duties, soonest due first. */
  list(filter: ObligationFilter, limit: number, after: { dueAt: Date; id: string } | undefined): Promise<ObligationEntity[]> {
    const query = this.dataSource.getRepository(ObligationEntity).createQueryBuilder('o');
    if (filter.childId) query.andWhere('o.child_id = :childId', { childId: filter.childId });
    if (filter.ownerAgencyId) query.andWhere('o.owner_agency_id = :agency', { agency: filter.ownerAgencyId });
    if (filter.ownerSubject) query.andWhere('o.owner_subject = :subject', { subject: filter.ownerSubject });
    if (filter.ownerTeam) query.andWhere('o.owner_team = :team', { team: filter.ownerTeam });
    if (filter.states?.length) query.andWhere('o.state IN (:...states)', { states: filter.states });
    if (after) query.andWhere('(o.due_at, o.id) > (:dueAt, :id)', after);
    return query.orderBy('o.due_at', 'ASC').addOrderBy('o.id', 'ASC').limit(limit).getMany();
  }

  history(obligationIds: readonly string[]): Promise<ObligationTransitionEntity[]> {
    if (obligationIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(ObligationTransitionEntity)
      .find({ where: { obligationId: In([...obligationIds]) }, order: { at: 'ASC' } });
  }
}
