/**
 * England and Wales bank holidays, substitute days included (DECISIONS §7), as published by
 * GOV.UK. Kept here so working days are computed offline; extend the list each year (the test
 * fails a year before it runs out).
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = [
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
];

const HOLIDAYS = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS);

/** Whether a date (YYYY-MM-DD) is a working day in England and Wales. */
export function isWorkingDay(date: string): boolean {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !HOLIDAYS.has(date);
}
