import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CompactFormError } from 'src/disclosure/compact/compact-bytes.js';
import {
  decodeResponse,
  type DictionaryKind,
  type DictionaryReader,
  encodeResponse,
} from 'src/disclosure/compact/response-codec.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';

/** One entry of the stored dictionary (disclosure_dictionary). */
export interface DictionaryEntry {
  readonly number: number;
  readonly kind: DictionaryKind;
  readonly value: string;
}

/** Where the entries are kept: numbers handed out by the store, the same for every instance. */
export interface DictionaryStore {
  /** Each value's number, adding those the store does not hold yet. */
  number(values: readonly { readonly kind: DictionaryKind; readonly value: string }[]): Promise<DictionaryEntry[]>;
  /** Every entry. */
  all(): Promise<DictionaryEntry[]>;
}

const KINDS: ReadonlySet<string> = new Set<DictionaryKind>(['DISCLOSED', 'WITHHELD', 'BASES', 'RECORD_KIND']);

export function isDictionaryKind(kind: string): kind is DictionaryKind {
  return KINDS.has(kind);
}

/**
 * The dictionary in memory in front of its store: encoding asks the store only for values it has
 * not seen (a handful, once per instance), decoding loads the store again once when a number is
 * new to it (another instance added it). Every entry taken in is checked to be canonical JSON, so
 * a value stored in any other spelling never decodes into a receipt.
 */
export class StoredDictionary implements DictionaryReader {
  /** By kind, then value: a key made of both would be a new string to hash on every look-up. */
  private readonly numbers = new Map<DictionaryKind, Map<string, number>>();
  private readonly values = new Map<number, { readonly kind: DictionaryKind; readonly value: string }>();

  constructor(private readonly store: DictionaryStore) {}

  /** The response's compact bytes; values new to the dictionary are stored first. */
  async encode(bodies: readonly ReceiptBody[]): Promise<Buffer> {
    const missing = new Map<string, { kind: DictionaryKind; value: string }>();
    const bytes = encodeResponse(bodies, {
      idOf: (kind, value) => {
        const known = this.numbers.get(kind)?.get(value);
        if (known !== undefined) return known;
        missing.set(keyOf(kind, value), { kind, value });
        return 0;
      },
    });
    if (missing.size === 0) return bytes;
    const entries = await this.store.number([...missing.values()]);
    for (const entry of entries) this.take(entry);
    for (const { kind, value } of missing.values())
      if (!this.numbers.get(kind)?.has(value)) throw new Error('The dictionary store did not number a value');
    // Now every value has its number: the second pass asks nothing of the store.
    return encodeResponse(bodies, { idOf: (kind, value) => this.numberOf(kind, value) });
  }

  /** The response's receipts; the store is read again once if the bytes refer to numbers not held yet. */
  async decode(bytes: Buffer): Promise<ReceiptBody[]> {
    try {
      return decodeResponse(bytes, this);
    } catch (error) {
      if (!(error instanceof CompactFormError)) throw error;
      await this.load();
      return decodeResponse(bytes, this);
    }
  }

  /** Reads every entry of the store. */
  async load(): Promise<void> {
    for (const entry of await this.store.all()) this.take(entry);
  }

  canonicalOf(kind: DictionaryKind, id: number): string {
    const entry = this.values.get(id);
    if (!entry || entry.kind !== kind) throw new CompactFormError(`No ${kind} number ${id} in the dictionary`);
    return entry.value;
  }

  private numberOf(kind: DictionaryKind, value: string): number {
    const number = this.numbers.get(kind)?.get(value);
    if (number === undefined) throw new Error(`No number for a ${kind} value`);
    return number;
  }

  private take(entry: DictionaryEntry): void {
    const known = this.values.get(entry.number);
    if (known) {
      if (known.kind !== entry.kind || known.value !== entry.value)
        throw new CompactFormError(`Dictionary entry ${entry.number} changed after it was read`);
      return;
    }
    if (!isCanonical(entry.value)) throw new CompactFormError(`Dictionary entry ${entry.number} is not canonical JSON`);
    this.values.set(entry.number, { kind: entry.kind, value: entry.value });
    let numbers = this.numbers.get(entry.kind);
    if (!numbers) {
      numbers = new Map();
      this.numbers.set(entry.kind, numbers);
    }
    numbers.set(entry.value, entry.number);
  }
}

function keyOf(kind: DictionaryKind, value: string): string {
  return `${kind}\u0000${value}`;
}

function isCanonical(value: string): boolean {
  try {
    return canonicalJson(JSON.parse(value)) === value;
  } catch {
    return false;
  }
}
