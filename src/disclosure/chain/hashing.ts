import { hash } from 'node:crypto';

/** The chain's first link: 32 zero bytes. */
export const GENESIS = Buffer.alloc(32);

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** One-shot hashing of the parts joined: a hash object per call cost more than the copy (the verifier hashes three times per entry). */
function sha256(...parts: Buffer[]): Buffer {
  return hash('sha256', parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), 'buffer');
}

/** RFC 6962 leaf hash of an entry's canonical bytes. */
export function leafHash(entry: Buffer): Buffer {
  return sha256(LEAF_PREFIX, entry);
}

/** One link of the hash chain: the previous link, the entry's leaf hash and its sequence number. */
export function chainHash(previous: Buffer, leaf: Buffer, seq: bigint): Buffer {
  const position = Buffer.alloc(8);
  position.writeBigUInt64BE(seq);
  return sha256(previous, leaf, position);
}

/**
 * RFC 6962 Merkle tree hash over leaf hashes: split at the largest power of two below n, interior
 * nodes hashed with a 0x01 prefix. An empty tree is the hash of nothing.
 */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  let level = [...leaves];
  // Bottom-up pairing gives the same root as the recursive definition: an odd node is carried up.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index < level.length; index += 2) {
      const left = level[index] as Buffer;
      const right = level[index + 1];
      next.push(right ? sha256(NODE_PREFIX, left, right) : left);
    }
    level = next;
  }
  return level[0] as Buffer;
}

export function sha256Hex(bytes: Buffer): string {
  return sha256(bytes).toString('hex');
}
