import { type DocumentNode, getVariableValues, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import type { MercuriusContext, PreExecutionHookResponse } from 'mercurius';

/** What the hook reads of the request: the operation it names. */
interface NamedRequest {
  readonly body?: unknown;
  readonly query?: unknown;
}

/** The operations a document holds: how many, and the first. */
const OPERATIONS = new WeakMap<DocumentNode, { readonly count: number; readonly first: OperationDefinitionNode | undefined }>();

function operationsOf(document: DocumentNode): { readonly count: number; readonly first: OperationDefinitionNode | undefined } {
  let known = OPERATIONS.get(document);
  if (!known) {
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    known = { count: operations.length, first: operations[0] };
    OPERATIONS.set(document, known);
  }
  return known;
}

/** The operationName a request asked for (POST body or GET query string); undefined for a batch, which names several. */
function requestedName(request: NamedRequest | undefined): string | null | undefined {
  const source = request?.body ?? request?.query;
  if (Array.isArray(source)) return undefined;
  const name = typeof source === 'object' && source !== null ? (source as { operationName?: unknown }).operationName : undefined;
  // An empty name is a name graphql-js refuses (the compiled form would take it for none).
  return typeof name === 'string' ? name : null;
}

/**
 * Mercurius keeps a query's compiled form (graphql-jit) by its text alone and runs it for every
 * later request with that text, whatever operation the request names: a document with two
 * operations would answer the second with the first (tried: `query A {…} query B {…}` named B
 * returned A's data once compiled). And the compiled form words a bad variable its own way, without
 * the input field's path or the scalar's reason (`Variable "$dateOfBirth" got invalid value …;
 * Expected type LocalDate.` where graphql-js says `… at "input.dateOfBirth"; LocalDate must be a
 * calendar date written YYYY-MM-DD`). This `preExecution` hook lets the compiled form run only where
 * it answers as graphql-js would — a document of one operation, asked for by its name or by none,
 * with variables graphql-js accepts — and hands any other request the same document as a new
 * object, which Mercurius neither compiles nor runs compiled: graphql-js executes it for the
 * operation named, or refuses it as it always has.
 */
export function oneOperationForJit<TContext extends MercuriusContext>(
  schema: GraphQLSchema,
  document: DocumentNode,
  context: TContext,
  variables: Record<string, unknown> | undefined,
): PreExecutionHookResponse<Error> | undefined {
  const { count, first } = operationsOf(document);
  const asked = requestedName((context.reply as { request?: NamedRequest } | undefined)?.request);
  const definitions = first?.variableDefinitions ?? [];
  if (
    count === 1 &&
    (asked === null || asked === (first?.name?.value ?? null)) &&
    (definitions.length === 0 || getVariableValues(schema, definitions, variables ?? {}).errors === undefined)
  )
    return undefined;
  return { document: { ...document } };
}
