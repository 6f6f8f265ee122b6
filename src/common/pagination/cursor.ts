import { TandemError } from 'src/common/errors/tandem-error.js';

/** Cursors are opaque to clients: base64url of the sort key (a timestamp or text, and an id). */
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): { sortKey: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // Fall through to the error below.
  }
  throw TandemError.badInput('Not a cursor this list returned', field);
}

/** What a list's cursor holds: its id's form, and its sort key's (an instant, any text, or nothing). */
export interface CursorShape {
  readonly id: 'uuid' | 'digits';
  readonly sortKey: 'instant' | 'text' | 'none';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^\d{1,19}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * A cursor of a list whose statement binds its parts as typed values: refused (BAD_USER_INPUT)
 * unless it has the list's shape, so a forged one that decodes never reaches the statement (where
 * it would fail as an internal error).
 */
export function shapedCursor(cursor: string, shape: CursorShape, field = 'after'): { sortKey: string; id: string } {
  const decoded = decodeCursor(cursor, field);
  const idOk = shape.id === 'uuid' ? UUID.test(decoded.id) : DIGITS.test(decoded.id);
  const keyOk =
    shape.sortKey === 'text' ||
    (shape.sortKey === 'none' && decoded.sortKey === '') ||
    (shape.sortKey === 'instant' && INSTANT.test(decoded.sortKey) && Number.isFinite(Date.parse(decoded.sortKey)));
  if (!idOk || !keyOk) throw TandemError.badInput('Not a cursor this list returned', field);
  return decoded;
}

/** Validates `first`, defaulting and capping it. */
export function pageSize(first: number | null | undefined, defaultSize: number, max: number): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw TandemError.badInput(`first must be between 1 and ${max}`, 'first');
  }
  return first;
}
