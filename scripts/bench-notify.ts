/**
 * The notify part of `npm run bench`: how soon a committed placement change reaches a case system's
 * webhook, and how many deliveries per second one gateway makes.
 *
 * One gateway process on the bench database (NOTIFY_POLL_MS=250, though LISTEN/NOTIFY wakes its
 * dispatcher at commit; private networks and http allowed, so it may post to 127.0.0.1), and a
 * receiver here that answers 204, registered with `registerWebhook` as the Derby YOS case system.
 * Sam Okafor (Derby CSC) records planned placement changes for Jordan, each with its own address:
 *   - latency: N one at a time, each waiting for its webhook (after a short warm-up): the time from
 *     the mutation's response (its commit) to the receiver getting the webhook with that address;
 *   - throughput: a burst of BURST at CONCURRENCY, from the first mutation sent to the last distinct
 *     `webhook-id` received, checking that each arrived once and in `sequence` order;
 *   - every delivery's Standard Webhooks signature, with the secret registerWebhook returned.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DevelopmentSigningKey } from '../src/auth/keys/development-signing-key.js';
import { demoUser } from '../src/seed/demo-directory.js';
import { fmt, percentile, postGraphql, processCpu } from './bench-load.js';

const LATENCY_CHANGES = Number(process.env.BENCH_NOTIFY_CHANGES ?? 300);
const WARM_UP = 10;
const BURST = Number(process.env.BENCH_NOTIFY_BURST ?? 1000);
const CONCURRENCY = 16;
const WAIT_MS = 10_000;
const BURST_WAIT_MS = 120_000;
/** Demo child Jordan, to whom Sam Okafor (Derby CSC) is allocated; Derby YOS is involved too. */
const JORDAN = '00000000-0000-4000-9000-000000000001';

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret endpoint { id } } }`;
const PLACEMENT = `mutation($input: RecordPlacementChangeInput!) { recordPlacementChange(input: $input) { id } }`;

export interface NotifyGateway {
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

export interface NotifyBenchOptions {
  /** The seeded bench database. */
  readonly url: string;
  readonly port: number;
  /** The audit settings every bench gateway runs with. */
  readonly auditEnv: Record<string, string>;
  readonly startGateway: (url: string, dataDir: string, port: number, env: Record<string, string>) => Promise<NotifyGateway>;
}

/** One webhook as the receiver got it. */
interface Arrival {
  readonly at: number;
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly address: string | undefined;
  readonly sequence: bigint | undefined;
}

/** The local receiver: records every webhook, answers 204, and tells waiters when an address arrives. */
class Receiver {
  readonly arrivals: Arrival[] = [];
  private readonly firstAt = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString();
      let address: string | undefined;
      let sequence: bigint | undefined;
      try {
        const event = JSON.parse(body) as { sequence?: string; data?: { placement?: { address?: string | null } } };
        address = event.data?.placement?.address ?? undefined;
        sequence = event.sequence === undefined ? undefined : BigInt(event.sequence);
      } catch {
        // Counted below as an arrival without an address.
      }
      this.arrivals.push({
        at,
        id: String(request.headers['webhook-id'] ?? ''),
        timestamp: String(request.headers['webhook-timestamp'] ?? ''),
        signature: String(request.headers['webhook-signature'] ?? ''),
        body,
        address,
        sequence,
      });
      response.writeHead(204).end();
      if (address !== undefined && !this.firstAt.has(address)) {
        this.firstAt.set(address, at);
        this.waiters.get(address)?.(at);
        this.waiters.delete(address);
      }
      this.onArrival?.();
    });
  });
  onArrival: (() => void) | undefined;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  /** When the webhook for this address arrived (or arrives), or a rejection after timeoutMs. */
  arrivalOf(address: string, timeoutMs: number): Promise<number> {
    const known = this.firstAt.get(address);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(address);
        reject(new Error(`no webhook for "${address}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(address, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Standard Webhooks: any `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` in the header, keyed by the base64 after `whsec_`. */
function signedBy(secret: string, arrival: Pick<Arrival, 'id' | 'timestamp' | 'signature' | 'body'>): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = `v1,${createHmac('sha256', key).update(`${arrival.id}.${arrival.timestamp}.${arrival.body}`).digest('base64')}`;
  return arrival.signature.split(' ').includes(expected);
}

export async function benchNotify(options: NotifyBenchOptions): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-notify-'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const receiver = new Receiver();
  let gateway: NotifyGateway | undefined;
  try {
    const key = DevelopmentSigningKey.loadOrCreate(dataDir);
    const tokenOf = (subject: string) => {
      const user = demoUser(subject);
      if (!user) throw new Error(`demo user ${subject} missing`);
      return key.sign(
        { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
        { issuer: 'tandem-development', audience: 'tandem', expiresInSeconds: 3600 },
      );
    };
    /** A GraphQL call; resolves with its data when the response has fully arrived. */
    const gql = async <T>(token: string, purpose: string, query: string, variables: Record<string, unknown>) => {
      const { status, text } = await postGraphql(
        options.port,
        JSON.stringify({ query, variables }),
        { authorization: `Bearer ${token}`, 'x-purpose-of-use': purpose },
        agent,
      );
      const parsed = JSON.parse(text) as { data?: T; errors?: unknown[] };
      if (status !== 200 || parsed.errors || !parsed.data)
        throw new Error(`Unexpected response from :${options.port}: ${text.slice(0, 300)}`);
      return parsed.data;
    };

    const receiverUrl = await receiver.start();
    gateway = await options.startGateway(options.url, dataDir, options.port, {
      ...options.auditEnv,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      NOTIFY_POLL_MS: '250',
    });
    const {
      registerWebhook: { secret },
    } = await gql<{ registerWebhook: { secret: string } }>(tokenOf('derby-yos-integration'), 'CASE_MANAGEMENT', REGISTER, {
      input: { url: receiverUrl },
    });
    const sam = tokenOf('sam.okafor');
    /** Records a planned placement change for Jordan; resolves when its response (the commit) has arrived. */
    const change = async (address: string) => {
      await gql(sam, 'PLACEMENT_PLANNING', PLACEMENT, {
        input: {
          childId: JORDAN,
          placementType: 'FOSTER_CARE',
          address,
          areaLocalAuthority: 'derby',
          reason: 'bench',
          plannedDate: '2030-01-01',
        },
      });
      return performance.now();
    };
    console.log(
      `Notifications: one gateway :${options.port} (NOTIFY_POLL_MS=250, LISTEN/NOTIFY; same audit settings), a receiver on 127.0.0.1 answering 204 registered for derby-yos-childview; sam.okafor records planned placement changes for Jordan`,
    );

    // 1. Latency: one at a time, each waiting for its webhook.
    const latencies: number[] = [];
    for (let index = 0; index < WARM_UP + LATENCY_CHANGES; index += 1) {
      const address = index < WARM_UP ? `Warm-up #${index}` : `Bench #${index - WARM_UP}`;
      const arrived = receiver.arrivalOf(address, WAIT_MS);
      arrived.catch(() => undefined);
      const committed = await change(address);
      const at = await arrived;
      if (index >= WARM_UP) latencies.push(at - committed);
    }
    const sorted = Float64Array.from(latencies).sort();
    console.log(
      `  placement change committed → webhook received (${fmt(LATENCY_CHANGES)} one at a time, after ${WARM_UP} warm-up): p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`,
    );

    // 2. Throughput: a burst at CONCURRENCY, until every change's webhook has arrived.
    const burstIds = new Set<string>();
    let lastDistinctAt = 0;
    const allArrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${burstIds.size} of ${BURST} burst webhooks arrived`)),
        BURST_WAIT_MS,
      );
      receiver.onArrival = () => {
        const last = receiver.arrivals.at(-1);
        if (!last?.address?.startsWith('Burst #') || burstIds.has(last.id)) return;
        burstIds.add(last.id);
        lastDistinctAt = last.at;
        if (burstIds.size >= BURST) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    allArrived.catch(() => undefined);
    const firstArrival = receiver.arrivals.length;
    const cpuBefore = processCpu(gateway.pid);
    const started = performance.now();
    let next = 0;
    let lastCommitted = started;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BURST) {
          const index = next;
          next += 1;
          lastCommitted = Math.max(lastCommitted, await change(`Burst #${index}`));
        }
      }),
    );
    let complete = true;
    try {
      await allArrived;
    } catch (error) {
      complete = false;
      console.log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A moment more, so that a late duplicate would be counted.
    const cpuAfter = processCpu(gateway.pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    receiver.onArrival = undefined;
    const burst = receiver.arrivals.slice(firstArrival).filter((arrival) => arrival.address?.startsWith('Burst #'));
    const addresses = new Set(burst.map((arrival) => arrival.address));
    const delivered = complete ? BURST : burstIds.size;
    console.log(
      `  deliveries per second (${fmt(BURST)} changes, concurrency ${CONCURRENCY}): ${fmt(BURST / ((lastCommitted - started) / 1000))} mutations/s committed, ` +
        `${fmt(delivered / ((lastDistinctAt - started) / 1000))} deliveries/s received; ${fmt(addresses.size)} of ${fmt(BURST)} arrived, ` +
        `the last ${fmt(lastDistinctAt - lastCommitted)} ms after the last commit` +
        (cpuBefore === undefined || cpuAfter === undefined
          ? ''
          : `; gateway CPU ${fmt(((cpuAfter - cpuBefore) * 1000) / BURST, 1)} ms per change (${((cpuAfter - cpuBefore) / ((lastDistinctAt - started) / 1000)).toFixed(2)} CPUs busy)`),
    );

    // Order and duplicates, over every webhook of the run (one case system: one sequence).
    const all = receiver.arrivals;
    let inOrder = all.every((arrival) => arrival.sequence !== undefined);
    for (let index = 1; index < all.length && inOrder; index += 1) {
      inOrder = (all[index - 1]?.sequence ?? 0n) < (all[index]?.sequence ?? 0n);
    }
    const duplicates = all.length - new Set(all.map((arrival) => arrival.id)).size + (burst.length - addresses.size);
    const wanted = WARM_UP + LATENCY_CHANGES + BURST;
    console.log(
      `  in order: ${inOrder ? 'yes' : 'no'} (sequence strictly increasing over all ${fmt(all.length)} webhooks), duplicates: ${fmt(duplicates)}` +
        (all.length === wanted ? '' : ` (${fmt(all.length)} webhooks for ${fmt(wanted)} changes)`),
    );

    // 3. Signatures, each one, and one tampered body that must fail.
    const unsigned = all.filter((arrival) => !signedBy(secret, arrival)).length;
    const sample = all[0];
    const tamperedFails = sample !== undefined && !signedBy(secret, { ...sample, body: `${sample.body} ` });
    const signaturesOk = unsigned === 0 && tamperedFails && all.length > 0;
    console.log(
      `  signatures: ${signaturesOk ? 'ok' : 'FAILED'} (${fmt(all.length - unsigned)} of ${fmt(all.length)} verify with the registered secret${tamperedFails ? '; a tampered body does not' : '; a TAMPERED body verified'})`,
    );
    return complete && addresses.size === BURST && inOrder && duplicates === 0 && all.length === wanted && signaturesOk;
  } finally {
    await gateway?.stop();
    await receiver.stop();
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
