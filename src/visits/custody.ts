import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';

/** What the custody question needs of a justice episode. */
export interface JusticeEpisode {
  readonly basis: LegalStatusBasis;
  readonly startDate: string;
  readonly endDate: string | null;
}

/** Custody, for C17 and the visit duties: remanded to youth detention accommodation, or sentenced to custody. */
const CUSTODIAL: ReadonlySet<LegalStatusBasis> = new Set([
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
  LegalStatusBasis.CUSTODIAL_SENTENCE,
]);

/**
 * The day the child entered the custody they were in on `date`, or null when they were not in
 * custody that day. A remand to YDA followed by a sentence is one spell: the child entered custody
 * at the remand (an episode ends the day the next starts; a one-day gap still joins them).
 */
export function custodySince(episodes: readonly JusticeEpisode[], date: string): string | null {
  const custodial = episodes
    .filter((episode) => CUSTODIAL.has(episode.basis))
    .sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
  const index = custodial.findLastIndex(
    (episode) => episode.startDate <= date && (episode.endDate === null || episode.endDate >= date),
  );
  const covering = custodial[index];
  if (!covering) return null;
  let since = covering.startDate;
  for (let i = index - 1; i >= 0; i--) {
    const previous = custodial[i];
    if (!previous || previous.endDate === null || previous.endDate < dayBefore(since)) break;
    since = previous.startDate < since ? previous.startDate : since;
  }
  return since;
}

function dayBefore(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}
