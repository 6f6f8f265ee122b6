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

/**
 * The real dates `compareDatesOfBirth` would call the same, transposed or one digit off from this
 * one (itself first), so a matcher can fetch candidates by an index on date of birth instead of
 * comparing every child. Empty when the date is not a real one.
 */
export function dateOfBirthVariants(value: string): string[] {
  const date = parseDate(value);
  if (!date) return [];
  const variants = new Set<string>([date.text]);
  const transposed = parseDate(`${date.text.slice(0, 4)}-${date.text.slice(8, 10)}-${date.text.slice(5, 7)}`);
  if (transposed) variants.add(transposed.text);
  for (let index = 0; index < date.digits.length; index++) {
    for (let digit = 0; digit <= 9; digit++) {
      const digits = `${date.digits.slice(0, index)}${digit}${date.digits.slice(index + 1)}`;
      const variant = parseDate(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`);
      if (variant) variants.add(variant.text);
    }
  }
  return [...variants];
}
