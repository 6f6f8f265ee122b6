import { describe, expect, it } from 'vitest';
import { encodeCursor, shapedCursor } from 'src/common/pagination/cursor.js';
import { TandemError } from 'src/common/errors/tandem-error.js';

const ID = '5b0f2c4e-1d2a-4c3b-8e4f-0a1b2c3d4e5f';

describe('shapedCursor', () => {
  it.each([
    ['a uuid and an instant', encodeCursor('2026-12-05T00:07:38.212Z', ID), { id: 'uuid', sortKey: 'instant' }],
    ['a uuid and text', encodeCursor("O'Brien", ID), { id: 'uuid', sortKey: 'text' }],
    ['digits and nothing', encodeCursor('', '123456789'), { id: 'digits', sortKey: 'none' }],
  ] as const)('takes a cursor its list gave: %s', (_name, cursor, shape) => {
    expect(shapedCursor(cursor, shape).id).toBe(shape.id === 'uuid' ? ID : '123456789');
  });

  it.each([
    ['an id that is not a uuid', encodeCursor('Smith', "x' OR 1=1"), { id: 'uuid', sortKey: 'text' }],
    ['an instant that is not one', encodeCursor('yesterday', ID), { id: 'uuid', sortKey: 'instant' }],
    ['an impossible date', encodeCursor('2026-02-31T25:00:00.000Z', ID), { id: 'uuid', sortKey: 'instant' }],
    ['a bigint id too long', encodeCursor('', '12345678901234567890'), { id: 'digits', sortKey: 'none' }],
    ['a sort key where there is none', encodeCursor('x', '1'), { id: 'digits', sortKey: 'none' }],
    ['not base64 JSON at all', '%%%', { id: 'uuid', sortKey: 'text' }],
  ] as const)('refuses %s as BAD_USER_INPUT on the field', (_name, cursor, shape) => {
    const refusal = (() => {
      try {
        shapedCursor(cursor, shape);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(TandemError);
    expect(refusal instanceof TandemError ? { code: refusal.code, ...refusal.details } : null).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});
