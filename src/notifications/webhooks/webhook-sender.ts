import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkUrl, type DestinationPolicy, resolveDestination } from 'src/notifications/webhooks/destination.js';

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
  try {
    url = checkUrl(rawUrl, options);
    target = await (options.resolve ?? resolveDestination)(url, options);
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message : String(error) };
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/cloudevents+json',
          'content-length': Buffer.byteLength(body).toString(),
        },
        timeout: options.timeoutMs,
        // Connect to the address checked above, never to a second answer from DNS.
        lookup: ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
          else callback(null, target.address, target.family);
        }) as never,
      },
      (response) => {
        // Only the status matters; the body is read (to free the socket) and dropped.
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on('error', (error) => resolve({ status: response.statusCode ?? null, error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No response within ${options.timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: null, error: error.message }));
    req.end(body);
  });
}
