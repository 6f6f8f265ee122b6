import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CompactFormError, CompactReader, CompactWriter } from 'src/disclosure/compact/compact-bytes.js';
import type { Channel, EntryKind, Outcome, ReceiptBody } from 'src/disclosure/receipt.js';

/**
 * The compact form of one response's receipts (docs/COMPACT-RECEIPTS.md): the caller's part once,
 * then for each thing disclosed its kind, outcome, child and record, and references into a
 * dictionary for what receipts repeat word for word (the field paths disclosed, those withheld with
 * their reasons, the bases, record kinds). One byte string per response, and one per input: decoding
 * gives back each receipt exactly (its canonical JSON, byte for byte), and what the form cannot hold
 * exactly is refused with CompactFormError rather than altered.
 */

/** What a dictionary holds: each entry is the canonical JSON of one such value. */
export type DictionaryKind = 'DISCLOSED' | 'WITHHELD' | 'BASES' | 'RECORD_KIND';

/** Gives each distinct value its number (adding it when new); numbers never change meaning. */
export interface DictionaryWriter {
  idOf(kind: DictionaryKind, canonical: string): number;
}

/** The canonical JSON a number stands for; throws when there is none. */
export interface DictionaryReader {
  canonicalOf(kind: DictionaryKind, id: number): string;
}

const FORM = 0x02;
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
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && !keys.has(key)) throw new CompactFormError(`${what} holds ${key}, which the compact form does not`);
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
  const out = new CompactWriter();
  out.byte(FORM);
  writeCaller(out, caller);
  out.varint(bodies.length);
  for (const body of bodies) {
    onlyKeys(body, KEYS, 'A receipt');
    if (body.v !== 1) throw new CompactFormError(`A receipt of form ${String(body.v)}`);
    if (!sameCaller(body, first) && canonicalJson(callerOf(body), shared) !== (callerText ??= canonicalJson(caller, shared)))
      throw new CompactFormError("The receipts of one response differ in their caller's part");
    writeEntry(out, body, dictionary, shared);
  }
  return out.bytes();
}

export function decodeResponse(bytes: Buffer, dictionary: DictionaryReader): ReceiptBody[] {
  const input = new CompactReader(bytes);
  if (input.byte() !== FORM) throw new CompactFormError('Not a compact response');
  const caller = readCaller(input);
  const count = input.varint();
  if (count === 0) throw new CompactFormError('A response with no receipts');
  const bodies: ReceiptBody[] = [];
  for (let index = 0; index < count; index++) bodies.push(readEntry(input, caller, dictionary));
  if (!input.done) throw new CompactFormError('Bytes after the last receipt');
  return bodies;
}

function writeCaller(out: CompactWriter, caller: Caller): void {
  onlyKeys(caller.operation, OPERATION_KEYS, 'An operation');
  onlyKeys(caller.user, USER_KEYS, 'A user');
  if (caller.actor) onlyKeys(caller.actor, ACTOR_KEYS, 'An actor');
  onlyKeys(caller.recipient, RECIPIENT_KEYS, 'A recipient');
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

function writeEntry(out: CompactWriter, body: ReceiptBody, dictionary: DictionaryWriter, shared: Map<object, string>): void {
  if (typeof body.breakGlass !== 'boolean' || typeof body.afterAllocationEnded !== 'boolean')
    throw new CompactFormError('A receipt flag that is not a boolean');
  out.byte(indexIn(ENTRIES, body.entry, 'entry kind'));
  out.byte(indexIn(OUTCOMES, body.outcome, 'outcome'));
  out.byte((body.breakGlass ? 1 : 0) | (body.afterAllocationEnded ? 2 : 0) | (body.record ? 4 : 0));
  out.repeated('child', body.child);
  if (body.record) {
    onlyKeys(body.record, RECORD_KEYS, 'A record');
    out.varint(dictionary.idOf('RECORD_KIND', canonicalJson(body.record.kind)));
    out.id(body.record.id);
    out.count(body.record.version);
    out.repeated('owner', body.record.owningAgencyId);
  }
  out.varint(dictionary.idOf('DISCLOSED', canonicalJson(body.disclosed, shared)));
  out.varint(dictionary.idOf('WITHHELD', canonicalJson(body.withheld, shared)));
  out.varint(dictionary.idOf('BASES', canonicalJson(body.bases, shared)));
  const extras: Record<string, unknown> = {};
  for (const key of EXTRAS) if (body[key] !== undefined) extras[key] = body[key];
  out.id(Object.keys(extras).length > 0 ? canonicalJson(extras) : null);
}

function readEntry(input: CompactReader, caller: Caller, dictionary: DictionaryReader): ReceiptBody {
  const entry = fromIndex(ENTRIES, input.byte(), 'entry kind');
  const outcome = fromIndex(OUTCOMES, input.byte(), 'outcome');
  const flags = input.byte();
  if (flags > 7) throw new CompactFormError('Unknown receipt flags');
  const child = input.repeated('child');
  const record =
    flags & 4
      ? {
          kind: parsed<string>(dictionary.canonicalOf('RECORD_KIND', input.varint())),
          id: required(input.id()),
          version: input.count(),
          owningAgencyId: input.repeated('owner'),
        }
      : null;
  const disclosed = parsed<string[]>(dictionary.canonicalOf('DISCLOSED', input.varint()));
  const withheld = parsed<ReceiptBody['withheld']>(dictionary.canonicalOf('WITHHELD', input.varint()));
  const bases = parsed<ReceiptBody['bases']>(dictionary.canonicalOf('BASES', input.varint()));
  const extrasText = input.id();
  const extras = extrasText === null ? {} : parsed<Partial<Pick<ReceiptBody, (typeof EXTRAS)[number]>>>(extrasText);
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
