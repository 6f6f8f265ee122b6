/**
 * The reference receiver's logic: how a CSC or YOS case system consumes Tandem's notifications. It
 * verifies each webhook's Standard Webhooks signature and timestamp, answers at once and processes
 * in order behind the answer, drops an event it already processed (by the CloudEvent `id`: the
 * notification's, the same on every retry and redelivery), detects a gap in the sequence and
 * catches up through the `notifications` query first, and puts placement changes before a person
 * to acknowledge (`acknowledgeEvent` with their token: the case system's own token may not, so an
 * unread change still escalates). Its state (last sequence, ids seen) is a plain object the runner keeps in a
 * file, so a restart catches up too. `examples/receiver.ts` runs it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';

const TOLERANCE_SECONDS = 300;
const SEEN_KEPT = 5000;

export interface CloudEvent {
  readonly id: string;
  readonly type: string;
  readonly sequence: string;
  readonly subject: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

export interface ReceiverState {
  lastSequence: number;
  seen: string[];
}

export interface ReceiverOptions {
  readonly url: string;
  readonly token: () => string;
  readonly secret: () => string;
  readonly state: ReceiverState;
  /** Called after each change to the state (the runner writes it to its file). */
  readonly save?: (state: ReceiverState) => void;
  /** What the case system does with an event; called once per event, in sequence order. */
  readonly handle?: (event: CloudEvent, via: 'webhook' | 'catch-up') => void;
  readonly log?: (line: string) => void;
}

export interface Receiver {
  readonly listener: RequestListener;
  /** Processes everything after the last sequence processed, through the catch-up query. */
  catchUp(): Promise<void>;
  /** Resolves when every event received so far has been processed. */
  settled(): Promise<void>;
}

/** Standard Webhooks: HMAC-SHA256 of "id.timestamp.body" with the base64 key after `whsec_`; any listed signature may match. */
export function verified(headers: IncomingMessage['headers'], body: string, secret: string, now = Date.now()): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
  return signatures.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), expected),
  );
}

/** Registers `hookUrl` as the token's case system's webhook endpoint; returns the secret it signs with. */
export async function registerWebhook(
  tandemUrl: string,
  token: string,
  hookUrl: string,
): Promise<{ secret: string; endpointId: string }> {
  const response = await fetch(tandemUrl, {
    method: 'POST',
    // Every operation but the directory's says why; registering is the case system's own management.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
    body: JSON.stringify({
      query: `mutation ($url: String!) { registerWebhook(input: { url: $url }) { secret endpoint { id } } }`,
      variables: { url: hookUrl },
    }),
  });
  const body = (await response.json()) as {
    data?: { registerWebhook: { secret: string; endpoint: { id: string } } };
    errors?: { message: string }[];
  };
  if (!body.data) throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  return { secret: body.data.registerWebhook.secret, endpointId: body.data.registerWebhook.endpoint.id };
}

export function createReceiver(options: ReceiverOptions): Receiver {
  const { state } = options;
  const log = options.log ?? ((line: string) => console.log(line));

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${options.token()}`,
        'x-purpose-of-use': 'CASE_MANAGEMENT',
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data)
      throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
    return body.data;
  }

  /** What the case system would do with an event: here, print it, and a placement change awaits a person's acknowledgement. */
  function handle(event: CloudEvent, via: 'webhook' | 'catch-up'): void {
    options.handle?.(event, via);
    const data = event.data as {
      child?: { givenName?: string; familyName?: string };
      placement?: { address?: string | null };
      event?: { late?: boolean };
    };
    const child = data.child ? `${data.child.givenName ?? ''} ${data.child.familyName ?? ''}`.trim() : event.subject;
    log(
      `#${event.sequence} ${event.type} for ${child}${data.placement ? ` → ${data.placement.address ?? '(address withheld)'}` : ''}${data.event?.late ? ' [LATE]' : ''} (${via})`,
    );
    if (event.type.startsWith('uk.tandem.placement.')) {
      // A person acknowledges it on screen (acknowledgeEvent with their own token); until then it escalates.
      log(`  to acknowledge: ${event.id}`);
    }
  }

  async function fetchMissed(): Promise<void> {
    for (;;) {
      const page = await graphql<{
        notifications: { edges: { node: { cloudEvent: string } }[]; pageInfo: { hasNextPage: boolean } };
      }>(
        `
          query ($after: String) {
            notifications(after: $after, first: 100) {
              edges {
                node {
                  cloudEvent
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        `,
        { after: String(state.lastSequence) },
      );
      for (const { node } of page.notifications.edges) await accept(JSON.parse(node.cloudEvent) as CloudEvent, 'catch-up');
      if (!page.notifications.pageInfo.hasNextPage) return;
    }
  }

  async function accept(event: CloudEvent, via: 'webhook' | 'catch-up'): Promise<void> {
    if (state.seen.includes(event.id)) return;
    const sequence = Number(event.sequence);
    if (sequence > state.lastSequence + 1 && via === 'webhook') {
      // A gap: something was missed (the receiver was down, or a delivery died). Fetch it first.
      log(`gap: have #${state.lastSequence}, got #${sequence}; catching up`);
      await fetchMissed();
      if (state.seen.includes(event.id)) return;
    }
    handle(event, via);
    state.lastSequence = Math.max(state.lastSequence, sequence);
    state.seen = [...state.seen, event.id].slice(-SEEN_KEPT);
    options.save?.(state);
  }

  // Webhooks and catch-ups are processed one after another, in the order they arrived: two at once
  // could both take one event for new.
  let queue: Promise<void> = Promise.resolve();
  const inTurn = (work: () => Promise<void>): Promise<void> => {
    queue = queue
      .then(work)
      .catch((error: unknown) => log(`could not process: ${error instanceof Error ? error.message : String(error)}`));
    return queue;
  };
  const listener: RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.method !== 'POST' || !verified(request.headers, body, options.secret())) {
        response.statusCode = 401;
        response.end();
        return;
      }
      // Answer quickly; process in order behind it. A 2xx means "received", not "read".
      response.statusCode = 204;
      response.end();
      void inTurn(() => accept(JSON.parse(body) as CloudEvent, 'webhook'));
    });
  };

  return { listener, catchUp: () => inTurn(fetchMissed), settled: () => queue };
}
