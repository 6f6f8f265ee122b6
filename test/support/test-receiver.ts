import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: { id: string; type: string; sequence: string; subject: string; data: Record<string, unknown> };
}

/** A webhook receiver on 127.0.0.1 for tests: records what arrives and answers with a chosen status. */
export class TestReceiver {
  readonly received: Received[] = [];
  /** The status to answer with; a function may vary it per request. */
  status: number | ((received: Received) => number) = 204;
  /** Hold each response this long (to be "killed" mid-delivery). */
  delayMs = 0;
  /** When set, each response also waits for it (a receiver slow until something else happens). */
  hold: (() => Promise<void>) | null = null;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const received: Received = { headers: request.headers, body, event: JSON.parse(body) as Received['event'] };
        this.received.push(received);
        const status = typeof this.status === 'function' ? this.status(received) : this.status;
        const held = this.hold ? this.hold() : Promise.resolve();
        void held.then(() =>
          setTimeout(() => {
            response.statusCode = status;
            response.end();
          }, this.delayMs),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hook`;
  }

  /** Distinct deliveries by webhook-id (a receiver drops duplicates). */
  distinct(): Received[] {
    const seen = new Map<string, Received>();
    for (const item of this.received) {
      const id = String(item.headers['webhook-id']);
      if (!seen.has(id)) seen.set(id, item);
    }
    return [...seen.values()];
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
