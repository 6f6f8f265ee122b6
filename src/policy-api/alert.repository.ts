import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PractitionerAlertEntity } from 'src/policy/entities/practitioner-alert.entity.js';

@Injectable()
export class AlertRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Alerts to the practitioner with this token subject at this agency, newest first, after a keyset cursor. */
  forPractitioner(
    subject: string,
    agencyId: string,
    limit: number,
    after: { sortKey: string; id: string } | undefined,
  ): Promise<PractitionerAlertEntity[]> {
    const query = this.dataSource
      .getRepository(PractitionerAlertEntity)
      .createQueryBuilder('a')
      .innerJoin('practitioner', 'p', 'p.id = a.practitioner_id')
      .where('p.subject = :subject AND p.agency_id = :agencyId', { subject, agencyId })
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit);
    if (after)
      query.andWhere('(a.created_at, a.id) < (:sortKey::timestamptz, :afterId::uuid)', {
        sortKey: after.sortKey,
        afterId: after.id,
      });
    return query.getMany();
  }
}
