import { type LookupAddress, lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { isAcceptableUrl } from '../platform/urls';

/**
 * Where we may POST a tenant's events. A subscription URL is chosen by the tenant, so it
 * must not become a way into our own network (SSRF): https only (plain http only for
 * loopback where ALLOW_HTTP_LOOPBACK=true, as for every URL we are given — core/platform/urls.ts),
 * no credentials, and no private, loopback or link-local address — refused as an IP
 * literal when the subscription is created, and checked again on every delivery against
 * what the host name resolves to at connect time (DNS can point anywhere later).
 */
const allowLoopback = () => process.env.ALLOW_HTTP_LOOPBACK === 'true';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// RFC 6890 special-purpose ranges that are not the public internet. BlockList applies the
// IPv4 rules to IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) too.
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, where cloud metadata services answer
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['64:ff9b::', 96], // NAT64, likewise
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** True for an address we never deliver to. */
export const isRefusedAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return true;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, type)) return !allowLoopback();
  return internal.check(address, type);
};

const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** Why a subscription URL is refused, or undefined when it is acceptable. */
export const subscriberUrlProblem = (value: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Must be an absolute URL.';
  }
  if (url.username || url.password) return 'Must not carry credentials (user:password@).';
  if (url.hash) return 'Must not have a fragment.';
  // https, or http on a loopback host where ALLOW_HTTP_LOOPBACK=true.
  if (!isAcceptableUrl(value)) return 'Must be https.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isRefusedAddress(host)) {
    return 'Must not point at a private, loopback or link-local address.';
  }
  if (isLocalName(host.toLowerCase()) && !allowLoopback()) return 'Must not point at localhost.';
  return undefined;
};

export class RefusedDestination extends Error {
  override readonly name = 'RefusedDestination';
  readonly code = 'EREFUSEDDESTINATION';
}

/**
 * A `lookup` for node:http(s) requests that refuses private addresses: the check runs on
 * the very addresses the socket then connects to, so a DNS answer can't change between
 * the check and the connection (DNS rebinding).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    if (addresses.length === 0 || addresses.some((a) => isRefusedAddress(a.address))) {
      return callback(new RefusedDestination(`${hostname} resolves to an address we do not deliver to`), '');
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};
