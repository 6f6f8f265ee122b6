import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bankHolidayOn,
  bankHolidaysBetween,
  bankHolidaysIn,
  CalendarRangeError,
  endOfCalendarMonthsAfter,
  endOfCalendarMonthsBefore,
  endOfDaysBefore,
  endOfNextWorkingDay,
  endOfNthCalendarDayAfter,
  endOfNthWorkingDayAfter,
  endOfSameDay,
  hoursAfter,
  isWorkingDay,
  PUBLISHED_LIST_OVERRIDES,
  ruleBankHolidays,
  SUPPORTED_YEARS,
} from 'src/common/time/working-days.js';

const published = z
  .object({
    source: z.literal('https://www.gov.uk/bank-holidays.json'),
    division: z.literal('england-and-wales'),
    years: z.object({ first: z.number().int(), last: z.number().int() }),
    events: z.array(z.object({ title: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), notes: z.string() })),
  })
  .parse(JSON.parse(readFileSync(new URL('../../../src/common/time/gov-uk-bank-holidays.json', import.meta.url), 'utf8')));

const publishedYears = Array.from(
  { length: published.years.last - published.years.first + 1 },
  (_, i) => published.years.first + i,
);
const supportedYears = Array.from(
  { length: SUPPORTED_YEARS.last - SUPPORTED_YEARS.first + 1 },
  (_, i) => SUPPORTED_YEARS.first + i,
);
const publishedIn = (year: number) => published.events.filter((event) => event.date.startsWith(`${year}-`)).map((e) => e.date);
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();
const datesIn = (year: number) => bankHolidaysIn(year).map((holiday) => holiday.date);

describe('the shipped GOV.UK list', () => {
  it('is the England and Wales division for 2020–2027, weekdays only, in order', () => {
    expect(published.years).toEqual({ first: 2020, last: 2027 });
    const dates = published.events.map((event) => event.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates.filter((date) => weekday(date) === 0 || weekday(date) === 6)).toEqual([]);
    for (const year of publishedYears) expect(publishedIn(year).length).toBeGreaterThanOrEqual(8);
    expect(dates.every((date) => publishedYears.includes(Number(date.slice(0, 4))))).toBe(true);
  });
});

describe('date-holidays against the published list', () => {
  it.each(publishedYears)('%i: the calendar has exactly the published weekday bank holidays', (year) => {
    expect(datesIn(year)).toEqual(publishedIn(year));
  });

  it.each(publishedYears)('%i: date-holidays differs from the published list only by a cited override', (year) => {
    // The published list wins. A difference here must be an entry of PUBLISHED_LIST_OVERRIDES with its citation;
    // none is needed today (date-holidays 3.37 agrees for 2020–2027, one-off days included).
    const rules = new Set(ruleBankHolidays(year).map((holiday) => holiday.date));
    const list = new Set(publishedIn(year));
    const missing = [...list].filter((date) => !rules.has(date)).map((date) => ({ date, bankHoliday: true }));
    const extra = [...rules].filter((date) => !list.has(date)).map((date) => ({ date, bankHoliday: false }));
    const overrides = PUBLISHED_LIST_OVERRIDES.filter((override) => override.date.startsWith(`${year}-`));
    expect(overrides.map(({ date, bankHoliday }) => ({ date, bankHoliday }))).toEqual(
      [...missing, ...extra].sort((a, b) => a.date.localeCompare(b.date)),
    );
    for (const override of overrides) expect(override.citation).toMatch(/gov\.uk/);
  });

  it('names no override for a year outside the published list', () => {
    expect(PUBLISHED_LIST_OVERRIDES.filter((o) => !publishedYears.includes(Number(o.date.slice(0, 4))))).toEqual([]);
  });
});

/** England and Wales' standing rules, derived independently of date-holidays (Meeus' Gregorian Easter). */
function standingRules(year: number): string[] {
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  const utc = (month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const easter = utc(Math.floor((h + l - 7 * m + 114) / 31), ((h + l - 7 * m + 114) % 31) + 1);
  const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
  const firstMonday = (month: number) => plusDays(utc(month, 1), (8 - utc(month, 1).getUTCDay()) % 7);
  const lastMonday = (month: number, days: number) => plusDays(utc(month, days), -((utc(month, days).getUTCDay() + 6) % 7));
  const newYear = utc(1, 1);
  const isWeekend = (date: Date) => date.getUTCDay() === 0 || date.getUTCDay() === 6;
  // Christmas and Boxing Day each take the first weekday on or after them that the other has not taken.
  const christmasDays: Date[] = [];
  for (const day of [25, 26]) {
    let date = utc(12, day);
    while (isWeekend(date) || christmasDays.some((taken) => taken.getTime() === date.getTime())) date = plusDays(date, 1);
    christmasDays.push(date);
  }
  let newYearDay = newYear;
  while (isWeekend(newYearDay)) newYearDay = plusDays(newYearDay, 1);
  return [
    newYearDay,
    plusDays(easter, -2),
    plusDays(easter, 1),
    firstMonday(5),
    lastMonday(5, 31),
    lastMonday(8, 31),
    ...christmasDays,
  ]
    .map(iso)
    .sort();
}

describe('the rules beyond the published list', () => {
  it('matches the standing rules wherever no one-off day changed them (2020–2035)', () => {
    const oneOffYears = [2020, 2022, 2023]; // VE day moved, the Platinum Jubilee and the State Funeral, the Coronation
    for (const year of supportedYears.filter((y) => !oneOffYears.includes(y)))
      expect(datesIn(year), String(year)).toEqual(standingRules(year));
  });

  it('has 2028 as GOV.UK lists it (the former hand-copied list)', () => {
    expect(datesIn(2028)).toEqual([
      '2028-01-03',
      '2028-04-14',
      '2028-04-17',
      '2028-05-01',
      '2028-05-29',
      '2028-08-28',
      '2028-12-25',
      '2028-12-26',
    ]);
  });

  it('has 8 bank holidays every year, more in the years of one-off days', () => {
    const counts = Object.fromEntries(supportedYears.map((year) => [year, bankHolidaysIn(year).length]));
    for (const year of supportedYears) expect(counts[year], String(year)).toBe(year === 2022 ? 10 : year === 2023 ? 9 : 8);
  });

  it('covers the year after this one, so it fails a year before it runs out', () => {
    expect(SUPPORTED_YEARS.last).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 1);
  });
});

describe('working days', () => {
  it('knows the one-off days and the usual days they replaced', () => {
    expect(isWorkingDay('2020-05-08')).toBe(false); // VE day: the Early May bank holiday moved
    expect(isWorkingDay('2020-05-04')).toBe(true);
    expect(isWorkingDay('2022-06-02')).toBe(false); // Spring bank holiday moved for the Platinum Jubilee
    expect(isWorkingDay('2022-06-03')).toBe(false);
    expect(isWorkingDay('2022-05-30')).toBe(true);
    expect(isWorkingDay('2022-09-19')).toBe(false);
    expect(isWorkingDay('2023-05-08')).toBe(false);
  });

  it('knows Easter', () => {
    for (const date of ['2024-03-29', '2024-04-01', '2025-04-18', '2025-04-21', '2031-04-11', '2031-04-14'])
      expect(isWorkingDay(date), date).toBe(false);
    expect(isWorkingDay('2024-04-02')).toBe(true);
    expect(bankHolidayOn('2024-03-29')?.title).toBe('Good Friday');
  });

  it('knows Christmas and New Year substitute days', () => {
    for (const date of ['2020-12-28', '2021-12-27', '2021-12-28', '2022-12-27', '2026-12-28', '2027-12-27', '2027-12-28'])
      expect(isWorkingDay(date), date).toBe(false);
    for (const date of ['2022-01-03', '2023-01-02', '2028-01-03']) expect(isWorkingDay(date), date).toBe(false);
    expect(isWorkingDay('2020-12-29')).toBe(true);
    expect(isWorkingDay('2022-12-28')).toBe(true);
  });

  it('counts 6 May 2024 and Christmas Day 2029 as holidays, weekends as not working, an ordinary weekday as working', () => {
    expect(isWorkingDay('2024-05-06')).toBe(false);
    expect(isWorkingDay('2029-12-25')).toBe(false);
    expect(isWorkingDay('2024-05-04')).toBe(false);
    expect(isWorkingDay('2024-05-05')).toBe(false);
    expect(isWorkingDay('2024-05-15')).toBe(true);
    // An instant is read on London's calendar: 23:30 UTC on Sunday 5 May 2024 is already Monday in London.
    expect(isWorkingDay(new Date('2024-05-05T23:30:00Z'))).toBe(false);
    expect(isWorkingDay(new Date('2024-05-06T23:30:00Z'))).toBe(true);
  });

  it('lists bank holidays between two dates', () => {
    expect(bankHolidaysBetween('2027-12-20', '2028-01-10')).toEqual(['2027-12-27', '2027-12-28', '2028-01-03']);
  });
});

describe('deadlines (DECISIONS §7: day 0 is the trigger day)', () => {
  it("gives DOMAIN's worked example: remand on Fri 3 May 2024", () => {
    const carePlan = endOfNthWorkingDayAfter('2024-05-03', 5);
    expect(carePlan.dueDate).toBe('2024-05-13');
    expect(carePlan.dueAt.toISOString()).toBe('2024-05-13T22:59:59.000Z');
    const dpp = endOfNthWorkingDayAfter('2024-05-03', 10);
    expect(dpp.dueDate).toBe('2024-05-20');
    expect(dpp.dueAt.toISOString()).toBe('2024-05-20T22:59:59.000Z');
    expect(dpp.explanation).toBe(
      '10 working days after Fri 3 May 2024 (day 0), skipping Mon 6 May 2024 (Early May bank holiday): ' +
        'end of Mon 20 May 2024, 23:59:59 BST (22:59:59 UTC)',
    );
  });

  it('takes day 0 from an instant on London’s calendar', () => {
    // 00:30 BST on Friday 3 May is still Thursday in UTC.
    const due = endOfNthWorkingDayAfter(new Date('2024-05-02T23:30:00Z'), 5);
    expect(due.dueAt.toISOString()).toBe('2024-05-13T22:59:59.000Z');
    expect(due.explanation).toMatch(/^5 working days after Fri 3 May 2024 \(day 0, triggered 00:30:00 BST\)/);
  });

  it('ends a day at 23:59:59 London: 22:59:59 UTC in summer, 23:59:59 UTC in winter, right on the clock-change days', () => {
    expect(endOfSameDay('2024-07-01').dueAt.toISOString()).toBe('2024-07-01T22:59:59.000Z');
    expect(endOfSameDay('2024-12-02').dueAt.toISOString()).toBe('2024-12-02T23:59:59.000Z');
    expect(endOfSameDay('2024-03-31').dueAt.toISOString()).toBe('2024-03-31T22:59:59.000Z');
    expect(endOfSameDay('2024-10-27').dueAt.toISOString()).toBe('2024-10-27T23:59:59.000Z');
    expect(endOfSameDay('2024-07-01').explanation).toBe(
      'same day as Mon 1 Jul 2024 (day 0): end of Mon 1 Jul 2024, 23:59:59 BST (22:59:59 UTC)',
    );
  });

  it('crosses Easter and the clock change', () => {
    // Fri 22 Mar 2024 (GMT): Mon 25–Thu 28 are days 1–4, Good Friday and Easter Monday are skipped, Tue 2 Apr (BST) is day 5.
    const due = endOfNthWorkingDayAfter('2024-03-22', 5);
    expect(due.dueAt.toISOString()).toBe('2024-04-02T22:59:59.000Z');
    expect(due.explanation).toContain('skipping Fri 29 Mar 2024 (Good Friday), Mon 1 Apr 2024 (Easter Monday)');
  });

  it('escalates "as soon as possible" at the end of the next working day', () => {
    expect(endOfNextWorkingDay(new Date('2025-12-05T15:00:00Z')).dueAt.toISOString()).toBe('2025-12-08T23:59:59.000Z');
    expect(endOfNextWorkingDay('2020-12-24').dueDate).toBe('2020-12-29');
    expect(endOfNextWorkingDay('2022-12-23').dueDate).toBe('2022-12-28');
    expect(endOfNextWorkingDay('2027-12-24').dueDate).toBe('2027-12-29');
    expect(endOfNextWorkingDay('2021-12-31').dueDate).toBe('2022-01-04');
    expect(endOfNextWorkingDay('2024-05-03').explanation).toBe(
      'next working day after Fri 3 May 2024 (day 0), skipping Mon 6 May 2024 (Early May bank holiday): ' +
        'end of Tue 7 May 2024, 23:59:59 BST (22:59:59 UTC)',
    );
    expect(endOfNextWorkingDay('2024-05-14').explanation).toContain('no bank holiday in between');
  });

  it('counts calendar days and weeks', () => {
    expect(endOfNthCalendarDayAfter('2024-05-03', 28).dueAt.toISOString()).toBe('2024-05-31T22:59:59.000Z');
    expect(endOfNthCalendarDayAfter('2024-10-25', 7).dueAt.toISOString()).toBe('2024-11-01T23:59:59.000Z');
    expect(endOfNthCalendarDayAfter('2024-05-03', 0).dueDate).toBe('2024-05-03');
    expect(endOfNthCalendarDayAfter('2024-05-03', 28).explanation).toBe(
      '28 calendar days after Fri 3 May 2024 (day 0): end of Fri 31 May 2024, 23:59:59 BST (22:59:59 UTC)',
    );
  });

  it('counts calendar months, clamping to the end of a shorter month', () => {
    expect(endOfCalendarMonthsAfter('2024-01-31', 1).dueDate).toBe('2024-02-29');
    expect(endOfCalendarMonthsAfter('2025-01-31', 1).dueDate).toBe('2025-02-28');
    expect(endOfCalendarMonthsAfter('2024-05-03', 2).dueDate).toBe('2024-07-03');
    expect(endOfCalendarMonthsAfter('2024-01-31', 1).explanation).toBe(
      '1 calendar month after Wed 31 Jan 2024 (day 0); Feb 2024 has no 31st, so its last day: ' +
        'end of Thu 29 Feb 2024, 23:59:59 GMT (23:59:59 UTC)',
    );
  });

  it('puts "a month before release" at the end of the same day a month earlier (31 March → 28/29 February)', () => {
    expect(endOfCalendarMonthsBefore('2026-03-31', 1).dueDate).toBe('2026-02-28');
    expect(endOfCalendarMonthsBefore('2024-03-31', 1).dueDate).toBe('2024-02-29');
    expect(endOfCalendarMonthsBefore('2026-03-31', 1).explanation).toBe(
      '1 calendar month before Tue 31 Mar 2026; Feb 2026 has no 31st, so its last day: end of Sat 28 Feb 2026, 23:59:59 GMT (23:59:59 UTC)',
    );
    const due = endOfCalendarMonthsBefore('2026-06-15', 1);
    expect(due.dueAt.toISOString()).toBe('2026-05-15T22:59:59.000Z');
    expect(due.explanation).toBe('1 calendar month before Mon 15 Jun 2026: end of Fri 15 May 2026, 23:59:59 BST (22:59:59 UTC)');
  });

  it('puts "no later than 14 days before release" at the end of the 14th day before', () => {
    const due = endOfDaysBefore('2026-06-29', 14);
    expect(due.dueAt.toISOString()).toBe('2026-06-15T22:59:59.000Z');
    expect(due.explanation).toBe('14 calendar days before Mon 29 Jun 2026: end of Mon 15 Jun 2026, 23:59:59 BST (22:59:59 UTC)');
    expect(endOfDaysBefore('2026-11-05', 14).dueAt.toISOString()).toBe('2026-10-22T22:59:59.000Z');
  });

  it('counts hours as elapsed time across a clock change', () => {
    const due = hoursAfter(new Date('2024-03-30T10:00:00Z'), 24);
    expect(due.dueAt.toISOString()).toBe('2024-03-31T10:00:00.000Z');
    expect(due.dueDate).toBe('2024-03-31');
    expect(due.explanation).toBe(
      '24 hours after Sat 30 Mar 2024 10:00:00 GMT (10:00:00 UTC): Sun 31 Mar 2024 11:00:00 BST (10:00:00 UTC); ' +
        'the clocks went forward in between',
    );
  });

  it('refuses nonsense', () => {
    expect(() => endOfNthWorkingDayAfter('2024-05-03', 0)).toThrow(RangeError);
    expect(() => endOfNthWorkingDayAfter('2024-05-03', 1.5)).toThrow(RangeError);
    expect(() => endOfNthCalendarDayAfter('2024-05-03', -1)).toThrow(RangeError);
    expect(() => isWorkingDay('2024-02-30')).toThrow(/Not a local date/);
    expect(() => isWorkingDay('3 May 2024')).toThrow(/Not a local date/);
  });
});

describe('outside 2020–2035 it fails closed', () => {
  it('throws CalendarRangeError rather than guess a working day', () => {
    expect(() => isWorkingDay('2019-12-31')).toThrow(CalendarRangeError);
    expect(() => isWorkingDay('2036-01-01')).toThrow(CalendarRangeError);
    expect(() => isWorkingDay('2036-01-01')).toThrow(/covers 2020–2035; 2036-01-01 is outside it/);
    expect(() => bankHolidaysIn(2019)).toThrow(CalendarRangeError);
    expect(() => bankHolidaysIn(2036)).toThrow(CalendarRangeError);
    // 23:30 UTC on 31 Dec 2019 is still 2019 in London (GMT).
    expect(() => endOfNextWorkingDay(new Date('2019-12-31T23:30:00Z'))).toThrow(CalendarRangeError);
    expect(isWorkingDay(new Date('2035-12-31T12:00:00Z'))).toBe(true);
  });

  it('throws when a deadline would land outside, too', () => {
    expect(() => endOfNthWorkingDayAfter('2035-12-28', 5)).toThrow(CalendarRangeError);
    expect(() => endOfDaysBefore('2020-01-10', 14)).toThrow(CalendarRangeError);
    expect(() => endOfCalendarMonthsAfter('2035-12-01', 1)).toThrow(CalendarRangeError);
    expect(() => hoursAfter(new Date('2035-12-31T12:00:00Z'), 24)).toThrow(CalendarRangeError);
    expect(() => bankHolidaysBetween('2035-12-01', '2036-01-31')).toThrow(CalendarRangeError);
    try {
      isWorkingDay('2019-06-03');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarRangeError);
      expect((error as CalendarRangeError).date).toBe('2019-06-03');
      expect((error as CalendarRangeError).name).toBe('CalendarRangeError');
    }
  });
});
