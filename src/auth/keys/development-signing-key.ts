import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';

const FILE = 'development-signing-key.json';

export interface TokenClaims {
  readonly sub: string;
  readonly name: string;
  readonly agency: string;
  readonly case_system: string;
  readonly roles: readonly string[];
  /** For a delegated token (RFC 8693): the client acting for the person named by `sub`. */
  readonly act?: { readonly sub: string };
}

/**
 * A local ES256 key for development: created on first start in the data directory, used by the
 * gateway to verify and by `npm run token` to sign. Never used in production.
 */
export class DevelopmentSigningKey extends SigningKeyResolver {
  private constructor(
    readonly kid: string,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {
    super();
  }

  static generate(): DevelopmentSigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return new DevelopmentSigningKey(`dev-${randomUUID()}`, privateKey, publicKey);
  }

  static loadOrCreate(dataDir: string): DevelopmentSigningKey {
    const path = join(resolve(dataDir), FILE);
    if (existsSync(path)) {
      const stored = JSON.parse(readFileSync(path, 'utf8')) as { kid: string; privateJwk: object };
      const privateKey = createPrivateKey({ key: stored.privateJwk as never, format: 'jwk' });
      return new DevelopmentSigningKey(stored.kid, privateKey, createPublicKey(privateKey));
    }
    const key = DevelopmentSigningKey.generate();
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(path, JSON.stringify({ kid: key.kid, privateJwk: key.privateKey.export({ format: 'jwk' }) }), {
      mode: 0o600,
    });
    chmodSync(path, 0o600);
    return key;
  }

  keyFor(kid: string | undefined): Promise<KeyObject> {
    if (kid !== undefined && kid !== this.kid) {
      return Promise.reject(TandemError.unauthenticated('Token signed with an unknown key'));
    }
    return Promise.resolve(this.publicKey);
  }

  /** The public key in PEM, for tests that forge tokens with it. */
  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(claims: TokenClaims, options: { issuer: string; audience: string; expiresInSeconds: number }): string {
    return jwt.sign({ ...claims }, this.privateKey, {
      algorithm: 'ES256',
      keyid: this.kid,
      issuer: options.issuer,
      audience: options.audience,
      expiresIn: options.expiresInSeconds,
    });
  }
}
