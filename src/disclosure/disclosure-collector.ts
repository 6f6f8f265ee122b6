import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type ResponsePath,
  responsePathAsArray,
} from 'graphql';
import { ContextSlot, type Principal } from 'src/auth/principal.js';

/** One disclosable object in a response, as the executor resolved it. */
export interface ResolvedSubject {
  readonly value: object;
  /** Where the executor put it (and its place in a list); written out only for an error. */
  readonly path: ResponsePath;
  readonly index: number | null;
  readonly type: GraphQLObjectType;
  readonly fieldNodes: readonly FieldNode[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** The execution's coerced variables: one object per execution, so receipts are gathered per execution by it. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly schema: GraphQLSchema;
  /** The name of the operation that resolved it (one request may carry several). */
  readonly operationName: string | null;
}

/** Where a subject is in the response, as `child.records.edges.0.node`. */
export function responsePathOf(subject: ResolvedSubject): string {
  const base = responsePathAsArray(subject.path).join('.');
  return subject.index === null ? base : `${base}.${subject.index}`;
}

export type ConsultationOutcome = 'DENIED' | 'NOT_FOUND';

/** A look-up of a child or record that disclosed nothing: who looked, for what, and what happened. */
export interface Consultation {
  readonly outcome: ConsultationOutcome;
  readonly childId: string | null;
  readonly recordKind: string | null;
  readonly recordId: string | null;
  /**
   * The agency that owns the record looked up, when it exists: its authority's auditors then see the
   * attempt, as they see what others received of its records.
   */
  readonly owningAgencyId?: string | null;
  /** What was asked for, e.g. a case reference; never stored when it is child data itself. */
  readonly lookup: string;
}

/** What one request disclosed or failed to find, gathered while it executes. */
export class DisclosureCollector {
  readonly subjects: ResolvedSubject[] = [];
  readonly consultations: Consultation[] = [];
  /** The commit in flight for this request, which later operations of it wait for. */
  inFlight: Promise<void> | undefined;

  get empty(): boolean {
    return this.subjects.length === 0 && this.consultations.length === 0;
  }
}

/** The request context's collector. */
const RECEIPTS = new ContextSlot('receipts', () => new DisclosureCollector());

/** The collector of the request, made on first use. */
export function collectorFor(principal: Principal): DisclosureCollector {
  return principal.slot(RECEIPTS);
}

export function existingCollector(principal: Principal): DisclosureCollector | undefined {
  return principal.peek(RECEIPTS);
}
