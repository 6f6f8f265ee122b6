import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';

/**
 * Keys from the identity provider's JWKS endpoint. Keys are prepared once per `kid`: parsing a PEM
 * on every request costs more CPU than a whole database read.
 */
export class JwksSigningKeyResolver extends SigningKeyResolver {
  private readonly client: JwksClient;
  private readonly prepared = new Map<string, KeyObject>();

  constructor(jwksUri: string) {
    super();
    this.client = new JwksClient({
      jwksUri,
      cache: true,
      cacheMaxAge: 10 * 60 * 1000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5000,
    });
  }

  async keyFor(kid: string | undefined): Promise<KeyObject> {
    if (kid === undefined) throw TandemError.unauthenticated('Token has no key id');
    const cached = this.prepared.get(kid);
    if (cached) return cached;
    try {
      const signingKey = await this.client.getSigningKey(kid);
      const key = createPublicKey(signingKey.getPublicKey());
      this.prepared.set(kid, key);
      return key;
    } catch {
      throw TandemError.unauthenticated('Token signed with an unknown key');
    }
  }
}
