import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import type { StatusEpisode } from 'src/responsibility/responsibility.types.js';

/**
 * One dimension's history as a sequence of changes, oldest first (stable for equal dates). An
 * episode that ended with nothing after it (an end date but no episode starting that day) is
 * followed by a NONE episode on its end date, so that an ending is a change the rules see too.
 */
export function changesOf(episodes: readonly StatusEpisode[], dimension: 'CARE' | 'JUSTICE'): StatusEpisode[] {
  const own = episodes.filter((episode) => episode.dimension === dimension);
  const starts = new Set(own.map((episode) => episode.startDate));
  const endings: StatusEpisode[] = own
    .filter((episode) => episode.endDate !== null && episode.basis !== LegalStatusBasis.NONE && !starts.has(episode.endDate))
    .map((episode) => ({
      basis: LegalStatusBasis.NONE,
      dimension,
      startDate: episode.endDate ?? episode.startDate,
      endDate: null,
      outcome: null,
      requirements: [],
    }));
  return [...own, ...endings].sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
}

/** The episode of a dimension current on `date` (started on or before it, not yet ended), if any. */
export function currentOn(episodes: readonly StatusEpisode[], dimension: 'CARE' | 'JUSTICE', date: string): StatusEpisode | null {
  let found: StatusEpisode | null = null;
  for (const episode of changesOf(episodes, dimension)) {
    if (episode.startDate > date) break;
    found = episode;
  }
  return found;
}

/** The basis current on `date`, or null when nothing is current in the dimension (no episode, or NONE). */
export function basisOn(
  episodes: readonly StatusEpisode[],
  dimension: 'CARE' | 'JUSTICE',
  date: string,
): LegalStatusBasis | null {
  const basis = currentOn(episodes, dimension, date)?.basis ?? null;
  return basis === LegalStatusBasis.NONE ? null : basis;
}
