import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../adapters/manifests';
import { isApiError } from '../../core/platform/errors';
import { requestAuthHeaders } from '../../core/providers/request-auth';
import { answerHeaders, encodeAnswer, forwardedHeaders, proxyTarget } from '../../core/tools/proxy';

/** The proxy's pure parts: where a raw path may go, which headers pass each way, how bodies are returned. */
describe('proxyTarget', () => {
  it('joins a raw path and query under the base, its path prefix kept', () => {
    expect(proxyTarget('https://gitlab.example.com/api/v4', 'projects/42/issues', 'page=2').toString()).toBe(
      'https://gitlab.example.com/api/v4/projects/42/issues?page=2',
    );
    expect(proxyTarget('https://api.github.com/', 'user', '').toString()).toBe('https://api.github.com/user');
    // Escapes that are not separators pass as sent.
    expect(proxyTarget('https://api.github.com', 'repos/a/b/contents/my%20file.md', '').pathname).toBe(
      '/repos/a/b/contents/my%20file.md',
    );
  });

  it.each([
    '..',
    'a/../../b',
    '.',
    '%2e%2e/x',
    'a%2fb',
    'a%5cb',
    '%25',
    'a\\b',
    '/x',
    'a//b',
    'https://evil.example',
    'http:evil.example',
    'a%0d%0aHost: evil',
    'a%',
    '',
  ])('refuses %j with 400 validation_failed', (path) => {
    try {
      proxyTarget('https://api.github.com', path, '');
      expect.unreachable();
    } catch (e) {
      expect(isApiError(e) && e.code === 'validation_failed' && e.status === 400).toBe(true);
    }
  });

  it('refuses a query that carries a fragment', () => {
    expect(() => proxyTarget('https://api.github.com', 'user', 'a=1#@evil.example')).toThrow();
  });
});

describe('headers', () => {
  it('forwards the caller’s own headers, never hop-by-hop, credentials or ours', () => {
    const out = forwardedHeaders(
      {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-github-api-version': '2022-11-28',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        upgrade: 'h2c',
        host: 'api.example',
        authorization: 'Bearer sk_test_x',
        'proxy-authorization': 'Basic x',
        cookie: 'a=b',
        'private-token': 'x',
        'dd-api-key': 'x',
        'x-forwarded-for': '10.0.0.1',
        'x-amzn-trace-id': 'Root=1',
        'idempotency-key': 'k',
        'x-api-version': '2026-11-01',
        'x-custom-auth': 'provider-declared',
      },
      ['x-custom-auth'],
    );
    expect(out).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-github-api-version': '2022-11-28',
    });
  });

  it('answers only the allow-listed provider headers: type, pagination, rate limits', () => {
    const h = new Headers({
      'content-type': 'application/json',
      link: '<https://api.github.com/x?page=2>; rel="next"',
      'x-ratelimit-remaining': '4999',
      'ratelimit-reset': '30',
      'retry-after': '5',
      'x-next-page': '3',
      'set-cookie': 'session=1',
      server: 'GitHub.com',
      'x-oauth-scopes': 'repo',
      'content-encoding': 'gzip',
      'content-length': '10',
    });
    expect(Object.keys(answerHeaders(h)).sort()).toEqual(
      [
        'content-type',
        'link',
        'ratelimit-reset',
        'retry-after',
        'x-next-page',
        'x-ratelimit-remaining',
      ].sort(),
    );
  });
});

describe('requestAuthHeaders', () => {
  it('every provider authenticates a raw request for each credential type it accepts', async () => {
    for (const m of await loadManifests()) {
      const kinds = Object.keys(m.auth).map((k) => (k === 'app_install' ? 'oauth2' : k));
      for (const kind of kinds) expect(m.proxy.headers[kind as 'oauth2'], `${m.name} ${kind}`).toBeDefined();
    }
  });

  it('fills the templates: bearer, bare keys, two-key headers, basic', async () => {
    const byName = new Map((await loadManifests()).map((m) => [m.name, m]));
    const m = (n: string) => byName.get(n) as NonNullable<ReturnType<typeof byName.get>>;
    expect(requestAuthHeaders(m('github'), { type: 'oauth2', access_token: 't' })).toEqual({
      authorization: 'Bearer t',
    });
    expect(requestAuthHeaders(m('linear'), { type: 'api_key', api_key: 'lin' })).toEqual({
      authorization: 'lin',
    });
    expect(requestAuthHeaders(m('gitlab'), { type: 'api_key', api_key: 'p' })).toEqual({
      'private-token': 'p',
    });
    expect(requestAuthHeaders(m('datadog'), { type: 'api_key', api_key: 'a', app_key: 'b' })).toEqual({
      'dd-api-key': 'a',
      'dd-application-key': 'b',
    });
    // A header whose value is missing is left out, not sent empty.
    expect(requestAuthHeaders(m('datadog'), { type: 'api_key', api_key: 'a' })).toEqual({
      'dd-api-key': 'a',
    });
    expect(
      requestAuthHeaders(m('jira'), { type: 'basic', username: 'me@acme.com', password: 'tok' }),
    ).toEqual({
      authorization: `Basic ${Buffer.from('me@acme.com:tok').toString('base64')}`,
    });
    expect(requestAuthHeaders(m('github'), { type: 'basic', username: 'u', password: 'p' })).toBeUndefined();
  });
});

describe('encodeAnswer', () => {
  it('returns text as text and anything else (or invalid UTF-8) base64', () => {
    expect(
      encodeAnswer({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
      }),
    ).toEqual({ body: '{"a":1}', isBase64Encoded: false });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(encodeAnswer({ status: 200, headers: { 'content-type': 'image/png' }, body: png })).toEqual({
      body: png.toString('base64'),
      isBase64Encoded: true,
    });
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    expect(
      encodeAnswer({ status: 200, headers: { 'content-type': 'text/plain' }, body: latin1 }).isBase64Encoded,
    ).toBe(true);
  });

  it('refuses what a Lambda cannot return (6 MB, escaping and base64 included)', () => {
    const binary = Buffer.alloc(5 * 1024 * 1024, 1);
    expect(() =>
      encodeAnswer({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: binary }),
    ).toThrow(/larger than the proxy can carry/);
  });
});
