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
 * Ids of subscribe operations on one connection that did not start (refused, or not yet started).
 * Mercurius keeps what it made for each id until the connection closes (a graphql-ws client never
 * completes an operation it was refused), so their number is bounded.
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
  /** Ids subscribed that have not started: refused ones stay (as Mercurius keeps them). */
  readonly notStarted: Set<string>;
}

const connections = new WeakMap<object, Operations>();

function operationsOf(socket: Socket): Operations {
  let operations = connections.get(socket);
  if (!operations) {
    const created: Operations = { running: new Map(), notStarted: new Set() };
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
    operations.notStarted.add(id);
    if (operations.notStarted.size > MAX_REFUSED_PER_CONNECTION) {
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
  context: { readonly socket?: unknown; readonly id?: unknown; readonly pubsub?: unknown },
  open: () => AsyncIterableIterator<T>,
): AsyncIterableIterator<T> {
  const socket = isSocket(context.socket) ? context.socket : undefined;
  const id = typeof context.id === 'string' ? context.id : undefined;
  if (!socket || id === undefined) return open();
  const operations = operationsOf(socket);
  operations.notStarted.delete(id);
  if (operations.running.has(id)) throw closing(socket, CLOSE_SUBSCRIBER_EXISTS, `Subscriber for ${id} already exists`);
  // Checked again here: a burst of subscribes all pass the hook before any of them runs.
  if (operations.running.size >= MAX_RUNNING_PER_CONNECTION)
    throw closing(socket, CLOSE_TOO_MANY_OPERATIONS, 'Too many subscriptions');
  // Completed by the client (or its connection closed) before its stream started, which Mercurius
  // cannot stop once it has it: it never starts.
  if (ended(context.pubsub)) return finished<T>();
  const stream = open();
  const release = () => {
    if (operations.running.get(id) === released) operations.running.delete(id);
  };
  const released: AsyncIterableIterator<T> = {
    next: async () => {
      // Completed between the resolver and Mercurius keeping the stream: stopped at its first step.
      if (ended(context.pubsub)) return released.return ? released.return() : { value: undefined, done: true };
      let result: IteratorResult<T>;
      try {
        result = await stream.next();
      } catch (error) {
        // The operation is over (the client is sent the error): its id and its listener go too.
        release();
        void stream.return?.();
        throw error;
      }
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

/**
 * Whether Mercurius closed the operation's SubscriptionContext (the resolver's `pubsub`): it does on
 * the client's `complete` and on the connection's close, even before it holds the stream.
 */
function ended(pubsub: unknown): boolean {
  return typeof pubsub === 'object' && pubsub !== null && 'closed' in pubsub && pubsub.closed === true;
}

/** A stream with nothing in it. */
function finished<T>(): AsyncIterableIterator<T> {
  const done: AsyncIterableIterator<T> = {
    next: () => Promise.resolve({ value: undefined, done: true }),
    return: () => Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return done;
    },
  };
  return done;
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
