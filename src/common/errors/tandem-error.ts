/** The stable codes clients see in `extensions.code`. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** HTTP 413: the request body is over GRAPHQL_MAX_BODY_BYTES. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** HTTP 415: a POST whose body is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** A failure the caller can act on; its message is safe to show them. */
export class TandemError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'TandemError';
  }

  static unauthenticated(message = 'A valid bearer token is required'): TandemError {
    return new TandemError(ErrorCode.UNAUTHENTICATED, message);
  }

  static forbidden(message: string): TandemError {
    return new TandemError(ErrorCode.FORBIDDEN, message);
  }

  /** Also used when the caller may not see the thing: the two must look the same. */
  static notFound(what: string): TandemError {
    return new TandemError(ErrorCode.NOT_FOUND, `${what} not found`);
  }

  /** `field` is the path of the offending input field, e.g. "input.content.carePlan.reviewDate". */
  static badInput(message: string, field: string): TandemError {
    return new TandemError(ErrorCode.BAD_USER_INPUT, message, { field });
  }

  static conflict(message: string, details: Record<string, unknown> = {}): TandemError {
    return new TandemError(ErrorCode.CONFLICT, message, details);
  }
}
