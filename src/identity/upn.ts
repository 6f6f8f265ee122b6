import { accept, refuse, type Validated } from 'src/identity/validated.js';

export type UpnProblem = 'EMPTY' | 'BAD_FORMAT' | 'WRONG_CHECK_LETTER';

export interface Upn {
  /** The thirteen characters, upper case. */
  readonly value: string;
  /** A temporary UPN, given while the permanent one is traced; the school replaces it later. */
  readonly temporary: boolean;
}

/**
 * A Unique Pupil Number, per the DfE specification (UK Government Data Standards Catalogue, "Unique
 * Pupil Number" v2.0; DfE "Unique Pupil Numbers (UPNs) – policy and practice guidance"):
 * a check letter, then a 3-digit local authority number, a 4-digit establishment number, the last
 * two digits of the year and a 3-digit serial, or, for a temporary UPN, a 2-digit serial and a letter.
 *
 * Check letter: characters 2 to 13 weighted 2 to 13 (a temporary UPN's final letter counts as its
 * position in the letters below), summed, modulo 23, as a letter of "ABCDEFGHJKLMNPQRTUVWXYZ"
 * (I, O and S are never used, neither as check letter nor as the final letter).
 *
 * The local authority number is not checked against the DfE's list: the list changes, and a wrong
 * one is already unlikely to pass the check letter.
 */
export function validateUpn(input: string): Validated<Upn, UpnProblem> {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact.length === 0) return refuse('EMPTY');
  const match = /^([A-Z])(\d{11})([0-9A-Z])$/.exec(compact);
  if (!match) return refuse('BAD_FORMAT');
  const [, check = '', digits = '', last = ''] = match;
  const temporary = /[A-Z]/.test(last);
  if (!UPN_LETTERS.includes(check) || (temporary && !UPN_LETTERS.includes(last))) return refuse('BAD_FORMAT');
  const values = [...digits].map(Number);
  values.push(temporary ? UPN_LETTERS.indexOf(last) : Number(last));
  const sum = values.reduce((total, value, index) => total + value * (index + 2), 0);
  if (UPN_LETTERS[sum % 23] !== check) return refuse('WRONG_CHECK_LETTER');
  return accept({ value: compact, temporary });
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
