import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from 'src/notifications/webhooks/webhook-sender.js';

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
    // The check resolves the name once, to this machine; a second look-up (the system's resolver,
    // as a rebinding name's second answer would be) fails, for `.invalid` never resolves.
    const resolved: string[] = [];
    const result = await postWebhook(`http://rebinding.invalid:${port}/hook`, {}, '{}', {
      allowPrivateNetworks: true,
      allowHttp: true,
      timeoutMs: 5_000,
      resolve: (url) => {
        resolved.push(url.hostname);
        return Promise.resolve({ address: '127.0.0.1', family: 4 });
      },
    });
    expect(result).toEqual({ status: 204, error: null });
    expect(received).toEqual(['POST /hook']);
    expect(resolved).toEqual(['rebinding.invalid']);
  });
});
