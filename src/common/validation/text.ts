import { TandemError } from 'src/common/errors/tandem-error.js';

export const MAX_SHORT_TEXT = 500;
export const MAX_LONG_TEXT = 20000;

/** A required piece of text: trimmed, not empty, not longer than `max`. */
export function requireText(value: string, field: string, max = MAX_SHORT_TEXT): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw TandemError.badInput(`${field} must not be empty`, field);
  if (trimmed.length > max) throw TandemError.badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

/** Optional text: null when absent or blank, else as requireText. */
export function optionalText(value: string | null | undefined, field: string, max = MAX_SHORT_TEXT): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  return requireText(value, field, max);
}

/** `later` must not be before `earlier` (both YYYY-MM-DD). */
export function requireNotBefore(later: string, earlier: string, field: string): void {
  if (later < earlier) throw TandemError.badInput(`${field} must not be before ${earlier}`, field);
}
