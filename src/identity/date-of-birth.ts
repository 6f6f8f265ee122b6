export type DateOfBirthAgreement = 'EXACT' | 'TRANSPOSED' | 'ONE_DIGIT' | 'NONE';

/**
 * How two dates of birth (YYYY-MM-DD) agree, allowing the two slips that keying makes: day and
 * month swapped (an American order, or a form read the wrong way) and one mistyped digit. Null when
 * either is missing or not a real date.
 */
export function compareDatesOfBirth(a: string | null | undefined, b: string | null | undefined): DateOfBirthAgreement | null {
  const first = parseDate(a);
  const second = parseDate(b);
  if (!first || !second) return null;
  if (first.text === second.text) return 'EXACT';
  if (first.year === second.year && first.month === second.day && first.day === second.month) return 'TRANSPOSED';
  const differingDigits = [...first.digits].filter((digit, index) => digit !== second.digits[index]).length;
  return differingDigits === 1 ? 'ONE_DIGIT' : 'NONE';
}

interface ParsedDate {
  readonly text: string;
  readonly digits: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parseDate(value: string | null | undefined): ParsedDate | null {
  const text = value?.trim() ?? '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2010-02-30 over into March; a date that does not survive the round trip is not real.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { text, digits: text.replace(/-/g, ''), year, month, day };
}
