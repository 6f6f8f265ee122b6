import { hash } from 'node:crypto';

/** What a dictionary holds: each entry is the canonical JSON of one such value. */
export type DictionaryKind = 'DISCLOSED' | 'WITHHELD' | 'BASES' | 'RECORD_KIND';

const KIND_TAGS: Readonly<Record<DictionaryKind, number>> = { DISCLOSED: 1, WITHHELD: 2, BASES: 3, RECORD_KIND: 4 };
/** SHA-256 cut to 128 bits: finding another dictionary that gives the same digest stays out of reach. */
export const DIGEST_BYTES = 16;
/** Entries' bytes and digests kept: responses refer to the same few entries again and again. */
const MAX_CACHED = 10_000;

/**
 * The dictionary entries one response refers to, each once, in order of first use; their digest
 * ends the response (response-codec.ts), so the bytes a seal covers also fix what each number
 * meant. Wraps the dictionary the codec writes or reads with.
 */
export class References {
  private readonly seen = new Set<number>();
  private readonly parts: Buffer[] = [];
  /** Where this response's entries lead in the tree of digests made before; undefined off its edge. */
  private node: DigestNode | undefined = DIGESTS;

  note(kind: DictionaryKind, id: number, canonical: string): void {
    const key = KIND_TAGS[kind] * 2 ** 32 + id;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { bytes, kept } = entryBytes(key, kind, id, canonical);
    this.parts.push(bytes);
    // Bytes made for this response alone would lead to a node no other response reaches.
    this.node = kept ? this.node && nextNode(this.node, bytes) : undefined;
  }

  digest(): Buffer {
    if (this.node?.digest) return this.node.digest;
    const digest = hash('sha256', Buffer.concat(this.parts), 'buffer').subarray(0, DIGEST_BYTES);
    if (this.node) this.node.digest = digest;
    return digest;
  }
}

/**
 * Digests made before, as a tree walked by the entries' bytes in order of use: a path is the very
 * same Buffers (`entryBytes` makes an entry's bytes once and never changes them), so a digest found
 * at its end is the digest of those bytes. Emptied when full, and grown again from what comes next.
 */
interface DigestNode {
  readonly next: Map<Buffer, DigestNode>;
  digest?: Buffer;
}
const DIGESTS: DigestNode = { next: new Map() };
let digestNodes = 0;

function nextNode(node: DigestNode, bytes: Buffer): DigestNode | undefined {
  const found = node.next.get(bytes);
  if (found) return found;
  if (digestNodes >= MAX_CACHED) {
    DIGESTS.next.clear();
    digestNodes = 0;
    // The path this response was on is gone with the tree: its digest is made, not kept.
    return undefined;
  }
  const added: DigestNode = { next: new Map() };
  node.next.set(bytes, added);
  digestNodes += 1;
  return added;
}

/**
 * What a digest takes of an entry (its kind, number, length and value), kept for the entries seen
 * last. Kept with the value it was made from, so a number that means something else in another
 * dictionary is made again, never reused; `kept` says whether these bytes are the ones kept.
 */
const ENTRY_BYTES = new Map<number, { readonly canonical: string; readonly bytes: Buffer }>();

function entryBytes(key: number, kind: DictionaryKind, id: number, canonical: string): { bytes: Buffer; kept: boolean } {
  const cached = ENTRY_BYTES.get(key);
  if (cached?.canonical === canonical) return { bytes: cached.bytes, kept: true };
  const value = Buffer.from(canonical, 'utf8');
  const bytes = Buffer.allocUnsafe(9 + value.length);
  bytes.writeUInt8(KIND_TAGS[kind], 0);
  bytes.writeUInt32BE(id, 1);
  bytes.writeUInt32BE(value.length, 5);
  value.copy(bytes, 9);
  const kept = cached !== undefined || ENTRY_BYTES.size < MAX_CACHED;
  if (kept) ENTRY_BYTES.set(key, { canonical, bytes });
  return { bytes, kept };
}
