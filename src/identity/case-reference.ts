import { accept, refuse, type Validated } from 'src/identity/validated.js';

export type CaseReferenceProblem = 'EMPTY' | 'TOO_LONG' | 'CONTROL_CHARACTER';

/** Longer than any case system's reference we know of, short enough to index and to log. */
export const MAX_CASE_REFERENCE_LENGTH = 100;

/**
 * An agency's own reference for a child (CV-88231, 1234567, …). Its format is the agency's, so it
 * is checked only for what would make it unsafe to store, show or log: blank, over-long, or carrying
 * control or invisible formatting characters (a right-to-left override can make a reference read as
 * another). Surrounding white space is dropped; case and inner spacing are the agency's.
 */
export function validateCaseReference(input: string): Validated<string, CaseReferenceProblem> {
  const trimmed = input.trim();
  if (trimmed.length === 0) return refuse('EMPTY');
  if ([...trimmed].length > MAX_CASE_REFERENCE_LENGTH) return refuse('TOO_LONG');
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(trimmed)) return refuse('CONTROL_CHARACTER');
  return accept(trimmed);
}
