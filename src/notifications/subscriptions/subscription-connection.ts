import { randomUUID } from 'node:crypto';
import type { Authenticator } from 'src/auth/authenticator.service.js';
import { JUSTIFICATION_HEADER, type Principal, PURPOSE_HEADER } from 'src/auth/principal.js';
import type { TandemRequest } from 'src/auth/request-principal.js';
import { Permission } from 'src/auth/roles.js';

/** What a graphql-ws client sends in `connection_init`: its bearer token and purpose. */
interface InitPayload {
  readonly authorization?: unknown;
  readonly [PURPOSE_HEADER]?: unknown;
  readonly headers?: Record<string, unknown>;
}

/** The request-like object the guard and the token strategy read, made from the connection's payload. */
export interface SubscriptionRequest extends TandemRequest {
  readonly id: string;
  readonly headers: Record<string, string | undefined>;
  /** Seconds since the epoch at which the connection's token expires. */
  tokenExpiry?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The graphql-transport-ws close codes for a refused `connection_init`. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_MANY_INITIALISATION_REQUESTS = 4429;

/** Connections that have sent `connection_init`: a second one must not change who the connection is. */
const initialised = new WeakSet<object>();

/** The part of Mercurius's connection that `onConnect` is called on (as `this`). */
interface Connection {
  readonly socket: { close(code: number, reason: string): void };
}

/**
 * graphql-ws (`graphql-transport-ws`) connections: the token and purpose come in `connection_init`
 * (as `authorization` and `x-purpose-of-use`, or under `headers`). A connection whose token does
 * not verify is closed with 4401, one whose roles may not read notifications with 4403, one that
 * initialises twice with 4429, as the protocol says; each connection is closed when its token expires.
 */
export function subscriptionOptions(authenticator: Authenticator) {
  return {
    // The socket, so the connection can be closed when the token expires.
    context: (socket: { close(code: number, reason: string): void }) => ({ socket }),
    // A function, not an arrow: Mercurius calls it on the connection (`this`), whose socket it must
    // close itself; returning false alone makes Mercurius send `connection_error`, a message the
    // protocol no longer has, which graphql-ws clients reject as invalid.
    onConnect: async function (
      this: Connection,
      { payload }: { payload?: InitPayload },
    ): Promise<false | { req: SubscriptionRequest }> {
      // The protocol closes a connection that initialises twice: Mercurius would take the second
      // token as the connection's, with the first token's expiry still the one that closes it.
      if (initialised.has(this)) {
        this.socket.close(CLOSE_TOO_MANY_INITIALISATION_REQUESTS, 'Too many initialisation requests');
        return false;
      }
      initialised.add(this);
      const source = (payload?.headers ?? payload ?? {}) as Record<string, unknown>;
      const request: SubscriptionRequest = {
        id: randomUUID(),
        headers: {
          authorization: text(source.authorization) ?? text(source.Authorization),
          [PURPOSE_HEADER]: text(source[PURPOSE_HEADER]),
          [JUSTIFICATION_HEADER]: text(source[JUSTIFICATION_HEADER]),
        },
      };
      let principal: Principal;
      try {
        principal = await authenticator.authenticate(request);
      } catch {
        this.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
        return false;
      }
      if (!principal.can(Permission.NOTIFICATION_READ)) {
        this.socket.close(CLOSE_FORBIDDEN, 'Forbidden');
        return false;
      }
      request.tokenExpiry = principal.tokenExpiresAt;
      return { req: request };
    },
  };
}

const closing = new WeakSet<object>();

/**
 * Closes the connection (4403, "Token expired") when its token expires; once per connection. A
 * connection whose expiry is unknown is closed at once: every token Tandem accepts has one.
 */
export function closeWhenTokenExpires(context: {
  req?: SubscriptionRequest;
  socket?: { close(code: number, reason: string): void };
}): void {
  const { req, socket } = context;
  if (!req || !socket || closing.has(socket)) return;
  closing.add(socket);
  const expiry = req.tokenExpiry ?? 0;
  const timer = setTimeout(() => socket.close(CLOSE_FORBIDDEN, 'Token expired'), Math.max(0, expiry * 1000 - Date.now()));
  timer.unref();
}
