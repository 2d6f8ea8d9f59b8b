import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isProviderError } from '../../adapters/errors';
import { parseRateLimitReset } from '../../adapters/http';
import { providerHttp } from '../../core/platform/provider-http';
import { type DnsOverride, overrideDns } from '../dns-override';

// A loopback server: what the client sends, and bodies that are JSON, HTML or empty.
const seen: { method?: string; headers: IncomingHttpHeaders; rawHeaders: string[]; body: string }[] = [];
const JSON_BODY = JSON.stringify({ ok: true, text: 'ünïcode ✓' });
const encoded: Record<string, [string, Buffer]> = {
  '/gzip': ['gzip', gzipSync(JSON_BODY)],
  '/deflate': ['deflate', deflateSync(JSON_BODY)],
  '/deflate-raw': ['deflate', deflateRawSync(JSON_BODY)],
  '/br': ['br', brotliCompressSync(JSON_BODY)],
};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
    const coded = encoded[req.url ?? ''];
    if (coded)
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coded[0] }).end(coded[1]);
    else if (req.url === '/redirect') res.writeHead(302, { location: `${base}/json` }).end();
    else if (req.url === '/down') res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>down</h1>');
    else if (req.url === '/stall') res.writeHead(200, { 'content-type': 'application/json' }).write('{"ok":');
    else if (req.url === '/silent') return;
    else if (req.url === '/cookies')
      res
        .writeHead(200, [
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
          ['content-type', 'application/json'],
        ])
        .end('{}');
    else if (req.url === '/html')
      res.writeHead(401, { 'content-type': 'text/html' }).end('<h1>Unauthorized</h1>');
    else if (req.url === '/empty') res.writeHead(401).end();
    else if (req.url === '/limited-reset')
      res.writeHead(429, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 120) }).end('{}');
    else if (req.url === '/limited-after')
      res
        .writeHead(429, {
          'retry-after': '7',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 120),
        })
        .end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const rejection = async (promise: Promise<unknown>) => {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isProviderError(e)) throw new Error(`expected a ProviderError, got ${String(e)}`);
  return e;
};

describe('providerHttp headers', () => {
  it('lets an adapter override accept whatever the case of the name', async () => {
    seen.length = 0;
    await providerHttp(`${base}/json`, { headers: { Accept: 'application/vnd.github+json' } });
    const accepts = seen[0]?.rawHeaders.filter(
      (_, i, all) => i % 2 === 1 && all[i - 1]?.toLowerCase() === 'accept',
    );
    expect(accepts).toEqual(['application/vnd.github+json']);
  });

  it('sends values with inner spaces and Latin-1 as they are', async () => {
    seen.length = 0;
    await providerHttp(`${base}/json`, { headers: { authorization: 'Bearer abc def', 'x-name': 'café' } });
    expect(seen[0]?.headers.authorization).toBe('Bearer abc def');
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['a trailing newline', 'tok_123\n'],
    ['a CR LF inside', 'tok\r\nx-injected: 1'],
    ['a NUL', 'tok\u0000123'],
    ['a tab inside', 'tok\t123'],
    ['DEL', 'tok\u007f123'],
    ['a C1 control character', 'tok\u0085123'],
    ['a leading space', ' tok_123'],
    ['a trailing space', 'Bearer tok_123 '],
    ['a character outside Latin-1', 'tok_€123'],
  ])('refuses a value with %s as rejected, without calling the provider or echoing it', async (_, value) => {
    seen.length = 0;
    const e = await rejection(providerHttp(`${base}/json`, { headers: { authorization: value } }));
    expect(e.kind).toBe('rejected');
    expect(e.providerMessage).toMatch(/whitespace or control characters/);
    expect(`${e.message} ${JSON.stringify(e)} ${e.stack ?? ''}`).not.toContain(value.trim());
    expect(seen).toHaveLength(0);
  });
});

describe('providerHttp bodies', () => {
  it('reads a JSON body with json() and jsonOrUndefined()', async () => {
    const res = await providerHttp(`${base}/json`);
    expect(res.json()).toEqual({ ok: true });
    expect(res.jsonOrUndefined()).toEqual({ ok: true });
  });

  it.each(['/html', '/empty'])(
    'gives undefined for a %s error body, where json() is unreachable',
    async (path) => {
      const res = await providerHttp(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(res.jsonOrUndefined()).toBeUndefined();
      const e = await rejection(Promise.resolve().then(() => res.json()));
      expect(e.kind).toBe('unreachable');
    },
  );
});

describe('rate limits', () => {
  it('a 429 without Retry-After waits until x-ratelimit-reset (epoch seconds)', async () => {
    const e = await rejection(providerHttp(`${base}/limited-reset`));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(121);
  });
  it('Retry-After wins over a reset header', async () => {
    expect((await rejection(providerHttp(`${base}/limited-after`))).retryAfterSeconds).toBe(7);
  });
  it.each([
    ['epoch seconds', 'x-ratelimit-reset', String(1_800_000_060), 60],
    ['epoch ms (Linear)', 'x-ratelimit-requests-reset', String(1_800_000_030_000), 30],
    ['delta seconds (IETF draft)', 'ratelimit-reset', '45', 45],
    ['in the past', 'x-ratelimit-reset', String(1_799_999_000), 0],
    ['an ISO date (Jira)', 'x-ratelimit-reset', new Date(1_800_000_090_000).toISOString(), 90],
  ])('reads a reset in %s', (_, name, value, seconds) => {
    expect(parseRateLimitReset(new Headers({ [name]: value }), 1_800_000_000_000)).toBe(seconds);
  });
  it('ignores a reset that is not a number', () => {
    expect(parseRateLimitReset(new Headers({ 'x-ratelimit-reset': 'soon' }))).toBeUndefined();
  });
});

describe('providerHttp on the wire, as fetch was', () => {
  it('sends a form body with its content type and length, and JSON as JSON', async () => {
    seen.length = 0;
    await providerHttp(`${base}/json`, { method: 'POST', body: new URLSearchParams({ grant_type: 'x y' }) });
    await providerHttp(`${base}/json`, { method: 'POST', body: { a: 1 } });
    await providerHttp(`${base}/json`, { method: 'POST' });
    expect(
      seen.map((r) => [r.method, r.headers['content-type'], r.headers['content-length'], r.body]),
    ).toEqual([
      ['POST', 'application/x-www-form-urlencoded;charset=UTF-8', '14', 'grant_type=x+y'],
      ['POST', 'application/json', '7', '{"a":1}'],
      ['POST', undefined, '0', ''],
    ]);
    expect(seen[0]?.headers['user-agent']).toBe('integrations-service');
  });

  it.each(Object.keys(encoded))('decodes a %s body', async (path) => {
    const res = await providerHttp(`${base}${path}`);
    expect(res.json()).toEqual(JSON.parse(JSON_BODY));
  });

  it('follows no redirect: the 302 is the answer', async () => {
    seen.length = 0;
    const res = await providerHttp(`${base}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${base}/json`);
    expect(seen).toHaveLength(1);
  });

  it('keeps repeated headers', async () => {
    const res = await providerHttp(`${base}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('a 5xx is unreachable, with its status', async () => {
    const e = await rejection(providerHttp(`${base}/down`));
    expect([e.kind, e.status]).toEqual(['unreachable', 503]);
  });

  it.each(['/silent', '/stall'])(
    'a provider that stops answering (%s) is unreachable at the timeout',
    async (path) => {
      const started = Date.now();
      const e = await rejection(providerHttp(`${base}${path}`, { timeoutMs: 300 }));
      expect(e.kind).toBe('unreachable');
      expect(e.providerMessage).toMatch(/did not answer in time/);
      expect(Date.now() - started).toBeLessThan(3_000);
    },
  );

  it('a closed port is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await rejection(providerHttp(`http://127.0.0.1:${port}/`));
    expect([e.kind, e.providerMessage]).toEqual(['unreachable', 'The provider could not be reached.']);
  });
});

describe('the address guard on every request', () => {
  // A listener on loopback: as deployed, nothing may reach it, whatever the URL says.
  let connections = 0;
  const listener = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  let port: number;
  let dns: DnsOverride;
  let before: string | undefined;
  beforeAll(async () => {
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
    dns = overrideDns();
    dns.answer('rebind.http.test', ['127.0.0.1']);
    dns.answer('mixed.http.test', ['93.184.216.34', '127.0.0.1']);
  });
  afterAll(() => {
    dns.restore();
    return new Promise<void>((r) => listener.close(() => r()));
  });
  beforeEach(() => {
    before = process.env.ALLOW_HTTP_LOOPBACK;
    process.env.ALLOW_HTTP_LOOPBACK = 'false';
    connections = 0;
  });
  afterEach(() => {
    process.env.ALLOW_HTTP_LOOPBACK = before;
  });

  it.each([
    () => `https://127.0.0.1:${port}/`,
    () => `https://[::1]:${port}/`,
    () => `https://[::ffff:127.0.0.1]:${port}/`,
    () => `https://[::ffff:7f00:1]:${port}/`,
    () => `https://0x7f.1:${port}/`,
    () => `https://2130706433:${port}/`,
    () => `https://localhost:${port}/`,
    () => `https://rebind.http.test:${port}/`,
    () => `https://mixed.http.test:${port}/`,
    () => 'https://169.254.169.254/latest/meta-data/',
    () => 'https://[fd00:ec2::254]/latest/meta-data/',
    () => 'https://10.0.0.1/',
    () => `http://rebind.http.test:${port}/`,
    () => 'http://api.github.com/',
  ])('refuses %s: address not allowed, and nothing connects', async (url) => {
    const e = await rejection(providerHttp(url(), { headers: { authorization: 'Bearer secret-token' } }));
    expect([e.kind, e.code, e.providerMessage]).toEqual([
      'unreachable',
      'address_not_allowed',
      'address not allowed',
    ]);
    expect(connections).toBe(0);
  });

  it('the same listener is reached where loopback is allowed (the check is what stops it)', async () => {
    process.env.ALLOW_HTTP_LOOPBACK = 'true';
    await rejection(providerHttp(`http://rebind.http.test:${port}/`));
    expect(connections).toBe(1);
  });
});
