import { describe, expect, it } from 'vitest';
import { ChildMatchingService } from 'src/children/child-matching.service.js';
import type { ChildRepository } from 'src/children/repositories/child.repository.js';
import { AppConfig } from 'src/config/app-config.js';
import type { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { PolicyService } from 'src/policy/policy.service.js';
import { compareDatesOfBirth, dateOfBirthVariants } from 'src/identity/date-of-birth.js';

/** A matching service on a configuration, without the database (construction only checks the thresholds). */
function matcherWith(env: Record<string, string>): ChildMatchingService {
  const config = AppConfig.fromEnvironment({ NODE_ENV: 'test', ...env });
  const unused = {} as ChildRepository & DisclosureService & PolicyService;
  return new ChildMatchingService(config, unused, unused, unused);
}

describe('match thresholds from configuration', () => {
  it('default to the identity module’s, and take MATCH_CONFIDENT_SCORE and MATCH_POSSIBLE_SCORE', () => {
    expect(matcherWith({}).thresholds).toEqual({ confident: 22, possible: 14 });
    expect(matcherWith({ MATCH_CONFIDENT_SCORE: '24.5', MATCH_POSSIBLE_SCORE: '12' }).thresholds).toEqual({
      confident: 24.5,
      possible: 12,
    });
    expect(matcherWith({ MATCH_POSSIBLE_SCORE: '16' }).thresholds).toEqual({ confident: 22, possible: 16 });
  });

  it('refuse to start when the confident threshold is not above the possible one', () => {
    expect(() => matcherWith({ MATCH_CONFIDENT_SCORE: '14', MATCH_POSSIBLE_SCORE: '14' })).toThrow(
      /CONFIDENT_NOT_ABOVE_POSSIBLE/,
    );
    expect(() => matcherWith({ MATCH_POSSIBLE_SCORE: '30' })).toThrow(/MATCH_CONFIDENT_SCORE/);
    expect(() => AppConfig.fromEnvironment({ MATCH_CONFIDENT_SCORE: 'high' })).toThrow(/MATCH_CONFIDENT_SCORE/);
  });

  it('MERGE_UNDO_DAYS defaults to 30', () => {
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'test' }).matching.mergeUndoDays).toBe(30);
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'test', MERGE_UNDO_DAYS: '7' }).matching.mergeUndoDays).toBe(7);
  });
});

describe('dateOfBirthVariants: the dates a matcher fetches candidates by', () => {
  it('holds the date itself, its day–month transposition and every real date one digit off', () => {
    const variants = dateOfBirthVariants('2011-04-07');
    expect(variants[0]).toBe('2011-04-07');
    expect(variants).toContain('2011-07-04');
    expect(variants).toContain('2011-04-17');
    expect(variants).toContain('2010-04-07');
    expect(variants).not.toContain('2011-04-37');
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('is exactly what compareDatesOfBirth calls the same, transposed or one digit off', () => {
    const date = '2010-03-14';
    const variants = new Set(dateOfBirthVariants(date));
    for (let day = Date.UTC(2000, 0, 1); day < Date.UTC(2020, 0, 1); day += 86_400_000) {
      const other = new Date(day).toISOString().slice(0, 10);
      expect(variants.has(other), other).toBe(compareDatesOfBirth(date, other) !== 'NONE');
    }
  });

  it('is empty for a date that is not real', () => {
    expect(dateOfBirthVariants('2010-02-30')).toEqual([]);
  });
});
