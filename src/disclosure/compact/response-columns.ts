import type { EntryKind, Outcome, ReceiptBody } from 'src/disclosure/receipt.js';

/** The most receipts one response row holds; entries' ids are the response's id plus their place (the id sequence steps by this). */
export const MAX_ENTRIES = 1024;
/** Bytes per receipt in the entry map. */
export const ENTRY_MAP_BYTES = 7;
/** Codes of the entry map, in the order the view disclosure_entry reads them. */
export const ENTRY_KIND_CODES: readonly EntryKind[] = ['DISCLOSURE', 'CONSULTATION', 'ALTERATION', 'AUDIT_QUERY'];
export const OUTCOME_CODES: readonly Outcome[] = ['DISCLOSED', 'DENIED', 'NOT_FOUND', 'ALTERED', 'AUDITED'];

/**
 * The columns of one compact response that auditors' queries filter on, each derived from its
 * receipts: what the writer stores beside the bytes and the verifier derives again from the sealed
 * bytes to compare. A response's receipts share the caller's part (the form refuses any other).
 */
export interface ResponseColumns {
  readonly recordedAt: Date;
  readonly correlationId: string;
  readonly userSubject: string;
  readonly agencyId: string;
  readonly caseSystemId: string;
  readonly purpose: string | null;
  readonly entries: number;
  /** Any receipt a break-glass read. */
  readonly breakGlass: boolean;
  readonly afterAllocationEnded: boolean;
  /** Any receipt an auditor looks at first: break-glass, after an allocation ended, or not a plain disclosure. */
  readonly flagged: boolean;
  /** Each distinct value once, in order of first appearance. */
  readonly children: readonly string[];
  readonly records: readonly string[];
  readonly owners: readonly string[];
  /**
   * Per receipt, in order, what SQL needs to see it as a row of its own (the view disclosure_entry):
   * one byte of kind (bits 0–1), outcome (2–4), break-glass (5) and after-allocation-ended (6), then
   * the places (from 1; 0 for none) of its child, record and record owner in the arrays above, each
   * two bytes, big-endian.
   */
  readonly entryMap: Buffer;
}

export function responseColumns(bodies: readonly ReceiptBody[]): ResponseColumns {
  const [first] = bodies;
  if (!first) throw new Error('A response with no receipts');
  const children = new Map<string, number>();
  const records = new Map<string, number>();
  const owners = new Map<string, number>();
  let breakGlass = false;
  let afterAllocationEnded = false;
  let flagged = false;
  if (bodies.length > MAX_ENTRIES) throw new Error(`A response holds at most ${MAX_ENTRIES} receipts`);
  const entryMap = Buffer.alloc(bodies.length * ENTRY_MAP_BYTES);
  let at = 0;
  for (const body of bodies) {
    entryMap[at] =
      codeOf(ENTRY_KIND_CODES, body.entry) |
      (codeOf(OUTCOME_CODES, body.outcome) << 2) |
      (body.breakGlass ? 0x20 : 0) |
      (body.afterAllocationEnded ? 0x40 : 0);
    entryMap.writeUInt16BE(placeIn(children, body.child), at + 1);
    entryMap.writeUInt16BE(placeIn(records, body.record?.id ?? null), at + 3);
    entryMap.writeUInt16BE(placeIn(owners, body.record?.owningAgencyId ?? null), at + 5);
    at += ENTRY_MAP_BYTES;
    breakGlass ||= body.breakGlass;
    afterAllocationEnded ||= body.afterAllocationEnded;
    flagged ||= body.breakGlass || body.afterAllocationEnded || body.outcome !== 'DISCLOSED';
  }
  return {
    recordedAt: new Date(first.at),
    correlationId: first.correlationId,
    userSubject: first.user.subject,
    agencyId: first.recipient.agencyId,
    caseSystemId: first.recipient.caseSystemId,
    purpose: first.purpose,
    entries: bodies.length,
    breakGlass,
    afterAllocationEnded,
    flagged,
    children: [...children.keys()],
    records: [...records.keys()],
    owners: [...owners.keys()],
    entryMap,
  };
}

function codeOf<T>(codes: readonly T[], value: T): number {
  const code = codes.indexOf(value);
  if (code < 0) throw new Error(`No entry map code for ${String(value)}`);
  return code;
}

/** The value's place (from 1) among the distinct values seen so far, adding it; 0 for none. */
function placeIn(places: Map<string, number>, value: string | null): number {
  if (value === null) return 0;
  let place = places.get(value);
  if (place === undefined) {
    place = places.size + 1;
    places.set(value, place);
  }
  return place;
}
