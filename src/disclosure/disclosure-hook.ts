import { createHash } from 'node:crypto';
import { principalOf, type TandemRequest } from 'src/auth/request-principal.js';
import { disclosureLogRefusal } from 'src/disclosure/disclosure-log-unavailable.js';
import type { DisclosureService } from 'src/disclosure/disclosure.service.js';

interface HookContext {
  readonly req?: TandemRequest;
  readonly reply?: { request: { id: string; body?: unknown; query?: unknown }; code(status: number): unknown };
}

/**
 * Mercurius `onResolution`: the receipts of everything the request disclosed are committed before
 * the response leaves. If they cannot be, the response carries no data, only an error (fail closed).
 */
export function disclosureHook(disclosure: DisclosureService) {
  return async (execution: { data?: unknown; errors?: unknown }, context: unknown): Promise<void> => {
    const { req, reply } = context as HookContext;
    const principal = req ? principalOf(req) : undefined;
    if (!principal) return;
    const body = operationSent(reply?.request);
    try {
      await disclosure.commit(principal, {
        channel: 'GRAPHQL',
        name: typeof body.operationName === 'string' ? body.operationName.slice(0, 200) : null,
        hash: typeof body.query === 'string' ? queryHash(body.query) : null,
      });
    } catch (error) {
      const correlationId = reply?.request.id ?? principal.correlationId;
      disclosure.logFailure(principal, error);
      execution.data = null;
      execution.errors = [disclosureLogRefusal(correlationId)];
      reply?.code(503);
    }
  };
}

/**
 * The operation as the request sent it: a POST's JSON body or a GET's query string, as Mercurius
 * reads them (other bodies are refused before: http-refusals.ts). A batch (an array) names several,
 * and its receipts may be committed by any of its operations: they carry no hash.
 */
function operationSent(request: { body?: unknown; query?: unknown } | undefined): { query?: unknown; operationName?: unknown } {
  const sent = request?.body ?? request?.query;
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return {};
  return sent;
}

/** Case systems send the same few documents again and again: the hashes of short ones are kept (a bounded number). */
const hashes = new Map<string, string>();
const MAX_HASHES = 1000;
const MAX_CACHED_LENGTH = 8192;

function queryHash(query: string): string {
  if (query.length > MAX_CACHED_LENGTH) return createHash('sha256').update(query).digest('hex');
  let hash = hashes.get(query);
  if (hash === undefined) {
    hash = createHash('sha256').update(query).digest('hex');
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(query, hash);
  }
  return hash;
}
