import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a webhook may not reach unless private networks are allowed: loopback, private, link-local… */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 rules by BlockList itself.
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

export interface DestinationPolicy {
  readonly allowPrivateNetworks: boolean;
  readonly allowHttp: boolean;
}

export class DestinationRefused extends Error {}

/** Checks a URL's form (https unless allowed, no credentials). */
export function checkUrl(raw: string, policy: DestinationPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused('Not a URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw new DestinationRefused('Webhooks are delivered over https only');
  }
  if (url.username || url.password) throw new DestinationRefused('No credentials in the URL');
  if (url.hash) throw new DestinationRefused('No fragment in the URL');
  return url;
}

/**
 * Resolves the host and refuses private, loopback and link-local addresses (unless allowed), so a
 * registered URL cannot make the gateway reach inside its own network. The address checked is
 * the address connected to (no second lookup to rebind).
 */
export async function resolveDestination(url: URL, policy: DestinationPolicy): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const found = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : await lookup(host, { all: true, verbatim: true });
  if (found.length === 0) throw new DestinationRefused('The host does not resolve');
  for (const entry of found) {
    const family = entry.family === 6 ? 'ipv6' : 'ipv4';
    if (!policy.allowPrivateNetworks && PRIVATE.check(entry.address, family)) {
      throw new DestinationRefused(`${url.hostname} resolves to a private or local address`);
    }
  }
  const [first] = found;
  if (!first) throw new DestinationRefused('The host does not resolve');
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
