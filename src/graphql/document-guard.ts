import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Location,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from 'src/common/errors/tandem-error.js';
import { formatError } from 'src/graphql/format-errors.js';

/**
 * Mercurius takes a query text that does not parse as GraphQL for a JSON syntax tree and validates
 * that instead. A tree written by hand can hold what the parser never makes (a list where a node
 * should be, an object where a string value should be), which reaches validation rules and
 * resolvers as shapes they were never meant for; its errors read as internals ("… is not
 * iterable"). Only what graphql-js's parser made (its nodes carry a `Location`, of the one copy of
 * graphql-js Tandem and Mercurius share) is let through.
 */
export function parsedDocumentsOnly(_schema: unknown, document: DocumentNode): void {
  // Typed as Mercurius declares it, but it may be anything JSON.parse returns (`null`, a number).
  const made: unknown = document;
  if (typeof made === 'object' && made !== null && 'loc' in made && made.loc instanceof Location) return;
  throw new GraphQLError('Syntax Error: the query must be a GraphQL document', {
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}

/**
 * Mercurius validates no subscription (its WebSocket path parses and subscribes): without this a
 * subscription would skip the specified rules and Tandem's own (depth, aliases, cost, no
 * introspection), and could be sent as a syntax tree. Refused with the first error, worded as over
 * HTTP (no "Did you mean" where suggestions are off).
 */
export function validSubscriptions(rules: readonly ValidationRule[], hideSuggestions: boolean) {
  return (schema: GraphQLSchema, document: DocumentNode): void => {
    parsedDocumentsOnly(schema, document);
    const [first] = validate(schema, document, [...specifiedRules, ...rules]);
    if (!first) return;
    const { formatted } = formatError(first, undefined, hideSuggestions);
    throw new GraphQLError(formatted.message, { extensions: formatted.extensions });
  };
}
