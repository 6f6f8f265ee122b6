import type { Principal } from 'src/auth/principal.js';

const principals = new WeakMap<object, Principal>();

/** Remembers the principal for one request, so a token is verified once however many fields resolve. */
export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
