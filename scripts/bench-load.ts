/**
 * What the bench's parts share: formatting, percentiles, CPU read from /proc, and one GraphQL POST
 * over a keep-alive agent timed from send to last byte.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const percentile = (sorted: ArrayLike<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export const median = (values: readonly number[]) => percentile(Float64Array.from(values).sort(), 50);

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) of a local process so far, from /proc; undefined when it cannot be read. */
export function processCpu(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine so far (every process), from /proc/stat. */
export function machineCpu(): number | undefined {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks.map(Number);
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One request of a round: its body and the bearer token it is sent with. */
export interface BenchRequest {
  readonly body: string;
  readonly token: string | undefined;
}

/** What came back for one POST: its status, its text and how long it took from send to last byte (ms). */
export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/** Posts one GraphQL body to 127.0.0.1:`port` with `headers`, over `via` (the shared keep-alive agent by default). */
export function postGraphql(
  port: number,
  body: string,
  headers: Record<string, string>,
  via: http.Agent = agent,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: via,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString(),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Posts one GraphQL request as a case manager; resolves with its latency in ms, rejects on any error in the answer. */
export async function post(port: number, body: string, token: string | undefined): Promise<number> {
  const answer = await postGraphql(
    port,
    body,
    token ? { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' } : {},
  );
  if (answer.status !== 200 || answer.text.includes('"errors"'))
    throw new Error(`Unexpected response from :${port}: ${answer.text.slice(0, 300)}`);
  return answer.ms;
}
