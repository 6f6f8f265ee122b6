import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from 'src/auth/keys/verified-tokens.js';

type Done = (error: unknown, payload?: unknown) => void;

/** A stand-in for jsonwebtoken: tokens "good.<exp>" verify with key A only; counts its calls. */
function harness(start = 1_800_000_000_000) {
  let now = start;
  let calls = 0;
  const keyA = { name: 'A' };
  const options = { issuer: 'x' };
  const cache = new VerifiedTokens(
    (token: string, key: unknown, _options: unknown, done: Done) => {
      calls += 1;
      const [kind, exp] = token.split('.');
      if (kind !== 'good' || key !== keyA) return done(new Error('invalid signature'));
      if (Math.floor(now / 1000) >= Number(exp) + 5) return done(new Error('jwt expired'));
      done(null, { sub: 'dana', exp: Number(exp), roles: ['YOS_CASE_MANAGER'] });
    },
    5,
    () => now,
  );
  const verify = (token: string, key: unknown = keyA, opts: unknown = options) =>
    new Promise<{ error: unknown; payload?: unknown }>((resolve) => {
      cache.verifier(token, key, opts, (error, payload) => resolve({ error, payload }));
    });
  return {
    verify,
    keyA,
    options,
    calls: () => calls,
    advance: (ms: number) => {
      now += ms;
    },
    exp: Math.floor(start / 1000) + 300,
  };
}

describe('verified tokens are trusted again only as far as a full check would', () => {
  it('checks a token signature once, then reuses the claims, frozen', async () => {
    const h = harness();
    const token = `good.${h.exp}`;
    const first = await h.verify(token);
    const second = await h.verify(token);
    expect(first.error).toBeNull();
    expect(second.payload).toBe(first.payload);
    expect(h.calls()).toBe(1);
    expect(Object.isFrozen(second.payload)).toBe(true);
    expect(Object.isFrozen((second.payload as { roles: string[] }).roles)).toBe(true);
  });

  it('verifies in full a token that differs, another key, other options, or a refused one', async () => {
    const h = harness();
    const token = `good.${h.exp}`;
    await h.verify(token);
    expect((await h.verify(`bad.${h.exp}`)).error).toBeInstanceOf(Error);
    expect((await h.verify(token, { name: 'A' })).error).toBeInstanceOf(Error);
    await h.verify(token, h.keyA, { issuer: 'x' });
    expect((await h.verify(`bad.${h.exp}`)).error).toBeInstanceOf(Error);
    expect(h.calls()).toBe(5);
  });

  it('refuses a reused token once it expires (with the tolerance), and checks again after a minute', async () => {
    const h = harness();
    const token = `good.${h.exp}`;
    await h.verify(token);
    h.advance(59_000);
    await h.verify(token);
    expect(h.calls()).toBe(1);
    h.advance(2_000);
    await h.verify(token);
    expect(h.calls()).toBe(2);
    // Past exp + 5 s: the cached claims are not used; the full check refuses it.
    h.advance((300 + 5) * 1000);
    expect((await h.verify(token)).error).toEqual(new Error('jwt expired'));
    expect(h.calls()).toBe(3);
  });

  it('uses the clock tolerance the token was verified with, and never reuses after the clock went back', async () => {
    const h = harness();
    const strict = { clockTolerance: 0 };
    const token = `good.${h.exp}`;
    h.advance(250_000);
    await h.verify(token, h.keyA, strict);
    h.advance(40_000);
    await h.verify(token, h.keyA, strict);
    expect(h.calls()).toBe(1);
    h.advance(11_000); // exp + 1 s: within the default 5 s, not within this verifier's 0 s
    await h.verify(token, h.keyA, strict);
    expect(h.calls()).toBe(2);
    h.advance(-30_000);
    await h.verify(token, h.keyA, strict);
    expect(h.calls()).toBe(3);
  });

  it('refuses a reused token not yet valid', async () => {
    let now = 1_800_000_000_000;
    const nbf = Math.floor(now / 1000) + 30;
    let calls = 0;
    const cache = new VerifiedTokens(
      (_token: string, _key: unknown, _options: unknown, done: Done) => {
        calls += 1;
        done(null, { nbf, exp: nbf + 300 });
      },
      5,
      () => now,
    );
    const run = () => new Promise<void>((resolve) => cache.verifier('t', 'k', 'o', () => resolve()));
    now += 26_000; // nbf - 4 s: within the tolerance
    await run();
    now -= 2_000; // the clock stepped back: nbf - 6 s, outside it
    await run();
    expect(calls).toBe(2);
  });
});
