import { hash } from 'node:crypto';

/** The chain's first link: 32 zero bytes. */
export const GENESIS = Buffer.alloc(32);

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = 0x01;

function sha256(data: Buffer): Buffer {
  // One call per digest: a Hash object per digest costs more than the hashing of a short input.
  return hash('sha256', data, 'buffer');
}

/** RFC 6962 leaf hash of an entry's canonical bytes. */
export function leafHash(entry: Buffer): Buffer {
  return sha256(Buffer.concat([LEAF_PREFIX, entry], entry.length + 1));
}

// Scratch space for the fixed-size inputs below: hashing is synchronous, so one buffer serves every call.
const LINK_INPUT = Buffer.alloc(72);
const NODE_INPUT = Buffer.alloc(65);

/** One link of the hash chain: the previous link, the entry's leaf hash and its sequence number. */
export function chainHash(previous: Buffer, leaf: Buffer, seq: bigint): Buffer {
  // Any other length (a stored hash altered) is hashed as it is, and so fails to match.
  if (previous.length !== 32 || leaf.length !== 32) return sha256(Buffer.concat([previous, leaf, position(seq)]));
  previous.copy(LINK_INPUT, 0);
  leaf.copy(LINK_INPUT, 32);
  LINK_INPUT.writeBigUInt64BE(seq, 64);
  return sha256(LINK_INPUT);
}

/**
 * RFC 6962 Merkle tree hash over leaf hashes: split at the largest power of two below n, interior
 * nodes hashed with a 0x01 prefix. An empty tree is the hash of nothing.
 */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  let level = [...leaves];
  // Bottom-up pairing gives the same root as the recursive definition: an odd node is carried up.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index < level.length; index += 2) {
      const left = level[index] as Buffer;
      const right = level[index + 1];
      next.push(right ? nodeHash(left, right) : left);
    }
    level = next;
  }
  return level[0] as Buffer;
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32) return sha256(Buffer.concat([Buffer.from([NODE_PREFIX]), left, right]));
  NODE_INPUT[0] = NODE_PREFIX;
  left.copy(NODE_INPUT, 1);
  right.copy(NODE_INPUT, 33);
  return sha256(NODE_INPUT);
}

function position(seq: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(seq);
  return bytes;
}

export function sha256Hex(bytes: Buffer): string {
  return sha256(bytes).toString('hex');
}
