import { addDays, format, parseISO } from 'date-fns';
import { type LocalDate, londonToday } from 'src/common/time/london.js';
import { endOfNthCalendarDayAfter } from 'src/common/time/working-days.js';

/**
 * Derby's first statutory visit after a remand to youth detention accommodation: "within one week
 * of placement in custody", 7 calendar days from day 0 (D31-REMAND in policy/responsibility/derby.json).
 */
export const FIRST_VISIT_CALENDAR_DAYS = 7;

/**
 * The day Jordan was remanded, counted back from the day the demo data is loaded, so that whatever
 * the date a newcomer's worklist shows one duty overdue: his first visit fell due at the end of
 * yesterday (London) and nobody has recorded it. It stays OVERDUE, not yet ESCALATED, until the end
 * of the next working day after it fell due (today at the earliest, later across a weekend or bank
 * holiday); his other duties (the 28-day review, the six-weekly visits) are weeks away.
 */
export function demoRemandDay(now: Date): LocalDate {
  const day = daysAfter(londonToday(now), -(FIRST_VISIT_CALENDAR_DAYS + 1));
  // Counted as the duties engine counts it (and in the calendar's years, or this throws at start).
  const due = endOfNthCalendarDayAfter(day, FIRST_VISIT_CALENDAR_DAYS);
  if (due.dueAt >= now) throw new Error(`A remand on ${day} has its first visit due ${due.dueDate}, not before today`);
  return day;
}

/** The London date `days` calendar days after `date` (before it when negative). */
export function daysAfter(date: LocalDate, days: number): LocalDate {
  // Local noon: whole days, whatever the process's time zone and its clock changes.
  return format(addDays(parseISO(`${date}T12:00:00`), days), 'yyyy-MM-dd');
}
