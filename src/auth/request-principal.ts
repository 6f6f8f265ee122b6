import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Principal } from 'src/auth/principal.js';

/**
 * What Tandem keeps on the request object it is given (Fastify's request, or the one a graphql-ws
 * connection makes): the request context once the token is verified, so a token is verified once
 * however many fields resolve.
 */
export interface TandemRequest {
  tandemPrincipal?: Principal;
  tandemAuthentication?: Promise<Principal>;
}

declare module 'fastify' {
  interface FastifyRequest {
    tandemPrincipal?: Principal;
    tandemAuthentication?: Promise<Principal>;
  }
}

export function setPrincipal(request: TandemRequest, principal: Principal): void {
  request.tandemPrincipal = principal;
}

export function principalOf(request: TandemRequest): Principal | undefined {
  return request.tandemPrincipal;
}

/** What GraphQL's context holds for Tandem (graphql.module.ts and the graphql-ws connection set it). */
interface GraphQLRequestContext {
  readonly req: TandemRequest;
}

/**
 * The request a guarded handler serves: GraphQL's `context.req`, or the HTTP request. A field's
 * resolver is called with (root, args, context, info), so the context is the third argument; Nest's
 * `GqlExecutionContext` finds the same slot only after asking graphql whether the last argument is
 * a type (eight failed `instanceof` checks, in a field of every read), so it is asked only for the
 * other shapes (a type's or a reference's resolver).
 */
export function requestOf(context: ExecutionContext): TandemRequest {
  if (context.getType<string>() !== 'graphql') return context.switchToHttp().getRequest<TandemRequest>();
  const args = context.getArgs<[unknown, unknown, GraphQLRequestContext, unknown]>();
  if (args.length === 4 && isResolveInfo(args[3])) return args[2].req;
  return GqlExecutionContext.create(context).getContext<GraphQLRequestContext>().req;
}

function isResolveInfo(value: unknown): value is GraphQLResolveInfo {
  return typeof value === 'object' && value !== null && 'fieldName' in value && 'parentType' in value;
}
