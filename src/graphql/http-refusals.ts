import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from 'src/common/errors/tandem-error.js';

const GRAPHQL_PATH = '/graphql';

/** How much of a refused body is read (and thrown away) before answering; past it the connection is cut. */
const DRAIN_FACTOR = 16;
const MIN_DRAIN_BYTES = 1024 * 1024;

export interface HttpLimits {
  readonly maxBodyBytes: number;
  readonly allowBatchedQueries: boolean;
}

function refusal(request: FastifyRequest, code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...details, correlationId: request.id } }] };
}

/**
 * Answers once the client has sent its body (read and thrown away, up to a bound). Answering
 * before, then closing, resets a connection the client is still writing to, and the client often
 * loses the answer with it.
 */
function refuseAfterBody(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: ReturnType<typeof refusal>,
  drainBytes: number,
): void {
  const raw = request.raw;
  let received = 0;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    raw.off('data', onData);
    void reply.code(status).header('connection', 'close').send(body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > drainBytes) answer();
  };
  if (raw.readableEnded) {
    answer();
    return;
  }
  raw.on('data', onData);
  raw.once('end', answer);
  raw.once('error', answer);
  // A client that gives up mid-body gets nothing more; the reply is still closed off.
  raw.once('close', answer);
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * What Fastify and Mercurius would otherwise answer unhelpfully, answered in the GraphQL error
 * shape with the right status:
 * - a body over GRAPHQL_MAX_BODY_BYTES (by its Content-Length) gets 413 PAYLOAD_TOO_LARGE, after
 *   the body has been read; a chunked one is cut by Fastify's own limit, also 413;
 * - a POST to /graphql that is not `application/json` gets 415 UNSUPPORTED_MEDIA_TYPE: a form
 *   or `text/plain` post is what a browser sends cross-site without asking first;
 * - a batched array when batching is off says so (Mercurius's own answer is "body must be object");
 * - a `query` that is not a string (an array, a number, a repeated GET parameter) is refused, not
 *   coerced into one by Fastify's schema;
 * - every response is `Cache-Control: no-store`: it may carry child data, which no cache may keep.
 */
export function installHttpRefusals(fastify: FastifyInstance, limits: HttpLimits): void {
  const drainBytes = Math.max(MIN_DRAIN_BYTES, limits.maxBodyBytes * DRAIN_FACTOR);
  fastify.addHook('onRequest', (request, reply, done) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      const message = `The request body is larger than the limit of ${limits.maxBodyBytes} bytes`;
      refuseAfterBody(request, reply, 413, refusal(request, ErrorCode.PAYLOAD_TOO_LARGE, message), drainBytes);
      return;
    }
    if (request.method === 'POST' && request.routeOptions.url === GRAPHQL_PATH) {
      const type = mediaType(request.headers['content-type']);
      if (type !== 'application/json') {
        const message = `Send the operation as application/json${type ? `, not ${type.slice(0, 60)}` : ''}`;
        refuseAfterBody(request, reply, 415, refusal(request, ErrorCode.UNSUPPORTED_MEDIA_TYPE, message), drainBytes);
        return;
      }
    }
    done();
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.routeOptions.url !== GRAPHQL_PATH) return done();
    if (!limits.allowBatchedQueries && Array.isArray(request.body)) {
      const message = 'Batched operations are not accepted: send one operation per request';
      void reply.code(400).send(refusal(request, ErrorCode.BAD_USER_INPUT, message, { field: 'body' }));
      return;
    }
    // Fastify's schema would coerce `["{ … }"]` to the text it holds: a query is a string or nothing.
    const source = request.method === 'GET' ? request.query : request.body;
    const operations: unknown[] = Array.isArray(source) ? source : [source];
    if (operations.some((operation) => !queryIsText(operation))) {
      void reply.code(400).send(refusal(request, ErrorCode.BAD_USER_INPUT, 'query must be a string', { field: 'query' }));
      return;
    }
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/** Whether an operation's `query` (in a body, a batch's item or a query string) is a string or absent. */
function queryIsText(operation: unknown): boolean {
  if (typeof operation !== 'object' || operation === null || !('query' in operation)) return true;
  return operation.query === undefined || typeof operation.query === 'string';
}
