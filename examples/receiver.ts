/**
 * `npm run receiver`: the reference receiver (examples/webhook-receiver.ts) on a port of this
 * machine, its state (last sequence, ids seen) kept in a JSON file, so a restart catches up too.
 *
 *   TANDEM_URL=http://127.0.0.1:4000/graphql TANDEM_TOKEN=… WEBHOOK_SECRET=whsec_… npm run receiver
 *   npm run receiver -- --register        (development: registers itself as Derby YOS's case system)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createReceiver, type ReceiverState, registerWebhook } from './webhook-receiver.js';

const TANDEM_URL = process.env.TANDEM_URL ?? 'http://127.0.0.1:4000/graphql';
const PORT = Number(process.env.RECEIVER_PORT ?? 4100);
const STATE_FILE = process.env.RECEIVER_STATE ?? 'receiver-state.json';

const state: ReceiverState = existsSync(STATE_FILE)
  ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ReceiverState)
  : { lastSequence: 0, seen: [] };

let token = process.env.TANDEM_TOKEN ?? '';
let secret = process.env.WEBHOOK_SECRET ?? '';

async function register(): Promise<void> {
  const url = `http://127.0.0.1:${PORT}/hook`;
  token ||= execFileSync('npm', ['run', '-s', 'token', '--', 'derby-yos-integration'], { encoding: 'utf8' }).trim();
  const registered = await registerWebhook(TANDEM_URL, token, url);
  secret = registered.secret;
  console.log(`registered ${url} (endpoint ${registered.endpointId}); secret ${secret}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--register')) await register();
  if (!token || !secret) {
    console.error('Set TANDEM_TOKEN and WEBHOOK_SECRET, or run with --register in development.');
    process.exit(2);
  }
  const receiver = createReceiver({
    url: TANDEM_URL,
    token: () => token,
    secret: () => secret,
    state,
    save: (current) => writeFileSync(STATE_FILE, JSON.stringify(current)),
  });
  createServer(receiver.listener).listen(PORT, '127.0.0.1', () =>
    console.log(`receiving on http://127.0.0.1:${PORT}/hook; last sequence #${state.lastSequence}`),
  );
  await receiver.catchUp();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
