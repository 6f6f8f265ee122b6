import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import type { CourtOutcome, LegalDimension, LegalStatusBasis, YroRequirement } from 'src/vocabulary/children.enums.js';
import { Sql, statement } from 'src/common/database/sql.js';

const EPISODE_COLUMNS = `id, child_id, dimension, basis, outcome, court, to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date,
  to_char(next_hearing_date, 'YYYY-MM-DD') AS next_hearing_date, conditions, place_of_detention_agency_id,
  to_char(expected_release_date, 'YYYY-MM-DD') AS expected_release_date, requirements::text[] AS requirements, asset_plus_reference,
  to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date, source_event, recorded_by, recorded_by_agency_id, recorded_at`;

const HISTORY = statement(
  'tandem_legal_status_history',
  `SELECT ${EPISODE_COLUMNS} FROM legal_status_episode WHERE child_id = ANY($1::uuid[]) ORDER BY start_date DESC, recorded_at DESC`,
);

/**
 * A child's legal-status history, newest first, as one JSON array (empty when it has none), for a
 * statement that reads the child itself: `childId` is that statement's expression for the child's id.
 */
export function historyJson(childId: string): string {
  return `(SELECT coalesce(json_agg(e ORDER BY e.start_date DESC, e.recorded_at DESC), '[]') FROM (
    SELECT ${EPISODE_COLUMNS} FROM legal_status_episode WHERE child_id = ${childId}) e)`;
}

/** An episode as historyJson gives it: its time is a string. */
export type EpisodeJson = Omit<EpisodeRow, 'recorded_at'> & { readonly recorded_at: string };

export function episodeOfJson(row: EpisodeJson): LegalStatusEpisodeEntity {
  return episodeOf(row, new Date(row.recorded_at));
}

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

// Its time comes apart, not as `{ ...row, recorded_at }`: V8 (Node 20) takes microseconds for a
// spread followed by another property (docs/TOOLCHAIN.md), and this runs for every episode read.
function episodeOf(row: Omit<EpisodeRow, 'recorded_at'>, recordedAt: Date): LegalStatusEpisodeEntity {
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
    recordedAt,
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
    return rows.map((row) => episodeOf(row, row.recorded_at));
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
