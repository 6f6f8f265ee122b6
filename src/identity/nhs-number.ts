import { accept, refuse, type Validated } from 'src/identity/validated.js';

export type NhsNumberProblem = 'EMPTY' | 'NOT_TEN_DIGITS' | 'CHECK_DIGIT_TEN' | 'WRONG_CHECK_DIGIT' | 'PLACEHOLDER';

/**
 * An NHS number: ten digits, the last a modulus-11 check digit (NHS Data Dictionary, "NHS Number").
 * Spaces and hyphens are accepted in the input (people write 943 476 5919); the value is the ten
 * digits.
 */
export function validateNhsNumber(input: string): Validated<string, NhsNumberProblem> {
  const digits = input.replace(/[\s-]/g, '');
  if (digits.length === 0) return refuse('EMPTY');
  if (!/^\d{10}$/.test(digits)) return refuse('NOT_TEN_DIGITS');
  // Ten equal digits pass the check (0000000000, 1111111111, …) but are what case systems type
  // when the number is unknown; matching on one would join unrelated children.
  if (/^(\d)\1{9}$/.test(digits)) return refuse('PLACEHOLDER');
  const check = nhsCheckDigit(digits.slice(0, 9));
  if (check === 10) return refuse('CHECK_DIGIT_TEN');
  return check === Number(digits[9]) ? accept(digits) : refuse('WRONG_CHECK_DIGIT');
}

/** Weights 10 down to 2 over the first nine digits; 11 minus the remainder mod 11, where 11 means 0 and 10 is never issued. */
function nhsCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}
