import { Resolver } from 'node:dns/promises';
import type { ResolverOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** IPv4-compatible IPv6 (::/96, deprecated by RFC 4291): the one special range ipaddr.js calls unicast. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Why a webhook may not reach an address unless private networks are allowed, or null when it may:
 * only global unicast passes. ipaddr.js names every special-purpose range (private, loopback,
 * link-local, carrier-grade NAT, multicast, documentation, benchmarking, the IPv6 transition
 * ranges NAT64 64:ff9b::/96 and /48, 6to4, Teredo, SIIT, deprecated site-local, discard, ORCHID…),
 * so a new one is refused by an upgrade rather than by editing a list here.
 */
export function refusedRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // The WHATWG URL parser writes IPv6 canonically (no dotted quad), which ipaddr.js would read
    // wrongly for ::a.b.c.d (as IPv4-mapped rather than IPv4-compatible).
    parsed = ipaddr.parse(isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address);
  } catch {
    return 'unparsable';
  }
  if (parsed instanceof ipaddr.IPv6) {
    // An IPv4-mapped address reaches that IPv4 address: judge it as one.
    if (parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
    else if (parsed.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  }
  const range: string = parsed.range();
  return range === 'unicast' ? null : range;
}

/** How long the other address family may answer after one did (RFC 8305's resolution delay). */
const FAMILY_GRACE_MS = 50;

/** For a look-up no caller bounded (each caller passes its own). */
const DEFAULT_LOOKUP_TIMEOUT_MS = 5000;

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

/** What dnsLookup asks of a resolver (node's c-ares one; a test stands in its own). */
export interface DnsResolver {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
  cancel(): void;
}

/** How a host name is looked up (dnsLookup; a test stands in its own). */
export type HostLookup = (host: string) => Promise<readonly { address: string; family: number }[]>;

/**
 * A name's addresses from DNS through c-ares, within `timeoutMs`, not getaddrinfo: that runs on
 * libuv's pool of four threads, where names behind a slow name server (a case system can register
 * four) would hold up the gateway's file and crypto work too. `localhost` is loopback (RFC 6761),
 * as a resolver would not say; /etc/hosts is not read.
 */
export function dnsLookup(
  timeoutMs: number,
  makeResolver: (options: ResolverOptions) => DnsResolver = (options) => new Resolver(options),
): HostLookup {
  return (host) => {
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return Promise.resolve([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
    }
    const resolver = makeResolver({ timeout: Math.max(1, timeoutMs), tries: 1 });
    return new Promise((resolve) => {
      const found: { address: string; family: number }[] = [];
      let waiting = 2;
      let grace: NodeJS.Timeout | undefined;
      // Within timeoutMs in all, however many name servers are tried.
      const overall = setTimeout(() => finish(), timeoutMs);
      function finish(): void {
        clearTimeout(overall);
        clearTimeout(grace);
        resolver.cancel();
        resolve(found);
      }
      const answer = (family: 4 | 6) => (addresses: string[]) => {
        for (const address of addresses) found.push({ address, family });
      };
      for (const query of [resolver.resolve4(host).then(answer(4)), resolver.resolve6(host).then(answer(6))]) {
        void query
          .catch(() => undefined)
          .finally(() => {
            waiting -= 1;
            if (waiting === 0) finish();
            // One family answered: the other gets a moment more, not the whole budget (a name
            // server that drops AAAA queries would otherwise cost every attempt its deadline).
            else if (found.length > 0 && grace === undefined) grace = setTimeout(finish, FAMILY_GRACE_MS);
          });
      }
    });
  };
}

/**
 * Resolves the host and refuses every address but global unicast (unless private networks are
 * allowed), so a registered URL cannot make the gateway reach inside its own network. The address checked is
 * the address connected to (no second lookup to rebind). A name that does not resolve and one that
 * resolves to a refused address get the same answer: otherwise a case system could map which names
 * exist inside the gateway's network (a CNAME it controls can point anywhere).
 */
export async function resolveDestination(
  url: URL,
  policy: DestinationPolicy,
  lookUp: HostLookup = dnsLookup(DEFAULT_LOOKUP_TIMEOUT_MS),
): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const range = policy.allowPrivateNetworks ? null : refusedRange(host);
    if (range !== null) throw new DestinationRefused(`${url.hostname} is a private or local address (${range})`);
    return { address: host, family: isIP(host) === 6 ? 6 : 4 };
  }
  const unreachable = new DestinationRefused(`${url.hostname} does not resolve to a public address`);
  let found: readonly { address: string; family: number }[];
  try {
    found = await lookUp(host);
  } catch {
    throw unreachable;
  }
  if (!policy.allowPrivateNetworks && found.some((entry) => refusedRange(entry.address) !== null)) throw unreachable;
  const [first] = found;
  if (!first) throw unreachable;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
