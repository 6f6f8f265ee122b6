import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';

/** A practitioner as a delegated token is checked against: who they are and which agency they work for. */
export interface KnownPractitioner {
  readonly subject: string;
  readonly displayName: string;
  readonly agencyId: string;
}

/**
 * Finds the practitioner a delegated token names. Read on each delegated request rather than
 * cached, so a practitioner removed from the directory stops being acted for at once.
 */
@Injectable()
export class PractitionerLookup {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async bySubject(subject: string): Promise<KnownPractitioner | null> {
    const found = await this.dataSource
      .getRepository(PractitionerEntity)
      .findOne({ where: { subject }, select: { subject: true, displayName: true, agencyId: true } });
    return found ? { subject: found.subject, displayName: found.displayName, agencyId: found.agencyId } : null;
  }
}
