import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildReferralEntity } from 'src/children/entities/child-referral.entity.js';
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
      }),
    );
  }

  findById(id: string): Promise<ChildReferralEntity | null> {
    return this.dataSource.getRepository(ChildReferralEntity).findOneBy({ id });
  }

  /** Records the decision on a pending referral; false when it was no longer pending. */
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
