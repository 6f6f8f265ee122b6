import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';

/** An outbox row as the change feed reads it. */
export type FeedEvent = Pick<
  DomainEventEntity,
  'id' | 'eventId' | 'type' | 'childId' | 'subjectKind' | 'subjectId' | 'subjectVersion' | 'facts' | 'occurredAt'
>;

/** How long the feed waits for writers that hold the outbox before answering with nothing new. */
const HORIZON_LOCK_TIMEOUT = '500ms';
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The change feed's view of the outbox (`domain_event`), written in the same transaction as each
 * change. Positions are the outbox ids; the feed reads only up to a horizon no uncommitted row can
 * fall under (see `horizon`), so a reader never passes a position a later commit fills in.
 */
@Injectable()
export class ChangeFeedRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The highest position every writer is done with, or null when writers held the outbox too long
   * to wait for. An id is taken from the sequence at insert, but the row commits later, so a
   * writer with a lower id can commit after one with a higher id: reading "id > cursor" as is
   * would step past it for good. Each writer holds ROW EXCLUSIVE on the table from before it takes
   * its id until it commits or rolls back; SHARE conflicts with it, so once SHARE is granted every
   * id already taken is committed or gone, and any id taken later is higher than every id seen.
   * The lock is held for one index look-up; it waits at most HORIZON_LOCK_TIMEOUT for writers.
   */
  async horizon(): Promise<string | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '${HORIZON_LOCK_TIMEOUT}'`);
        await manager.query('LOCK TABLE domain_event IN SHARE MODE');
        const rows: { horizon: string | null }[] = await manager.query('SELECT max(id)::text AS horizon FROM domain_event');
        return rows[0]?.horizon ?? '0';
      });
    } catch (error) {
      if (isLockTimeout(error)) return null;
      throw error;
    }
  }

  /** Events after `after` up to and including `horizon`, in position order, but those of the excluded types. */
  async between(after: string, horizon: string, excluded: readonly string[], limit: number): Promise<FeedEvent[]> {
    return this.dataSource
      .getRepository(DomainEventEntity)
      .createQueryBuilder('e')
      .select(['e.id', 'e.eventId', 'e.type', 'e.childId', 'e.subjectKind', 'e.subjectId', 'e.subjectVersion', 'e.facts'])
      .addSelect('e.occurredAt')
      .where('e.id > :after AND e.id <= :horizon AND e.type <> ALL(CAST(:excluded AS text[]))', {
        after,
        horizon,
        excluded: [...excluded],
      })
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }
}

function isLockTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? error.code : undefined;
  const driverError = 'driverError' in error ? error.driverError : undefined;
  const driverCode =
    typeof driverError === 'object' && driverError !== null && 'code' in driverError ? driverError.code : undefined;
  return code === LOCK_NOT_AVAILABLE || driverCode === LOCK_NOT_AVAILABLE;
}
