import { responsePathAsArray } from 'graphql';
import type { Principal } from 'src/auth/principal.js';
import { type Consultation, type ResolvedSubject, responsePathOf } from 'src/disclosure/disclosure-collector.js';
import { disclosedPart } from 'src/disclosure/receipt-parts.js';
import { callerPart, type Channel, type ReceiptBody, type ReceiptWithheld, receiptOf } from 'src/disclosure/receipt.js';
import { type Disclosure, isDisclosed } from 'src/policy/disclosed.js';
import { BREAK_GLASS_CLOSED_CHILD_FIELDS, BREAK_GLASS_NARROW_READ } from 'src/policy/emergency-access.js';
import { isSubjectType } from 'src/disclosure/schema-instrumentation.js';
import { type SelectionContext, selectedFieldNames, selectedPaths } from 'src/disclosure/selection-paths.js';

export interface OperationMeta {
  readonly channel: Channel;
  readonly name: string | null;
  readonly hash: string | null;
}

/** Policy metadata every subject carries; it reveals field names, not child data. */
const METADATA = /^withheld(\.|$)/;

interface Gathered {
  readonly disclosure: Disclosure;
  /** The thing's first place in the response (see earlier): a response's receipts are in the order of these places. */
  at: readonly (string | number)[];
  readonly operationName: string | null;
  /**
   * The paths disclosed: while the thing has come with one selection only, and nothing withheld
   * from it, that selection's own list (sorted, each path once, shared by the responses to the
   * query, or within the request when @include/@skip apply); otherwise a set of its own, sorted
   * when the receipt is made.
   */
  shared: readonly string[] | null;
  paths: Set<string> | null;
  readonly withheld: Map<string, ReceiptWithheld>;
}

/**
 * One receipt per distinct thing disclosed (kind, id and version), with the exact field paths the
 * response carried, those withheld from what was asked, and the rule and lawful basis of each class,
 * as the policy decided them when it let the thing out. A value that did not go through the policy
 * stops the response (fail closed).
 */
export function buildDisclosureBodies(
  principal: Principal,
  subjects: readonly ResolvedSubject[],
  operation: OperationMeta,
  at: Date,
): ReceiptBody[] {
  const gathered = new Map<string, Gathered>();
  const selectionMemo = new Map<readonly unknown[], Map<string, readonly string[]>>();
  const executions = new Map<object, number>();
  for (const subject of subjects) {
    if (!isDisclosed(subject.value))
      throw new Error(`A ${subject.type.name} at ${responsePathOf(subject)} reached the response without the policy's decision`);
    const { disclosure } = subject.value;
    const paths = selectionOf(subject, selectionMemo);
    // Per execution too: a batch's operations committed together (named or not) still leave a
    // receipt each. Each execution coerces its variables into an object of its own.
    let execution = executions.get(subject.variables);
    if (execution === undefined) {
      execution = executions.size;
      executions.set(subject.variables, execution);
    }
    const key = `${execution}:${disclosure.kind}:${disclosure.id}:${disclosure.version ?? ''}`;
    let entry = gathered.get(key);
    if (!entry) {
      entry = {
        disclosure,
        at: placeOf(subject),
        operationName: subject.operationName,
        shared: null,
        paths: null,
        withheld: new Map(),
      };
      gathered.set(key, entry);
    } else {
      const place = placeOf(subject);
      if (earlier(place, entry.at) < 0) entry.at = place;
    }
    let withheldHere = normalisedWithheld(subject.value);
    if (disclosure.kind === 'CHILD' && disclosure.child.breakGlass) {
      const closed = closedUnderBreakGlass(subject);
      if (closed.size > 0) {
        withheldHere = new Map([...withheldHere, ...closed]);
        // Listed even when all it selects are things with receipts of their own (none of which left).
        for (const [field, item] of closed) entry.withheld.set(field, item);
      }
    }
    if (withheldHere.size === 0) {
      if (entry.paths === null && (entry.shared === null || entry.shared === paths)) entry.shared = paths;
      else for (const path of paths) ownPaths(entry).add(path);
      continue;
    }
    const fields = [...withheldHere.keys()];
    const own = ownPaths(entry);
    for (const path of paths) {
      const blocking = fields.find((field) => path === field || path.startsWith(`${field}.`));
      if (blocking) {
        const item = withheldHere.get(blocking);
        if (item) entry.withheld.set(blocking, item);
      } else own.add(path);
    }
  }
  const caller = callerPart(principal, at);
  // One object per operation name, shared by its receipts: the compact form writes the caller's part once when they share it.
  const operations = new Map<string | null, OperationMeta>();
  const operationNamed = (name: string | null): OperationMeta => {
    let named = operations.get(name);
    if (!named) {
      named = { channel: operation.channel, name, hash: operation.hash };
      operations.set(name, named);
    }
    return named;
  };
  // By place in the response, not in the order resolvers happened to finish: the same request logs the same way every time.
  return [...gathered.values()].sort(inResponseOrder).map(({ disclosure, operationName, shared, paths, withheld }) =>
    receiptOf(
      caller,
      'DISCLOSURE',
      'DISCLOSED',
      // The document's own name (clients need not send operationName).
      operationNamed(operationName ?? operation.name),
      disclosedPart(
        disclosure,
        shared ?? [...(paths ?? [])].sort(),
        withheld.size === 0 ? [] : [...withheld.values()].sort((a, b) => (a.field < b.field ? -1 : 1)),
      ),
    ),
  );
}

/** The entry's paths as a set of its own, made from its one selection's list the first time it needs one. */
function ownPaths(entry: Gathered): Set<string> {
  if (entry.paths === null) {
    entry.paths = new Set(entry.shared ?? []);
    entry.shared = null;
  }
  return entry.paths;
}

/** The subject's place in the response: its path, and its position in a list of subjects. */
function placeOf(subject: ResolvedSubject): (string | number)[] {
  const path = responsePathAsArray(subject.path);
  return subject.index === null ? path : [...path, subject.index];
}

/** A fixed order of places (negative when `a` comes first): key by key, names alphabetically and list positions by number, an enclosing place first. */
function earlier(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index] as string | number;
    const y = b[index] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/** Receipts by their things' first places in the response. */
function inResponseOrder(a: Gathered, b: Gathered): number {
  return earlier(a.at, b.at);
}

export function buildConsultationBodies(
  principal: Principal,
  consultations: readonly Consultation[],
  operation: OperationMeta,
  at: Date,
): ReceiptBody[] {
  const caller = callerPart(principal, at);
  return consultations.map((consultation) =>
    receiptOf(
      caller,
      'CONSULTATION',
      consultation.outcome,
      operation,
      {
        breakGlass: false,
        afterAllocationEnded: false,
        child: consultation.childId,
        record: consultation.recordId
          ? {
              kind: consultation.recordKind ?? 'RECORD',
              id: consultation.recordId,
              version: null,
              owningAgencyId: consultation.owningAgencyId ?? null,
            }
          : null,
        disclosed: [],
        withheld: [],
        bases: [],
      },
      consultation.lookup,
    ),
  );
}

/**
 * Selections are parsed once per distinct operation (Mercurius caches documents), so the paths of
 * a field node for a type are computed once and kept, unless @include/@skip makes them depend on
 * the request's variables.
 */
const sharedSelections = new WeakMap<object, Map<string, readonly string[]>>();

/** The field paths selected on the subject, policy metadata left out. */
function selectionOf(subject: ResolvedSubject, memo: Map<readonly unknown[], Map<string, readonly string[]>>): readonly string[] {
  const [first] = subject.fieldNodes;
  const shareable = subject.fieldNodes.length === 1 && first !== undefined && !mentionsDirectives(subject);
  let byType = shareable ? sharedSelections.get(first) : memo.get(subject.fieldNodes);
  if (!byType) {
    byType = new Map();
    if (shareable) sharedSelections.set(first, byType);
    else memo.set(subject.fieldNodes, byType);
  }
  let paths = byType.get(subject.type.name);
  if (!paths) {
    paths = selectedPaths(selectionContext(subject), subject.type, subject.fieldNodes).filter((path) => !METADATA.test(path));
    // Sorted and each path once, as a receipt lists them; frozen, as receipts share it (see Gathered).
    paths = Object.freeze([...new Set(paths)].sort());
    byType.set(subject.type.name, paths);
  }
  return paths;
}

/** What walking a subject's selection needs: its schema, fragments and variables, and where receipts of their own begin. */
function selectionContext(subject: ResolvedSubject): SelectionContext {
  return {
    schema: subject.schema,
    fragments: subject.fragments,
    variables: subject.variables,
    isSubject: (type) => isSubjectType(subject.schema, type),
  };
}

const directiveFree = new WeakMap<object, boolean>();

/** Whether the field's selection, or a fragment it spreads, uses @include or @skip (or a fragment could vary). */
function mentionsDirectives(subject: ResolvedSubject): boolean {
  const [first] = subject.fieldNodes;
  if (!first) return true;
  const known = directiveFree.get(first);
  if (known !== undefined) return !known;
  const text = JSON.stringify(first.selectionSet ?? {}) + JSON.stringify(Object.values(subject.fragments));
  const free = !text.includes('"kind":"Directive"');
  directiveFree.set(first, free);
  return !free;
}

const NOTHING_WITHHELD: ReadonlyMap<string, ReceiptWithheld> = new Map();

/**
 * The fields a break-glass read of a child asked for that its narrow read does not reach (their
 * resolvers answer empty), each withheld whole: from the subject's own selection, so each
 * operation's receipt names what it asked.
 */
function closedUnderBreakGlass(subject: ResolvedSubject): ReadonlyMap<string, ReceiptWithheld> {
  const names = selectedFieldNames(selectionContext(subject), subject.type, subject.fieldNodes);
  const closed = new Map<string, ReceiptWithheld>();
  for (const field of names) {
    if (BREAK_GLASS_CLOSED_CHILD_FIELDS.has(field))
      closed.set(field, { field, reason: BREAK_GLASS_NARROW_READ.reason, rule: BREAK_GLASS_NARROW_READ.rule });
  }
  return closed;
}

/** The object's withheld list with list positions dropped ("content.actions.0.owner" → "content.actions.owner"). */
function normalisedWithheld(value: object): ReadonlyMap<string, ReceiptWithheld> {
  const list = (value as { withheld?: unknown }).withheld;
  // Most things withhold nothing: one empty map for all of them.
  if (!Array.isArray(list) || list.length === 0) return NOTHING_WITHHELD;
  const result = new Map<string, ReceiptWithheld>();
  for (const item of list as { field: string; reason: string; rule: string }[]) {
    const field = item.field.replace(/\.\d+(?=\.|$)/g, '');
    if (!result.has(field)) result.set(field, { field, reason: item.reason, rule: item.rule });
  }
  return result;
}
