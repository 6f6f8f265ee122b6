import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DictionaryKind, References } from 'src/disclosure/compact/response-references.js';

const TAGS: Record<DictionaryKind, number> = { DISCLOSED: 1, WITHHELD: 2, BASES: 3, RECORD_KIND: 4 };

/** The digest as the compact form defines it: SHA-256 of each entry's kind, number, length and value, cut to 16 bytes. */
function expected(entries: readonly [DictionaryKind, number, string][]): Buffer {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  for (const [kind, id, canonical] of entries) {
    if (seen.has(`${kind}:${id}`)) continue;
    seen.add(`${kind}:${id}`);
    const value = Buffer.from(canonical, 'utf8');
    const head = Buffer.alloc(9);
    head.writeUInt8(TAGS[kind], 0);
    head.writeUInt32BE(id, 1);
    head.writeUInt32BE(value.length, 5);
    hash.update(head).update(value);
  }
  return hash.digest().subarray(0, 16);
}

function digestOf(entries: readonly [DictionaryKind, number, string][]): Buffer {
  const references = new References();
  for (const [kind, id, canonical] of entries) references.note(kind, id, canonical);
  return references.digest();
}

describe('the digest of the dictionary entries a response refers to', () => {
  it('is the digest of each entry once, in order of first use, however often it was made before', () => {
    const entries: [DictionaryKind, number, string][] = [
      ['DISCLOSED', 1, '["a","b"]'],
      ['BASES', 1, '[]'],
      ['DISCLOSED', 1, '["a","b"]'],
      ['RECORD_KIND', 7, '"CARE_PLAN"'],
    ];
    for (let round = 0; round < 3; round++) expect(digestOf(entries).equals(expected(entries))).toBe(true);
    expect(digestOf(entries.slice(1)).equals(expected(entries.slice(1)))).toBe(true);
  });

  it('follows a number whose value changed (another dictionary): never the digest kept for the old value', () => {
    const before: [DictionaryKind, number, string][] = [['WITHHELD', 3, '{"x":1}']];
    const after: [DictionaryKind, number, string][] = [['WITHHELD', 3, '{"x":2}']];
    expect(digestOf(before).equals(expected(before))).toBe(true);
    expect(digestOf(after).equals(expected(after))).toBe(true);
    expect(digestOf(before).equals(expected(before))).toBe(true);
  });

  it('stays right past the cache’s limits (entries and digests kept, the tree emptied and grown again)', () => {
    for (let id = 0; id < 25_000; id += 1) {
      const entries: [DictionaryKind, number, string][] = [
        ['DISCLOSED', 1, '["a","b"]'],
        ['BASES', 100_000 + id, `["basis ${id}"]`],
      ];
      if (id % 997 === 0 || id > 24_990) expect(digestOf(entries).equals(expected(entries))).toBe(true);
      else digestOf(entries);
    }
    const early: [DictionaryKind, number, string][] = [
      ['DISCLOSED', 1, '["a","b"]'],
      ['BASES', 100_005, '["basis 5"]'],
    ];
    expect(digestOf(early).equals(expected(early))).toBe(true);
  });
});
