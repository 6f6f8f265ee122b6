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

/** Where the entries are kept: numbers handed out by the store, never the same twice. */
export interface DictionaryStore {
  /** `count` numbers no other instance will be given, for values this one adds. */
  reserve(count: number): Promise<number[]>;
  /** Every entry. */
  all(): Promise<DictionaryEntry[]>;
}

/** A response's bytes, and the dictionary entries it refers to that may not be stored yet: its insert adds them. */
export interface EncodedResponse {
  readonly bytes: Buffer;
  readonly entries: readonly DictionaryEntry[];
}

const KINDS: ReadonlySet<string> = new Set<DictionaryKind>(['DISCLOSED', 'WITHHELD', 'BASES', 'RECORD_KIND']);

export function isDictionaryKind(kind: string): kind is DictionaryKind {
  return KINDS.has(kind);
}

/** Numbers reserved at a time, and how few left start the next reservation. */
const RESERVE = 64;
const LOW = 16;

/**
 * The dictionary in memory in front of its store. A value new to it takes a number this instance
 * reserved ahead, and the entry travels with the first responses that use it, in their own insert
 * statement, until one commits: so a request never waits for a number, and what it writes is one
 * statement whether its values are new or not. The store keeps each value once: if another instance
 * stored the same value under another number first, the insert fails, and `forget` drops this
 * instance's number for it so that the response can be encoded again with the other's. Decoding
 * reads the store again once when a number is new to it. Every entry taken from the store is checked
 * to be canonical JSON, so a value stored in any other spelling never decodes into a receipt.
 */
export class StoredDictionary implements DictionaryReader {
  /** By kind, then value: a key made of both would be a new string to hash on every look-up. */
  private readonly numbers = new Map<DictionaryKind, Map<string, number>>();
  private readonly values = new Map<number, { readonly kind: DictionaryKind; readonly value: string }>();
  /** Entries this instance numbered that no committed insert is known to hold yet. */
  private readonly unconfirmed = new Map<number, DictionaryEntry>();
  private readonly reserved: number[] = [];
  private reserving: Promise<void> | null = null;

  constructor(private readonly store: DictionaryStore) {}

  /**
   * The response's compact bytes, numbering values new to the dictionary from the numbers reserved;
   * CompactFormError when none are left (a reservation is then on its way).
   */
  encode(bodies: readonly ReceiptBody[]): EncodedResponse {
    const entries = new Map<number, DictionaryEntry>();
    const bytes = encodeResponse(bodies, {
      idOf: (kind, value) => {
        const number = this.numbers.get(kind)?.get(value) ?? this.add(kind, value);
        const pending = this.unconfirmed.get(number);
        if (pending) entries.set(number, pending);
        return number;
      },
    });
    return { bytes, entries: [...entries.values()] };
  }

  /** As `encode`, waiting for numbers when none are left (for writers off the request path). */
  async encodeWaiting(bodies: readonly ReceiptBody[]): Promise<EncodedResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.encode(bodies);
      } catch (error) {
        if (!(error instanceof NoNumbersLeft) || attempt > 3) throw error;
        await this.reserve(true);
      }
    }
  }

  /** These entries are in the store now (the insert that carried them committed). */
  confirm(entries: readonly DictionaryEntry[]): void {
    for (const entry of entries) this.unconfirmed.delete(entry.number);
  }

  /**
   * Another instance stored some of these values first (the insert failed on the value's
   * uniqueness): the store is read again, its numbers replace this instance's for those values,
   * and this instance's numbers for values nobody stored are kept (sent again with the next
   * response that uses them).
   */
  async forget(entries: readonly DictionaryEntry[]): Promise<void> {
    await this.load();
    for (const entry of entries) {
      if (this.numbers.get(entry.kind)?.get(entry.value) === entry.number) continue;
      this.unconfirmed.delete(entry.number);
      this.values.delete(entry.number);
    }
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

  /** Reads every entry of the store and reserves numbers for new values (at start). */
  async warm(): Promise<void> {
    await this.load();
    await this.reserve(true);
  }

  canonicalOf(kind: DictionaryKind, id: number): string {
    const entry = this.values.get(id);
    if (!entry || entry.kind !== kind) throw new CompactFormError(`No ${kind} number ${id} in the dictionary`);
    return entry.value;
  }

  private add(kind: DictionaryKind, value: string): number {
    const number = this.reserved.shift();
    if (this.reserved.length < LOW) void this.reserve(false);
    if (number === undefined) throw new NoNumbersLeft();
    const entry = { number, kind, value };
    this.unconfirmed.set(number, entry);
    this.remember(entry);
    return number;
  }

  /** More numbers, one reservation at a time; off the request path a failure is left for the next. */
  private reserve(wait: boolean): Promise<void> {
    this.reserving ??= this.store
      .reserve(RESERVE)
      .then((numbers) => void this.reserved.push(...numbers))
      .finally(() => (this.reserving = null));
    return wait ? this.reserving : this.reserving.catch(() => undefined);
  }

  private take(entry: DictionaryEntry): void {
    const known = this.values.get(entry.number);
    if (known) {
      if (known.kind !== entry.kind || known.value !== entry.value)
        throw new CompactFormError(`Dictionary entry ${entry.number} changed after it was read`);
      this.unconfirmed.delete(entry.number);
    } else {
      if (!isCanonical(entry.value)) throw new CompactFormError(`Dictionary entry ${entry.number} is not canonical JSON`);
      this.values.set(entry.number, { kind: entry.kind, value: entry.value });
    }
    this.adopt(entry);
  }

  /**
   * The store's number for a value replaces this instance's own, not yet stored, one (whose
   * responses in flight then fail on the value's uniqueness and are encoded again); a value the
   * store held under two numbers (never, while it keeps values unique) keeps the first read.
   */
  private adopt(entry: DictionaryEntry): void {
    let numbers = this.numbers.get(entry.kind);
    if (!numbers) {
      numbers = new Map();
      this.numbers.set(entry.kind, numbers);
    }
    const mine = numbers.get(entry.value);
    if (mine === entry.number) return;
    if (mine !== undefined && !this.unconfirmed.has(mine)) return;
    if (mine !== undefined) {
      this.unconfirmed.delete(mine);
      this.values.delete(mine);
    }
    numbers.set(entry.value, entry.number);
  }

  private remember(entry: DictionaryEntry): void {
    this.values.set(entry.number, { kind: entry.kind, value: entry.value });
    let numbers = this.numbers.get(entry.kind);
    if (!numbers) {
      numbers = new Map();
      this.numbers.set(entry.kind, numbers);
    }
    numbers.set(entry.value, entry.number);
  }
}

/** Every number reserved is in use; the response is written in the JSON form while more are reserved. */
export class NoNumbersLeft extends CompactFormError {
  constructor() {
    super('No dictionary numbers left');
  }
}

function isCanonical(value: string): boolean {
  try {
    return canonicalJson(JSON.parse(value)) === value;
  } catch {
    return false;
  }
}
