import { Strategy } from 'passport-jwt';

/** passport-jwt's verifier (jsonwebtoken.verify behind it): token, key, options, callback. */
type JwtVerifier = (token: string, key: unknown, options: unknown, done: (error: unknown, payload?: unknown) => void) => void;

interface Verified {
  readonly key: unknown;
  readonly options: unknown;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly checkedAt: number;
}

/** A verified token is trusted again without its signature check for this long, and only with the very key it was checked with. */
const REUSE_MS = 60_000;
const MAX_TOKENS = 10_000;

/**
 * A case system sends the same access token with every request until it expires: checking its
 * Ed25519 or RSA signature each time is a large part of a read's cost. A token string already
 * verified with the same key object and options is trusted again for at most REUSE_MS (and not
 * at all if the clock went back), with its expiry and not-before times checked again on every use
 * (as jsonwebtoken checks them, with the clock tolerance in the options it was verified with).
 * Anything else, including a token that differs in one character, is verified in full.
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, Verified>();

  constructor(
    private readonly verify: JwtVerifier,
    private readonly clockToleranceSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  readonly verifier: JwtVerifier = (token, key, options, done) => {
    const known = this.tokens.get(token);
    const at = this.now();
    if (known && known.key === key && known.options === options && at >= known.checkedAt && at - known.checkedAt < REUSE_MS) {
      if (this.inTime(known.payload, at, toleranceOf(options, this.clockToleranceSeconds))) {
        done(null, known.payload);
        return;
      }
      this.tokens.delete(token);
    }
    this.verify(token, key, options, (error, payload) => {
      if (!error && isClaims(payload)) {
        if (this.tokens.size >= MAX_TOKENS) this.tokens.clear();
        this.tokens.set(token, { key, options, payload: deepFreeze(payload), checkedAt: at });
      }
      done(error, payload);
    });
  };

  /** jsonwebtoken's own time checks: expired at `exp + tolerance`, not valid before `nbf - tolerance`. */
  private inTime(payload: Readonly<Record<string, unknown>>, at: number, tolerance: number): boolean {
    const seconds = Math.floor(at / 1000);
    const { exp, nbf } = payload;
    if (typeof exp === 'number' && seconds >= exp + tolerance) return false;
    if (typeof nbf === 'number' && nbf > seconds + tolerance) return false;
    return true;
  }

  /** Puts the cache in front of passport-jwt's verifier (once per process; the last tolerance wins). */
  static install(clockToleranceSeconds: number): VerifiedTokens {
    const current: unknown = Reflect.get(Strategy, 'JwtVerifier');
    if (!isVerifier(current)) throw new Error('passport-jwt has no JwtVerifier to wrap');
    const wrapped: unknown = Reflect.get(current, ORIGINAL);
    const original = isVerifier(wrapped) ? wrapped : current;
    const cache = new VerifiedTokens(original, clockToleranceSeconds);
    Reflect.set(cache.verifier, ORIGINAL, original);
    Reflect.set(Strategy, 'JwtVerifier', cache.verifier);
    return cache;
  }
}

const ORIGINAL = Symbol('tandem.originalJwtVerifier');

/** The clock tolerance the verifier was given (passport-jwt passes jsonwebtoken's options); else the default. */
function toleranceOf(options: unknown, fallback: number): number {
  const given: unknown = typeof options === 'object' && options !== null ? Reflect.get(options, 'clockTolerance') : undefined;
  return typeof given === 'number' && Number.isFinite(given) ? given : fallback;
}

function isVerifier(value: unknown): value is JwtVerifier {
  return typeof value === 'function';
}

function isClaims(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The cached claims are handed to every later request: nothing may change them. */
function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item);
  return Object.freeze(value);
}
