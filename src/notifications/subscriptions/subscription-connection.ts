import { randomUUID } from 'node:crypto';
import type { Authenticator } from 'src/auth/authenticator.service.js';
import { JUSTIFICATION_HEADER, PURPOSE_HEADER } from 'src/auth/principal.js';
import type { TandemRequest } from 'src/auth/request-principal.js';

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
  /** Seconds since the epoch at which the connection's token expires, if it says. */
  tokenExpiry?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Seconds since the epoch at which the bearer token expires (verified already), if it says. */
function expiryOf(authorization: string | undefined): number | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * graphql-ws (`graphql-transport-ws`) connections: the token and purpose come in `connection_init`
 * (as `authorization` and `x-purpose-of-use`, or under `headers`); a connection whose token does
 * not verify is refused, and each connection is closed when its token expires.
 */
export function subscriptionOptions(authenticator: Authenticator) {
  return {
    // The socket, so the connection can be closed when the token expires.
    context: (socket: { close(code: number, reason: string): void }) => ({ socket }),
    onConnect: async ({ payload }: { payload?: InitPayload }): Promise<false | { req: SubscriptionRequest }> => {
      const source = (payload?.headers ?? payload ?? {}) as Record<string, unknown>;
      const request: SubscriptionRequest = {
        id: randomUUID(),
        headers: {
          authorization: text(source.authorization) ?? text(source.Authorization),
          [PURPOSE_HEADER]: text(source[PURPOSE_HEADER]),
          [JUSTIFICATION_HEADER]: text(source[JUSTIFICATION_HEADER]),
        },
      };
      try {
        await authenticator.authenticate(request);
      } catch {
        return false;
      }
      request.tokenExpiry = expiryOf(request.headers.authorization);
      return { req: request };
    },
  };
}

const closing = new WeakSet<object>();

/** Closes the connection (4403, "Token expired") when its token expires; once per connection. */
export function closeWhenTokenExpires(context: {
  req?: SubscriptionRequest;
  socket?: { close(code: number, reason: string): void };
}): void {
  const { req, socket } = context;
  if (!req || !socket || closing.has(socket)) return;
  closing.add(socket);
  const expiry = req.tokenExpiry;
  if (typeof expiry !== 'number') return;
  const timer = setTimeout(() => socket.close(4403, 'Token expired'), Math.max(0, expiry * 1000 - Date.now()));
  timer.unref();
}
