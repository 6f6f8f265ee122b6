import type { Principal } from 'src/auth/principal.js';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';

export type EntryKind = 'DISCLOSURE' | 'CONSULTATION' | 'ALTERATION' | 'AUDIT_QUERY';
export type Outcome = 'DISCLOSED' | 'DENIED' | 'NOT_FOUND' | 'ALTERED' | 'AUDITED';
export type Channel = 'GRAPHQL' | 'SUBSCRIPTION' | 'WEBHOOK' | 'EXPORT';

export interface ReceiptBasis {
  readonly class: string;
  readonly rule: string;
  readonly lawfulBasis: string | null;
  readonly agreement: { readonly id: string; readonly version: number; readonly clause: string } | null;
  /**
   * The recorded court order, consent (C1) or third-party permission (C2) a gated class relied on.
   * Only present when one did, so receipts without one keep their exact bytes.
   */
  readonly permission?: { readonly kind: string; readonly id: string; readonly reference: string };
}

export interface ReceiptWithheld {
  readonly field: string;
  readonly reason: string;
  readonly rule: string;
}

/** The entry as hashed and stored: every receipt says who received what, about whom, why and on what basis. */
export interface ReceiptBody {
  readonly v: 1;
  readonly entry: EntryKind;
  readonly outcome: Outcome;
  readonly at: string;
  readonly correlationId: string;
  readonly operation: { readonly channel: Channel; readonly name: string | null; readonly hash: string | null };
  readonly user: { readonly subject: string; readonly name: string; readonly roles: readonly string[] };
  /**
   * Under a delegated token, the case system's client that acted for the user (RFC 8693 `act`).
   * Only present then, so every other receipt keeps its exact bytes.
   */
  readonly actor?: { readonly subject: string };
  readonly recipient: {
    readonly agencyId: string;
    readonly agencyCode: string;
    readonly caseSystemId: string;
    readonly caseSystemCode: string;
  };
  readonly purpose: string | null;
  readonly justification: string | null;
  readonly breakGlass: boolean;
  readonly afterAllocationEnded: boolean;
  readonly child: string | null;
  readonly record: {
    readonly kind: string;
    readonly id: string;
    readonly version: number | null;
    readonly owningAgencyId: string | null;
  } | null;
  readonly disclosed: readonly string[];
  readonly withheld: readonly ReceiptWithheld[];
  readonly bases: readonly ReceiptBasis[];
  readonly alteration?: {
    readonly action: string;
    readonly versionBefore: number | null;
    readonly versionAfter: number | null;
  };
  /** For consultations: what was looked up (an id or case-system reference). */
  readonly lookup?: string;
  /** For a notification delivered or fetched: which one, and the attempt. */
  readonly delivery?: {
    readonly notificationId: string;
    readonly seq: string;
    readonly deliveryId: string | null;
    readonly endpointId: string | null;
    readonly attempt: number | null;
  };
  /** For auditors' queries: the filter and how many entries it returned. */
  readonly query?: Readonly<Record<string, unknown>>;
}

/** The indexed columns of a receipt, each a copy of part of its body. */
export interface ReceiptRow {
  readonly recordedAt: Date;
  readonly entryKind: EntryKind;
  readonly outcome: Outcome;
  readonly userSubject: string;
  readonly agencyId: string;
  readonly caseSystemId: string;
  readonly childId: string | null;
  readonly recordKind: string | null;
  readonly recordId: string | null;
  readonly recordVersion: number | null;
  readonly owningAgencyId: string | null;
  readonly purpose: string | null;
  readonly breakGlass: boolean;
  readonly afterAllocationEnded: boolean;
  readonly correlationId: string;
  /** The canonical JSON text; stored as its UTF-8 bytes, which the chain hashes. */
  readonly body: string;
}

/** `shared`: see canonicalJson (the bodies of one batch share their caller's parts). */
export function rowOf(body: ReceiptBody, shared?: Map<object, string>): ReceiptRow {
  return {
    recordedAt: new Date(body.at),
    entryKind: body.entry,
    outcome: body.outcome,
    userSubject: body.user.subject,
    agencyId: body.recipient.agencyId,
    caseSystemId: body.recipient.caseSystemId,
    childId: body.child,
    recordKind: body.record?.kind ?? null,
    recordId: body.record?.id ?? null,
    recordVersion: body.record?.version ?? null,
    owningAgencyId: body.record?.owningAgencyId ?? null,
    purpose: body.purpose,
    breakGlass: body.breakGlass,
    afterAllocationEnded: body.afterAllocationEnded,
    correlationId: body.correlationId,
    body: canonicalJson(body, shared),
  };
}

/** The parts of every receipt that come from the caller. */
export type CallerPart = Pick<
  ReceiptBody,
  'v' | 'at' | 'correlationId' | 'user' | 'actor' | 'recipient' | 'purpose' | 'justification'
>;

export function callerPart(principal: Principal, at: Date): CallerPart {
  const part: CallerPart = {
    v: 1,
    at: at.toISOString(),
    correlationId: principal.correlationId,
    // The user and the recipient in canonical key order (see receiptOf).
    user: { name: principal.name, roles: [...principal.roles], subject: principal.subject },
    recipient: {
      agencyCode: principal.agency.code,
      agencyId: principal.agency.id,
      caseSystemCode: principal.caseSystem.code,
      caseSystemId: principal.caseSystem.id,
    },
    purpose: principal.statedPurpose,
    justification: principal.justification,
  };
  return principal.actor ? { ...part, actor: { subject: principal.actor.subject } } : part;
}

/**
 * A receipt of the request's hot path (a disclosure or a consultation), written out property by
 * property: spreading the caller's part and the disclosed part into one object literal cost about a
 * hundred times as much in V8 (and left an object slower to serialise). Same properties as a spread.
 */
export function receiptOf(
  caller: CallerPart,
  entry: EntryKind,
  outcome: Outcome,
  operation: ReceiptBody['operation'],
  part: Pick<ReceiptBody, 'breakGlass' | 'afterAllocationEnded' | 'child' | 'record' | 'disclosed' | 'withheld' | 'bases'>,
  lookup?: string,
): ReceiptBody {
  // In canonical key order, so that canonicalJson finds them sorted and sorts nothing.
  const body: ReceiptBody = {
    afterAllocationEnded: part.afterAllocationEnded,
    at: caller.at,
    bases: part.bases,
    breakGlass: part.breakGlass,
    child: part.child,
    correlationId: caller.correlationId,
    disclosed: part.disclosed,
    entry,
    justification: caller.justification,
    operation,
    outcome,
    purpose: caller.purpose,
    recipient: caller.recipient,
    record: part.record,
    user: caller.user,
    v: caller.v,
    withheld: part.withheld,
  };
  if (caller.actor === undefined && lookup === undefined) return body;
  return {
    ...body,
    ...(caller.actor === undefined ? {} : { actor: caller.actor }),
    ...(lookup === undefined ? {} : { lookup }),
  };
}
