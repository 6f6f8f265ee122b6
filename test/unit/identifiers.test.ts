import { describe, expect, it } from 'vitest';
import { MAX_CASE_REFERENCE_LENGTH, validateCaseReference } from 'src/identity/case-reference.js';
import { validateNhsNumber } from 'src/identity/nhs-number.js';
import { validatePncId } from 'src/identity/pnc-id.js';
import { validateUpn } from 'src/identity/upn.js';

describe('NHS number (modulus 11)', () => {
  it.each([
    ['9434765919', '9434765919'],
    ['9434765870', '9434765870'], // check digit 0: 11 − remainder 0 = 11, written 0
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    [' 4010232137 ', '4010232137'],
  ])('accepts %j as %s', (input, value) => {
    expect(validateNhsNumber(input)).toEqual({ valid: true, value });
  });

  it.each([
    ['', 'EMPTY'],
    ['  ', 'EMPTY'],
    ['943476591', 'NOT_TEN_DIGITS'],
    ['94347659190', 'NOT_TEN_DIGITS'],
    ['943476591X', 'NOT_TEN_DIGITS'],
    ['9434.765.919', 'NOT_TEN_DIGITS'],
    ['9434765918', 'WRONG_CHECK_DIGIT'],
    ['9434765910', 'WRONG_CHECK_DIGIT'],
    ['9434765871', 'WRONG_CHECK_DIGIT'],
    ['4934765919', 'WRONG_CHECK_DIGIT'], // two digits swapped
    ['1234567890', 'CHECK_DIGIT_TEN'], // 1·10 + 2·9 + … + 9·2 = 210, 210 mod 11 = 1, 11 − 1 = 10: never issued
    ['1234567891', 'CHECK_DIGIT_TEN'],
    ['0000000000', 'PLACEHOLDER'],
    ['1111111111', 'PLACEHOLDER'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateNhsNumber(input)).toEqual({ valid: false, reason });
  });
});

describe('PNC ID (year and serial mod 23)', () => {
  // The long-form IDs are the valid examples in the Ministry of Justice's person-record tests
  // (hmpps-person-record, PNCIdValidatorTest); 98/1234567L is computed: 981234567 mod 23 = 10 → L.
  it.each([
    ['2001/0171310W', '01/0171310W'],
    ['2011/0275516Q', '11/0275516Q'],
    ['2008/0056560Z', '08/0056560Z'], // remainder 0 → Z
    ['2003/0062845E', '03/0062845E'],
    ['1981/0154257C', '81/0154257C'],
    ['20030011985X', '03/0011985X'],
    ['98/1234567L', '98/1234567L'],
    ['981234567L', '98/1234567L'],
    ['98/1234567l', '98/1234567L'],
    [' 81/154257C ', '81/0154257C'], // leading zeros of the serial restored
    ['1981/154257C', '81/0154257C'],
    ['12/345G', '12/0000345G'],
  ])('accepts %j as %s', (input, value) => {
    expect(validatePncId(input)).toEqual({ valid: true, value });
  });

  it('gives the long and short forms of one ID the same value', () => {
    expect(validatePncId('2001/0171310W')).toEqual(validatePncId('01/171310W'));
  });

  it.each([
    ['', 'EMPTY'],
    ['98/1234567A', 'WRONG_CHECK_CHARACTER'], // the right letter is L
    ['2001/0171310X', 'WRONG_CHECK_CHARACTER'],
    ['2001/0171311W', 'WRONG_CHECK_CHARACTER'],
    ['98/12345678L', 'BAD_FORMAT'], // eight-digit serial
    ['9812345L', 'BAD_FORMAT'], // short serial without the slash: year and serial cannot be told apart
    ['198/1234567L', 'BAD_FORMAT'], // three-digit year
    ['98/1234567', 'BAD_FORMAT'], // no check letter
    ['98/1234567LL', 'BAD_FORMAT'],
    ['1X23/1234567A', 'BAD_FORMAT'],
    ['98-1234567L', 'BAD_FORMAT'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validatePncId(input)).toEqual({ valid: false, reason });
  });
});

describe('UPN (DfE check letter, mod 23)', () => {
  // B801200005001 is python-stdnum's valid example. P207000016049: the weighted sum of the DfE
  // census-error example (2·2 + 4·7 + 9·1 + 10·6 + 12·4 + 13·9) is 266, and 266 mod 23 = 13 → P.
  // D85620231401A (temporary): 8·2 + 5·3 + 6·4 + 2·5 + 0·6 + 2·7 + 3·8 + 1·9 + 4·10 + 0·11 + 1·12 + A(0)·13
  // = 164, and 164 mod 23 = 3 → D.
  it.each([
    ['B801200005001', 'B801200005001', false],
    ['b801200005001', 'B801200005001', false],
    ['B801 2000 05001', 'B801200005001', false],
    ['P207000016049', 'P207000016049', false],
    ['D85620231401A', 'D85620231401A', true],
    ['T85620231401B', 'T85620231401B', true],
  ])('accepts %j as %s (temporary: %s)', (input, value, temporary) => {
    expect(validateUpn(input)).toEqual({ valid: true, value: { value, temporary } });
  });

  it.each([
    ['', 'EMPTY'],
    ['A801200005001', 'WRONG_CHECK_LETTER'],
    ['Q207000016049', 'WRONG_CHECK_LETTER'], // the check letter the census example gives, from a mis-added sum
    ['D85620231401B', 'WRONG_CHECK_LETTER'],
    ['B80120000500', 'BAD_FORMAT'], // twelve characters
    ['B8012000050011', 'BAD_FORMAT'],
    ['8801200005001', 'BAD_FORMAT'], // no check letter
    ['X80120000A001', 'BAD_FORMAT'], // letters only first and last
    ['I801200005001', 'BAD_FORMAT'], // I, O and S are never check letters
    ['D85620231401I', 'BAD_FORMAT'], // … nor the final letter of a temporary UPN
    ['D85620231401S', 'BAD_FORMAT'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateUpn(input)).toEqual({ valid: false, reason });
  });
});

describe('case-system reference', () => {
  it.each([
    ['CV-88231', 'CV-88231'],
    ['  LCS 000123 ', 'LCS 000123'],
    ['mosaic/2024/77', 'mosaic/2024/77'],
    ['x'.repeat(MAX_CASE_REFERENCE_LENGTH), 'x'.repeat(MAX_CASE_REFERENCE_LENGTH)],
  ])('accepts %j as %j', (input, value) => {
    expect(validateCaseReference(input)).toEqual({ valid: true, value });
  });

  it.each([
    ['', 'EMPTY'],
    [' \t\n', 'EMPTY'],
    ['x'.repeat(MAX_CASE_REFERENCE_LENGTH + 1), 'TOO_LONG'],
    ['CV-\u000088231', 'CONTROL_CHARACTER'],
    ['CV-88\n231', 'CONTROL_CHARACTER'],
    ['CV-88231\u001b[2J', 'CONTROL_CHARACTER'],
    ['CV-\u202e13288', 'CONTROL_CHARACTER'], // right-to-left override
    ['CV\u200b-88231', 'CONTROL_CHARACTER'], // zero-width space
  ])('refuses %j: %s', (input, reason) => {
    expect(validateCaseReference(input)).toEqual({ valid: false, reason });
  });
});

describe('identifier checks never throw', () => {
  const odd = ['', ' ', '\u0000', '💥'.repeat(50), 'null', '-'.repeat(20), '9'.repeat(1000)];
  it.each(odd)('on %j', (input) => {
    for (const validate of [validateNhsNumber, validatePncId, validateUpn, validateCaseReference]) {
      expect(() => validate(input)).not.toThrow();
    }
  });
});
