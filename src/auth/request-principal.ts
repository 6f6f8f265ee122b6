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
