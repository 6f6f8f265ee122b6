import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const FILE = 'audit-signing-key.pem';

/** The key id of a public key: the first 16 bytes of the SHA-256 of its SPKI DER, in hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 32);
}

/** The Ed25519 key that signs checkpoints. In production it comes from AUDIT_SIGNING_KEY. */
export class CheckpointKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** Exported once: the sealer records it with every checkpoint. */
  private readonly publicPem: string;

  private constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
    this.publicPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  static fromPem(pem: string): CheckpointKey {
    return new CheckpointKey(createPrivateKey(pem));
  }

  static generate(): CheckpointKey {
    return new CheckpointKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** The configured key, else the development key kept in the data directory (made on first use). */
  static load(pem: string | undefined, dataDir: string): CheckpointKey {
    if (pem) return CheckpointKey.fromPem(pem);
    const path = join(resolve(dataDir), FILE);
    if (existsSync(path)) return CheckpointKey.fromPem(readFileSync(path, 'utf8'));
    const key = CheckpointKey.generate();
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    chmodSync(path, 0o600);
    return key;
  }

  publicKeyPem(): string {
    return this.publicPem;
  }

  sign(statement: Buffer): Buffer {
    return sign(null, statement, this.privateKey);
  }
}

/** Public keys by their PEM text: a verification run checks thousands of checkpoints by the same few keys. */
const PUBLIC_KEYS = new Map<string, KeyObject>();

export function verifySignature(publicKeyPem: string, statement: Buffer, signature: Buffer): boolean {
  try {
    let key = PUBLIC_KEYS.get(publicKeyPem);
    if (!key) {
      key = createPublicKey(publicKeyPem);
      if (PUBLIC_KEYS.size < 100) PUBLIC_KEYS.set(publicKeyPem, key);
    }
    return verify(null, statement, key, signature);
  } catch {
    return false;
  }
}
