import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ChildReferralEntity } from 'src/children/entities/child-referral.entity.js';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { ReferralStatus } from 'src/vocabulary/referral-status.js';

@Injectable()
export class ReferralRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  insert(
    manager: EntityManager,
    row: Pick<
      ChildReferralEntity,
      'childId' | 'fromAgencyId' | 'toAgencyId' | 'role' | 'clause' | 'referredBy' | 'referredByName'
    >,
  ): Promise<ChildReferralEntity> {
    const repository = manager.getRepository(ChildReferralEntity);
    return repository.save(
      repository.create({
        ...row,
        status: ReferralStatus.PENDING,
        decidedBy: null,
        decidedByName: null,
        decidedAt: null,
        involvementId: null,
        openedByEventId: null,
      }),
    );
  }

  /**
   * Opens a pending referral for a protocol notice, unless one for the same child, agency and role
   * is already pending (a second notice only notifies). Returns the pending referral's id and
   * whether this call opened it.
   */
  async openPending(
    manager: EntityManager,
    row: Pick<
      ChildReferralEntity,
      'id' | 'childId' | 'fromAgencyId' | 'toAgencyId' | 'role' | 'clause' | 'referredBy' | 'referredByName' | 'openedByEventId'
    >,
  ): Promise<{ id: string; opened: boolean }> {
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO child_referral
         (id, child_id, from_agency_id, to_agency_id, role, status, clause, referred_by, referred_by_name, opened_by_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (child_id, to_agency_id, role) WHERE status = 'PENDING' DO NOTHING
       RETURNING id`,
      [
        row.id,
        row.childId,
        row.fromAgencyId,
        row.toAgencyId,
        row.role,
        ReferralStatus.PENDING,
        row.clause,
        row.referredBy,
        row.referredByName,
        row.openedByEventId,
      ],
    );
    if (inserted[0]) return { id: inserted[0].id, opened: true };
    const pending = await this.pendingId(manager, row.childId, row.toAgencyId, row.role);
    if (!pending) throw new Error('A pending referral conflicted and then was not there');
    return { id: pending, opened: false };
  }

  /** The referral pending for a child, receiving agency and role (at most one), if any. */
  async pendingId(manager: EntityManager, childId: string, toAgencyId: string, role: InvolvementRole): Promise<string | null> {
    const [pending] = await manager.query<{ id: string }[]>(
      `SELECT id FROM child_referral WHERE child_id = $1 AND to_agency_id = $2 AND role = $3 AND status = 'PENDING'`,
      [childId, toAgencyId, role],
    );
    return pending?.id ?? null;
  }

  findById(id: string): Promise<ChildReferralEntity | null> {
    return this.dataSource.getRepository(ChildReferralEntity).findOneBy({ id });
  }

  /** Records the decision on a pending referral; false when it was no longer pending. */
  /**
   * Withdraws the pending referrals the events of a planned move opened (its caretaking request),
   * except those to an agency of `keepArea` (the area the move still goes to). The withdrawn ones.
   */
  async withdrawOpenedByPlacement(
    manager: EntityManager,
    placementId: string,
    keepArea: string | null,
  ): Promise<ChildReferralEntity[]> {
    const rows = await manager.query<{ id: string }[]>(
      // As a CTE, so the driver returns the rows of an UPDATE like those of a SELECT.
      `WITH withdrawn AS (UPDATE child_referral r SET status = 'WITHDRAWN', decided_at = now(), decided_by = 'tandem:protocol-notice',
              decided_by_name = 'Tandem (the planned move changed)'
        WHERE r.status = 'PENDING'
          AND r.opened_by_event_id IN (SELECT e.event_id FROM domain_event e WHERE e.subject_kind = 'PLACEMENT' AND e.subject_id = $1)
          AND ($2::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM agency a WHERE a.id = r.to_agency_id AND a.local_authority_id = $2::uuid))
        RETURNING r.id)
       SELECT id FROM withdrawn`,
      [placementId, keepArea],
    );
    if (rows.length === 0) return [];
    return manager.getRepository(ChildReferralEntity).findBy({ id: In(rows.map((row) => row.id)) });
  }

  async decide(
    manager: EntityManager,
    id: string,
    decision: Pick<ChildReferralEntity, 'status' | 'decidedBy' | 'decidedByName' | 'involvementId'>,
  ): Promise<boolean> {
    const result = await manager
      .getRepository(ChildReferralEntity)
      .createQueryBuilder()
      .update()
      .set({ ...decision, decidedAt: () => 'now()' })
      .where('id = :id AND status = :pending', { id, pending: ReferralStatus.PENDING })
      .execute();
    return result.affected === 1;
  }

  /**
   * Referrals made to the agency (`incoming`) and by it (`outgoing`), newest first, after a keyset
   * cursor; `status` narrows them.
   */
  page(
    agencyId: string,
    directions: { incoming: boolean; outgoing: boolean },
    status: ReferralStatus | null,
    limit: number,
    after: { sortKey: string; id: string } | undefined,
  ): Promise<ChildReferralEntity[]> {
    const sides = [
      ...(directions.incoming ? ['cr.to_agency_id = :agencyId'] : []),
      ...(directions.outgoing ? ['cr.from_agency_id = :agencyId'] : []),
    ];
    if (sides.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(ChildReferralEntity)
      .createQueryBuilder('cr')
      .where(`(${sides.join(' OR ')})`, { agencyId })
      .orderBy('cr.created_at', 'DESC')
      .addOrderBy('cr.id', 'DESC')
      .limit(limit);
    if (status) query.andWhere('cr.status = :status', { status });
    if (after)
      query.andWhere('(cr.created_at, cr.id) < (:sortKey::timestamptz, :afterId::uuid)', {
        sortKey: after.sortKey,
        afterId: after.id,
      });
    return query.getMany();
  }
}
