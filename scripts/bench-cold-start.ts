/**
 * The bench's cold start: a freshly started gateway A (policy and receipts on) under the key read
 * from its first second, second by second — what the first users after a deploy or a restart get.
 * Compared with A's steady figures from the interleaved rounds.
 */
import { type BenchRequest, CONCURRENCY, fmt, percentile, post, processCpu } from './bench-load.js';

const SECONDS = Number(process.env.BENCH_COLD_SECONDS ?? 10);

export interface ColdGateway {
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

export interface ColdStartOptions {
  readonly port: number;
  readonly start: () => Promise<ColdGateway>;
  readonly makeRequest: () => BenchRequest;
  /** CPU seconds used so far by the bench database's backends (those alive now). */
  readonly postgresCpu: () => Promise<number>;
  /** A's medians over the rounds, after its warm-up. */
  readonly steady: { readonly perSecond: number; readonly gatewayMsPerRead: number; readonly postgresMsPerRead: number };
}

interface Second {
  requests: number;
  cpu: number;
  postgres: number;
  readonly latencies: number[];
}

export async function benchColdStart({ port, start, makeRequest, postgresCpu, steady }: ColdStartOptions): Promise<void> {
  const launched = process.hrtime.bigint();
  const gateway = await start();
  const startSeconds = Number(process.hrtime.bigint() - launched) / 1e9;
  try {
    const seconds: Second[] = Array.from({ length: SECONDS }, () => ({ requests: 0, cpu: 0, postgres: 0, latencies: [] }));
    const began = Date.now();
    const deadline = began + SECONDS * 1000;
    let loading = true;
    // One sample a second, each after the one before has been read (the backends' CPU is a query).
    const sampler = (async () => {
      let gatewayBefore = processCpu(gateway.pid) ?? 0;
      let postgresBefore = await postgresCpu();
      for (let index = 0; loading && index < SECONDS; index++) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, began + (index + 1) * 1000 - Date.now())));
        const gatewayNow = processCpu(gateway.pid) ?? gatewayBefore;
        const postgresNow = await postgresCpu();
        const slot = seconds[index];
        if (slot) {
          slot.cpu = gatewayNow - gatewayBefore;
          // Backends that closed meanwhile take their CPU with them: never counted below zero.
          slot.postgres = Math.max(0, postgresNow - postgresBefore);
        }
        gatewayBefore = gatewayNow;
        postgresBefore = postgresNow;
      }
    })();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (Date.now() < deadline) {
            const request = makeRequest();
            const latency = await post(port, request.body, request.token);
            const slot = seconds[Math.floor((Date.now() - began) / 1000)];
            if (slot) {
              slot.requests += 1;
              slot.latencies.push(latency);
            }
          }
        }),
      );
    } finally {
      loading = false;
      await sampler;
    }
    const rates = seconds.map((second) => second.requests);
    const perRead = (used: (second: Second) => number) =>
      seconds.map((second) => (second.requests > 0 ? (used(second) * 1000) / second.requests : NaN));
    const cpuPerRead = perRead((second) => second.cpu);
    const postgresPerRead = perRead((second) => second.postgres);
    const show = (values: number[]) => values.map((ms) => (Number.isNaN(ms) ? '?' : ms.toFixed(2))).join(' ');
    const firstSteady = rates.findIndex((rate) => rate >= 0.9 * steady.perSecond);
    const firstFive = Float64Array.from(seconds.slice(0, 5).flatMap((second) => second.latencies)).sort();
    console.log(
      `cold start (a fresh gateway A, started in ${startSeconds.toFixed(1)} s, ${CONCURRENCY} concurrent key reads from its first second; steady A: ${fmt(steady.perSecond)} req/s, gateway ${steady.gatewayMsPerRead.toFixed(2)} + PostgreSQL ${steady.postgresMsPerRead.toFixed(2)} ms/read):`,
    );
    console.log(`  req/s, second by second:          ${rates.map((rate) => fmt(rate)).join(' ')}`);
    console.log(`  gateway CPU ms/read, by second:   ${show(cpuPerRead)}`);
    console.log(`  PostgreSQL CPU ms/read, by second: ${show(postgresPerRead)}`);
    console.log(
      `  first 5 s: ${fmt(firstFive.length)} reads, p50 ${percentile(firstFive, 50).toFixed(1)} ms, p99 ${percentile(firstFive, 99).toFixed(1)} ms; ` +
        (firstSteady === -1
          ? `no second reached 90% of the steady rate`
          : `second ${firstSteady + 1} was the first at ≥ 90% of the steady rate`),
    );
  } finally {
    await gateway.stop();
  }
}
