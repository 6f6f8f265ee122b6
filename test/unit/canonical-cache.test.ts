import { describe, expect, it } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CanonicalCache, sameJson } from 'src/disclosure/compact/canonical-cache.js';

const BASES = [
  {
    agreement: { id: 'derby-yos-csc', version: 4, clause: '2.1' },
    class: 'CARE_PLANNING',
    lawfulBasis: 'Art 6(1)(e)',
    rule: 'r §2.1',
  },
  { agreement: null, class: 'IDENTITY_BASIC', lawfulBasis: null, rule: 'RELATIONSHIP' },
];

describe('sameJson: the same canonical JSON, decided by comparing', () => {
  const parsed = (value: unknown): unknown => JSON.parse(canonicalJson(value));
  it.each<[string, unknown, unknown, boolean]>([
    ['equal lists of strings', ['a', 'b'], ['a', 'b'], true],
    ['another order', ['b', 'a'], ['a', 'b'], false],
    ['a list one longer', ['a', 'b', 'c'], ['a', 'b'], false],
    ['objects whose keys come in another order', { b: 1, a: { y: null, x: true } }, { a: { x: true, y: null }, b: 1 }, true],
    ['an undefined key left out, as canonical JSON leaves it', { a: 1, b: undefined }, { a: 1 }, true],
    ['a key more', { a: 1, b: 2 }, { a: 1 }, false],
    ['a key fewer', { a: 1 }, { a: 1, b: 2 }, false],
    ['null against an object', null, {}, false],
    ['an object against null', {}, null, false],
    ['a list against an object with index keys', ['x'], { 0: 'x' }, false],
    ['an object with index keys against a list', { 0: 'x' }, ['x'], false],
    ['a number against its text', 1, '1', false],
    ['minus zero, written 0', -0, 0, true],
    ['not a number, which canonical JSON refuses', Number.NaN, 0, false],
    ['a Date, written as its instant', new Date(0), '1970-01-01T00:00:00.000Z', false],
    ['an undefined list item, which canonical JSON refuses', [undefined], [null], false],
    ['a text with a lone surrogate', ['\uD800x'], parsed(['\uD800x']), true],
    ['bases as the policy builds them', BASES, parsed(BASES), true],
  ])('%s', (_, value, other, same) => {
    expect(sameJson(value, other)).toBe(same);
  });
});

describe('CanonicalCache', () => {
  it('gives the canonical JSON of every value, seen before or not', () => {
    const cache = new CanonicalCache(2, 4);
    const values: unknown[] = [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'b'],
      BASES,
      structuredClone(BASES),
      [{ ...BASES[0], rule: 'other' }],
      [],
      { b: [1, -0, null], a: 'x' },
      { a: 'x', b: [1, 0, null] },
      [new Date(0)],
      ['\uDC00'],
      ['a', 'd'],
      ['a', 'e'],
      ['a', 'b'],
    ];
    for (const value of values) expect(cache.textOf('K', value)).toBe(canonicalJson(value));
  });

  it('hands back the same text for an equal value (a string the dictionary has already hashed)', () => {
    const cache = new CanonicalCache();
    const first = cache.textOf('BASES', structuredClone(BASES));
    expect(cache.textOf('BASES', structuredClone(BASES))).toBe(first);
    // Kept apart by kind: the same value under another kind is written out again, to the same text.
    expect(cache.textOf('OTHER', structuredClone(BASES))).toBe(first);
  });

  it('is not changed by a caller changing a value it was given', () => {
    const cache = new CanonicalCache();
    const value = ['a', 'b'];
    cache.textOf('K', value);
    value[1] = 'z';
    expect(cache.textOf('K', ['a', 'b'])).toBe('["a","b"]');
    expect(cache.textOf('K', value)).toBe('["a","z"]');
  });

  it('refuses what canonical JSON refuses', () => {
    expect(() => new CanonicalCache().textOf('K', [Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});
