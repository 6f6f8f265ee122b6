import { describe, expect, it } from 'vitest';
import { checkUrl, DestinationRefused, dnsLookup, resolveDestination } from 'src/notifications/webhooks/destination.js';

/** Where a webhook may go and how an attempt is bounded (docs/NOTIFICATIONS.md, "Webhooks"). */
describe('destinations', () => {
  const strict = { allowPrivateNetworks: false, allowHttp: false };
  it('refuses private, loopback, link-local and metadata addresses, plain http and credentials', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://192.168.0.10/x',
      'https://localhost/x',
    ]) {
      await expect(resolveDestination(checkUrl(url, strict), strict), url).rejects.toBeInstanceOf(DestinationRefused);
    }
    expect(() => checkUrl('http://example.org/x', strict)).toThrow(DestinationRefused);
    expect(() => checkUrl('https://user:pw@example.org/x', strict)).toThrow(DestinationRefused);
    await expect(resolveDestination(checkUrl('https://93.184.215.14/x', strict), strict)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(
      resolveDestination(checkUrl('http://127.0.0.1/x', { allowPrivateNetworks: true, allowHttp: true }), strict),
    ).rejects.toThrow();
  });

  it('answers alike for a name that does not resolve and one that resolves inside the network', async () => {
    const url = checkUrl('https://hooks.example.org/x', strict);
    const answers: Record<string, () => Promise<{ address: string; family: number }[]>> = {
      private: () => Promise.resolve([{ address: '10.20.30.40', family: 4 }]),
      'public and private': () =>
        Promise.resolve([
          { address: '93.184.215.14', family: 4 },
          { address: 'fd00::1', family: 6 },
        ]),
      loopback: () => Promise.resolve([{ address: '::1', family: 6 }]),
      'no such name': () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.org'), { code: 'ENOTFOUND' })),
      'resolver failure': () =>
        Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN hooks.example.org'), { code: 'EAI_AGAIN' })),
      'no address': () => Promise.resolve([]),
    };
    const messages = new Set<string>();
    for (const [name, answer] of Object.entries(answers)) {
      const refused = await resolveDestination(url, strict, answer).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused, name).toBeInstanceOf(DestinationRefused);
      if (refused instanceof Error) messages.add(refused.message);
    }
    expect([...messages]).toEqual(['hooks.example.org does not resolve to a public address']);
    await expect(
      resolveDestination(url, strict, () => Promise.resolve([{ address: '93.184.215.14', family: 4 }])),
    ).resolves.toEqual({ address: '93.184.215.14', family: 4 });
    // Allowed private networks: the name's address is used as it is.
    await expect(
      resolveDestination(url, { allowPrivateNetworks: true, allowHttp: false }, () =>
        Promise.resolve([{ address: '10.20.30.40', family: 4 }]),
      ),
    ).resolves.toEqual({ address: '10.20.30.40', family: 4 });
  });
});

describe('looking names up', () => {
  const never = () => new Promise<string[]>(() => undefined);
  const resolver = (v4: () => Promise<string[]>, v6: () => Promise<string[]>) => () => ({
    resolve4: v4,
    resolve6: v6,
    cancel: () => undefined,
  });

  it('answers with one family once the other keeps silent a moment, not at the end of the budget', async () => {
    // A minute's budget: waiting it out would fail the test by its own timeout.
    const lookUp = dnsLookup(
      60_000,
      resolver(() => Promise.resolve(['93.184.215.14']), never),
    );
    expect(await lookUp('hooks.example.org')).toEqual([{ address: '93.184.215.14', family: 4 }]);
    const v6Only = dnsLookup(
      60_000,
      resolver(never, () => Promise.resolve(['2001:db8::1'])),
    );
    expect(await v6Only('hooks.example.org')).toEqual([{ address: '2001:db8::1', family: 6 }]);
  });

  it('gives both families when both answer, nothing when neither does, and loopback for localhost', async () => {
    const both = dnsLookup(
      60_000,
      resolver(
        () => Promise.resolve(['93.184.215.14']),
        () => Promise.resolve(['2001:db8::1']),
      ),
    );
    expect(await both('hooks.example.org')).toHaveLength(2);
    const none = dnsLookup(
      60_000,
      resolver(
        () => Promise.reject(new Error('ENOTFOUND')),
        () => Promise.reject(new Error('ENOTFOUND')),
      ),
    );
    expect(await none('hooks.example.org')).toEqual([]);
    const silent = dnsLookup(100, resolver(never, never));
    expect(await silent('hooks.example.org')).toEqual([]);
    expect((await dnsLookup(100)('localhost')).map((entry) => entry.address)).toEqual(['127.0.0.1', '::1']);
  });
});

describe('sending', () => {
  it('gives up on a receiver that does not answer within the timeout', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { postWebhook } = await import('src/notifications/webhooks/webhook-sender.js');
    const started = Date.now();
    const result = await postWebhook(`http://127.0.0.1:${port}/hook`, {}, '{}', {
      allowPrivateNetworks: true,
      allowHttp: true,
      timeoutMs: 150,
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/No response within 150 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    server.closeAllConnections();
    server.close();
    const refused = await postWebhook('https://10.0.0.1/hook', {}, '{}', {
      allowPrivateNetworks: false,
      allowHttp: false,
      timeoutMs: 150,
    });
    expect(refused).toEqual({ status: null, error: expect.stringMatching(/private or local/) as string });
  });

  it('bounds the whole attempt: a receiver that trickles its status line, or its body, holds nothing', async () => {
    const { createServer } = await import('node:net');
    const { postWebhook } = await import('src/notifications/webhooks/webhook-sender.js');
    const timers: NodeJS.Timeout[] = [];
    // Each connection is answered a byte at a time, every 20 ms, forever: an idle timeout never fires.
    const trickle = (opening: string, then: string) =>
      createServer((socket) => {
        socket.on('error', () => undefined);
        socket.write(opening);
        let index = 0;
        const timer = setInterval(() => socket.write(then[index++ % then.length] ?? ' '), 20);
        timers.push(timer);
        socket.on('close', () => clearInterval(timer));
      });
    const servers = [
      trickle('HTTP/1.1 200 OK\r\nX-Slow: ', 'abcdefgh'),
      trickle('HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n', '1\r\nx\r\n'),
    ];
    try {
      const urls: string[] = [];
      for (const server of servers) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const address = server.address();
        urls.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`);
      }
      const options = { allowPrivateNetworks: true, allowHttp: true, timeoutMs: 300 };
      // Headers never end: the deadline settles it.
      expect(await postWebhook(urls[0] ?? '', {}, '{}', options)).toEqual({ status: null, error: 'No response within 300 ms' });
      // Headers came, the body never ends: settled by its status.
      expect(await postWebhook(urls[1] ?? '', {}, '{}', options)).toEqual({ status: 500, error: null });
      // A name whose look-up never ends: the look-up is part of the attempt.
      expect(
        await postWebhook('https://slow-dns.example.org/hook', {}, '{}', {
          ...options,
          resolve: () => new Promise(() => undefined),
        }),
      ).toEqual({ status: null, error: 'No response within 300 ms' });
    } finally {
      for (const timer of timers) clearInterval(timer);
      for (const server of servers) server.close();
    }
  });
});
