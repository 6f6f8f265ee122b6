import type { KeyObject } from 'node:crypto';

/** Finds the public key that verifies a token, by the `kid` in its header. */
export abstract class SigningKeyResolver {
  abstract keyFor(kid: string | undefined): Promise<KeyObject>;
}
