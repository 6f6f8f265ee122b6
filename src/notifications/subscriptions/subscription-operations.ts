import { GraphQLError } from 'graphql';

/** graphql-transport-ws: a subscribe whose id is not a string. */
export const CLOSE_INVALID_MESSAGE = 4400;
/** graphql-transport-ws: a subscribe whose id the connection already uses for a running subscription. */
export const CLOSE_SUBSCRIBER_EXISTS = 4409;
/** WebSocket "policy violation": more subscriptions at once, or more refused, than a connection may have. */
export const CLOSE_TOO_MANY_OPERATIONS = 1008;
/** Subscriptions one connection may run at once (Tandem's one subscription needs one; a few spare for reconnecting clients). */
export const MAX_RUNNING_PER_CONNECTION = 16;
/**
 * Subscribe operations on one connection, in its life, that did not start. Mercurius keeps what it
 * made for each until the connection closes (a graphql-ws client never completes an operation it
 * was refused), so their number is bounded.
 */
export const MAX_REFUSED_PER_CONNECTION = 100;

interface Socket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * A connection's running subscriptions by id, and how many subscribes it sent and started.
 * Mercurius keys its own by the id as sent, and a second subscribe with the id of one it runs
 * replaces it in its maps: the first would go on sending, stoppable by nothing, not even the
 * connection's close. So Tandem keeps its own list and stops every stream of a connection when it
 * closes, whatever Mercurius still holds.
 */
interface Operations {
  readonly running: Map<string, AsyncIterator<unknown>>;
  subscribes: number;
  started: number;
}

const connections = new WeakMap<object, Operations>();

function operationsOf(socket: Socket): Operations {
  let operations = connections.get(socket);
  if (!operations) {
    const created: Operations = { running: new Map(), subscribes: 0, started: 0 };
    socket.once('close', () => {
      for (const stream of created.running.values()) void stream.return?.();
      created.running.clear();
    });
    connections.set(socket, created);
    operations = created;
  }
  return operations;
}

/** Closes the connection and refuses the operation (Mercurius answers it with an error on a closing socket). */
function closing(socket: Socket, code: number, reason: string): GraphQLError {
  // A close reason is at most 123 bytes.
  socket.close(code, Buffer.byteLength(reason) <= 123 ? reason : 'Subscriber already exists');
  return new GraphQLError(reason);
}

/**
 * Mercurius `preSubscriptionExecution`: admits the operation on its connection, then runs `check`
 * (validation). An id that is not a string closes the connection with 4400; the id of a running
 * subscription with 4409, as graphql-transport-ws says; a subscribe past MAX_RUNNING_PER_CONNECTION,
 * or past MAX_REFUSED_PER_CONNECTION that did not start, with 1008. A refused operation's id, or a
 * stopped one's, may be used again.
 */
export function admittedSubscriptions<Schema, Document>(check: (schema: Schema, document: Document) => void) {
  return (schema: Schema, document: Document, context: object, id: unknown): void => {
    const socket = socketOf(context);
    if (!socket) throw new GraphQLError('Subscriptions need a connection');
    if (typeof id !== 'string' || id.length === 0) throw closing(socket, CLOSE_INVALID_MESSAGE, 'A subscribe id is a string');
    const operations = operationsOf(socket);
    if (operations.running.has(id)) throw closing(socket, CLOSE_SUBSCRIBER_EXISTS, `Subscriber for ${id} already exists`);
    if (operations.running.size >= MAX_RUNNING_PER_CONNECTION) {
      throw closing(socket, CLOSE_TOO_MANY_OPERATIONS, 'Too many subscriptions');
    }
    operations.subscribes += 1;
    if (operations.subscribes - operations.started > MAX_REFUSED_PER_CONNECTION) {
      throw closing(socket, CLOSE_TOO_MANY_OPERATIONS, 'Too many refused operations');
    }
    check(schema, document);
  };
}

/**
 * The subscription's resolver starts its stream: `open` runs, and the stream it returns is the
 * connection's under its id until it stops (completed by the client, or the connection closed). A
 * second with an id already running (two subscribes in flight at once) closes the connection (4409).
 */
export function runningSubscription<T>(
  context: { readonly socket?: unknown; readonly id?: unknown },
  open: () => AsyncIterableIterator<T>,
): AsyncIterableIterator<T> {
  const socket = isSocket(context.socket) ? context.socket : undefined;
  const id = typeof context.id === 'string' ? context.id : undefined;
  if (!socket || id === undefined) return open();
  const operations = operationsOf(socket);
  if (operations.running.has(id)) throw closing(socket, CLOSE_SUBSCRIBER_EXISTS, `Subscriber for ${id} already exists`);
  const stream = open();
  operations.started += 1;
  const release = () => {
    if (operations.running.get(id) === released) operations.running.delete(id);
  };
  const released: AsyncIterableIterator<T> = {
    next: async () => {
      const result = await stream.next();
      if (result.done) release();
      return result;
    },
    return: async (value?: unknown) => {
      release();
      return stream.return ? stream.return(value) : { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      release();
      if (stream.throw) return stream.throw(error);
      throw error instanceof Error ? error : new Error(String(error));
    },
    [Symbol.asyncIterator]() {
      return released;
    },
  };
  operations.running.set(id, released);
  return released;
}

/** The connection's socket, which the subscription context carries (`subscriptionOptions`). */
function socketOf(context: object): Socket | undefined {
  if (!('socket' in context)) return undefined;
  const { socket } = context;
  return isSocket(socket) ? socket : undefined;
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    'close' in value &&
    typeof value.close === 'function' &&
    'once' in value &&
    typeof value.once === 'function'
  );
}
