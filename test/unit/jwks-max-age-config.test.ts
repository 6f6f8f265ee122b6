import { describe, expect, it } from 'vitest';
import { AppConfig } from 'src/config/app-config.js';

describe('AUTH_JWKS_MAX_AGE_SECONDS', () => {
  const config = (value?: string) =>
    AppConfig.fromEnvironment({ NODE_ENV: 'test', ...(value === undefined ? {} : { AUTH_JWKS_MAX_AGE_SECONDS: value }) });

  it('is ten minutes unless set, and read in seconds', () => {
    expect(config().auth.jwksMaxAgeMs).toBe(600_000);
    expect(config('120').auth.jwksMaxAgeMs).toBe(120_000);
  });

  it('refuses a value that would never refetch, or wait longer than an hour to', () => {
    for (const value of ['0', '-5', '3601', '1.5', 'soon'])
      expect(() => config(value), value).toThrow(/AUTH_JWKS_MAX_AGE_SECONDS/);
  });
});
