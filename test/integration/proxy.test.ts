import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRateLimit } from '../../core/store/tenants-repo';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { type GitLabFake, startGitLabFake } from '../fakes/gitlab';
import { recordOutput } from '../leak-watch';
import { newBrowser } from './browser';
import {
  call,
  expectError,
  type Harness,
  holdToContract,
  type Json,
  newTenant,
  startHarness,
} from './harness';

/**
 * The proxy (issue 15, API.md "Proxy") against the fake GitHub and GitLab: the provider's
 * status, body and allow-listed headers passed through (Link pagination, rate limits), the
 * stored credentials sent (never the caller's), a token refreshed when it expires and once on
 * a 401, a provider 429 answered as 429 with Retry-After, writes once per Idempotency-Key,
 * end users confined to their own connections — and every path that tries to leave the API
 * base refused with 400 before anything reaches the provider.
 */
const REPO = 'acme/product';
const REDIRECT = 'https://app.acme.com/done';
let h: Harness;
let gh: GitHubFake;
let connectionId: string;

const api = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string } = {},
) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });

/** A request whose path goes on the wire exactly as written: fetch would resolve `..` and `\`. */
const rawRequest = (path: string, key: string): Promise<{ status: number; body: Json }> =>
  new Promise((resolve, reject) => {
    const url = new URL(h.gateway.url);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'GET',
        headers: { authorization: `Bearer ${key}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          recordOutput(text);
          let body: Json = text;
          try {
            body = JSON.parse(text);
          } catch {
            // kept as text for the assertion message
          }
          const status = res.statusCode ?? 0;
          const headers = new Headers(
            Object.entries(res.headers).flatMap(([k, v]) =>
              v === undefined ? [] : [[k, String(v)] as [string, string]],
            ),
          );
          holdToContract('GET', `${h.gateway.url}${path}`, { status, headers, body }).then(
            () => resolve({ status, body }),
            reject,
          );
        });
      },
    );
    req.on('error', reject);
    req.end();
  });

const connectOAuth = async (integration: string, endUser: string): Promise<string> => {
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: endUser, redirect_url: REDIRECT },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const back = await newBrowser().connect(s.body.data.auth_url);
  const id = back.searchParams.get('connection_id');
  expect(id, back.toString()).toMatch(/^conn_/);
  return id as string;
};

beforeAll(async () => {
  h = await startHarness();
  gh = await startGitHubFake({ userTokensExpire: true });
  gh.seedIssues(5, { repo: REPO });
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-proxy', provider: 'github', endpoints: { api_base_url: gh.apiBaseUrl } },
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-proxy', end_user_id: 'u_proxy', credentials: gh.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
});
afterAll(async () => {
  await h.stop();
  await gh.stop();
});

describe('passing through', () => {
  it("a GET answers the provider's status, body and allow-listed headers: Link pagination, rate limits", async () => {
    const r = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues?per_page=2&state=all`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body).toHaveLength(2);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const link = r.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(link).toContain('per_page=2');
    // The provider's rate-limit headers, under their own names (they win over ours here).
    expect(r.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(r.headers.get('x-ratelimit-resource')).toBe('core');
    // Not on the allow-list: GitHub's request id and media type stay behind.
    expect(r.headers.get('x-github-request-id')).toBeNull();
    expect(r.headers.get('x-github-media-type')).toBeNull();
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);

    // The next page, as the Link header names it, relative to the API base.
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] as string;
    const rest = next.slice(gh.apiBaseUrl.length + 1);
    const page2 = await api(`/v1/proxy/${connectionId}/${rest}`);
    expect(page2.status).toBe(200);
    expect(page2.body.map((i: Json) => i.id)).not.toContain(r.body[0].id);
  });

  // Hop-by-hop headers (Connection and those it names) never get here through fetch; the unit
  // test of forwardedHeaders covers them.
  it("sends the stored token and the caller's own headers, never the caller's credentials", async () => {
    const seen = gh.requests.length;
    const r = await api(`/v1/proxy/${connectionId}/user`, {
      headers: {
        'x-github-api-version': '2022-11-28',
        accept: 'application/vnd.github+json',
        cookie: 'session=stolen',
        'private-token': 'glpat-not-for-github',
        'x-forwarded-for': '10.0.0.1',
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.login).toBe(gh.account.name);
    const sent = gh.requests.slice(seen).find((q) => q.path === '/user');
    expect(sent?.headers.authorization).toBe(`Bearer ${(gh.valid as { access_token: string }).access_token}`);
    expect(sent?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(sent?.headers.accept).toBe('application/vnd.github+json');
    for (const dropped of ['cookie', 'private-token', 'x-forwarded-for']) {
      expect(sent?.headers[dropped], dropped).toBeUndefined();
    }
    expect(sent?.headers.authorization).not.toContain(h.key);
  });

  it('a write reaches the provider with its body; an Idempotency-Key makes a retry a replay', async () => {
    const before = gh.issueIds(REPO).length;
    const body = JSON.stringify({ title: 'Filed through the proxy' });
    const first = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'proxy-once' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.title).toBe('Filed through the proxy');
    expect(gh.issueIds(REPO).length).toBe(before + 1);
    const again = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'proxy-once' },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(gh.issueIds(REPO).length).toBe(before + 1);
    // The same key with another body is a conflict, and writes nothing.
    expectError(
      await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`, {
        method: 'POST',
        body: JSON.stringify({ title: 'Another' }),
        headers: { 'content-type': 'application/json', 'idempotency-key': 'proxy-once' },
      }),
      409,
      'conflict',
    );
    expect(gh.issueIds(REPO).length).toBe(before + 1);
  });

  it("a provider refusal is the provider's own status and body", async () => {
    const r = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`, {
      method: 'POST',
      body: JSON.stringify({ body: 'no title' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/title/);
    expect(r.body.status).not.toBe('error'); // GitHub's body, not our envelope
  });

  it('writes are in the audit trail with the SHA-256 of their body; reads are not', async () => {
    const r = await api(`/v1/tool-calls?connection_id=${connectionId}&limit=100`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const entries: Json[] = r.body.data.tool_calls;
    expect(entries.every((e) => e.tool === `proxy:POST /repos/${REPO}/issues` && e.via === 'proxy')).toBe(
      true,
    );
    // Oldest first: the write, its replay, the conflicting key, the provider's refusal.
    expect(entries.reverse().map((e) => [e.outcome, e.provider_status])).toEqual([
      ['success', 201],
      ['success', 201],
      ['conflict', null],
      ['action_failed', 422],
    ]);
    const body = JSON.stringify({ title: 'Filed through the proxy' });
    expect(entries[0].input_sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(entries[0]).toMatchObject({ end_user_id: 'u_proxy', actor: { type: 'key' }, workspace_id: null });
  });

  it('a provider 429 is answered as 429 with its Retry-After; a 5xx as it came', async () => {
    gh.rateLimitNext(1, 42, { kind: 'secondary', status: 429 });
    const limited = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('42');
    expect(limited.body.message).toMatch(/secondary rate limit/);

    gh.failNext(1, 503);
    const down = await api(`/v1/proxy/${connectionId}/repos/${REPO}/issues`);
    expect(down.status).toBe(503);
    expect(down.body.message).toBe('Server Error');
  });

  it('an answer over 6 MB is 502 provider_unreachable saying so', async () => {
    const [id] = gh.seedIssues(1, { repo: 'acme/huge' });
    gh.updateIssue(id as number, { body: 'x'.repeat(7 * 1024 * 1024) });
    const r = await api(`/v1/proxy/${connectionId}/repos/acme/huge/issues`);
    const e = expectError(r, 502, 'provider_unreachable');
    expect(e.message).toMatch(/larger than the proxy can carry/);
    expect(e.details.limit_bytes).toBe(6 * 1024 * 1024);
  });
});

describe('paths that would leave the API base', () => {
  const attacks = [
    ['dot-dot segments', '../../user'],
    ['a dot-dot in the middle', 'repos/../../user'],
    ['a dot segment', './user'],
    ['encoded dots', '%2e%2e/%2e%2e/user'],
    ['upper-case encoded dots', 'repos/%2E%2E/user'],
    ['encoded slashes', 'repos%2F..%2F..%2Fuser'],
    ['double-encoded dots', '%252e%252e/user'],
    ['backslashes', 'repos\\..\\..\\user'],
    ['encoded backslashes', 'repos%5C..%5Cuser'],
    ['a second host after //', '/evil.example/user'],
    ['an absolute URL', 'https://evil.example/user'],
    ['an absolute URL, encoded', 'https:%2F%2Fevil.example%2Fuser'],
    ['a scheme without slashes', 'javascript:alert(1)'],
    ['an empty segment', 'repos//user'],
    ['an encoded NUL', 'user%00'],
    ['a malformed escape', 'user%zz'],
  ] as const;

  it.each(attacks)('%s (%s) → 400 validation_failed, nothing sent', async (_, path) => {
    const seen = gh.requests.length;
    const r = await rawRequest(`/v1/proxy/${connectionId}/${path}`, h.key);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(gh.requests.length).toBe(seen);
  });

  it("an unknown connection with a bad path is still the path's 400 (nothing is looked up first)", async () => {
    const r = await rawRequest('/v1/proxy/conn_nope/../user', h.key);
    expect(r.status).toBe(400);
  });
});

describe('who may proxy', () => {
  it('end-user tokens proxy for their own connections only (others are 404), and not when bound to workspaces', async () => {
    const mint = async (user: string) =>
      (await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: user } })).body.data
        .token as string;
    const mine = await mint('u_proxy');
    const theirs = await mint('u_someone_else');
    expect((await api(`/v1/proxy/${connectionId}/user`, { key: mine })).status).toBe(200);
    expectError(await api(`/v1/proxy/${connectionId}/user`, { key: theirs }), 404, 'not_found');
    expectError(await api('/v1/proxy/conn_nope/user'), 404, 'not_found');
    expectError(await api(`/v1/proxy/${connectionId}/user`, { key: 'sk_test_wrong' }), 401, 'unauthorized');
    // Bound to workspaces, a token acts through the tools granted there: the proxy would step around them.
    const bound = (
      await api('/v1/end-user-tokens', {
        method: 'POST',
        body: { end_user_id: 'u_proxy', workspace_ids: ['ws_1'] },
      })
    ).body.data.token as string;
    const seen = gh.requests.length;
    expectError(await api(`/v1/proxy/${connectionId}/user`, { key: bound }), 403, 'forbidden');
    expect(gh.requests.length).toBe(seen);
  });

  it("every proxied call counts against the key's budget: past it, 429 rate_limited before anything is sent", async () => {
    const t = await newTenant('proxy-limited');
    await setRateLimit(t.tenantId, 2);
    // A new minute may begin mid-test and reset the count: retry once in that case.
    for (let attempt = 0; attempt < 2; attempt++) {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await api('/v1/proxy/conn_nope/user', { key: t.key })).status);
      }
      if (statuses.filter((s) => s === 429).length !== 1) continue;
      expect(statuses).toEqual([404, 404, 429]);
      return;
    }
    throw new Error('never saw the limit hold within one minute window');
  });

  it('OPTIONS is the CORS preflight, answered without calling the provider; HEAD has no proxy route', async () => {
    const seen = gh.requests.length;
    const pre = await api(`/v1/proxy/${connectionId}/user`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
    expect((await api(`/v1/proxy/${connectionId}/user`, { method: 'HEAD' })).status).toBe(404);
    expect(gh.requests.length).toBe(seen);
  });
});

describe('credentials kept fresh', () => {
  it('a token the provider stopped accepting (401) is refreshed once and the call retried', async () => {
    await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'gh-proxy-oauth',
        provider: 'github',
        oauth_client_id: gh.oauthClient.clientId,
        oauth_client_secret: gh.oauthClient.clientSecret,
        endpoints: {
          authorization_url: gh.authorizationUrl,
          token_url: gh.tokenUrl,
          api_base_url: gh.apiBaseUrl,
        },
      },
    });
    const id = await connectOAuth('gh-proxy-oauth', 'u_refresh');
    const before = gh.refreshCount();
    gh.expireAccessTokens();
    const r = await api(`/v1/proxy/${id}/user`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(gh.refreshCount() - before).toBe(1);
    // The renewed token is kept: the next call refreshes nothing.
    expect((await api(`/v1/proxy/${id}/user`)).status).toBe(200);
    expect(gh.refreshCount() - before).toBe(1);
  });

  let gl: GitLabFake | undefined;
  afterAll(async () => {
    await gl?.stop();
  });

  it('a token that expires within five minutes is refreshed before the call', async () => {
    gl = await startGitLabFake({ accessTokenTtlSeconds: 240 });
    await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'gitlab-proxy',
        provider: 'gitlab',
        oauth_client_id: gl.oauthClient.clientId,
        oauth_client_secret: gl.oauthClient.clientSecret,
        endpoints: {
          authorization_url: gl.authorizationUrl,
          token_url: gl.tokenUrl,
          api_base_url: gl.apiBaseUrl,
        },
      },
    });
    const id = await connectOAuth('gitlab-proxy', 'u_gitlab');
    const before = gl.refreshCount();
    const r = await api(`/v1/proxy/${id}/user`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(gl.refreshCount() - before).toBe(1);
    const sent = gl.requests.filter((q) => q.path.endsWith('/user')).at(-1);
    expect(sent?.headers.authorization).toMatch(/^Bearer /);
  });
});
