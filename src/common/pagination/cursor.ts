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

/** Validates `first`, defaulting and capping it. */
export function pageSize(first: number | null | undefined, defaultSize: number, max: number): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw TandemError.badInput(`first must be between 1 and ${max}`, 'first');
  }
  return first;
}
