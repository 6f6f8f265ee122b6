import { describe, expect, it } from 'vitest';
import { AppConfig } from 'src/config/app-config.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from 'src/common/pagination/connection.js';
import { pageSize } from 'src/common/pagination/cursor.js';
import { TandemError } from 'src/common/errors/tandem-error.js';

/** Defaults the prose of the docs states (CONFIGURATION.md itself is rendered from the schema). */
describe('defaults the docs state', () => {
  const config = AppConfig.fromEnvironment({ NODE_ENV: 'test' });

  it('API.md: a token lives at most an hour by default', () => {
    expect(config.auth.maxTokenAgeSeconds).toBe(3600);
  });

  it('NOTIFICATIONS.md: webhooks retry from 30 s doubling to 2 h, 18 attempts', () => {
    expect(config.notifications).toMatchObject({ retryBaseMs: 30_000, retryMaxMs: 7_200_000, maxAttempts: 18 });
  });

  it('API.md: lists page 20 by default, and `first` is 1–100', () => {
    expect([DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE]).toEqual([20, 100]);
    expect(pageSize(undefined, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)).toBe(20);
    expect(pageSize(100, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)).toBe(100);
    for (const first of [0, 101, 1.5]) {
      expect(() => pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)).toThrow(TandemError);
    }
  });
});
