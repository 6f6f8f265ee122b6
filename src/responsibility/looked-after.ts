import { londonToday } from 'src/common/time/london.js';
import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import type {
  LookedAfterDerivation,
  LookedAfterRoute,
  LookedAfterStep,
  StatusEpisode,
} from 'src/responsibility/responsibility.types.js';
import {
  NOT_LOOKED_AFTER,
  TransitionResult,
  policyRef,
  type LookedAfterState,
  type ResponsibilityPolicy,
  type TransitionRow,
} from 'src/responsibility/protocol-policy.schema.js';
import { changesOf } from 'src/responsibility/status-episodes.js';
import { ageOn, birthday, overlapDays } from 'src/responsibility/dates.js';

/**
 * The looked-after state machine (DOMAIN Table 4.2) over both legal-status dimensions. Changes are
 * taken date by date; on one date the care change is applied before the justice change. Each change
 * is matched against the policy's transition rows in order, first match wins; a change no row
 * matches (plain bail, an OOCD, a care basis that does not look after) leaves no step.
 *
 * Periods end exclusive: `endDate` is the first day not looked after (the date of the step that
 * ended it), the same convention as the episodes' own ends. A period also ends where the route
 * changes (a remanded child accommodated under s20), so contiguous periods can follow one another.
 */

interface State {
  readonly lookedAfter: boolean;
  readonly route: LookedAfterRoute | null;
  readonly formerly: boolean;
  readonly since: string;
}

interface Period {
  readonly startDate: string;
  endDate: string | null;
  readonly route: LookedAfterRoute;
}

interface Context {
  readonly state: State;
  readonly change: StatusEpisode;
  /** The episode the change follows in its own dimension. */
  readonly previous: StatusEpisode | null;
  /** The justice episode current when the change applies. */
  readonly justice: StatusEpisode | null;
  readonly becomesRelevant: () => boolean;
}

function stateKey(state: State): LookedAfterState {
  return state.lookedAfter && state.route !== null ? state.route : NOT_LOOKED_AFTER;
}

function matches(row: TransitionRow, context: Context): boolean {
  const { trigger } = row;
  const { change } = context;
  if (trigger.dimension !== change.dimension || !row.from.includes(stateKey(context.state))) return false;
  if (trigger.bases && !trigger.bases.includes(change.basis)) return false;
  if (trigger.outcomes && (change.outcome === null || !trigger.outcomes.includes(change.outcome))) return false;
  if (trigger.requirements && !change.requirements.some((item) => trigger.requirements?.includes(item))) return false;
  if (trigger.after && !trigger.after.includes(context.previous?.basis ?? LegalStatusBasis.NONE)) return false;
  const whileJustice = trigger.whileJustice;
  if (whileJustice) {
    if (!whileJustice.bases.includes(context.justice?.basis ?? LegalStatusBasis.NONE)) return false;
    const needed = whileJustice.requirements;
    if (needed && !(context.justice?.requirements ?? []).some((item) => needed.includes(item))) return false;
  }
  return !trigger.becomesRelevant || context.becomesRelevant();
}

/** The state after a row applies; `before` is the state at the start of the date, for `since`. */
function apply(state: State, row: TransitionRow, date: string, before: State): State {
  const next = (lookedAfter: boolean, route: LookedAfterRoute | null, formerly: boolean): State => ({
    lookedAfter,
    route,
    formerly,
    // A value the child already had at the start of the day continues from then (a same-day end and restart is not a break).
    since: lookedAfter === before.lookedAfter ? before.since : date,
  });
  switch (row.result) {
    case TransitionResult.BECOMES:
      return next(true, row.route ?? state.route, row.formerlyLookedAfterInDetention ?? false);
    case TransitionResult.CEASES:
      return next(false, null, row.formerlyLookedAfterInDetention ?? false);
    case TransitionResult.STAYS:
    case TransitionResult.UNCHANGED:
      return next(state.lookedAfter, state.route, row.formerlyLookedAfterInDetention ?? state.formerly);
  }
}

function trackPeriods(periods: Period[], before: State, after: State, date: string): void {
  const routeChanged = before.route !== after.route;
  const open = periods.at(-1);
  if (before.lookedAfter && (!after.lookedAfter || routeChanged) && open && open.endDate === null) open.endDate = date;
  if (after.lookedAfter && after.route !== null && (!before.lookedAfter || routeChanged)) {
    periods.push({ startDate: date, endDate: null, route: after.route });
  }
}

/** Days looked after from the 14th birthday up to (not including) `date`. */
export function daysLookedAfterSince14(periods: LookedAfterDerivation['periods'], dateOfBirth: string, until: string): number {
  const from = birthday(dateOfBirth, 14);
  return periods.reduce((sum, period) => sum + overlapDays(period.startDate, period.endDate, from, until), 0);
}

/** The row a looked-after period ends by at 18: a child is a person under 18, and only a child is looked after. */
const AGE_18 = {
  rule: 'AGE-18',
  citation: 'Children Act 1989 s105(1) (a child is a person under 18) and s22(1)',
} as const;

/**
 * The looked-after history of the child from its legal-status episodes, as it stands on `asOf`
 * (default today): every step a transition row applied, and the looked-after periods, which end
 * at the 18th birthday at the latest.
 */
export function deriveLookedAfter(
  episodes: readonly StatusEpisode[],
  dateOfBirth: string,
  policy: ResponsibilityPolicy,
  asOf: string = londonToday(),
): LookedAfterDerivation {
  const ref = policyRef(policy);
  const adult = birthday(dateOfBirth, 18);
  const care = changesOf(episodes, 'CARE');
  const justice = changesOf(episodes, 'JUSTICE');
  // Changes from the 18th birthday on do not make or unmake a looked-after child.
  const dates = [...new Set([...care, ...justice].map((episode) => episode.startDate))].filter((date) => date < adult).sort();
  const history: LookedAfterStep[] = [];
  const periods: Period[] = [];
  const previous: Record<'CARE' | 'JUSTICE', StatusEpisode | null> = { CARE: null, JUSTICE: null };
  let state: State = { lookedAfter: false, route: null, formerly: false, since: dateOfBirth };

  for (const date of dates) {
    const before = state;
    const changes = [...care, ...justice].filter((episode) => episode.startDate === date);
    for (const change of changes) {
      const context: Context = {
        state,
        change,
        previous: previous[change.dimension],
        justice: previous.JUSTICE,
        becomesRelevant: () => {
          const age = ageOn(dateOfBirth, date);
          return (
            age >= 16 && age < 18 && daysLookedAfterSince14(periods, dateOfBirth, date) >= policy.careLeaver.minimumDaysSince14
          );
        },
      };
      previous[change.dimension] = change;
      const row = policy.lookedAfter.transitions.find((candidate) => matches(candidate, context));
      if (!row) continue;
      state = apply(state, row, date, before);
      history.push({
        rule: row.rule,
        citation: row.citation,
        policy: ref,
        date,
        lookedAfter: state.lookedAfter,
        route: state.route,
        formerlyLookedAfterInDetention: state.formerly,
        since: state.since,
        trigger: change.basis === LegalStatusBasis.NONE && change.outcome !== null ? change.outcome : change.basis,
      });
    }
    trackPeriods(periods, before, state, date);
  }
  if (state.lookedAfter && adult <= asOf) {
    const before = state;
    state = { lookedAfter: false, route: null, formerly: false, since: adult };
    history.push({
      ...AGE_18,
      policy: ref,
      date: adult,
      lookedAfter: false,
      route: null,
      formerlyLookedAfterInDetention: false,
      since: adult,
      trigger: 'EIGHTEENTH_BIRTHDAY',
    });
    trackPeriods(periods, before, state, adult);
  }
  return { current: history.at(-1) ?? null, history, periods };
}

/** The step in force on `date` (the last one on or before it), or null. */
export function stepOn(derivation: LookedAfterDerivation, date: string): LookedAfterStep | null {
  let found: LookedAfterStep | null = null;
  for (const step of derivation.history) {
    if (step.date > date) break;
    found = step;
  }
  return found;
}
