import dns, { type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * THE address guard: which IP addresses we may open a connection to when the host came
 * from a tenant (provider endpoints, a self-managed host in a connection's config, a
 * webhook subscriber's URL). Only the public internet: never loopback, private, link-local,
 * carrier-grade NAT, unique-local, unspecified, multicast, documentation or reserved space,
 * the cloud metadata services, nor any IPv6 form that embeds such an IPv4 address.
 * Loopback is allowed only where the deployment says so (ALLOW_HTTP_LOOPBACK=true: the
 * local stack and the tests, never on AWS).
 *
 * Node's BlockList does the range matching; the IPv4 an IPv6 address embeds (IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4, Teredo) is read here by hand because nothing built in
 * exposes an address's bytes, and a library for 16 bytes would weigh on every bundle.
 */

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'unique_local'
  | 'unspecified'
  | 'multicast'
  | 'documentation'
  | 'reserved'
  | 'metadata'
  /** An IPv6 transition form (IPv4-compatible, 6to4, Teredo, local-use NAT64): never a provider. */
  | 'transition'
  | 'invalid';

export type EmbeddingForm = 'ipv4_mapped' | 'ipv4_compatible' | 'nat64' | '6to4' | 'teredo';

export type AddressVerdict = {
  allowed: boolean;
  kind: AddressKind;
  /** The IPv4 address an IPv6 one carries, and how; its own verdict decided `kind`. */
  embedded?: { form: EmbeddingForm; ipv4: string };
};

export const allowLoopback = (): boolean => process.env.ALLOW_HTTP_LOOPBACK === 'true';

type Rows = readonly (readonly [string, number, AddressKind])[];

const table = (family: 'ipv4' | 'ipv6', rows: Rows) =>
  rows.map(([net, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return { list, kind };
  });

/**
 * The cloud metadata and credential endpoints, named apart so the tests and the docs can
 * say so: AWS IMDS (v4 and v6), ECS task metadata, EKS Pod Identity, Alibaba Cloud. Every
 * one also falls in a refused range below; the list is what we never want to miss.
 */
export const METADATA_ADDRESSES = [
  '169.254.169.254', // AWS, GCP, Azure, Oracle, DigitalOcean …
  '169.254.170.2', // ECS task metadata and credentials
  '169.254.170.23', // EKS Pod Identity
  '100.100.100.200', // Alibaba Cloud
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // EKS Pod Identity over IPv6
] as const;

// IANA's IPv4 special-purpose registry (RFC 6890 and updates): nothing here is a provider.
const IPV4_ROWS: Rows = [
  ['0.0.0.0', 8, 'unspecified'], // "this network"
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast (deprecated, RFC 7526)
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // and 255.255.255.255
];

// IPv6: the forms that embed IPv4 are handled before these rows (see checkAddress).
const IPV6_ROWS: Rows = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0:0', 96, 'transition'], // IPv4-translated (SIIT)
  ['64:ff9b:1::', 48, 'transition'], // local-use NAT64 (RFC 8215): the operator's own translator
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 23, 'reserved'], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, 'transition'], // 6to4
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved'], // SRv6 SIDs
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['fec0::', 10, 'private'], // site-local (deprecated)
  ['ff00::', 8, 'multicast'],
];

/**
 * The BlockLists, built by the first check rather than at module load: a module that only
 * validates tenant input imports the guard, and most of its invocations never check an
 * address (a subscription URL with a host name is checked at delivery, in another function).
 * Building them took 10–15 ms of a handler's import, most of it `isIP` on the two IPv6
 * metadata addresses — the first IPv6 match compiles node's large IPv6 regular expression —
 * so the family is read from the literal here instead.
 */
let lists:
  | {
      metadata: BlockList;
      ipv4: { list: BlockList; kind: AddressKind }[];
      ipv6: { list: BlockList; kind: AddressKind }[];
      globalUnicast: BlockList;
    }
  | undefined;
const blockLists = () => {
  if (lists) return lists;
  const metadata = new BlockList();
  for (const a of METADATA_ADDRESSES) metadata.addAddress(a, a.includes(':') ? 'ipv6' : 'ipv4');
  // Only 2000::/3 is allocated as global unicast: anything else is not a provider either.
  const globalUnicast = new BlockList();
  globalUnicast.addSubnet('2000::', 3, 'ipv6');
  lists = { metadata, ipv4: table('ipv4', IPV4_ROWS), ipv6: table('ipv6', IPV6_ROWS), globalUnicast };
  return lists;
};

/** The eight 16-bit words of a valid IPv6 address (zone id already removed). */
const ipv6Words = (address: string): number[] => {
  let text = address;
  let tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail = [(a << 8) | b, (c << 8) | d];
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((w) => Number.parseInt(w, 16)));
  const h = parse(head);
  const words =
    rest === undefined ? h : [...h, ...Array(8 - h.length - parse(rest).length).fill(0), ...parse(rest)];
  if (tail.length) words.splice(6, 2, ...tail);
  return words;
};

const ipv4Of = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** The IPv4 address an IPv6 address carries, and the form that carries it. */
export const embeddedIPv4 = (address: string): { form: EmbeddingForm; ipv4: string } | undefined => {
  if (isIP(address) !== 6) return undefined;
  const w = ipv6Words(address.replace(/%.*$/, ''));
  const [w0, w1, w2, w3, w4, w5, w6, w7] = w as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroTo(5) && w5 === 0xffff) return { form: 'ipv4_mapped', ipv4: ipv4Of(w6, w7) };
  // ::/96, but not :: and ::1 themselves (w6 = 0: those are their own rows).
  if (zeroTo(6) && w6 !== 0) return { form: 'ipv4_compatible', ipv4: ipv4Of(w6, w7) };
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return { form: 'nat64', ipv4: ipv4Of(w6, w7) };
  }
  if (w0 === 0x2002) return { form: '6to4', ipv4: ipv4Of(w1, w2) };
  // Teredo (RFC 4380): 2001:0::/32, the client's IPv4 in the last 32 bits, inverted.
  if (w0 === 0x2001 && w1 === 0) return { form: 'teredo', ipv4: ipv4Of(w6 ^ 0xffff, w7 ^ 0xffff) };
  return undefined;
};

const ipv4Kind = (address: string): AddressKind => {
  const { metadata, ipv4 } = blockLists();
  if (metadata.check(address, 'ipv4')) return 'metadata';
  return ipv4.find((r) => r.list.check(address, 'ipv4'))?.kind ?? 'public';
};

/** What an address is, and whether we may connect to it. */
export const checkAddress = (input: string): AddressVerdict => {
  const address = input.replace(/^\[|\]$/g, '');
  const family = isIP(address);
  if (family === 0) return { allowed: false, kind: 'invalid' };
  const verdict = (kind: AddressKind, embedded?: AddressVerdict['embedded']): AddressVerdict => ({
    // Loopback only as itself (127/8, ::1, or ::ffff:127.x, which is the same socket):
    // through a translator or a tunnel it is `transition`, refused.
    allowed: kind === 'public' || (kind === 'loopback' && allowLoopback()),
    kind,
    ...(embedded ? { embedded } : {}),
  });
  if (family === 4) return verdict(ipv4Kind(address));

  const bare = address.replace(/%.*$/, '');
  const embedded = embeddedIPv4(bare);
  if (embedded?.form === 'ipv4_mapped') return verdict(ipv4Kind(embedded.ipv4), embedded);
  if (embedded?.form === 'nat64') {
    // The well-known NAT64 prefix reaches the IPv4 internet from IPv6-only subnets (DNS64):
    // allowed exactly when the IPv4 address it carries is.
    const inner = ipv4Kind(embedded.ipv4);
    return verdict(inner === 'loopback' ? 'transition' : inner, embedded);
  }
  if (embedded) {
    // IPv4-compatible, 6to4 and Teredo are refused whole; the IPv4 inside says why.
    const inner = ipv4Kind(embedded.ipv4);
    return verdict(inner === 'public' || inner === 'loopback' ? 'transition' : inner, embedded);
  }
  const { metadata, ipv6, globalUnicast } = blockLists();
  if (metadata.check(bare, 'ipv6')) return verdict('metadata');
  const row = ipv6.find((r) => r.list.check(bare, 'ipv6'));
  if (row) return verdict(row.kind);
  return verdict(globalUnicast.check(bare, 'ipv6') ? 'public' : 'reserved');
};

/** Whether a host (a URL's hostname: IPv6 in brackets) is an IP address rather than a name. */
export const isIpLiteral = (host: string): boolean => isIP(host.replace(/^\[|\]$/g, '')) !== 0;

/** True for an address we never connect to for a tenant. */
export const isRefusedAddress = (address: string): boolean => !checkAddress(address).allowed;

/** A connection refused by the guard. Says which host, never which address. */
export class AddressNotAllowed extends Error {
  override readonly name = 'AddressNotAllowed';
  readonly code = 'EADDRNOTALLOWED';
}

/**
 * A `lookup` for sockets (node:http(s) `lookup`, or `connect.lookup`) that refuses a host
 * when any address it resolves to is refused: the check runs on the very addresses the
 * socket then connects to, so a DNS answer can't change between the check and the
 * connection (DNS rebinding). Resolves through `dns.lookup` on the module object, so a
 * test can script answers for its own names.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    if (addresses.length === 0 || addresses.some((a) => isRefusedAddress(a.address))) {
      return callback(new AddressNotAllowed(`${hostname} resolves to an address that is not allowed`), '');
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

/**
 * Where a tenant-chosen host stands now, for checks at creation: `refused` when it is (or
 * resolves to) a refused address, `unresolved` when the name does not resolve (the call
 * itself will fail; connect time checks again anyway), else `allowed`.
 */
export const checkHost = async (host: string): Promise<'allowed' | 'refused' | 'unresolved'> => {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return isRefusedAddress(bare) ? 'refused' : 'allowed';
  const addresses = await new Promise<LookupAddress[] | undefined>((resolve) => {
    dns.lookup(bare, { all: true }, (err, found) => resolve(err ? undefined : found));
  });
  if (!addresses?.length) return 'unresolved';
  return addresses.some((a) => isRefusedAddress(a.address)) ? 'refused' : 'allowed';
};
