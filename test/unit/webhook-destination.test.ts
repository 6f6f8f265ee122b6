import { describe, expect, it } from 'vitest';
import { checkUrl, DestinationRefused, refusedRange, resolveDestination } from 'src/notifications/webhooks/destination.js';

const strict = { allowPrivateNetworks: false, allowHttp: false };

describe('webhook destinations', () => {
  it('refuses the IPv6 transition, deprecated and special-purpose ranges', async () => {
    for (const address of [
      '64:ff9b::5db8:d70e', // NAT64 (RFC 6052) of a public IPv4 address
      '64:ff9b::127.0.0.1',
      '64:ff9b:1::a00:1', // local-use NAT64 (RFC 8215)
      '::2', // IPv4-compatible (::/96, deprecated)
      '::1.2.3.4',
      '::a00:1',
      '2002:7f00:1::1', // 6to4
      '2001::1', // Teredo
      'fec0::1', // site-local (deprecated)
      '::ffff:0:7f00:1', // SIIT (RFC 6145)
      '100::1', // discard-only
      '2001:db8::1', // documentation
      '2001:20::1', // ORCHIDv2
      '5f00::1', // segment routing
      'ff02::1',
      'fe80::1',
      'fd00::1',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '0.1.2.3',
      '100.64.0.1',
      '192.0.0.8',
      '192.0.2.1',
      '192.88.99.1',
      '198.18.0.1',
      '198.51.100.1',
      '203.0.113.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(refusedRange(address), address).not.toBeNull();
      const host = address.includes(':') ? `[${address}]` : address;
      await expect(resolveDestination(checkUrl(`https://${host}/hook`, strict), strict), address).rejects.toBeInstanceOf(
        DestinationRefused,
      );
    }
  });

  it('lets global unicast through, an IPv4-mapped address judged as the IPv4 address it reaches', async () => {
    for (const address of ['93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4009:81f::200e', '::ffff:93.184.215.14']) {
      expect(refusedRange(address), address).toBeNull();
    }
    await expect(resolveDestination(checkUrl('https://[2606:4700:4700::1111]/hook', strict), strict)).resolves.toEqual({
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('allows any address when private networks are allowed (local development)', async () => {
    const local = { allowPrivateNetworks: true, allowHttp: true };
    await expect(resolveDestination(checkUrl('http://[64:ff9b::7f00:1]/hook', local), local)).resolves.toMatchObject({
      family: 6,
    });
  });
});
