import { canonicalJson } from 'src/disclosure/chain/canonical.js';

/**
 * The canonical JSON of the values a response's receipts send to the dictionary (field sets,
 * withheld lists, bases), found by comparing rather than serialising: requests build the same few
 * values again and again as new objects, and comparing one with a value seen before costs a
 * quarter of writing it out (a bases list is up to a kilobyte of text). A value equal to one seen
 * (the same JSON data: strings, finite numbers, booleans, null, arrays, objects by their own keys
 * with a value) has the same canonical JSON, so its text is taken from there; anything else is
 * serialised and kept. The texts are the same strings each time, so the dictionary's look-up of
 * them hashes nothing again.
 */
export class CanonicalCache {
  private readonly seen = new Map<string, Seen[]>();

  /**
   * @param perShape values kept for each (kind, list length), the most recently used first
   * @param shapes the (kind, list length) pairs kept in all
   */
  constructor(
    private readonly perShape = 16,
    private readonly shapes = 1024,
  ) {}

  textOf(kind: string, value: unknown, shared?: Map<object, string>): string {
    const known = typeof value === 'object' && value !== null ? shared?.get(value) : undefined;
    if (known !== undefined) return known;
    const key = `${kind}:${Array.isArray(value) ? value.length : -1}`;
    const list = this.seen.get(key);
    if (list) {
      for (let index = 0; index < list.length; index++) {
        const candidate = list[index] as Seen;
        if (!sameJson(value, candidate.value)) continue;
        if (index > 0) {
          list.splice(index, 1);
          list.unshift(candidate);
        }
        if (typeof value === 'object' && value !== null) shared?.set(value, candidate.text);
        return candidate.text;
      }
    }
    const text = canonicalJson(value, shared);
    // Kept as parsed from its own text: plain data no caller holds, so nothing changes it.
    const entry: Seen = { value: JSON.parse(text) as unknown, text };
    if (list) {
      list.unshift(entry);
      if (list.length > this.perShape) list.pop();
    } else if (this.seen.size < this.shapes) this.seen.set(key, [entry]);
    return text;
  }
}

interface Seen {
  readonly value: unknown;
  readonly text: string;
}

/**
 * Whether `value` is the same JSON data as `parsed` (which came from JSON.parse): the same
 * canonical JSON. Anything canonical JSON would write otherwise (a Date, a number that is not
 * finite, an undefined list item) is never equal to parsed data, so it is written out instead.
 */
export function sameJson(value: unknown, parsed: unknown): boolean {
  if (parsed === null || typeof parsed !== 'object') return value === parsed;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(parsed)) {
    if (!Array.isArray(value) || value.length !== parsed.length) return false;
    for (let index = 0; index < parsed.length; index++) if (!sameJson(value[index], parsed[index])) return false;
    return true;
  }
  if (Array.isArray(value) || value instanceof Date) return false;
  const record = value as Record<string, unknown>;
  const other = parsed as Record<string, unknown>;
  const keys = Object.keys(record);
  let counted = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const item = record[key];
    if (item === undefined) continue;
    counted++;
    if (!Object.hasOwn(other, key) || !sameJson(item, other[key])) return false;
  }
  return counted === Object.keys(other).length;
}
