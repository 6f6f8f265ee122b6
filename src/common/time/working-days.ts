/**
 * England and Wales working days and protocol deadlines, in Europe/London (DECISIONS §7).
 *
 * Bank holidays come from the maintained `date-holidays` package (GB-ENG rules, type "public" only,
 * substitute and one-off days included), kept only on weekdays: a Christmas Day that falls on a
 * Saturday is not a bank holiday, its Monday substitute is. A unit test proves the result equals
 * GOV.UK's published list (shipped as gov-uk-bank-holidays.json) for every year that list covers;
 * where the two disagree the published list wins through PUBLISHED_LIST_OVERRIDES, each with its
 * citation. Outside SUPPORTED_YEARS every helper throws CalendarRangeError: an unknown day is never
 * assumed to be a working day.
 *
 * Conventions:
 * - A trigger is an instant (Date: its London local date is day 0) or a London local date
 *   ("YYYY-MM-DD"). Day 0 is the trigger day; "N working days" ends on the Nth working day after it.
 * - A deadline day ends at 23:59:59.000 London time (the wording of DECISIONS §7, and what the
 *   notification escalation has always used): 22:59:59 UTC in BST, 23:59:59 UTC in GMT.
 * - Every helper returns a Due: the instant, its London date, and a one-line explanation of how it
 *   was computed, for the obligations engine to show as is, e.g.
 *   "10 working days after Fri 3 May 2024 (day 0), skipping Mon 6 May 2024 (Early May bank holiday):
 *   end of Mon 20 May 2024, 23:59:59 BST (22:59:59 UTC)".
 */
import { addMonths, subMonths } from 'date-fns';
import Holidays from 'date-holidays';
import {
  endOfLondonDay,
  type LocalDate,
  londonClock,
  londonDateOf,
  londonOffsetMinutes,
  londonZoneName,
  splitLocalDate,
} from 'src/common/time/london.js';

export type { LocalDate } from 'src/common/time/london.js';

/** What starts a clock: an instant (its London date is day 0) or a London local date. */
export type Trigger = Date | LocalDate;

/** A computed deadline. */
export interface Due {
  /** The instant it falls due (23:59:59.000 London on the due day, or the exact instant for hours). */
  readonly dueAt: Date;
  /** The London local date of dueAt. */
  readonly dueDate: LocalDate;
  /** How it was computed, in one line for people. */
  readonly explanation: string;
}

export interface BankHoliday {
  readonly date: LocalDate;
  readonly title: string;
}

/**
 * The years the calendar answers for. From 2020: GOV.UK's published list (shipped and cross-checked,
 * 2020–2027) covers every case Tandem holds. To 2035: beyond the published list only the statutory
 * rules are known, and one-off days (jubilees, funerals, coronations) are announced a year or so
 * ahead at most, so the further out, the likelier a wrong answer; ten years of rules is the bound
 * the calendar promises (issue 14). Extend it deliberately, with the shipped list.
 */
export const SUPPORTED_YEARS = { first: 2020, last: 2035 } as const;

/** A date the calendar cannot answer for: outside SUPPORTED_YEARS. Never read as a working day. */
export class CalendarRangeError extends Error {
  override readonly name = 'CalendarRangeError';

  constructor(readonly date: LocalDate) {
    super(
      `The England and Wales working-day calendar covers ${SUPPORTED_YEARS.first}–${SUPPORTED_YEARS.last}; ` +
        `${date} is outside it, so whether it is a working day is unknown`,
    );
  }
}

/** A correction of date-holidays by GOV.UK's published list, which wins. */
export interface CalendarOverride {
  readonly date: LocalDate;
  /** true: a bank holiday date-holidays lacks; false: a date-holidays holiday that is not one. */
  readonly bankHoliday: boolean;
  readonly title: string;
  /** Where the published list says so (https://www.gov.uk/bank-holidays.json and the announcement). */
  readonly citation: string;
}

/**
 * Empty: date-holidays 3.37 agrees with GOV.UK's list for 2020–2027, one-off days included (the
 * unit test proves it and names any override it needs). Add an entry when a new one-off day is
 * announced before date-holidays has it, or when they disagree.
 */
export const PUBLISHED_LIST_OVERRIDES: readonly CalendarOverride[] = [];

let rules: Holidays | undefined;
const byYear = new Map<number, ReadonlyMap<LocalDate, string>>();

/** date-holidays' GB-ENG public holidays on weekdays, before any override and unchecked for range: for the cross-check test. */
export function ruleBankHolidays(year: number): BankHoliday[] {
  rules ??= new Holidays('GB', 'ENG', { languages: 'en', timezone: 'Europe/London' });
  return (
    rules
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      // "YYYY-MM-DD hh:mm:ss" in the country's own time zone: the local date is the prefix.
      .map((holiday) => ({ date: holiday.date.slice(0, 10), title: holiday.name }))
      .filter((holiday) => holiday.date.startsWith(`${year}-`) && !isWeekend(holiday.date))
  );
}

function holidaysOf(year: number): ReadonlyMap<LocalDate, string> {
  let holidays = byYear.get(year);
  if (!holidays) {
    const map = new Map(ruleBankHolidays(year).map((holiday) => [holiday.date, holiday.title]));
    for (const override of PUBLISHED_LIST_OVERRIDES.filter((o) => o.date.startsWith(`${year}-`))) {
      if (override.bankHoliday) map.set(override.date, override.title);
      else map.delete(override.date);
    }
    holidays = map;
    byYear.set(year, holidays);
  }
  return holidays;
}

function checked(date: LocalDate): LocalDate {
  const [year] = splitLocalDate(date);
  if (year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last) throw new CalendarRangeError(date);
  return date;
}

function dayZero(trigger: Trigger): LocalDate {
  return checked(typeof trigger === 'string' ? trigger : londonDateOf(trigger));
}

function isWeekend(date: LocalDate): boolean {
  const [year, month, day] = splitLocalDate(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = splitLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** date-fns month arithmetic (31 March − 1 month = 28/29 February) on a local noon, safe in any process time zone. */
function shiftMonths(date: LocalDate, months: number): LocalDate {
  const [year, month, day] = splitLocalDate(date);
  const noon = new Date(year, month - 1, day, 12);
  const moved = months >= 0 ? addMonths(noon, months) : subMonths(noon, -months);
  return [moved.getFullYear(), moved.getMonth() + 1, moved.getDate()]
    .map((part, index) => String(part).padStart(index === 0 ? 4 : 2, '0'))
    .join('-');
}

function wholeNumber(value: number, what: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${what} must be a whole number ≥ ${minimum}: ${value}`);
}

/** The bank holidays of a year (weekdays only, as GOV.UK lists them), in date order. */
export function bankHolidaysIn(year: number): BankHoliday[] {
  checked(`${String(year).padStart(4, '0')}-01-01`);
  return [...holidaysOf(year)].map(([date, title]) => ({ date, title })).sort((a, b) => a.date.localeCompare(b.date));
}

/** The bank holiday on a date, or undefined when it is not one. */
export function bankHolidayOn(date: Trigger): BankHoliday | undefined {
  const local = dayZero(date);
  const title = holidaysOf(splitLocalDate(local)[0]).get(local);
  return title === undefined ? undefined : { date: local, title };
}

/** The bank holiday dates from one London date to another, both included (e.g. for SQL). */
export function bankHolidaysBetween(from: Trigger, to: Trigger): LocalDate[] {
  const [first, last] = [dayZero(from), dayZero(to)];
  const years = Array.from(
    { length: splitLocalDate(last)[0] - splitLocalDate(first)[0] + 1 },
    (_, i) => splitLocalDate(first)[0] + i,
  );
  return years
    .flatMap((year) => bankHolidaysIn(year).map((holiday) => holiday.date))
    .filter((date) => date >= first && date <= last);
}

/** Whether a day is a working day in England and Wales: not a Saturday, Sunday or bank holiday. */
export function isWorkingDay(date: Trigger): boolean {
  const local = dayZero(date);
  return !isWeekend(local) && !holidaysOf(splitLocalDate(local)[0]).has(local);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Fri 3 May 2024". */
export function formatLocalDate(date: LocalDate): string {
  const [year, month, day] = splitLocalDate(date);
  return `${WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]} ${day} ${MONTHS[month - 1]} ${year}`;
}

function time(at: Date): string {
  const clock = londonClock(at);
  return [clock.hour, clock.minute, clock.second].map((part) => String(part).padStart(2, '0')).join(':');
}

/** "Fri 3 May 2024 14:30:00 BST (13:30:00 UTC)". */
function formatInstant(at: Date): string {
  return `${formatLocalDate(londonDateOf(at))} ${time(at)} ${londonZoneName(at)} (${at.toISOString().slice(11, 19)} UTC)`;
}

function describeDayZero(trigger: Trigger): string {
  const day = formatLocalDate(dayZero(trigger));
  return typeof trigger === 'string' ? `${day} (day 0)` : `${day} (day 0, triggered ${time(trigger)} ${londonZoneName(trigger)})`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** The end of a London day as a Due, its explanation ending "end of Mon 20 May 2024, 23:59:59 BST (22:59:59 UTC)". */
function endOf(date: LocalDate, how: string): Due {
  const dueAt = endOfLondonDay(checked(date));
  const utc = dueAt.toISOString().slice(11, 19);
  return {
    dueAt,
    dueDate: date,
    explanation: `${how}: end of ${formatLocalDate(date)}, 23:59:59 ${londonZoneName(dueAt)} (${utc} UTC)`,
  };
}

/** The end of the Nth working day after day 0 (N ≥ 1), e.g. 5 WD for a care plan after a remand (D7). */
export function endOfNthWorkingDayAfter(trigger: Trigger, n: number): Due {
  wholeNumber(n, 'Working days', 1);
  const start = dayZero(trigger);
  const skipped: string[] = [];
  let date = start;
  for (let counted = 0; counted < n;) {
    date = checked(addDays(date, 1));
    const holiday = isWeekend(date) ? undefined : holidaysOf(splitLocalDate(date)[0]).get(date);
    if (holiday !== undefined) skipped.push(`${formatLocalDate(date)} (${holiday})`);
    else if (!isWeekend(date)) counted += 1;
  }
  const unit = n === 1 ? 'next working day' : `${n} working days`;
  const skipping = skipped.length ? `skipping ${skipped.join(', ')}` : 'no bank holiday in between';
  return endOf(date, `${unit} after ${describeDayZero(trigger)}, ${skipping}`);
}

/** The end of the next working day after day 0: when "immediately" or "as soon as possible" escalates (DECISIONS §7). */
export function endOfNextWorkingDay(trigger: Trigger): Due {
  return endOfNthWorkingDayAfter(trigger, 1);
}

/** The end of the Nth calendar day after day 0 (unqualified "days" and "weeks": 1 week = 7). */
export function endOfNthCalendarDayAfter(trigger: Trigger, n: number): Due {
  wholeNumber(n, 'Calendar days', 0);
  return endOf(addDays(dayZero(trigger), n), `${plural(n, 'calendar day')} after ${describeDayZero(trigger)}`);
}

/** The end of day 0 itself ("same day", DECISIONS §7). */
export function endOfSameDay(trigger: Trigger): Due {
  return endOf(dayZero(trigger), `same day as ${describeDayZero(trigger)}`);
}

/** "; Feb 2024 has no 31st, so its last day" when month arithmetic clamped the day. */
function monthsNote(from: LocalDate, to: LocalDate): string {
  const [day, [year, month]] = [splitLocalDate(from)[2], splitLocalDate(to)];
  if (day === splitLocalDate(to)[2]) return '';
  return `; ${MONTHS[month - 1]} ${year} has no ${day === 31 ? '31st' : `${day}th`}, so its last day`;
}

/** The end of the same day of the month, `months` calendar months after day 0 (31 Jan + 1 month → 28/29 Feb). */
export function endOfCalendarMonthsAfter(trigger: Trigger, months: number): Due {
  wholeNumber(months, 'Months', 0);
  const start = dayZero(trigger);
  const date = shiftMonths(start, months);
  return endOf(date, `${plural(months, 'calendar month')} after ${describeDayZero(trigger)}${monthsNote(start, date)}`);
}

/**
 * The end of the same day of the month, `months` calendar months before a date: "at least a month
 * before release" (D18) is due by the end of that day (release 31 March → end of 28/29 February).
 */
export function endOfCalendarMonthsBefore(date: Trigger, months: number): Due {
  wholeNumber(months, 'Months', 0);
  const target = dayZero(date);
  const due = shiftMonths(target, -months);
  return endOf(due, `${plural(months, 'calendar month')} before ${formatLocalDate(target)}${monthsNote(target, due)}`);
}

/** The end of the day n calendar days before a date: "no later than 14 days before release" (D19, D33). */
export function endOfDaysBefore(date: Trigger, n: number): Due {
  wholeNumber(n, 'Days', 0);
  const target = dayZero(date);
  return endOf(addDays(target, -n), `${plural(n, 'calendar day')} before ${formatLocalDate(target)}`);
}

/** An instant plus elapsed hours (a clock change in between does not stretch or shrink them), e.g. D35's 24 hours. */
export function hoursAfter(instant: Date, hours: number): Due {
  wholeNumber(hours, 'Hours', 0);
  dayZero(instant);
  const dueAt = new Date(instant.getTime() + hours * 3_600_000);
  const dueDate = checked(londonDateOf(dueAt));
  const shift = londonOffsetMinutes(dueAt) - londonOffsetMinutes(instant);
  const note = shift === 0 ? '' : `; the clocks went ${shift > 0 ? 'forward' : 'back'} in between`;
  return {
    dueAt,
    dueDate,
    explanation: `${plural(hours, 'hour')} after ${formatInstant(instant)}: ${formatInstant(dueAt)}${note}`,
  };
}
