import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { principalOf, requestOf } from 'src/auth/request-principal.js';
import type { Principal } from 'src/auth/principal.js';

/** The authenticated caller, set by the global guard; resolvers pass it first to services. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = requestOf(context);
  const principal = principalOf(request);
  if (!principal) throw TandemError.unauthenticated();
  return principal;
});
