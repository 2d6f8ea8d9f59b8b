import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { type DatadogFake, startDatadogFake } from '../fakes/datadog';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { newBrowser } from './browser';
import { call, checkedFetch, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * The connect page's routes over HTTP (the browser tests drive the same pages in Chromium):
 * the credentials route and its session rules, the pages' states and headers, the form
 * without its script, and the CORS and Origin rules of the API.
 */
let h: Harness;
let dd: DatadogFake;
let gh: GitHubFake;
const REDIRECT = 'https://app.acme.com/settings/integrations';

const api = (
  path: string,
  init: { method?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {},
) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
/** A public request, as the connect page's script makes it: no key. */
const open = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  call(h.gateway.url, path, {
    ...(init.method ? { method: init.method } : {}),
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
const page = async (path: string, init: RequestInit = {}) => {
  const res = await checkedFetch(`${h.gateway.url}${path}`, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
};
const session = async (integration: string, extra: Record<string, unknown> = {}) => {
  const r = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: 'u_page', workspace_id: 'ws_page', redirect_url: REDIRECT, ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as { id: string; auth_url: string; connect_url: string; auth_mode: string };
};
const credentialsOf = (id: string, body: unknown) =>
  open(`/v1/connect/sessions/${id}/credentials`, { method: 'POST', body });
const setSession = (id: string, field: string, value: unknown) =>
  dynamo().send(
    new UpdateCommand({
      TableName: tableName('dedupe'),
      // The store's key layout, written out as the other session tests do.
      Key: { pk: `CONNECT#${id}` },
      UpdateExpression: `SET ${field} = :v`,
      ExpressionAttributeValues: { ':v': value },
    }),
  );
const wrongKey = (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;

beforeAll(async () => {
  h = await startHarness();
  [dd, gh] = await Promise.all([startDatadogFake(), startGitHubFake()]);
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'dd-page', provider: 'datadog', endpoints: { api_base_url: dd.apiBaseUrl } },
  });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-page',
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
});
afterAll(async () => {
  await h.stop();
  await Promise.all([dd.stop(), gh.stop()]);
});

describe('POST /v1/connect/sessions/{id}/credentials', () => {
  it('points a refusal at the refused key, keeps the session open, then connects and spends it', async () => {
    const s = await session('dd-page');
    expect(s.auth_mode).toBe('api_key');
    const valid = dd.valid as { api_key: string; app_key: string };

    const badApi = expectError(
      await credentialsOf(s.id, {
        credentials: { api_key: wrongKey(valid.api_key), app_key: valid.app_key },
      }),
      422,
      'validation_failed',
    );
    expect(badApi.details.issues).toEqual([
      { path: 'body.credentials.api_key', message: expect.stringContaining('API key') },
    ]);
    const badApp = expectError(
      await credentialsOf(s.id, {
        credentials: { api_key: valid.api_key, app_key: wrongKey(valid.app_key) },
      }),
      422,
      'validation_failed',
    );
    expect(badApp.details.issues[0].path).toBe('body.credentials.app_key');
    const badSite = expectError(
      await credentialsOf(s.id, { credentials: valid, config: { site: 'datadog.example' } }),
      422,
      'validation_failed',
    );
    expect(badSite.details.issues[0].path).toBe('body.config.site');
    expect(
      (await api('/v1/connections?end_user_id=u_page&integration=dd-page')).body.data.connections,
    ).toEqual([]);

    const ok = await credentialsOf(s.id, { credentials: { type: 'api_key', ...valid } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.data).toMatchObject({
      integration: 'dd-page',
      provider: 'datadog',
      status: 'active',
      end_user_id: 'u_page',
      workspace_id: 'ws_page',
      provider_account: dd.account,
      credentials: { type: 'api_key' },
    });
    expect(JSON.stringify(ok.body)).not.toContain(valid.api_key);

    // Single use: the session is spent, whatever is sent next.
    expectError(await credentialsOf(s.id, { credentials: valid }), 410, 'invalid_state');
    const listed = await api('/v1/connections?end_user_id=u_page&integration=dd-page');
    expect(listed.body.data.connections.map((c: Json) => c.id)).toEqual([ok.body.data.id]);
    // Its page says it was used; its result says connected.
    expect((await page(`/connect/${s.id}`)).status).toBe(410);
    const done = await page(`/connect/${s.id}/done`);
    expect(done.status).toBe(200);
    expect(done.body).toContain(`data-connection-id="${ok.body.data.id}"`);
    expect(done.body).toContain(
      `content="2;url=${REDIRECT}?status=success&amp;connection_id=${ok.body.data.id}"`,
    );

    // The same account again, through a new session: that connection refreshed, not a second (200).
    const again = await session('dd-page');
    const re = await credentialsOf(again.id, { credentials: { type: 'api_key', ...valid } });
    expect(re.status, JSON.stringify(re.body)).toBe(200);
    expect(re.body.data).toMatchObject({
      id: ok.body.data.id,
      status: 'active',
      provider_account: dd.account,
    });
    const relisted = await api('/v1/connections?end_user_id=u_page&integration=dd-page');
    expect(relisted.body.data.connections.map((c: Json) => c.id)).toEqual([ok.body.data.id]);
  });

  it('refuses what does not fit the session: unknown, OAuth, another type, unknown fields, expired, too many tries', async () => {
    expectError(await credentialsOf('cs_00000000000000000000000000', { credentials: {} }), 404, 'not_found');
    expectError(await credentialsOf('nope', { credentials: {} }), 422, 'validation_failed');

    const oauth = await session('gh-page');
    const e1 = expectError(
      await credentialsOf(oauth.id, { credentials: { api_key: 'x' } }),
      422,
      'validation_failed',
    );
    expect(e1.details.issues[0].path).toBe('path.id');

    const s = await session('dd-page');
    const e2 = expectError(
      await credentialsOf(s.id, { credentials: { type: 'basic', username: 'a', password: 'b' } }),
      422,
      'validation_failed',
    );
    expect(e2.details.issues[0].path).toBe('body.credentials.type');
    const e3 = expectError(
      await credentialsOf(s.id, { credentials: { api_key: 'k', app_key: 'a', token: 't' } }),
      422,
      'validation_failed',
    );
    expect(e3.details.issues).toEqual([
      { path: 'body.credentials.token', message: 'Not a field of this provider.' },
    ]);
    const e4 = expectError(await credentialsOf(s.id, { credentials: {} }), 422, 'validation_failed');
    expect(e4.details.issues[0].path).toBe('body.credentials.api_key');
    expectError(
      await open(`/v1/connect/sessions/${s.id}/credentials`, { method: 'POST', body: '{' }),
      400,
      'invalid_json',
    );

    // Ten tries reach the provider; the eleventh does not.
    const tries = await session('dd-page');
    const before = dd.requests.length;
    for (let i = 0; i < 10; i++) {
      expectError(
        await credentialsOf(tries.id, { credentials: { api_key: `wrong-${i}`, app_key: 'x' } }),
        422,
        'validation_failed',
      );
    }
    const valid = dd.valid as { api_key: string; app_key: string };
    const over = expectError(await credentialsOf(tries.id, { credentials: valid }), 410, 'invalid_state');
    expect(over.message).toContain('10 attempts');
    expect(dd.requests.length - before).toBe(10);

    const late = await session('dd-page');
    await setSession(late.id, 'valid_until', new Date(Date.now() - 1000).toISOString());
    expectError(await credentialsOf(late.id, { credentials: valid }), 410, 'state_expired');
    expect((await page(`/connect/${late.id}`)).status).toBe(410);
  });
});

describe('GET /connect/{session_id}', () => {
  const noInlineCode = (html: string) => {
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style/i);
  };
  const strictHeaders = (headers: Headers) => {
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('access-control-allow-origin')).toBeNull();
  };

  it('renders a form from the credential fields and config schema, with help, a docs link and masked secrets', async () => {
    const s = await session('dd-page');
    const r = await page(`/connect/${s.id}`);
    expect(r.status).toBe(200);
    strictHeaders(r.headers);
    noInlineCode(r.body);
    expect(r.body).toContain('<h1>Connect Datadog</h1>');
    expect(r.body).toMatch(/<label for="f-credentials-api_key">API key<\/label>/);
    expect(r.body).toMatch(
      /<input id="f-credentials-api_key" name="credentials.api_key"[^>]* required[^>]* type="password"/,
    );
    expect(r.body).toMatch(
      /<input id="f-credentials-app_key" name="credentials.app_key"[^>]* type="password"/,
    );
    expect(r.body).toContain('Organization Settings → API Keys.');
    expect(r.body).toContain('href="https://docs.datadoghq.com/account_management/api-app-keys/"');
    expect(r.body).toMatch(
      /<select id="f-config-site" name="config.site"[^>]*><option value="">Default<\/option><option value="datadoghq.com">/,
    );
    expect(r.body).toContain('role="alert" aria-live="assertive"');
    // Its stylesheet and script, from this origin, at their current versions.
    const css = /href="(assets\/connect\.css\?v=[\w-]+)"/.exec(r.body)?.[1] as string;
    const js = /src="(assets\/connect-page\.js\?v=[\w-]+)"/.exec(r.body)?.[1] as string;
    const cssRes = await page(`/connect/${css}`);
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(cssRes.headers.get('cache-control')).toContain('immutable');
    const jsRes = await page(`/connect/${js}`);
    expect(jsRes.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(jsRes.body).toContain('postMessage');
  });

  it('an OAuth session: the scopes in plain words, and a Connect link to its auth_url that comes back to the page', async () => {
    const s = await session('gh-page', { scopes: ['repo', 'user:email'] });
    const r = await page(`/connect/${s.id}`);
    expect(r.status).toBe(200);
    strictHeaders(r.headers);
    noInlineCode(r.body);
    expect(r.body).toContain('Read and write code, issues and pull requests');
    expect(r.body).toContain('<li><code class="scope">user:email</code></li>'); // no description: the raw scope
    const href = /<a class="button" id="connect" href="([^"]+)"/
      .exec(r.body)?.[1]
      ?.replaceAll('&amp;', '&') as string;
    expect(href).toBe(`${s.auth_url}&display=page`);

    // The round trip from the page ends on the page's result (popup: posting to the opener).
    const popup = await page(`/connect/${s.id}?display=popup`);
    const popupHref = /id="connect" href="([^"]+)"/.exec(popup.body)?.[1]?.replaceAll('&amp;', '&') as string;
    const back = await newBrowser().connect(popupHref);
    expect(back.toString()).toBe(`${s.connect_url}/done?display=popup`);
    const done = await page(`/connect/${s.id}/done?display=popup`);
    expect(done.body).toContain('data-status="success"');
    expect(done.body).toContain('data-return-origin="https://app.acme.com"');
    expect(done.body).not.toContain('http-equiv="refresh"'); // the script posts and closes instead
  });

  it('unknown, expired and used sessions: a clear page, naming no provider or tenant', async () => {
    const unknown = await page('/connect/cs_00000000000000000000000000');
    expect(unknown.status).toBe(404);
    strictHeaders(unknown.headers);
    expect(unknown.body).toContain('This link is not valid');
    const malformed = await page('/connect/not-a-session');
    expect(malformed.status).toBe(404);
    expect(malformed.body).toBe(unknown.body);

    const s = await session('dd-page');
    await setSession(s.id, 'valid_until', new Date(Date.now() - 1000).toISOString());
    const expired = await page(`/connect/${s.id}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('This link has expired');
    for (const body of [unknown.body, expired.body]) {
      expect(body).not.toMatch(/datadog|dd-page|u_page|ten_/i);
    }
    expect((await page(`/connect/${s.id}/done`)).status).toBe(410);
  });

  it('the result page believes the session, not the URL', async () => {
    const s = await session('dd-page');
    const forged = await page(`/connect/${s.id}/done?status=success&connection_id=conn_forged`);
    expect(forged.status).toBe(200);
    expect(forged.body).toContain('not finished');
    expect(forged.body).not.toContain('conn_forged');
    const odd = await page(`/connect/${s.id}/done?error=%3Cscript%3E`);
    expect(odd.body).not.toContain('<script>');
    const denied = await page(`/connect/${s.id}/done?error=access_denied`);
    expect(denied.body).toContain('data-error="access_denied"');
    expect(denied.body).toContain(`href="${s.connect_url}"`); // try again
  });

  it('without its script the form posts to the page: a refusal by its field, what was typed kept but the secret', async () => {
    const s = await session('dd-page');
    const valid = dd.valid as { api_key: string; app_key: string };
    const form = (fields: Record<string, string>) =>
      page(`/connect/${s.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const refused = await form({
      'credentials.api_key': wrongKey(valid.api_key),
      'credentials.app_key': valid.app_key,
      'config.site': 'datadoghq.com',
    });
    expect(refused.status).toBe(422);
    strictHeaders(refused.headers);
    expect(refused.body).toMatch(/aria-invalid="true"[^>]*type="password"/);
    expect(refused.body).toMatch(
      /<p class="field-error" id="f-credentials-api_key-error">Datadog rejected the API key/,
    );
    expect(refused.body).toContain('<option value="datadoghq.com" selected>');
    expect(refused.body).not.toContain(valid.app_key);
    expect(refused.body).not.toContain(wrongKey(valid.api_key));

    const ok = await form({ 'credentials.api_key': valid.api_key, 'credentials.app_key': valid.app_key });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${s.connect_url}/done`);
  });

  it('serves /connect.js to any origin, and only the page assets under /connect/assets', async () => {
    const r = await page('/connect.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.body).toContain('window.openConnect');
    expect((await page('/connect/assets/connect.js')).status).toBe(404);
    expect((await page('/connect/assets/..%2Froutes.ts')).status).toBe(404);
  });
});

describe('CORS and browsers', () => {
  const ORIGIN = 'https://app.acme.com';
  const token = async () =>
    (await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: 'u_page' } })).body.data
      .token as string;

  it('answers the preflight of an end-user route, and of no other route', async () => {
    const pre = await fetch(`${h.gateway.url}/v1/connections/conn_x`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, DELETE, OPTIONS');
    expect(pre.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, idempotency-key, x-api-version',
    );
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    expect(Number(pre.headers.get('access-control-max-age'))).toBeGreaterThan(0);

    for (const path of [
      '/v1/integrations',
      '/v1/connections/conn_x/token',
      `/v1/connect/sessions/cs_x/credentials`,
    ]) {
      const r = await fetch(`${h.gateway.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
      });
      expect(r.status, path).toBe(404);
      expect(r.headers.get('access-control-allow-origin'), path).toBeNull();
      await r.text();
    }
  });

  it('end-user routes answer with CORS headers, errors included; secret-key routes without', async () => {
    const t = await token();
    const ok = await api('/v1/connections', { key: t, headers: { origin: ORIGIN } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = ok.headers.get('access-control-expose-headers') ?? '';
    for (const name of [
      'x-request-id',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'retry-after',
    ]) {
      expect(exposed).toContain(name);
    }
    const denied = await call(h.gateway.url, '/v1/connections', { headers: { origin: ORIGIN } });
    expectError(denied, 401, 'unauthorized');
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
    const notMine = expectError(
      await api('/v1/integrations', { key: t, headers: { origin: ORIGIN } }),
      403,
      'forbidden',
    );
    expect(notMine.message).toContain('End-user tokens');
    expect((await api('/v1/integrations')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a secret key sent from a browser, on secret-key and end-user routes alike', async () => {
    for (const path of ['/v1/integrations', '/v1/connections?end_user_id=u_page']) {
      const r = await api(path, { headers: { origin: ORIGIN } });
      const e = expectError(r, 403, 'forbidden');
      expect(e.remediation).toContain('Secret keys belong on your servers');
      // The same key from a server works.
      expect((await api(path)).status).toBe(200);
    }
    // Whether the key exists is not told: a made-up one is refused alike.
    expectError(
      await api('/v1/integrations', { key: `sk_test_${'x'.repeat(40)}`, headers: { origin: 'null' } }),
      403,
      'forbidden',
    );
  });
});
