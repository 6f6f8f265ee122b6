export type PostcodeAgreement = 'FULL' | 'OUTWARD' | 'NONE';

/**
 * A UK postcode in its usual shape (outward code, then inward code of a digit and two letters),
 * upper case with one space, or null when it is not one.
 */
export function normalisePostcode(input: string | null | undefined): { outward: string; full: string } | null {
  const compact = (input ?? '').replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact);
  if (!match) return null;
  const [, outward = '', inward = ''] = match;
  return { outward, full: `${outward} ${inward}` };
}

/** Same postcode, same postcode district (outward code) only, or neither; null when either is missing or malformed. */
export function comparePostcodes(a: string | null | undefined, b: string | null | undefined): PostcodeAgreement | null {
  const first = normalisePostcode(a);
  const second = normalisePostcode(b);
  if (!first || !second) return null;
  if (first.full === second.full) return 'FULL';
  return first.outward === second.outward ? 'OUTWARD' : 'NONE';
}
