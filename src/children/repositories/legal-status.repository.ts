import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import type { CourtOutcome, LegalDimension, LegalStatusBasis, YroRequirement } from 'src/vocabulary/children.enums.js';
import { Sql, statement } from 'src/common/database/sql.js';

const HISTORY = statement(
  'tandem_legal_status_history',
  `SELECT id, child_id, dimension, basis, outcome, court, hearing_date::text AS hearing_date,
     next_hearing_date::text AS next_hearing_date, conditions, place_of_detention_agency_id,
     expected_release_date::text AS expected_release_date, requirements::text[] AS requirements, asset_plus_reference,
     start_date::text AS start_date, end_date::text AS end_date, source_event, recorded_by, recorded_by_agency_id, recorded_at
   FROM legal_status_episode WHERE child_id = ANY($1::uuid[]) ORDER BY start_date DESC, recorded_at DESC`,
);

interface EpisodeRow {
  readonly id: string;
  readonly child_id: string;
  readonly dimension: LegalDimension;
  readonly basis: LegalStatusBasis;
  readonly outcome: CourtOutcome | null;
  readonly court: string | null;
  readonly hearing_date: string | null;
  readonly next_hearing_date: string | null;
  readonly conditions: string | null;
  readonly place_of_detention_agency_id: string | null;
  readonly expected_release_date: string | null;
  readonly requirements: YroRequirement[];
  readonly asset_plus_reference: string | null;
  readonly start_date: string;
  readonly end_date: string | null;
  readonly source_event: string | null;
  readonly recorded_by: string;
  readonly recorded_by_agency_id: string;
  readonly recorded_at: Date;
}

function episodeOf(row: EpisodeRow): LegalStatusEpisodeEntity {
  return Object.assign(new LegalStatusEpisodeEntity(), {
    id: row.id,
    childId: row.child_id,
    dimension: row.dimension,
    basis: row.basis,
    outcome: row.outcome,
    court: row.court,
    hearingDate: row.hearing_date,
    nextHearingDate: row.next_hearing_date,
    conditions: row.conditions,
    placeOfDetentionAgencyId: row.place_of_detention_agency_id,
    expectedReleaseDate: row.expected_release_date,
    requirements: row.requirements,
    assetPlusReference: row.asset_plus_reference,
    startDate: row.start_date,
    endDate: row.end_date,
    sourceEvent: row.source_event,
    recordedBy: row.recorded_by,
    recordedByAgencyId: row.recorded_by_agency_id,
    recordedAt: row.recorded_at,
  });
}

/** What a new episode is written with. */
export type NewEpisode = Omit<LegalStatusEpisodeEntity, 'id' | 'child' | 'recordedByAgency' | 'recordedAt' | 'endDate'>;

@Injectable()
export class LegalStatusRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sql) private readonly sql: Sql,
  ) {}

  /** Every episode of these children, newest first (on every read of a child's legal status: prepared, not hydrated). */
  async historyFor(childIds: readonly string[]): Promise<LegalStatusEpisodeEntity[]> {
    const rows = await this.sql.rows<EpisodeRow>(HISTORY, [childIds]);
    return rows.map(episodeOf);
  }

  /** The open episode of a dimension, locked (the caller has locked the child: see ResponsibilityInputsRepository). */
  findOpenForUpdate(
    manager: EntityManager,
    childId: string,
    dimension: LegalDimension,
  ): Promise<LegalStatusEpisodeEntity | null> {
    return manager
      .getRepository(LegalStatusEpisodeEntity)
      .createQueryBuilder('ls')
      .setLock('pessimistic_write')
      .where('ls.child_id = :childId AND ls.dimension = :dimension AND ls.end_date IS NULL', { childId, dimension })
      .getOne();
  }

  async close(manager: EntityManager, id: string, endDate: string): Promise<void> {
    await manager.getRepository(LegalStatusEpisodeEntity).update({ id, endDate: IsNull() }, { endDate });
  }

  insert(manager: EntityManager, episode: NewEpisode): Promise<LegalStatusEpisodeEntity> {
    const repository = manager.getRepository(LegalStatusEpisodeEntity);
    return repository.save(repository.create({ ...episode, endDate: null }));
  }
}
