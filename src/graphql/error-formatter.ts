import { Logger } from '@nestjs/common';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { formatError } from 'src/graphql/format-errors.js';

const logger = new Logger('GraphQL');

interface WrappedErrors {
  errors?: unknown;
  statusCode?: unknown;
}

/** Mercurius wraps parse and validation errors in one error; clients see each one. */
function unwrap(errors: readonly GraphQLError[]): { errors: GraphQLError[]; statusCode: number | undefined } {
  let statusCode: number | undefined;
  const flat = errors.flatMap((error) => {
    const original = error.originalError as WrappedErrors | undefined;
    if (typeof original?.statusCode === 'number') statusCode = original.statusCode;
    if (original && Array.isArray(original.errors)) {
      return original.errors.map((inner: unknown) =>
        inner instanceof GraphQLError ? inner : new GraphQLError(inner instanceof Error ? inner.message : String(inner)),
      );
    }
    return [error];
  });
  return { errors: flat, statusCode };
}

/**
 * Mercurius `errorFormatter`: stable codes, the correlation id, internal faults logged and hidden,
 * and 400 for a request that could not be executed at all (parse, validation, limits).
 */
export function mercuriusErrorFormatter(hideSuggestions: boolean) {
  return (
    execution: ExecutionResult & { errors: readonly GraphQLError[] },
    context: { reply?: { request: { id: string } } },
  ): { statusCode: number; response: FormattedExecutionResult } => {
    const correlationId = context.reply?.request.id;
    const { errors, statusCode } = unwrap(execution.errors);
    let requestFailed = false;
    const formatted = errors.map((error) => {
      const result = formatError(error, correlationId, hideSuggestions);
      if (result.internal) logger.error(`${correlationId ?? '-'} ${error.message}`, error.originalError?.stack);
      requestFailed ||= result.requestError;
      return result.formatted;
    });
    const executed = execution.data !== undefined && execution.data !== null;
    return {
      statusCode: executed ? 200 : requestFailed ? (statusCode ?? 400) : 200,
      response: {
        ...(executed || !requestFailed ? { data: execution.data ?? null } : {}),
        errors: formatted,
      },
    };
  };
}
