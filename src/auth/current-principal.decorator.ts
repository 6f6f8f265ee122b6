import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { principalOf, type TandemRequest } from 'src/auth/request-principal.js';
import type { Principal } from 'src/auth/principal.js';

/** The authenticated caller, set by the global guard; resolvers pass it first to services. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request =
    context.getType<string>() === 'graphql'
      ? GqlExecutionContext.create(context).getContext<{ req: TandemRequest }>().req
      : context.switchToHttp().getRequest<TandemRequest>();
  const principal = principalOf(request);
  if (!principal) throw TandemError.unauthenticated();
  return principal;
});
