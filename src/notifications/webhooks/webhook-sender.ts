import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkUrl, type DestinationPolicy, dnsLookup, resolveDestination } from 'src/notifications/webhooks/destination.js';

export interface SendResult {
  /** HTTP status, or null when no response came (refused, timed out, unreachable). */
  readonly status: number | null;
  readonly error: string | null;
}

/** POSTs a body to an allowed destination with a timeout, connecting to the address that was checked. */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: DestinationPolicy & {
    timeoutMs: number;
    /** How the host is resolved and checked (a test stands in a resolver of its own). */
    resolve?: typeof resolveDestination;
  },
): Promise<SendResult> {
  let url: URL;
  let target: { address: string; family: 4 | 6 };
  // The whole attempt, the name's look-up included, within timeoutMs.
  const started = Date.now();
  const late = { status: null, error: `No response within ${options.timeoutMs} ms` };
  let timer: NodeJS.Timeout | undefined;
  try {
    url = checkUrl(rawUrl, options);
    const resolving = (options.resolve ?? resolveDestination)(url, options, dnsLookup(options.timeoutMs));
    const outOfTime = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), options.timeoutMs)));
    const resolved = await Promise.race([resolving, outOfTime]);
    if (!resolved) return late;
    target = resolved;
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
  const remainingMs = options.timeoutMs - (Date.now() - started);
  if (remainingMs <= 0) return late;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    // Set once the request exists; settle clears it.
    const timer: { deadline?: NodeJS.Timeout } = {};
    const settle = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer.deadline);
      resolve(result);
    };
    let req: ClientRequest;
    try {
      req = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/cloudevents+json',
            'content-length': Buffer.byteLength(body).toString(),
          },
          // Idle time on the socket; the deadline below bounds the whole attempt.
          timeout: remainingMs,
          // A connection of its own each time, never a pooled one kept from an earlier address check.
          agent: false,
          // Connect to the address checked above, never to a second answer from DNS.
          lookup: ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
            if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
            else callback(null, target.address, target.family);
          }) as never,
        },
        (response) => {
          // Only the status matters: settled when it arrives, the body never read (a receiver that
          // trickles a body forever holds nothing), the connection dropped.
          settle({ status: response.statusCode ?? null, error: null });
          // Dropping a body mid-way makes the response emit "aborted": nothing is waiting for it now.
          response.on('error', () => undefined);
          response.destroy();
        },
      );
    } catch (error) {
      // Refused before anything was sent (a header node will not write, say).
      settle({ status: null, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    // The whole attempt (connecting, TLS, sending, the status line and headers) within timeoutMs:
    // a socket idle timeout alone is reset by every byte a slow receiver trickles.
    timer.deadline = setTimeout(() => {
      settle(late);
      req.destroy();
    }, remainingMs);
    req.on('timeout', () => req.destroy(new Error(`No response within ${options.timeoutMs} ms`)));
    req.on('error', (error) => settle({ status: null, error: error.message }));
    req.end(body);
  });
}
