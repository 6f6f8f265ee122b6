/**
 * The primitives of the compact receipt form: unsigned LEB128 varints, length-prefixed UTF-8,
 * and tagged identifiers that take 16 bytes when they are canonical UUIDs (lower-case, as
 * PostgreSQL writes them) and their text otherwise, so that any value round-trips exactly.
 */

export class CompactFormError extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Refuses every byte string that is not UTF-8 (replacing nothing) and keeps a leading BOM as text, so one text has one spelling. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{64}$/;

/** Where each byte's two hex digits start in a canonical UUID's text. */
const UUID_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;

/** A lower-case hex digit's value (the UUID pattern has let only those through). */
function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x57;
}

/** How an identifier-like value is held. */
const Tag = {
  NULL: 0,
  UUID: 1,
  HEX32: 2,
  TEXT: 3,
  INTEGER: 4,
  MILLISECONDS: 5,
  /** The same value as this slot held in the entry before (a response's receipts mostly share a child and an owner). */
  SAME: 6,
} as const;

/** Where an identifier repeats from entry to entry. */
export type Slot = 'child' | 'owner';

export class CompactWriter {
  private buffer = Buffer.allocUnsafe(512);
  private length = 0;
  private readonly previous = new Map<Slot, string | null>();

  bytes(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new CompactFormError(`Not a varint: ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  text(value: string): void {
    // A lone surrogate has no UTF-8: it would come back as U+FFFD (canonical JSON keeps it escaped).
    if (typeof value !== 'string' || LONE_SURROGATE.test(value))
      throw new CompactFormError('Text that UTF-8 cannot hold exactly');
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.room(length);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  raw(bytes: Buffer): void {
    this.room(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** A string or null: a canonical UUID or SHA-256 hex in binary, anything else as text. */
  id(value: string | null): void {
    if (value === null) return this.byte(Tag.NULL);
    if (UUID.test(value)) {
      this.byte(Tag.UUID);
      return this.uuid(value);
    }
    if (HEX32.test(value)) {
      this.byte(Tag.HEX32);
      return this.raw(Buffer.from(value, 'hex'));
    }
    this.byte(Tag.TEXT);
    this.text(value);
  }

  /** A canonical UUID's 16 bytes, read off its hex digits in place (no copies: ids are most of a response). */
  private uuid(value: string): void {
    this.room(16);
    for (const at of UUID_PAIRS)
      this.buffer[this.length++] = (nibble(value.charCodeAt(at)) << 4) | nibble(value.charCodeAt(at + 1));
  }

  /** An identifier in a slot that repeats: one byte when it is the slot's previous value. */
  repeated(slot: Slot, value: string | null): void {
    if (this.previous.has(slot) && this.previous.get(slot) === value) return this.byte(Tag.SAME);
    this.previous.set(slot, value);
    this.id(value);
  }

  /** An ISO instant as `Date.toISOString` writes it, in milliseconds; any other text as it is. */
  instant(value: string): void {
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString() === value) {
      this.byte(Tag.MILLISECONDS);
      return this.varint(ms);
    }
    this.byte(Tag.TEXT);
    this.text(value);
  }

  /** A non-negative integer or null (a record's version). */
  count(value: number | null): void {
    if (value === null) return this.byte(Tag.NULL);
    if (!Number.isSafeInteger(value) || value < 0) throw new CompactFormError(`Not a version: ${value}`);
    this.byte(Tag.INTEGER);
    this.varint(value);
  }
}

export class CompactReader {
  private offset = 0;
  private readonly previous = new Map<Slot, string | null>();

  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset === this.buffer.length;
  }

  private take(bytes: number): number {
    const at = this.offset;
    if (at + bytes > this.buffer.length) throw new CompactFormError('The compact bytes end early');
    this.offset += bytes;
    return at;
  }

  byte(): number {
    return this.buffer[this.take(1)] as number;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let index = 0; index < 8; index++) {
      const next = this.byte();
      value += (next & 0x7f) * scale;
      if (next < 0x80) {
        // One way to write each number: no trailing zero groups, nothing past the safe integers.
        if ((next === 0 && index > 0) || !Number.isSafeInteger(value)) throw new CompactFormError('A varint is not canonical');
        return value;
      }
      scale *= 0x80;
    }
    throw new CompactFormError('A varint is too long');
  }

  text(): string {
    const length = this.varint();
    const at = this.take(length);
    try {
      return STRICT_UTF8.decode(this.buffer.subarray(at, at + length));
    } catch {
      throw new CompactFormError('Text that is not UTF-8');
    }
  }

  raw(length: number): Buffer {
    const at = this.take(length);
    return this.buffer.subarray(at, at + length);
  }

  repeated(slot: Slot): string | null {
    if (this.buffer[this.offset] === Tag.SAME) {
      this.take(1);
      if (!this.previous.has(slot)) throw new CompactFormError('A repeat of nothing');
      return this.previous.get(slot) ?? null;
    }
    const value = this.id();
    // The repeat is the one way to write a value its slot already holds.
    if (this.previous.has(slot) && this.previous.get(slot) === value) throw new CompactFormError('A repeat written in full');
    this.previous.set(slot, value);
    return value;
  }

  id(): string | null {
    const tag = this.byte();
    switch (tag) {
      case Tag.NULL:
        return null;
      case Tag.UUID: {
        const hex = this.raw(16).toString('hex');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      }
      case Tag.HEX32:
        return this.raw(32).toString('hex');
      case Tag.TEXT: {
        const value = this.text();
        // Written in binary when it could be: the same value has one form.
        if (UUID.test(value) || HEX32.test(value)) throw new CompactFormError('An identifier is not in its canonical form');
        return value;
      }
      default:
        throw new CompactFormError(`Unknown identifier tag ${tag}`);
    }
  }

  instant(): string {
    const tag = this.byte();
    if (tag === Tag.MILLISECONDS) return new Date(this.varint()).toISOString();
    if (tag !== Tag.TEXT) throw new CompactFormError(`Unknown instant tag ${tag}`);
    const value = this.text();
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString() === value)
      throw new CompactFormError('An instant is not in its canonical form');
    return value;
  }

  count(): number | null {
    const tag = this.byte();
    if (tag === Tag.NULL) return null;
    if (tag !== Tag.INTEGER) throw new CompactFormError(`Unknown count tag ${tag}`);
    return this.varint();
  }
}
