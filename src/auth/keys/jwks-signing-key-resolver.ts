import { createPublicKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';

export interface JwksTiming {
  /** A key set older than this is fetched again before it is used (keys that were removed stop working). */
  readonly maxAgeMs: number;
  /** An unknown `kid` fetches the set again only when the set is at least this old. */
  readonly minRefetchMs: number;
  /** The clock, for tests. */
  readonly now: () => number;
}

const DEFAULT_TIMING: JwksTiming = { maxAgeMs: 10 * 60_000, minRefetchMs: 30_000, now: Date.now };

interface KeySet {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly fetchedAt: number;
}

/**
 * Keys from the identity provider's JWKS endpoint, held as one set fetched at once and prepared
 * when fetched (parsing a PEM per request costs more CPU than a whole database read).
 *
 * The set in hand is also the negative cache: a `kid` missing from a set fetched (or tried) less
 * than `minRefetchMs` ago is refused at once, and only a `kid` missing from an older set fetches it
 * again. So a flood of tokens with made-up `kid`s costs at most one fetch per `minRefetchMs`, and
 * cannot use up a budget that a newly rotated key then finds spent (as jwks-rsa's requests-per-minute
 * limit can): the first token signed with the new key after that interval fetches the set and is
 * accepted. One fetch at a time; a failed fetch keeps the set in hand and counts as a try.
 */
export class JwksSigningKeyResolver extends SigningKeyResolver {
  private readonly logger = new Logger(JwksSigningKeyResolver.name);
  private readonly client: JwksClient;
  private readonly timing: JwksTiming;
  private set: KeySet = { keys: new Map(), fetchedAt: Number.NEGATIVE_INFINITY };
  private lastTry = Number.NEGATIVE_INFINITY;
  private fetching: Promise<void> | undefined;

  constructor(jwksUri: string, timing: Partial<JwksTiming> = {}) {
    super();
    this.timing = { ...DEFAULT_TIMING, ...timing };
    // Caching and rate limiting are done here, over the whole set; jwks-rsa only fetches it.
    this.client = new JwksClient({ jwksUri, cache: false, rateLimit: false, timeout: 5000 });
  }

  async keyFor(kid: string | undefined): Promise<KeyObject> {
    if (kid === undefined) throw TandemError.unauthenticated('Token has no key id');
    if (this.timing.now() - this.set.fetchedAt >= this.timing.maxAgeMs && this.mayFetch()) await this.refresh();
    const known = this.set.keys.get(kid);
    if (known) return known;
    if (this.mayFetch()) {
      await this.refresh();
      const found = this.set.keys.get(kid);
      if (found) return found;
    }
    throw TandemError.unauthenticated('Token signed with an unknown key');
  }

  private mayFetch(): boolean {
    return this.fetching !== undefined || this.timing.now() - this.lastTry >= this.timing.minRefetchMs;
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    this.lastTry = this.timing.now();
    try {
      const signingKeys = await this.client.getSigningKeys();
      const keys = new Map<string, KeyObject>();
      for (const signingKey of signingKeys) {
        if (signingKey.kid) keys.set(signingKey.kid, createPublicKey(signingKey.getPublicKey()));
      }
      this.set = { keys, fetchedAt: this.timing.now() };
    } catch (error) {
      this.logger.warn(`JWKS fetch failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  }
}
