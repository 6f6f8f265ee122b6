import type { DictionaryKind, DictionaryReader, DictionaryWriter } from 'src/disclosure/compact/response-codec.js';

/**
 * A dictionary held in memory: numbers handed out per kind in order of first use. What a stored
 * dictionary keeps in front of its table; alone, what the bench measures the form with.
 */
export class MemoryDictionary implements DictionaryWriter, DictionaryReader {
  private readonly byKind = new Map<DictionaryKind, { readonly ids: Map<string, number>; readonly values: string[] }>();

  idOf(kind: DictionaryKind, canonical: string): number {
    const entries = this.entries(kind);
    const known = entries.ids.get(canonical);
    if (known !== undefined) return known;
    entries.values.push(canonical);
    entries.ids.set(canonical, entries.values.length - 1);
    return entries.values.length - 1;
  }

  canonicalOf(kind: DictionaryKind, id: number): string {
    const value = this.byKind.get(kind)?.values[id];
    if (value === undefined) throw new Error(`No ${kind} number ${id} in the dictionary`);
    return value;
  }

  /** How many values of each kind it holds, and their bytes. */
  size(): { readonly entries: number; readonly bytes: number } {
    let entries = 0;
    let bytes = 0;
    for (const { values } of this.byKind.values()) {
      entries += values.length;
      for (const value of values) bytes += Buffer.byteLength(value, 'utf8');
    }
    return { entries, bytes };
  }

  private entries(kind: DictionaryKind) {
    let entries = this.byKind.get(kind);
    if (!entries) {
      entries = { ids: new Map(), values: [] };
      this.byKind.set(kind, entries);
    }
    return entries;
  }
}
