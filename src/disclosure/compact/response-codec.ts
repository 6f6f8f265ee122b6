import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CanonicalCache } from 'src/disclosure/compact/canonical-cache.js';
import { CompactFormError, CompactReader, CompactWriter } from 'src/disclosure/compact/compact-bytes.js';
import { DIGEST_BYTES, type DictionaryKind, References } from 'src/disclosure/compact/response-references.js';
import type { Channel, EntryKind, Outcome, ReceiptBody } from 'src/disclosure/receipt.js';

/**
 * The compact form of one response's receipts (docs/COMPACT-RECEIPTS.md): the caller's part once,
 * then for each thing disclosed its kind, outcome, child and record, and references into a
 * dictionary for what receipts repeat word for word (the field paths disclosed, those withheld with
 * their reasons, the bases, record kinds). One byte string per response, and one per input: decoding
 * gives back each receipt exactly (its canonical JSON, byte for byte), and what the form cannot hold
 * exactly is refused with CompactFormError rather than altered. A response ends with a digest of
 * the dictionary entries it refers to (their kinds, numbers and values, in order of first use), so
 * the bytes a seal covers also fix what each number meant: an entry altered or renumbered in the
 * dictionary no longer decodes, and the dictionary needs no seal of its own.
 */

export type { DictionaryKind } from 'src/disclosure/compact/response-references.js';

/** Gives each distinct value its number (adding it when new); numbers never change meaning. */
export interface DictionaryWriter {
  idOf(kind: DictionaryKind, canonical: string): number;
}

/** The canonical JSON a number stands for; throws when there is none. */
export interface DictionaryReader {
  canonicalOf(kind: DictionaryKind, id: number): string;
}

const FORM = 0x03;
const ENTRIES: readonly EntryKind[] = ['DISCLOSURE', 'CONSULTATION', 'ALTERATION', 'AUDIT_QUERY'];
const OUTCOMES: readonly Outcome[] = ['DISCLOSED', 'DENIED', 'NOT_FOUND', 'ALTERED', 'AUDITED'];
const CHANNELS: readonly Channel[] = ['GRAPHQL', 'SUBSCRIPTION', 'WEBHOOK', 'EXPORT'];

/** Parts of a receipt only some kinds of entry have, kept as their canonical JSON. */
const EXTRAS = ['alteration', 'lookup', 'delivery', 'query'] as const;
const KEYS = new Set<string>([
  'v',
  'entry',
  'outcome',
  'at',
  'correlationId',
  'operation',
  'user',
  'actor',
  'recipient',
  'purpose',
  'justification',
  'breakGlass',
  'afterAllocationEnded',
  'child',
  'record',
  'disclosed',
  'withheld',
  'bases',
  ...EXTRAS,
]);

const OPERATION_KEYS = new Set(['channel', 'name', 'hash']);
const USER_KEYS = new Set(['subject', 'name', 'roles']);
const ACTOR_KEYS = new Set(['subject']);
const RECIPIENT_KEYS = new Set(['agencyId', 'agencyCode', 'caseSystemId', 'caseSystemCode']);
const RECORD_KEYS = new Set(['kind', 'id', 'version', 'owningAgencyId']);

/** Every key of `value` (with a value) is one the form holds: anything else would be lost. */
function onlyKeys(value: object, keys: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.has(key) && (value as Record<string, unknown>)[key] !== undefined)
      throw new CompactFormError(`${what} holds ${key}, which the compact form does not`);
  }
}

type Caller = Pick<
  ReceiptBody,
  'at' | 'correlationId' | 'operation' | 'user' | 'actor' | 'recipient' | 'purpose' | 'justification'
>;

/** The same caller's part by identity of its parts (as the writer builds a response's receipts): no JSON to compare. */
function sameCaller(body: ReceiptBody, first: ReceiptBody): boolean {
  return (
    body === first ||
    (body.user === first.user &&
      body.recipient === first.recipient &&
      body.operation === first.operation &&
      body.actor === first.actor &&
      body.at === first.at &&
      body.correlationId === first.correlationId &&
      body.purpose === first.purpose &&
      body.justification === first.justification)
  );
}

function callerOf(body: ReceiptBody): Caller {
  const { at, correlationId, operation, user, actor, recipient, purpose, justification } = body;
  return { at, correlationId, operation, user, actor, recipient, purpose, justification };
}

export function encodeResponse(bodies: readonly ReceiptBody[], dictionary: DictionaryWriter): Buffer {
  const [first] = bodies;
  if (!first) throw new CompactFormError('A response with no receipts');
  const caller = callerOf(first);
  // Objects the receipts of a response share (the writer builds them so) are written once.
  const shared = new Map<object, string>();
  let callerText: string | undefined;
  // Every receipt is checked, and its dictionary values written out, before the dictionary is asked
  // for a number: a refused response leaves nothing in it.
  const prepared = bodies.map((body) => {
    if (!sameCaller(body, first) && canonicalJson(callerOf(body), shared) !== (callerText ??= canonicalJson(caller, shared)))
      throw new CompactFormError("The receipts of one response differ in their caller's part");
    return prepareEntry(body, shared);
  });
  const out = new CompactWriter();
  out.byte(FORM);
  writeCaller(out, caller);
  out.varint(bodies.length);
  const references = new References();
  const numbered = (kind: DictionaryKind, canonical: string) => {
    const id = dictionary.idOf(kind, canonical);
    references.note(kind, id, canonical);
    return id;
  };
  for (const entry of prepared) writeEntry(out, entry, numbered);
  out.raw(references.digest());
  return out.bytes();
}

export function decodeResponse(bytes: Buffer, dictionary: DictionaryReader): ReceiptBody[] {
  try {
    return decodeEntries(bytes, dictionary);
  } catch (error) {
    // Whatever stopped it (a number past the dates, a dictionary without the entry), these bytes are not a response.
    if (error instanceof CompactFormError) throw error;
    throw new CompactFormError(`Not a compact response: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeEntries(bytes: Buffer, dictionary: DictionaryReader): ReceiptBody[] {
  const input = new CompactReader(bytes);
  if (input.byte() !== FORM) throw new CompactFormError('Not a compact response');
  const caller = readCaller(input);
  const count = input.varint();
  if (count === 0) throw new CompactFormError('A response with no receipts');
  const references = new References();
  const valueOf = (kind: DictionaryKind, id: number) => {
    const canonical = dictionary.canonicalOf(kind, id);
    references.note(kind, id, canonical);
    return canonical;
  };
  const bodies: ReceiptBody[] = [];
  for (let index = 0; index < count; index++) bodies.push(readEntry(input, caller, valueOf));
  if (!input.raw(DIGEST_BYTES).equals(references.digest()))
    throw new CompactFormError('The dictionary entries differ from those the response was written with');
  if (!input.done) throw new CompactFormError('Bytes after the last receipt');
  return bodies;
}

function writeCaller(out: CompactWriter, caller: Caller): void {
  if (!isObject(caller.operation) || !isObject(caller.user) || !isObject(caller.recipient))
    throw new CompactFormError('A receipt without its operation, user or recipient');
  onlyKeys(caller.operation, OPERATION_KEYS, 'An operation');
  onlyKeys(caller.user, USER_KEYS, 'A user');
  if (caller.actor !== undefined) {
    if (!isObject(caller.actor) || typeof caller.actor.subject !== 'string')
      throw new CompactFormError('An actor without a subject');
    onlyKeys(caller.actor, ACTOR_KEYS, 'An actor');
  }
  onlyKeys(caller.recipient, RECIPIENT_KEYS, 'A recipient');
  const required = [caller.at, caller.correlationId, caller.recipient.agencyId, caller.recipient.caseSystemId];
  const roles: unknown = caller.user.roles;
  if (required.some((value) => typeof value !== 'string') || !Array.isArray(roles))
    throw new CompactFormError('A receipt without its instant, correlation id, agency, case system or roles');
  out.instant(caller.at);
  out.id(caller.correlationId);
  out.byte(indexIn(CHANNELS, caller.operation.channel, 'channel'));
  out.id(caller.operation.name);
  out.id(caller.operation.hash);
  out.text(caller.user.subject);
  out.text(caller.user.name);
  out.varint(caller.user.roles.length);
  for (const role of caller.user.roles) out.text(role);
  out.id(caller.actor ? caller.actor.subject : null);
  out.id(caller.recipient.agencyId);
  out.text(caller.recipient.agencyCode);
  out.id(caller.recipient.caseSystemId);
  out.text(caller.recipient.caseSystemCode);
  out.id(caller.purpose);
  out.id(caller.justification);
}

function readCaller(input: CompactReader): Caller {
  const at = input.instant();
  const correlationId = required(input.id());
  const channel = fromIndex(CHANNELS, input.byte(), 'channel');
  const operation = { channel, name: input.id(), hash: input.id() };
  const subject = input.text();
  const name = input.text();
  const roles: string[] = [];
  for (let count = input.varint(); count > 0; count--) roles.push(input.text());
  const actor = input.id();
  const recipient = {
    agencyId: required(input.id()),
    agencyCode: input.text(),
    caseSystemId: required(input.id()),
    caseSystemCode: input.text(),
  };
  return {
    at,
    correlationId,
    operation,
    user: { subject, name, roles },
    ...(actor === null ? {} : { actor: { subject: actor } }),
    recipient,
    purpose: input.id(),
    justification: input.id(),
  };
}

interface PreparedEntry {
  readonly body: ReceiptBody;
  readonly recordKind: string | null;
  readonly disclosed: string;
  readonly withheld: string;
  readonly bases: string;
  readonly extras: string | null;
}

/** The values receipts send to the dictionary, as requests build them again and again. */
const DICTIONARY_VALUES = new CanonicalCache();

/** Everything the form requires of a receipt, checked; the canonical JSON of what goes to the dictionary. */
function prepareEntry(body: ReceiptBody, shared: Map<object, string>): PreparedEntry {
  if (!isObject(body)) throw new CompactFormError('A receipt that is not an object');
  onlyKeys(body, KEYS, 'A receipt');
  if (body.v !== 1) throw new CompactFormError(`A receipt of form ${String(body.v)}`);
  indexIn(ENTRIES, body.entry, 'entry kind');
  indexIn(OUTCOMES, body.outcome, 'outcome');
  if (typeof body.breakGlass !== 'boolean' || typeof body.afterAllocationEnded !== 'boolean')
    throw new CompactFormError('A receipt flag that is not a boolean');
  idOrNull(body.child, 'child');
  const { record } = body;
  if (record !== null) {
    if (!isObject(record)) throw new CompactFormError('A record that is neither null nor an object');
    onlyKeys(record, RECORD_KEYS, 'A record');
    if (typeof record.kind !== 'string' || typeof record.id !== 'string')
      throw new CompactFormError('A record without a kind and an id');
    wellFormed(record.kind);
    wellFormed(record.id);
    if (record.version !== null && !(Number.isSafeInteger(record.version) && record.version >= 0))
      throw new CompactFormError(`Not a version: ${String(record.version)}`);
    idOrNull(record.owningAgencyId, 'owning agency');
  }
  for (const list of [body.disclosed, body.withheld, body.bases])
    if (!Array.isArray(list)) throw new CompactFormError('Disclosed, withheld or bases that is not a list');
  const extras: Record<string, unknown> = {};
  for (const key of EXTRAS) if (body[key] !== undefined) extras[key] = body[key];
  return {
    body,
    recordKind: record === null ? null : canonicalJson(record.kind),
    disclosed: DICTIONARY_VALUES.textOf('DISCLOSED', body.disclosed, shared),
    withheld: DICTIONARY_VALUES.textOf('WITHHELD', body.withheld, shared),
    bases: DICTIONARY_VALUES.textOf('BASES', body.bases, shared),
    extras: Object.keys(extras).length > 0 ? canonicalJson(extras) : null,
  };
}

function writeEntry(out: CompactWriter, entry: PreparedEntry, numbered: DictionaryWriter['idOf']): void {
  const { body } = entry;
  out.byte(indexIn(ENTRIES, body.entry, 'entry kind'));
  out.byte(indexIn(OUTCOMES, body.outcome, 'outcome'));
  out.byte((body.breakGlass ? 1 : 0) | (body.afterAllocationEnded ? 2 : 0) | (body.record ? 4 : 0));
  out.repeated('child', body.child);
  if (body.record && entry.recordKind !== null) {
    out.varint(numbered('RECORD_KIND', entry.recordKind));
    out.id(body.record.id);
    out.count(body.record.version);
    out.repeated('owner', body.record.owningAgencyId);
  }
  out.varint(numbered('DISCLOSED', entry.disclosed));
  out.varint(numbered('WITHHELD', entry.withheld));
  out.varint(numbered('BASES', entry.bases));
  out.id(entry.extras);
}

function readEntry(input: CompactReader, caller: Caller, valueOf: DictionaryReader['canonicalOf']): ReceiptBody {
  const entry = fromIndex(ENTRIES, input.byte(), 'entry kind');
  const outcome = fromIndex(OUTCOMES, input.byte(), 'outcome');
  const flags = input.byte();
  if (flags > 7) throw new CompactFormError('Unknown receipt flags');
  const child = input.repeated('child');
  const record =
    flags & 4
      ? {
          kind: parsedEntry<string>(valueOf('RECORD_KIND', input.varint())),
          id: required(input.id()),
          version: input.count(),
          owningAgencyId: input.repeated('owner'),
        }
      : null;
  const disclosed = parsedEntry<string[]>(valueOf('DISCLOSED', input.varint()));
  const withheld = parsedEntry<ReceiptBody['withheld']>(valueOf('WITHHELD', input.varint()));
  const bases = parsedEntry<ReceiptBody['bases']>(valueOf('BASES', input.varint()));
  const extras = readExtras(input.id());
  return {
    v: 1,
    entry,
    outcome,
    ...caller,
    breakGlass: Boolean(flags & 1),
    afterAllocationEnded: Boolean(flags & 2),
    child,
    record,
    disclosed,
    withheld,
    bases,
    ...extras,
  };
}

/** The rare parts, as the encoder writes them: a canonical object of nothing but them, or nothing. */
function readExtras(text: string | null): Partial<Pick<ReceiptBody, (typeof EXTRAS)[number]>> {
  if (text === null) return {};
  const value = parsed<unknown>(text);
  if (!isObject(value) || Array.isArray(value) || Object.keys(value).length === 0 || canonicalJson(value) !== text)
    throw new CompactFormError('Extras that are not as the encoder writes them');
  onlyKeys(value, new Set<string>(EXTRAS), 'Extras');
  return value;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** A string the form can hold exactly (or null). */
function idOrNull(value: unknown, what: string): void {
  if (value === null) return;
  if (typeof value !== 'string') throw new CompactFormError(`A ${what} that is neither text nor null`);
  wellFormed(value);
}

function wellFormed(value: string): void {
  if (LONE_SURROGATE.test(value)) throw new CompactFormError('Text that UTF-8 cannot hold exactly');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function indexIn<T>(values: readonly T[], value: T, what: string): number {
  const index = values.indexOf(value);
  if (index < 0) throw new CompactFormError(`Unknown ${what} ${String(value)}`);
  return index;
}

function fromIndex<T>(values: readonly T[], index: number, what: string): T {
  const value = values[index];
  if (value === undefined) throw new CompactFormError(`Unknown ${what} number ${index}`);
  return value;
}

function required(value: string | null): string {
  if (value === null) throw new CompactFormError('A required identifier is missing');
  return value;
}

/** Dictionary entries and extras are canonical JSON written by this codec; parsed as the type they were written from. */
function parsed<T>(canonical: string): T {
  return JSON.parse(canonical) as T;
}

/**
 * A dictionary entry's value, parsed once for the receipts that share it (the first MAX_PARSED
 * values) and frozen, so that no reader of one receipt changes another's.
 */
const PARSED_ENTRIES = new Map<string, unknown>();
const MAX_PARSED = 10_000;

function parsedEntry<T>(canonical: string): T {
  let value = PARSED_ENTRIES.get(canonical);
  if (value === undefined) {
    value = deepFrozen(JSON.parse(canonical));
    if (PARSED_ENTRIES.size < MAX_PARSED) PARSED_ENTRIES.set(canonical, value);
  }
  return value as T;
}

function deepFrozen(value: unknown): unknown {
  if (isObject(value)) {
    for (const item of Object.values(value)) deepFrozen(item);
    Object.freeze(value);
  }
  return value;
}
