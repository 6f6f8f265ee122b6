import {
  type Due,
  endOfDaysBefore,
  endOfCalendarMonthsBefore,
  endOfNextWorkingDay,
  endOfNthCalendarDayAfter,
  endOfNthWorkingDayAfter,
  endOfSameDay,
  hoursAfter,
  isWorkingDay,
} from 'src/common/time/working-days.js';
import { endOfLondonDay } from 'src/common/time/london.js';
import { format, parseISO, subDays } from 'date-fns';
import type { DueRule, ObligationDefinition } from 'src/responsibility/obligation-definitions.schema.js';
import type { CareLeaverCategory } from 'src/responsibility/responsibility.types.js';
import type { DutyEvent } from 'src/obligations/duty-events.js';

/** What the trigger conditions read of the child around the event, besides the event itself. */
export interface TriggerContext {
  readonly lookedAfterBefore: boolean;
  readonly lookedAfterAfter: boolean;
  readonly careLeaver: CareLeaverCategory;
  readonly socialWorkerAllocated: boolean;
}

/** Whether the event opens the definition's duty (given the child then). */
export function opens(definition: ObligationDefinition, event: DutyEvent, context: TriggerContext): boolean {
  const trigger = definition.trigger;
  if (trigger.event !== event.type) return false;
  if (trigger.bases && !(event.basis !== null && trigger.bases.some((basis) => basis === event.basis))) return false;
  if (trigger.outcomes && !(event.outcome !== null && trigger.outcomes.some((outcome) => outcome === event.outcome)))
    return false;
  if (trigger.withExpectedReleaseDate && event.expectedReleaseDate === null) return false;
  if (trigger.lookedAfterBefore !== undefined && trigger.lookedAfterBefore !== context.lookedAfterBefore) return false;
  if (trigger.lookedAfterAfter !== undefined && trigger.lookedAfterAfter !== context.lookedAfterAfter) return false;
  if (trigger.careLeaver && !trigger.careLeaver.includes(context.careLeaver)) return false;
  if (trigger.socialWorkerAllocated !== undefined && trigger.socialWorkerAllocated !== context.socialWorkerAllocated)
    return false;
  return true;
}

/** Whether the event is evidence that satisfies the duty (on or after its day 0). */
export function satisfies(definition: ObligationDefinition, event: DutyEvent, triggerDate: string): boolean {
  if (event.date < triggerDate) return false;
  return definition.satisfiedBy.some((evidence) => {
    if (evidence.event !== event.type) return false;
    if (evidence.recordKinds && !(event.recordKind !== null && evidence.recordKinds.includes(event.recordKind))) return false;
    if (evidence.visitKinds && !(event.visitKind !== null && evidence.visitKinds.includes(event.visitKind))) return false;
    if (evidence.seenAlone && !event.seenAlone) return false;
    if (
      evidence.allocationRoles &&
      !(event.allocatedRole !== null && evidence.allocationRoles.some((role) => role === event.allocatedRole))
    )
      return false;
    return true;
  });
}

/** Whether the event reverses the duty's trigger (it is then cancelled). */
export function cancels(definition: ObligationDefinition, event: DutyEvent, triggerDate: string): boolean {
  if (event.date < triggerDate) return false;
  return (definition.cancelledBy ?? []).some(
    (reversal) =>
      reversal.event === event.type &&
      (!reversal.outcomes || (event.outcome !== null && reversal.outcomes.some((outcome) => outcome === event.outcome))),
  );
}

/**
 * When the duty falls due, and how that was computed (DECISIONS §7: day 0 is the trigger day; "as
 * soon as possible" has no fixed time, so it escalates at the end of the next working day).
 */
export function dueOf(rule: DueRule, event: Pick<DutyEvent, 'date' | 'occurredAt' | 'expectedReleaseDate'>): Due {
  switch (rule.kind) {
    case 'WORKING_DAYS':
      return endOfNthWorkingDayAfter(event.date, rule.n);
    case 'CALENDAR_DAYS':
      return endOfNthCalendarDayAfter(event.date, rule.n);
    case 'HOURS':
      return hoursAfter(event.occurredAt, rule.n);
    case 'SAME_DAY':
      return endOfSameDay(event.date);
    case 'AS_SOON_AS_POSSIBLE':
      return endOfNextWorkingDay(event.date);
    case 'MONTHS_BEFORE_RELEASE':
      return endOfCalendarMonthsBefore(releaseOf(event), rule.n);
    case 'DAYS_BEFORE_RELEASE':
      return endOfDaysBefore(releaseOf(event), rule.n);
  }
}

function releaseOf(event: Pick<DutyEvent, 'expectedReleaseDate'>): string {
  if (!event.expectedReleaseDate) throw new Error('A duty counted back from release needs the expected release date');
  return event.expectedReleaseDate;
}

/**
 * When it shows as DUE_SOON: from the end of the day that leaves the warning period's working days
 * (default two) before the due day, and never before the duty opened.
 */
export function dueSoonOf(definition: ObligationDefinition, due: Due, openedAt: Date): Date {
  let date = due.dueDate;
  for (let left = definition.dueSoonWorkingDays ?? 2; left > 0;) {
    date = format(subDays(parseISO(date), 1), 'yyyy-MM-dd');
    if (isWorkingDay(date)) left -= 1;
  }
  const warned = endOfLondonDay(date);
  if (warned > due.dueAt) return due.dueAt;
  return warned < openedAt ? openedAt : warned;
}
