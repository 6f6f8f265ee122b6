import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PolicyService } from 'src/policy/policy.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { demoPrincipal } from '../support/demo-principal.js';

/**
 * The sharing agreements are read on one day per request: the caller's ability (and every field's
 * decision, which reads the same day) is the one for the day the request first asked, even when
 * the clock passes midnight before the ability is built; the next request takes the new day's.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const dana = () => demoPrincipal('dana.hughes');

describe('the day agreements are read on', () => {
  it('is fixed once per request, and the ability is built for that day', async () => {
    const policy = t.app.get(PolicyService);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-10T23:59:59.900Z'));
      const before = await policy.ability(dana());
      const request = dana();
      const day = policy.agreementDay(request);
      expect(day).toBe('2026-03-10');

      vi.setSystemTime(new Date('2026-03-11T00:00:00.100Z'));
      expect(policy.agreementDay(request)).toBe(day);
      // Built after midnight, for the request's day: the ability of the day before.
      expect(await policy.ability(request)).toBe(before);

      const next = dana();
      expect(policy.agreementDay(next)).toBe('2026-03-11');
      expect(await policy.ability(next)).not.toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});
