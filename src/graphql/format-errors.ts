import { GraphQLError } from 'graphql';
import { ErrorCode, TandemError } from 'src/common/errors/tandem-error.js';

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Errors that describe the request itself; GraphQL-over-HTTP wants these to fail the request. */
function isRequestError(error: GraphQLError): boolean {
  return error.path === undefined && !(error.originalError instanceof TandemError);
}

/** Fastify's own refusals of a request body, by their error codes. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

function fromUnknown(error: GraphQLError): { code: string; message: string; details: Record<string, unknown> } {
  const original = error.originalError;
  const fastifyCode =
    original && 'code' in original && typeof original.code === 'string' ? FASTIFY_CODES[original.code] : undefined;
  if (fastifyCode) return { code: fastifyCode, message: error.message, details: {} };
  if (original instanceof TandemError) {
    return { code: original.code, message: original.message, details: { ...original.details } };
  }
  const declared = error.extensions?.code;
  if (typeof declared === 'string' && declared in ErrorCode) {
    return { code: declared, message: error.message, details: {} };
  }
  if (original && !(original instanceof GraphQLError) && error.path !== undefined) {
    // A fault inside a resolver: never show its text (it may hold SQL or a stack trace).
    return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal error; quote the correlation id', details: {} };
  }
  if (/Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) {
    return { code: ErrorCode.BAD_USER_INPUT, message: error.message, details: {} };
  }
  if (error.path === undefined) {
    return { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, message: error.message, details: {} };
  }
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal error; quote the correlation id', details: {} };
}

/**
 * Turns any error into the client shape: a stable `extensions.code`, the correlation id, and never
 * a stack trace or SQL. `hideSuggestions` strips "Did you mean" hints that leak the schema.
 */
export function formatError(
  error: GraphQLError,
  correlationId: string | undefined,
  hideSuggestions: boolean,
): { formatted: FormattedError; internal: boolean; requestError: boolean } {
  const { code, message, details } = fromUnknown(error);
  const text = hideSuggestions ? message.replace(SUGGESTION, '') : message;
  return {
    formatted: {
      message: text,
      ...(error.locations ? { locations: error.locations } : {}),
      ...(error.path ? { path: error.path } : {}),
      extensions: { code, ...details, ...(correlationId ? { correlationId } : {}) },
    },
    internal: code === (ErrorCode.INTERNAL_SERVER_ERROR as string),
    requestError: isRequestError(error),
  };
}
