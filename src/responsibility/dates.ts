import { addDays, addYears, differenceInCalendarDays, formatISO, isLeapYear, parseISO } from 'date-fns';

/**
 * Calendar arithmetic on ISO local dates ("YYYY-MM-DD"): no times, no time zones. ISO dates
 * compare correctly as strings, which the rules rely on.
 */

function iso(date: Date): string {
  return formatISO(date, { representation: 'date' });
}

export function addDaysTo(date: string, days: number): string {
  return iso(addDays(parseISO(date), days));
}

/** Calendar days from `start` to `end` (end exclusive): 0 when equal. */
export function daysBetween(start: string, end: string): number {
  return differenceInCalendarDays(parseISO(end), parseISO(start));
}

/**
 * The date a person born on `dateOfBirth` reaches `years`. Someone born on 29 February reaches it
 * on 1 March in a common year, as English law reads it (date-fns would give 28 February).
 */
export function birthday(dateOfBirth: string, years: number): string {
  const born = parseISO(dateOfBirth);
  const reached = addYears(born, years);
  if (born.getMonth() === 1 && born.getDate() === 29 && !isLeapYear(reached)) return `${reached.getFullYear()}-03-01`;
  return iso(reached);
}

/** Age in whole years on `date`. */
export function ageOn(dateOfBirth: string, date: string): number {
  const years = parseISO(date).getFullYear() - parseISO(dateOfBirth).getFullYear();
  return birthday(dateOfBirth, years) <= date ? years : years - 1;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Days of [start, end) that fall within [from, until); 0 when they do not meet. */
export function overlapDays(start: string, end: string | null, from: string, until: string): number {
  const first = maxDate(start, from);
  const stop = end === null ? until : minDate(end, until);
  return stop > first ? daysBetween(first, stop) : 0;
}
