import { type DocumentNode, Kind } from 'graphql';
import type { MercuriusContext, PreExecutionHookResponse } from 'mercurius';

/** What the hook reads of the request: the operation it names. */
interface NamedRequest {
  readonly body?: unknown;
  readonly query?: unknown;
}

/** The operations a document holds: how many, and the name of the first. */
const OPERATIONS = new WeakMap<DocumentNode, { readonly count: number; readonly name: string | null }>();

function operationsOf(document: DocumentNode): { readonly count: number; readonly name: string | null } {
  let known = OPERATIONS.get(document);
  if (!known) {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    known = { count: operations.length, name: operations[0]?.name?.value ?? null };
    OPERATIONS.set(document, known);
  }
  return known;
}

/** The operationName a request asked for (POST body or GET query string); undefined for a batch, which names several. */
function requestedName(request: NamedRequest | undefined): string | null | undefined {
  const source = request?.body ?? request?.query;
  if (Array.isArray(source)) return undefined;
  const name = typeof source === 'object' && source !== null ? (source as { operationName?: unknown }).operationName : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}

/**
 * Mercurius keeps a query's compiled form (graphql-jit) by its text alone and runs it for every
 * later request with that text, whatever operation the request names: a document with two
 * operations would answer the second with the first (tried: `query A {…} query B {…}` named B
 * returned A's data once compiled). This `preExecution` hook lets the compiled form run only where it
 * can be right — a document of one operation, asked for by its name or by none — and hands any
 * other request the same document as a new object, which Mercurius neither compiles nor runs
 * compiled: graphql-js executes it for the operation named, or refuses the name it does not hold.
 */
export function oneOperationForJit<TContext extends MercuriusContext>(
  _schema: unknown,
  document: DocumentNode,
  context: TContext,
): PreExecutionHookResponse<Error> | undefined {
  const { count, name } = operationsOf(document);
  const asked = requestedName((context.reply as { request?: NamedRequest } | undefined)?.request);
  if (count === 1 && (asked === null || asked === name)) return undefined;
  return { document: { ...document } };
}
