import { accept, refuse, type Validated } from 'src/identity/validated.js';

export type PncIdProblem = 'EMPTY' | 'BAD_FORMAT' | 'WRONG_CHECK_CHARACTER';

/**
 * A Police National Computer ID: year, serial number and check letter, written YY/NNNNNNNC, or
 * YYYY/NNNNNNNC in the long form (e.g. 2001/0171310W).
 *
 * Check character: the two-digit year followed by the serial padded to seven digits, read as one
 * nine-digit number, modulo 23, indexes "ZABCDEFGHJKLMNPQRTUVWXY" (I, O and S are not used). This
 * is the algorithm the Ministry of Justice's person-record service applies (github.com/ministryofjustice/
 * hmpps-person-record, `PNCIdentifier`), where the long form's century plays no part.
 *
 * The value is the short form with the serial padded (01/0171310W): the check covers only two year
 * digits, and inferring the century of a short ID would need today's date. The PNC dates from 1974,
 * so no two IDs in use share their last two year digits across centuries.
 */
export function validatePncId(input: string): Validated<string, PncIdProblem> {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact.length === 0) return refuse('EMPTY');
  const parts = splitPncId(compact);
  if (!parts) return refuse('BAD_FORMAT');
  const serial = parts.serial.padStart(7, '0');
  const expected = PNC_CHECK_LETTERS[Number(parts.year + serial) % 23];
  if (expected !== parts.check) return refuse('WRONG_CHECK_CHARACTER');
  return accept(`${parts.year}/${serial}${parts.check}`);
}

const PNC_CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/**
 * With the slash, the serial may have lost its leading zeros (98/1234L); without it the serial
 * must be all seven digits, or the year and serial could not be told apart.
 */
function splitPncId(compact: string): { year: string; serial: string; check: string } | null {
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(compact) ?? /^(\d{2}|\d{4})(\d{7})([A-Z])$/.exec(compact);
  if (!match) return null;
  const [, year = '', serial = '', check = ''] = match;
  return { year: year.slice(-2), serial, check };
}
