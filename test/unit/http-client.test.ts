import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError } from '../../adapters/errors';
import { httpClient, parseRateLimitReset } from '../../adapters/http';

// A loopback server: what the client sends, and bodies that are JSON, HTML or empty.
const seen: { headers: IncomingHttpHeaders; rawHeaders: string[] }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ headers: req.headers, rawHeaders: req.rawHeaders });
    if (req.url === '/html') res.writeHead(401, { 'content-type': 'text/html' }).end('<h1>Unauthorized</h1>');
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

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const rejection = async (promise: Promise<unknown>) => {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isProviderError(e)) throw new Error(`expected a ProviderError, got ${String(e)}`);
  return e;
};

describe('httpClient headers', () => {
  it('lets an adapter override accept whatever the case of the name', async () => {
    seen.length = 0;
    await httpClient(`${base}/json`, { headers: { Accept: 'application/vnd.github+json' } });
    const accepts = seen[0]?.rawHeaders.filter(
      (_, i, all) => i % 2 === 1 && all[i - 1]?.toLowerCase() === 'accept',
    );
    expect(accepts).toEqual(['application/vnd.github+json']);
  });

  it('sends values with inner spaces and Latin-1 as they are', async () => {
    seen.length = 0;
    await httpClient(`${base}/json`, { headers: { authorization: 'Bearer abc def', 'x-name': 'café' } });
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
    const e = await rejection(httpClient(`${base}/json`, { headers: { authorization: value } }));
    expect(e.kind).toBe('rejected');
    expect(e.providerMessage).toMatch(/whitespace or control characters/);
    expect(`${e.message} ${JSON.stringify(e)} ${e.stack ?? ''}`).not.toContain(value.trim());
    expect(seen).toHaveLength(0);
  });
});

describe('httpClient bodies', () => {
  it('reads a JSON body with json() and jsonOrUndefined()', async () => {
    const res = await httpClient(`${base}/json`);
    expect(res.json()).toEqual({ ok: true });
    expect(res.jsonOrUndefined()).toEqual({ ok: true });
  });

  it.each(['/html', '/empty'])(
    'gives undefined for a %s error body, where json() is unreachable',
    async (path) => {
      const res = await httpClient(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(res.jsonOrUndefined()).toBeUndefined();
      const e = await rejection(Promise.resolve().then(() => res.json()));
      expect(e.kind).toBe('unreachable');
    },
  );
});

describe('rate limits', () => {
  it('a 429 without Retry-After waits until x-ratelimit-reset (epoch seconds)', async () => {
    const e = await rejection(httpClient(`${base}/limited-reset`));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(121);
  });
  it('Retry-After wins over a reset header', async () => {
    expect((await rejection(httpClient(`${base}/limited-after`))).retryAfterSeconds).toBe(7);
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
