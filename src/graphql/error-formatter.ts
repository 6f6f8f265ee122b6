import { Logger } from '@nestjs/common';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { ErrorCode } from 'src/common/errors/tandem-error.js';
import { DisclosureLogUnavailable, disclosureLogRefusal } from 'src/disclosure/disclosure-log-unavailable.js';
import { describeFault } from 'src/graphql/fault-log.js';
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

/** Refusals a caller earns by what they asked: part of normal work, logged at debug without a stack. */
const REFUSALS: ReadonlySet<string> = new Set([
  ErrorCode.NOT_FOUND,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.CONFLICT,
]);

/**
 * Mercurius `errorFormatter`: stable codes, the correlation id, internal faults logged (without
 * what a database error quotes back) and hidden, expected refusals logged at debug, and 400 for a
 * request that could not be executed at all (parse, validation, limits). An operation whose
 * receipts could not be written (the notifications feed, an auditor's query) fails the whole
 * response closed with the disclosure log's one error and HTTP 503, as a query's commit does.
 */
export function mercuriusErrorFormatter(hideSuggestions: boolean) {
  return (
    execution: ExecutionResult & { errors: readonly GraphQLError[] },
    context: { reply?: { request: { id: string } } },
  ): { statusCode: number; response: FormattedExecutionResult } => {
    const correlationId = context.reply?.request.id;
    const { errors, statusCode } = unwrap(execution.errors);
    const unrecorded = errors.find((error) => error.originalError instanceof DisclosureLogUnavailable);
    if (unrecorded) {
      logFault(correlationId, unrecorded);
      return { statusCode: 503, response: { data: null, errors: [disclosureLogRefusal(correlationId ?? 'none')] } };
    }
    let requestFailed = false;
    const formatted = errors.map((error) => {
      const result = formatError(error, correlationId, hideSuggestions);
      const code = String(result.formatted.extensions.code);
      if (result.internal) logFault(correlationId, error);
      else if (REFUSALS.has(code))
        logger.debug(`${correlationId ?? '-'} ${code} ${error.path?.join('.') ?? ''}: ${error.message}`);
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

function logFault(correlationId: string | undefined, error: GraphQLError): void {
  const { summary, stack } = describeFault(error.originalError ?? error);
  logger.error(`${correlationId ?? '-'} ${error.path?.join('.') ?? ''} ${summary}`, stack);
}
