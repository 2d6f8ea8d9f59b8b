import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AddressKind,
  AddressNotAllowed,
  checkAddress,
  checkHost,
  embeddedIPv4,
  guardedLookup,
  METADATA_ADDRESSES,
} from '../../core/platform/address-guard';
import { type DnsOverride, overrideDns } from '../dns-override';

/**
 * The address guard over a table of addresses — each range, each IPv6 form that embeds an
 * IPv4 address — and properties over generated ones: an embedded address is judged as
 * the address it embeds, a transition form is never allowed, and the way an address is
 * written (compressed, expanded, dotted tail) never changes the verdict.
 */
const asDeployed = () => {
  let before: string | undefined;
  beforeEach(() => {
    before = process.env.ALLOW_HTTP_LOOPBACK;
    process.env.ALLOW_HTTP_LOOPBACK = 'false';
  });
  afterEach(() => {
    process.env.ALLOW_HTTP_LOOPBACK = before;
  });
};

const refused: [string, AddressKind][] = [
  // IPv4
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.100.100.200', 'metadata'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.0.1', 'link_local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.0.1', 'private'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  // IPv6 of its own
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['100::1', 'reserved'],
  ['2001:10::1', 'reserved'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['5f00::1', 'reserved'],
  ['fc00::1', 'unique_local'],
  ['fd12:3456::1', 'unique_local'],
  ['fd00:ec2::254', 'metadata'],
  ['fe80::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['febf::1', 'link_local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['4000::1', 'reserved'],
  ['::ffff:0:a00:1', 'transition'],
  // IPv4-mapped: judged as the IPv4 address
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:a00:1', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:a9fe:a9fe', 'metadata'],
  ['::ffff:100.64.0.1', 'cgnat'],
  ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
  // IPv4-compatible (::/96): refused whole
  ['::127.0.0.1', 'transition'],
  ['::10.0.0.1', 'private'],
  ['::a9fe:a9fe', 'metadata'],
  ['::8.8.8.8', 'transition'],
  // NAT64 (64:ff9b::/96): as the IPv4 address, loopback included
  ['64:ff9b::127.0.0.1', 'transition'],
  ['64:ff9b::7f00:1', 'transition'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b::c0a8:1', 'private'],
  // local-use NAT64 (64:ff9b:1::/48): refused whole
  ['64:ff9b:1::8.8.8.8', 'transition'],
  ['64:ff9b:1:ffff::a00:1', 'transition'],
  // 6to4 (2002::/16): refused whole, the embedded IPv4 says why
  ['2002:7f00:1::', 'transition'],
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['2002:a00:1::', 'private'],
  ['2002:c000:201::', 'documentation'],
  ['2002:808:808::1', 'transition'],
  // Teredo (2001::/32): refused whole; the client's IPv4 is inverted in the last 32 bits
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private'], // 10.0.0.1
  ['2001:0:4136:e378:8000:63bf:5601:5601', 'metadata'], // 169.254.169.254
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'transition'], // 127.0.0.1
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'transition'], // 8.8.8.8
  // Not addresses at all
  ['not-an-ip', 'invalid'],
  ['', 'invalid'],
  ['1.2.3', 'invalid'],
  ['::g', 'invalid'],
];

const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.32.0.1',
  '192.169.0.1',
  '100.128.0.1',
  '169.253.255.255',
  '2001:4860:4860::8888',
  '2606:4700:4700::1111',
  '2600:1f18::1',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8.8.8.8',
  '64:ff9b::808:808',
];

describe('the table, as deployed (no loopback)', () => {
  asDeployed();
  it.each(refused)('refuses %s (%s)', (address, kind) => {
    expect(checkAddress(address)).toMatchObject({ allowed: false, kind });
  });
  it.each(allowed)('allows %s', (address) => {
    expect(checkAddress(address)).toMatchObject({ allowed: true, kind: 'public' });
  });
  it('names every metadata address as such', () => {
    for (const a of METADATA_ADDRESSES) expect(checkAddress(a).kind, a).toBe('metadata');
  });
});

describe('the table where ALLOW_HTTP_LOOPBACK=true (the local stack, the tests)', () => {
  it('allows loopback as itself: 127/8, ::1, and ::ffff:127.x (the same socket)', () => {
    expect(process.env.ALLOW_HTTP_LOOPBACK).toBe('true');
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(checkAddress(a), a).toMatchObject({ allowed: true, kind: 'loopback' });
    }
  });
  it('never through a translator or a tunnel', () => {
    for (const a of [
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      '2001:0:4136:e378:8000:63bf:80ff:fffe',
    ]) {
      expect(checkAddress(a).allowed, a).toBe(false);
    }
  });
  it.each(refused.filter(([, kind]) => kind !== 'loopback'))('still refuses %s (%s)', (address, kind) => {
    expect(checkAddress(address)).toMatchObject({ allowed: false, kind });
  });
});

describe('embedded IPv4 addresses', () => {
  it.each([
    ['::ffff:1.2.3.4', 'ipv4_mapped', '1.2.3.4'],
    ['::ffff:102:304', 'ipv4_mapped', '1.2.3.4'],
    ['::1.2.3.4', 'ipv4_compatible', '1.2.3.4'],
    ['64:ff9b::102:304', 'nat64', '1.2.3.4'],
    ['2002:102:304::1', '6to4', '1.2.3.4'],
    ['2001:0:4136:e378:8000:63bf:fefd:fcfb', 'teredo', '1.2.3.4'],
  ])('%s carries %s %s', (address, form, ipv4) => {
    expect(embeddedIPv4(address)).toEqual({ form, ipv4 });
  });
  it('none in an ordinary address', () => {
    expect(embeddedIPv4('2606:4700:4700::1111')).toBeUndefined();
    expect(embeddedIPv4('8.8.8.8')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
  });
});

// Generators: an IPv4 address as four octets, and its IPv6 forms written in different ways.
const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const dotted = (o: number[]) => o.join('.');
const hex = (hi: number, lo: number) => `${((hi << 8) | lo).toString(16)}`;
const forms = {
  mappedDotted: (o: number[]) => `::ffff:${dotted(o)}`,
  mappedHex: (o: number[]) => `::ffff:${hex(o[0] ?? 0, o[1] ?? 0)}:${hex(o[2] ?? 0, o[3] ?? 0)}`,
  mappedExpanded: (o: number[]) => `0:0:0:0:0:ffff:${hex(o[0] ?? 0, o[1] ?? 0)}:${hex(o[2] ?? 0, o[3] ?? 0)}`,
  nat64: (o: number[]) => `64:ff9b::${dotted(o)}`,
  compatible: (o: number[]) => `::${dotted(o)}`,
  sixToFour: (o: number[]) => `2002:${hex(o[0] ?? 0, o[1] ?? 0)}:${hex(o[2] ?? 0, o[3] ?? 0)}::1`,
  teredo: (o: number[]) =>
    `2001:0:4136:e378:8000:63bf:${hex((o[0] ?? 0) ^ 0xff, (o[1] ?? 0) ^ 0xff)}:${hex((o[2] ?? 0) ^ 0xff, (o[3] ?? 0) ^ 0xff)}`,
};
/** IPv4 addresses inside the refused ranges: a range's network plus random host bits. */
const refusedRanges: [number[], number][] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];
const inRefusedRange = fc
  .tuple(fc.constantFrom(...refusedRanges), fc.nat(0xffffffff))
  .map(([[net, prefix], bits]) => {
    const base = (((net[0] ?? 0) << 24) | ((net[1] ?? 0) << 16) | ((net[2] ?? 0) << 8) | (net[3] ?? 0)) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const n = ((base & mask) | (bits & ~mask)) >>> 0;
    return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  });

describe('properties', () => {
  asDeployed();

  it('an IPv4-mapped address, however written, is judged as the IPv4 address', () => {
    fc.assert(
      fc.property(octets, (o) => {
        const v4 = checkAddress(dotted(o));
        for (const form of [forms.mappedDotted, forms.mappedHex, forms.mappedExpanded]) {
          const v6 = checkAddress(form(o));
          expect(v6.allowed).toBe(v4.allowed);
          expect(v6.kind).toBe(v4.kind);
        }
      }),
    );
  });

  it('a NAT64 address is allowed exactly when the IPv4 address it carries is', () => {
    fc.assert(
      fc.property(octets, (o) => checkAddress(forms.nat64(o)).allowed === checkAddress(dotted(o)).allowed),
    );
  });

  it('IPv4-compatible, 6to4 and Teredo forms are never allowed, and carry the address back', () => {
    fc.assert(
      fc.property(octets, (o) => {
        for (const [form, write] of [
          ['6to4', forms.sixToFour],
          ['teredo', forms.teredo],
        ] as const) {
          expect(checkAddress(write(o)).allowed).toBe(false);
          expect(embeddedIPv4(write(o))).toEqual({ form, ipv4: dotted(o) });
        }
        if (o[0] || o[1] || o[2]) expect(checkAddress(forms.compatible(o)).allowed).toBe(false);
      }),
    );
  });

  it('an address in a refused IPv4 range is refused in every form, loopback allowed or not', () => {
    fc.assert(
      fc.property(inRefusedRange, fc.boolean(), (o, loopbackAllowed) => {
        process.env.ALLOW_HTTP_LOOPBACK = String(loopbackAllowed);
        const isLoopback = o[0] === 127;
        expect(checkAddress(dotted(o)).allowed).toBe(isLoopback && loopbackAllowed);
        expect(checkAddress(forms.mappedHex(o)).allowed).toBe(isLoopback && loopbackAllowed);
        for (const write of [forms.nat64, forms.sixToFour, forms.teredo]) {
          expect(checkAddress(write(o)).allowed).toBe(false);
        }
        // ::0.0.0.1 is ::1 itself, not a form of 0.0.0.1: the IPv4-compatible range is
        // ::/96 less :: and ::1.
        if (o[0] || o[1] || o[2]) expect(checkAddress(forms.compatible(o)).allowed).toBe(false);
      }),
    );
  });

  it('the way an IPv6 address is written never changes the verdict', () => {
    const words = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(words, (w) => {
        const expanded = w.map((x) => x.toString(16)).join(':');
        // WHATWG URL's serializer: an independent canonical (compressed) spelling.
        const compressed = new URL(`http://[${expanded}]/`).hostname.slice(1, -1);
        expect(checkAddress(compressed)).toEqual(checkAddress(expanded));
        expect(checkAddress(`[${compressed}]`)).toEqual(checkAddress(expanded));
      }),
    );
  });

  it('an allowed IPv6 address is global unicast (2000::/3), or carries an allowed IPv4 address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const v = checkAddress(address);
        expect(v.kind).not.toBe('invalid');
        if (!v.allowed) return;
        const first = Number.parseInt(
          new URL(`http://[${address}]/`).hostname.slice(1).split(':')[0] || '0',
          16,
        );
        const global = first >= 0x2000 && first <= 0x3fff;
        expect(global || v.embedded?.form === 'ipv4_mapped' || v.embedded?.form === 'nat64').toBe(true);
      }),
    );
  });
});

describe('guardedLookup and checkHost (resolving names)', () => {
  let dns: DnsOverride;
  beforeAll(() => {
    dns = overrideDns();
    dns.answer('public.guard.test', ['93.184.216.34', '2606:2800:220:1::248']);
    dns.answer('mixed.guard.test', ['93.184.216.34', '10.0.0.7']);
    dns.answer('mapped.guard.test', ['::ffff:169.254.169.254']);
    dns.answer('loopback.guard.test', ['127.0.0.1']);
    dns.answer('nowhere.guard.test', []);
  });
  afterAll(() => dns.restore());

  const lookup = (host: string, all = false) =>
    new Promise<{ err: Error | null; address: unknown }>((done) => {
      guardedLookup(host, { all }, (err, address) => done({ err, address }));
    });

  describe('as deployed', () => {
    asDeployed();
    it('passes a public name through, one address or all', async () => {
      expect(await lookup('public.guard.test')).toEqual({ err: null, address: '93.184.216.34' });
      const all = await lookup('public.guard.test', true);
      expect(all.address).toHaveLength(2);
    });
    it.each(['mixed.guard.test', 'mapped.guard.test', 'loopback.guard.test'])(
      'refuses %s: one refused address refuses the name',
      async (host) => {
        const r = await lookup(host);
        expect(r.err).toBeInstanceOf(AddressNotAllowed);
        expect(r.err?.message).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
      },
    );
    it('checkHost: allowed, refused, unresolved; IP literals without a lookup', async () => {
      expect(await checkHost('public.guard.test')).toBe('allowed');
      expect(await checkHost('mixed.guard.test')).toBe('refused');
      expect(await checkHost('loopback.guard.test')).toBe('refused');
      expect(await checkHost('nowhere.guard.test')).toBe('unresolved');
      expect(await checkHost('[fd00:ec2::254]')).toBe('refused');
      expect(await checkHost('8.8.8.8')).toBe('allowed');
    });
  });

  it('lets loopback through where ALLOW_HTTP_LOOPBACK=true', async () => {
    expect((await lookup('loopback.guard.test')).err).toBeNull();
    expect(await checkHost('loopback.guard.test')).toBe('allowed');
  });
});
