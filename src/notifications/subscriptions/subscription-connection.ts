import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
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

/** graphql-transport-ws: a subscribe whose id the connection already uses for a subscription. */
export const CLOSE_SUBSCRIBER_EXISTS = 4409;
/** WebSocket "policy violation": more operations at once than a connection may hold. */
export const CLOSE_TOO_MANY_OPERATIONS = 1008;
/** Subscribe operations one connection may hold at once (Tandem's one subscription needs one; a few spare for reconnecting clients). */
export const MAX_OPERATIONS_PER_CONNECTION = 16;

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

interface Closable {
  close(code: number, reason: string): void;
}

/**
 * Each connection's subscribe operations by id, as Mercurius holds them: it keeps every one it
 * starts (a refused one too) until the client completes it or the connection closes, and a second
 * subscribe with the id of a running one would orphan that one (still sending, never stoppable).
 */
const operations = new WeakMap<object, Map<string, 'checking' | 'refused' | 'admitted'>>();

/**
 * Mercurius `preSubscriptionExecution`: admits the operation on its connection, then runs `check`
 * (validation). A subscribe whose id names a running subscription closes the connection with 4409
 * (as graphql-transport-ws says); one past MAX_OPERATIONS_PER_CONNECTION closes it with 1008. A
 * refused operation's id may be used again.
 */
export function admittedSubscriptions<Schema, Document>(check: (schema: Schema, document: Document) => void) {
  return (schema: Schema, document: Document, context: object, id: string | number): void => {
    const socket = socketOf(context);
    if (!socket) throw new GraphQLError('Subscriptions need a connection');
    const key = String(id);
    let held = operations.get(socket);
    if (!held) {
      held = new Map();
      operations.set(socket, held);
    }
    const state = held.get(key);
    if (state === 'admitted' || state === 'checking') {
      socket.close(CLOSE_SUBSCRIBER_EXISTS, `Subscriber for ${key.slice(0, 64)} already exists`);
      throw new GraphQLError('That id is in use');
    }
    if (state === undefined && held.size >= MAX_OPERATIONS_PER_CONNECTION) {
      socket.close(CLOSE_TOO_MANY_OPERATIONS, 'Too many operations');
      throw new GraphQLError('Too many operations');
    }
    held.set(key, 'checking');
    try {
      check(schema, document);
    } catch (error) {
      held.set(key, 'refused');
      throw error;
    }
    held.set(key, 'admitted');
  };
}

/** Mercurius `onSubscriptionEnd` (the client completed an operation): its id is free again. */
export function subscriptionEnded(context: object | null, id: string | number): void {
  const socket = socketOf(context);
  if (socket) operations.get(socket)?.delete(String(id));
}

/** The connection's socket, which the subscription context carries (`subscriptionOptions`). */
function socketOf(context: object | null): Closable | undefined {
  if (!context || !('socket' in context)) return undefined;
  const { socket } = context;
  return isClosable(socket) ? socket : undefined;
}

function isClosable(value: unknown): value is Closable {
  return typeof value === 'object' && value !== null && 'close' in value && typeof value.close === 'function';
}
