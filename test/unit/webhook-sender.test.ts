import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postWebhook } from 'src/notifications/webhooks/webhook-sender.js';

// The destination check resolves names through node:dns/promises; here one name resolves once, to
// this machine, and resolving it again would fail: as a rebinding name's second answer would differ.
const resolved: string[] = [];
vi.mock('node:dns/promises', async (original) => {
  const actual = await original<typeof import('node:dns/promises')>();
  return {
    ...actual,
    lookup: (host: string, options: object) => {
      if (host !== 'rebinding.invalid') return actual.lookup(host, options);
      resolved.push(host);
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    },
  };
});

let server: Server;
let port = 0;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sending a webhook', () => {
  it('connects to the address the destination check resolved, never looking the name up again', async () => {
    const result = await postWebhook(`http://rebinding.invalid:${port}/hook`, {}, '{}', {
      allowPrivateNetworks: true,
      allowHttp: true,
      timeoutMs: 5_000,
    });
    // The system resolver does not know the name (.invalid never resolves): only the checked address was used.
    expect(result).toEqual({ status: 204, error: null });
    expect(received).toEqual(['POST /hook']);
    expect(resolved).toEqual(['rebinding.invalid']);
  });
});
