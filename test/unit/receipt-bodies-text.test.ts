import { describe, expect, it } from 'vitest';
import { bodiesText } from 'src/disclosure/disclosure.repository.js';

// Receipts travel to the database as one text joined by U+001E, split there into one body each: a
// raw separator inside a body would make one receipt into two, so it is refused before anything is sent.

describe('the bodies of one insert', () => {
  it('are joined by the separator', () => {
    expect(bodiesText([{ body: '{"a":1}' }, { body: '{"b":2}' }, { body: '{"c":"\\u001e"}' }])).toBe(
      '{"a":1}\u001e{"b":2}\u001e{"c":"\\u001e"}',
    );
    expect(bodiesText([{ body: '{}' }])).toBe('{}');
  });

  it('refuse a raw separator in any body, first, last or alone', () => {
    expect(() => bodiesText([{ body: '{"a":"\u001e"}' }, { body: '{}' }])).toThrow('raw record separator');
    expect(() => bodiesText([{ body: '{}' }, { body: '{}\u001e{}' }])).toThrow('raw record separator');
    expect(() => bodiesText([{ body: '\u001e' }])).toThrow('raw record separator');
  });

  it('refuse an empty body', () => {
    expect(() => bodiesText([{ body: '{}' }, { body: '' }])).toThrow('empty');
  });
});
