import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriberUrlProblem } from '../../core/outbound/subscriber-url';
import { AddressNotAllowed, guardedLookup, isRefusedAddress } from '../../core/platform/address-guard';

/**
 * Where outbound webhooks may go (SSRF): checked on the URL at subscription time and on
 * the resolved addresses at delivery time. Loopback is allowed only where the deployment
 * says so (ALLOW_HTTP_LOOPBACK=true: npm start and the tests), never on AWS.
 */
const resolve = (host: string) =>
  new Promise<{ err: Error | null; address: unknown }>((done) => {
    guardedLookup(host, {}, (err, address) => done({ err, address }));
  });

describe('deployed (no loopback)', () => {
  let before: string | undefined;
  beforeEach(() => {
    before = process.env.ALLOW_HTTP_LOOPBACK;
    process.env.ALLOW_HTTP_LOOPBACK = 'false';
  });
  afterEach(() => {
    process.env.ALLOW_HTTP_LOOPBACK = before;
  });

  it.each([
    'http://127.0.0.1:3000/hooks',
    'https://127.0.0.1/hooks',
    'https://127.1.2.3/hooks',
    'https://[::1]/hooks',
    'https://[::ffff:127.0.0.1]/hooks',
    'https://localhost/hooks',
    'https://api.localhost/hooks',
    'http://hooks.acme.com/in',
  ])('refuses %s', (url) => {
    expect(subscriberUrlProblem(url)).toBeDefined();
  });

  it('accepts https to a public host or address', () => {
    expect(subscriberUrlProblem('https://hooks.acme.com/in?x=1')).toBeUndefined();
    expect(subscriberUrlProblem('https://93.184.216.34:8443/in')).toBeUndefined();
    expect(subscriberUrlProblem('https://[2606:2800:220:1::248]/in')).toBeUndefined();
  });

  it('refuses a host name that resolves to loopback, at connect time', async () => {
    const r = await resolve('localhost');
    expect(r.err).toBeInstanceOf(AddressNotAllowed);
  });
});

describe('addresses', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888'])('allows %s', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });

  it('allows loopback only where ALLOW_HTTP_LOOPBACK=true (the tests)', async () => {
    expect(process.env.ALLOW_HTTP_LOOPBACK).toBe('true');
    expect(isRefusedAddress('127.0.0.1')).toBe(false);
    expect(isRefusedAddress('::ffff:7f00:1')).toBe(false);
    expect(subscriberUrlProblem('http://127.0.0.1:9/in')).toBeUndefined();
    const r = await resolve('localhost');
    expect(r.err).toBeNull();
  });
});
