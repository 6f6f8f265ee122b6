import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { describe, expect, it } from 'vitest';
import { NamedParameters } from 'src/common/database/named-parameters.js';

/** TypeORM's own binding, on a driver object with only what the method uses. */
function typeorm(text: string, parameters: Record<string, unknown>): [string, unknown[]] {
  // createParameter as PostgresDriver writes it: the prefix and the 1-based position.
  const driver = { parametersPrefix: '$', createParameter: (_name: string, index: number) => `$${index + 1}` };
  return PostgresDriver.prototype.escapeQueryWithParameters.call(driver, text, parameters);
}

/** A small deterministic generator (mulberry32), so a failure names the seed that found it. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['pol_agency', 'pol_0', 'pol_1', 'pg_child_ids', 'a.b', 'missing'];
const GLUE = [' = ', ' IN (', ') AND ', '::uuid', '::timestamptz, ', ' OR x::text = ', "'a:b' ", ''];

describe('named parameters are bound as TypeORM binds them', () => {
  it('on the records page as the policy writes it', () => {
    const text = `SELECT 1 FROM shared_record r WHERE r.child_id IN (:...pg_child_ids) AND (r.owning_agency_id = :pol_agency
      OR r.kind::text IN (:...pol_0)) AND (date_trunc('milliseconds', r.updated_at), r.id) < (:pg_sort_key::timestamptz, :pg_after_id::uuid)
      AND :pol_agency IS NOT NULL LIMIT :pg_limit`;
    const parameters = {
      pg_child_ids: ['c1', 'c2'],
      pol_agency: 'agency',
      pol_0: ['CARE_PLAN'],
      pg_sort_key: '2026-01-01T00:00:00.000Z',
      pg_after_id: 'id',
      pg_limit: 21,
    };
    const bound = new NamedParameters();
    expect(bound.bind(text, parameters)).toEqual(typeorm(text, parameters));
    // Again with other list lengths: the text kept for the first shape is not reused for another.
    const other = { ...parameters, pg_child_ids: ['c1', 'c2', 'c3'], pol_0: [] };
    expect(bound.bind(text, other)).toEqual(typeorm(text, other));
    expect(bound.bind(text, parameters)).toEqual(typeorm(text, parameters));
  });

  it('with no parameters, the text as it is', () => {
    expect(new NamedParameters().bind('SELECT :a', {})).toEqual(typeorm('SELECT :a', {}));
  });

  it('a key bound once and written again, as a value and as a list, takes its first number (as TypeORM does)', () => {
    const text = 'SELECT :a, :...b, :a, :...a, :...b';
    const parameters = { a: 1, b: [2, 3] };
    expect(new NamedParameters().bind(text, parameters)).toEqual(typeorm(text, parameters));
  });

  it('leaves to TypeORM a function (written into the text) and a list that is not an array', () => {
    const bound = new NamedParameters();
    expect(bound.bind('SELECT :now', { now: () => 'now()' })).toBeNull();
    expect(bound.bind('SELECT :...ids', { ids: 'not a list' })).toBeNull();
  });

  it('on a thousand generated texts and parameters, each bound twice', () => {
    const bound = new NamedParameters();
    for (let seed = 1; seed <= 1000; seed++) {
      const random = generator(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      let text = 'SELECT';
      const references = 1 + Math.floor(random() * 8);
      for (let index = 0; index < references; index++) text += `${pick(GLUE)}:${random() < 0.4 ? '...' : ''}${pick(KEYS)}`;
      text += pick(GLUE);
      const parameters: Record<string, unknown> = {};
      for (const key of KEYS.slice(0, -1)) {
        if (random() < 0.2) continue;
        parameters[key] = random() < 0.5 ? Array.from({ length: Math.floor(random() * 4) }, (_, item) => `${key}${item}`) : seed;
      }
      let expected: [string, unknown[]] | string;
      try {
        expected = typeorm(text, parameters);
      } catch {
        expected = 'TypeORM throws';
      }
      for (let time = 0; time < 2; time++) {
        const ours = bound.bind(text, parameters);
        // Where this leaves a case to TypeORM, TypeORM's answer (or error) is the answer.
        if (ours !== null) expect(ours, `seed ${seed}: ${text}`).toEqual(expected);
        else expect(expected, `seed ${seed}: ${text}`).toBe('TypeORM throws');
      }
    }
  });
});
