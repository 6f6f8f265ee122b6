/**
 * A reference receiver: how a CSC or YOS case system consumes Tandem's notifications. It verifies
 * each webhook's Standard Webhooks signature, drops duplicates by `webhook-id`, detects a gap in
 * the sequence and catches up through the `notifications` query, and acknowledges placement
 * changes with `acknowledgeEvent`. State (last sequence, ids seen) is kept in a JSON file, so a
 * restart catches up too.
 *
 *   TANDEM_URL=http://127.0.0.1:4000/graphql TANDEM_TOKEN=… WEBHOOK_SECRET=whsec_… npm run receiver
 *   npm run receiver -- --register        (development: registers itself as Derby YOS's case system)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';

const TANDEM_URL = process.env.TANDEM_URL ?? 'http://127.0.0.1:4000/graphql';
const PORT = Number(process.env.RECEIVER_PORT ?? 4100);
const STATE_FILE = process.env.RECEIVER_STATE ?? 'receiver-state.json';
const TOLERANCE_SECONDS = 300;

interface CloudEvent {
  readonly id: string;
  readonly type: string;
  readonly sequence: string;
  readonly subject: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

interface State {
  lastSequence: number;
  seen: string[];
}

const state: State = existsSync(STATE_FILE)
  ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State)
  : { lastSequence: 0, seen: [] };
const save = () => writeFileSync(STATE_FILE, JSON.stringify(state));

let token = process.env.TANDEM_TOKEN ?? '';
let secret = process.env.WEBHOOK_SECRET ?? '';

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(TANDEM_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data)
    throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  return body.data;
}

/** Standard Webhooks: HMAC-SHA256 of "id.timestamp.body" with the base64 key after `whsec_`; any listed signature may match. */
function verified(headers: IncomingMessage['headers'], body: string): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
  return signatures.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), expected),
  );
}

/** What the case system would do with an event: here, print it and acknowledge placement changes. */
async function handle(event: CloudEvent, via: string): Promise<void> {
  const data = event.data as {
    child?: { givenName?: string; familyName?: string };
    placement?: { address?: string | null; plannedDate?: string | null };
    event?: { late?: boolean };
  };
  const child = data.child ? `${data.child.givenName ?? ''} ${data.child.familyName ?? ''}`.trim() : event.subject;
  console.log(
    `#${event.sequence} ${event.type} for ${child}${data.placement ? ` → ${data.placement.address ?? '(address withheld)'}` : ''}${data.event?.late ? ' [LATE]' : ''} (${via})`,
  );
  if (event.type.startsWith('uk.tandem.placement.')) {
    // In a real case system a person acknowledges it on screen; here the integration does it at once.
    await graphql(
      `
        mutation ($id: ID!) {
          acknowledgeEvent(id: $id) {
            acknowledgedAt
          }
        }
      `,
      { id: event.id },
    ).catch((error: unknown) =>
      console.warn(`  could not acknowledge: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/** Everything after the last sequence we processed, in order, through the catch-up query. */
async function catchUp(): Promise<void> {
  for (;;) {
    const page = await graphql<{
      notifications: {
        edges: { node: { id: string; sequence: string; cloudEvent: string } }[];
        pageInfo: { hasNextPage: boolean };
      };
    }>(
      `
        query ($after: String) {
          notifications(after: $after, first: 100) {
            edges {
              node {
                id
                sequence
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

let catching: Promise<void> | undefined;

async function accept(event: CloudEvent, via: string): Promise<void> {
  if (state.seen.includes(event.id)) return;
  const sequence = Number(event.sequence);
  if (sequence > state.lastSequence + 1 && via === 'webhook') {
    // A gap: something was missed (the receiver was down, or a delivery died). Fetch it first.
    console.log(`gap: have #${state.lastSequence}, got #${sequence}; catching up`);
    catching ??= catchUp().finally(() => (catching = undefined));
    await catching;
    if (state.seen.includes(event.id)) return;
  }
  await handle(event, via);
  state.lastSequence = Math.max(state.lastSequence, sequence);
  state.seen = [...state.seen, event.id].slice(-5000);
  save();
}

async function register(): Promise<void> {
  const url = `http://127.0.0.1:${PORT}/hook`;
  token ||= execFileSync('npm', ['run', '-s', 'token', '--', 'derby-yos-integration'], { encoding: 'utf8' }).trim();
  const result = await graphql<{ registerWebhook: { secret: string; endpoint: { id: string } } }>(
    `
      mutation ($url: String!) {
        registerWebhook(input: { url: $url }) {
          secret
          endpoint {
            id
          }
        }
      }
    `,
    { url },
  );
  secret = result.registerWebhook.secret;
  console.log(`registered ${url} (endpoint ${result.registerWebhook.endpoint.id}); secret ${secret}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--register')) await register();
  if (!token || !secret) {
    console.error('Set TANDEM_TOKEN and WEBHOOK_SECRET, or run with --register in development.');
    process.exit(2);
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.method !== 'POST' || !verified(request.headers, body)) {
        response.statusCode = 401;
        response.end();
        return;
      }
      // Answer quickly; process in order behind it. A 2xx means "received", not "read".
      response.statusCode = 204;
      response.end();
      void accept(JSON.parse(body) as CloudEvent, 'webhook').catch((error: unknown) => console.error(error));
    });
  });
  server.listen(PORT, '127.0.0.1', () =>
    console.log(`receiving on http://127.0.0.1:${PORT}/hook; last sequence #${state.lastSequence}`),
  );
  await catchUp();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
