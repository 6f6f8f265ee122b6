/**
 * Europe/London wall-clock primitives (DECISIONS §7: times are Europe/London). Working days and
 * deadlines are in `src/common/time/working-days.ts`; this file only maps between instants and
 * London local dates and times, DST included.
 */

/** An ISO local date in London, "YYYY-MM-DD". */
export type LocalDate = string;

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
export function londonToday(now: Date = new Date()): LocalDate {
  return LONDON.format(now);
}

/** The London local date of an instant (day 0 of a deadline that an instant triggers). */
export function londonDateOf(instant: Date): LocalDate {
  return LONDON.format(instant);
}

/** London's wall clock at an instant: date, hours, minutes, seconds. */
export function londonClock(at: Date): { date: LocalDate; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** London's offset from UTC at an instant, in minutes (0 in winter, 60 in summer). */
export function londonOffsetMinutes(at: Date): number {
  const clock = londonClock(at);
  const [year, month, day] = splitLocalDate(clock.date);
  const asUtc = Date.UTC(year, month - 1, day, clock.hour, clock.minute, clock.second);
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/** "GMT" or "BST", for explanations. */
export function londonZoneName(at: Date): 'GMT' | 'BST' {
  return londonOffsetMinutes(at) === 0 ? 'GMT' : 'BST';
}

/**
 * The instant of 23:59:59.000 London time on a local date. Clocks change at 01:00 UTC, never near
 * midnight, so the offset read at the naive UTC time is the offset at the real one.
 */
export function endOfLondonDay(date: LocalDate): Date {
  const [year, month, day] = splitLocalDate(date);
  const naive = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
  return new Date(naive.getTime() - londonOffsetMinutes(naive) * 60_000);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** [year, month (1–12), day] of a local date; throws on anything that is not a real YYYY-MM-DD date. */
export function splitLocalDate(date: LocalDate): [number, number, number] {
  const match = LOCAL_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day)
      return [year, month, day];
  }
  throw new RangeError(`Not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}
