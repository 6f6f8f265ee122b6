import { isWorkingDay } from 'src/common/time/bank-holidays.js';

/** Times are Europe/London (DECISIONS §7). */
const LONDON = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Today's date in London, as YYYY-MM-DD. */
export function londonToday(now: Date = new Date()): string {
  return LONDON.format(now);
}

/** London's offset from UTC at an instant, in minutes (0 in winter, 60 in summer). */
function londonOffsetMinutes(at: Date): number {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(at).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/**
 * 23:59:59 London time on the next working day after `from` (weekends and England and Wales bank
 * holidays skipped): when "as soon as possible" becomes late (DECISIONS §7).
 */
export function endOfNextWorkingDay(from: Date): Date {
  const [year, month, day] = londonToday(from).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  do date.setUTCDate(date.getUTCDate() + 1);
  while (!isWorkingDay(date.toISOString().slice(0, 10)));
  const naive = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59));
  return new Date(naive.getTime() - londonOffsetMinutes(naive) * 60_000);
}
