import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Hands every error of a GraphQL operation back to Mercurius untouched, so that its one error
 * formatter logs it. Without this Nest logs each one first, at error level with its stack and
 * message: every expected refusal (NOT_FOUND, FORBIDDEN, …) as if it were a fault, and a database
 * error with the values PostgreSQL quotes back. HTTP routes keep Nest's own handling.
 */
@Catch()
export class UnloggedGraphQLErrors extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() !== 'graphql') {
      super.catch(exception, host);
      return;
    }
    // Thrown on, not returned: a returned error would reach the schema's wrappers as a value.
    throw exception instanceof Error ? exception : new Error('Non-error thrown');
  }
}
