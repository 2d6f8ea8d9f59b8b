import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { freePort } from '../../local/counterparts';
import { generateAppKeyPair } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { type Browser, newBrowser } from './browser';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

let h: Harness;
const REDIRECT = 'https://app.acme.com/settings/integrations?tab=apps';
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
type Session = {
  id: string;
  auth_url: string;
  expires_at: string;
  /** The browser that opened auth_url, holding its cookie. */
  browser: Browser;
  /** Where /v1/connect/start sent it: the provider's authorization or install URL. */
  url: URL;
  state: string;
  setCookie: string;
};
/** Opens a session and starts it in a new browser, as the user clicking "Connect" would. */
const session = async (integration: string, extra: Record<string, unknown> = {}): Promise<Session> => {
  const r = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: 'u_42', redirect_url: REDIRECT, ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const browser = newBrowser();
  const start = await browser.open(r.body.data.auth_url);
  expect(start.status, start.body).toBe(302);
  const url = new URL(start.location as string);
  return {
    ...r.body.data,
    browser,
    url,
    state: url.searchParams.get('state') as string,
    setCookie: start.headers.getSetCookie().join('\n'),
  };
};
/**
 * Calls the public callback as the provider's redirect would, from `browser` (its cookies
 * sent) or from nowhere (no cookie); returns where we are sent.
 */
const callback = async (params: Record<string, string>, browser?: Browser) => {
  const url = `${h.gateway.url}/v1/oauth/callback?${new URLSearchParams(params)}`;
  const res = await (browser ?? newBrowser()).open(url);
  const body: Json = res.status === 302 ? null : JSON.parse(res.body);
  return { status: res.status, location: res.location ?? null, body };
};
const connectionCount = async () =>
  (await api('/v1/connections?end_user_id=u_42')).body.data.connections.length;

beforeAll(async () => {
  h = await startHarness();
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  const deadPort = await freePort(); // nothing listens: any token exchange there fails
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-oauth',
      provider: 'github',
      oauth_client_id: 'Iv1.client',
      oauth_client_secret: sensitive('gh-client-secret-value-123'),
      endpoints: { token_url: `http://127.0.0.1:${deadPort}/login/oauth/access_token` },
    },
  });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'jira-oauth',
      provider: 'jira',
      oauth_client_id: 'atl-client',
      oauth_client_secret: sensitive('atl-client-secret-value-123'),
      scopes: ['read:jira-work', 'offline_access'],
    },
  });
  const appKey = sensitive(generateAppKeyPair().privateKey);
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-app',
      provider: 'github',
      // The GitHub App's own OAuth client: installs are bound to the user through it.
      oauth_client_id: 'Iv23liAcmeSync',
      oauth_client_secret: sensitive('gh-app-client-secret-value-123'),
      app: { app_id: '42', slug: 'acme-sync', private_key: appKey },
    },
  });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-app-only',
      provider: 'github',
      app: { app_id: '42', slug: 'acme-sync', private_key: appKey },
    },
  });
  await api('/v1/integrations', { method: 'POST', body: { unique_key: 'linear-bare', provider: 'linear' } });
});
afterAll(() => h.stop());

const sessionKey = (id: string) => ({ pk: `CONNECT#${id}` });
const stateKey = (state: string) => ({ pk: `STATE#${createHash('sha256').update(state).digest('hex')}` });
const setItem = (key: Record<string, string>, field: string, value: string) =>
  dynamo().send(
    new UpdateCommand({
      TableName: tableName('dedupe'),
      Key: key,
      UpdateExpression: `SET ${field} = :v`,
      ExpressionAttributeValues: { ':v': value },
    }),
  );
const past = () => new Date(Date.now() - 1000).toISOString();

describe('POST /v1/connect/sessions', () => {
  it('answers connect_url, the hosted page, beside auth_url', async () => {
    const r = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'gh-oauth', end_user_id: 'u_42', redirect_url: REDIRECT },
    });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({
      auth_url: `${h.gateway.url}/v1/connect/start?session=${r.body.data.id}`,
      connect_url: `${h.gateway.url}/connect/${r.body.data.id}`,
      auth_mode: 'oauth2',
    });
  });

  it('an integration without an OAuth client gets a credentials session when the provider takes an API key; auth_url leads to the page', async () => {
    const r = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'linear-bare', end_user_id: 'u_42', redirect_url: REDIRECT },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.data.auth_mode).toBe('api_key');
    const start = await newBrowser().open(r.body.data.auth_url);
    expect(start.status).toBe(302);
    expect(start.location).toBe(r.body.data.connect_url);
    // Nothing to bind: no cookie for a form.
    expect(start.headers.getSetCookie()).toEqual([]);
  });

  it('answers an auth_url on our own /v1/connect/start, which redirects with state, PKCE S256, scopes and our callback', async () => {
    const s = await session('gh-oauth', { scopes: ['repo'] });
    expect(s.id).toMatch(/^cs_[0-9a-z]{26}$/);
    expect(s.auth_url).toBe(`${h.gateway.url}/v1/connect/start?session=${s.id}`);
    expect(s.url.origin + s.url.pathname).toBe('https://github.com/login/oauth/authorize');
    const p = s.url.searchParams;
    expect(p.get('client_id')).toBe('Iv1.client');
    expect(p.get('redirect_uri')).toBe(`${h.gateway.url}/v1/oauth/callback`);
    expect(p.get('scope')).toBe('repo');
    expect(p.get('response_type')).toBe('code');
    expect(p.get('state')).toMatch(/^[\w-]{43}$/);
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('code_challenge_method')).toBe('S256');
    const left = Date.parse(s.expires_at) - Date.now();
    expect(left).toBeGreaterThan(9 * 60_000);
    expect(left).toBeLessThanOrEqual(10 * 60_000);
  });

  it("uses the integration's scopes, then the provider's extra parameters (Atlassian)", async () => {
    const p = (await session('jira-oauth')).url.searchParams;
    expect(p.get('scope')).toBe('read:jira-work offline_access');
    expect(p.get('audience')).toBe('api.atlassian.com');
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('code_challenge')).toBeNull(); // Atlassian 3LO has no PKCE
  });

  it('a GitHub App integration gets the install URL', async () => {
    const s = await session('gh-app', { auth_mode: 'app_install' });
    expect(s.url.origin + s.url.pathname).toBe('https://github.com/apps/acme-sync/installations/new');
    expect(s.url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
  });

  it("refuses an app install without the app's OAuth client, naming what is missing", async () => {
    const e = expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'gh-app-only', end_user_id: 'u', redirect_url: REDIRECT },
      }),
      422,
      'validation_failed',
    );
    expect(e.details.issues[0].path).toBe('body.integration');
    expect(e.details.issues[0].message).toContain('oauth_client_id, oauth_client_secret');
  });

  it('refuses a redirect_url that is not exactly on the allow-list', async () => {
    for (const redirect_url of [
      'https://app.acme.com/settings/integrations',
      `${REDIRECT}&x=1`,
      'https://evil.example/cb',
      REDIRECT.toUpperCase(),
    ]) {
      const e = expectError(
        await api('/v1/connect/sessions', {
          method: 'POST',
          body: { integration: 'gh-oauth', end_user_id: 'u', redirect_url },
        }),
        422,
        'validation_failed',
      );
      expect(e.details.issues[0].path).toBe('body.redirect_url');
    }
  });

  it('refuses OAuth for an integration without an OAuth client, an unknown one, and no end user', async () => {
    const e = expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'linear-bare', end_user_id: 'u', redirect_url: REDIRECT, auth_mode: 'oauth2' },
      }),
      422,
      'validation_failed',
    );
    expect(e.details.issues[0].path).toBe('body.integration');
    // Datadog takes no OAuth at all, nor basic credentials.
    await api('/v1/integrations', { method: 'POST', body: { unique_key: 'dd-bare', provider: 'datadog' } });
    for (const auth_mode of ['oauth2', 'basic', 'app_install']) {
      expectError(
        await api('/v1/connect/sessions', {
          method: 'POST',
          body: { integration: 'dd-bare', end_user_id: 'u', redirect_url: REDIRECT, auth_mode },
        }),
        422,
        'validation_failed',
      );
    }
    expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'nope', end_user_id: 'u', redirect_url: REDIRECT },
      }),
      400,
      'integration_not_configured',
    );
    expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'gh-oauth', redirect_url: REDIRECT },
      }),
      422,
      'validation_failed',
    );
  });
});

describe('GET /v1/connect/start', () => {
  it('sets a __Host- cookie (Secure, HttpOnly, SameSite=Lax, Path=/) for the session, through the gateway', async () => {
    const s = await session('gh-oauth');
    const [cookie, ...more] = s.setCookie.split('\n');
    expect(more).toEqual([]);
    const [pair, ...attributes] = (cookie as string).split('; ');
    expect(pair).toMatch(new RegExp(`^__Host-${s.id}=[\\w-]{43}$`));
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'Secure', 'HttpOnly', 'SameSite=Lax']));
    expect(attributes.some((a) => a.startsWith('Domain='))).toBe(false);
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice('Max-Age='.length));
    expect(maxAge).toBeGreaterThan(9 * 60);
    expect(maxAge).toBeLessThanOrEqual(10 * 60);
    expect(s.browser.cookies(h.gateway.url).get(`__Host-${s.id}`)).toBeTruthy();
  });

  it('each start is a new authorization: a new state and PKCE challenge, and a new cookie', async () => {
    const s = await session('gh-oauth');
    const again = await s.browser.open(s.auth_url);
    const second = new URL(again.location as string).searchParams;
    expect(second.get('state')).not.toBe(s.state);
    expect(second.get('code_challenge')).not.toBe(s.url.searchParams.get('code_challenge'));
    // The newest start wins in this browser: the first state no longer matches its cookie.
    const stale = await callback({ state: s.state, code: 'x' }, s.browser);
    expect(new URL(stale.location as string).searchParams.get('error')).toBe('session_mismatch');
  });

  it('two sessions in one browser keep a cookie each; both are sent and each callback finds its own', async () => {
    const browser = newBrowser();
    const states: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'gh-oauth', end_user_id: 'u_42', redirect_url: REDIRECT },
      });
      const start = await browser.open(r.body.data.auth_url);
      states.push(new URL(start.location as string).searchParams.get('state') as string);
    }
    expect(browser.cookies(h.gateway.url).size).toBe(2);
    for (const state of states) {
      const r = await callback({ state, error: 'access_denied' }, browser);
      expect(new URL(r.location as string).searchParams.get('error')).toBe('access_denied');
    }
  });

  it('an unknown session → 404 not_found; a malformed one → 422', async () => {
    const unknown = await call(h.gateway.url, '/v1/connect/start?session=cs_01jzzzzzzzzzzzzzzzzzzzzzzz');
    expectError(unknown, 404, 'not_found');
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expectError(await call(h.gateway.url, '/v1/connect/start?session=conn_123'), 422, 'validation_failed');
    expectError(await call(h.gateway.url, '/v1/connect/start'), 422, 'validation_failed');
  });

  it('an expired session → 410 state_expired, no cookie, no redirect', async () => {
    const r = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'gh-oauth', end_user_id: 'u_42', redirect_url: REDIRECT },
    });
    await setItem(sessionKey(r.body.data.id), 'valid_until', past());
    const late = await call(
      h.gateway.url,
      new URL(r.body.data.auth_url).pathname + new URL(r.body.data.auth_url).search,
    );
    expectError(late, 410, 'state_expired');
    expect(late.headers.get('set-cookie')).toBeNull();
    expect(late.headers.get('location')).toBeNull();
  });
});

describe('GET /v1/oauth/callback error paths — each redirects with its error and creates nothing', () => {
  const expectRedirect = (location: string | null, error: string) => {
    const u = new URL(location as string);
    expect(u.origin + u.pathname).toBe('https://app.acme.com/settings/integrations');
    expect(u.searchParams.get('tab')).toBe('apps'); // the app's own query survives
    expect(u.searchParams.get('status')).toBe('error');
    expect(u.searchParams.get('error')).toBe(error);
    expect(u.searchParams.get('connection_id')).toBeNull();
  };

  it('access_denied: the user said no at the provider', async () => {
    const before = await connectionCount();
    const s = await session('gh-oauth');
    const r = await callback(
      {
        state: s.state,
        error: 'access_denied',
        error_description: 'The user has denied your application access.',
      },
      s.browser,
    );
    expect(r.status).toBe(302);
    expectRedirect(r.location, 'access_denied');
    expect(await connectionCount()).toBe(before);
  });

  it('token_exchange_failed: the provider would not exchange the code', async () => {
    const before = await connectionCount();
    const s = await session('gh-oauth');
    const r = await callback({ state: s.state, code: 'some-code' }, s.browser);
    expectRedirect(r.location, 'token_exchange_failed');
    expect(await connectionCount()).toBe(before);
  });

  it('invalid_state: a replayed state is refused', async () => {
    const s = await session('gh-oauth');
    await callback({ state: s.state, error: 'access_denied' }, s.browser);
    const before = await connectionCount();
    const replay = await callback({ state: s.state, code: 'another-code' }, s.browser);
    expectRedirect(replay.location, 'invalid_state');
    expect(await connectionCount()).toBe(before);
  });

  it('state_expired: the user came back after ten minutes', async () => {
    const s = await session('gh-oauth');
    // Age it as ten minutes would (the state is stored only as its hash).
    await setItem(stateKey(s.state), 'valid_until', past());
    const before = await connectionCount();
    const r = await callback({ state: s.state, code: 'late-code' }, s.browser);
    expectRedirect(r.location, 'state_expired');
    expect(await connectionCount()).toBe(before);
  });

  it('session_mismatch: a valid state from a browser without the cookie, or with another one; the state is not spent', async () => {
    const s = await session('gh-oauth');
    const before = await connectionCount();
    // No cookie at all: the state alone (leaked in a log, a Referer, a forwarded link).
    expectRedirect((await callback({ state: s.state, code: 'c' })).location, 'session_mismatch');
    // Another browser that started the same session: its own cookie, not this state's.
    const other = newBrowser();
    await other.open(s.auth_url);
    expectRedirect((await callback({ state: s.state, code: 'c' }, other)).location, 'session_mismatch');
    // The cookie of another session, renamed to this one's: still not this state's nonce.
    const o = await session('gh-oauth');
    const nonce = o.browser.cookies(h.gateway.url).get(`__Host-${o.id}`) as string;
    const res = await fetch(
      `${h.gateway.url}/v1/oauth/callback?${new URLSearchParams({ state: s.state, code: 'c' })}`,
      {
        redirect: 'manual',
        headers: { cookie: `__Host-${s.id}=${nonce}` },
      },
    );
    expectRedirect(res.headers.get('location'), 'session_mismatch');
    expect(await connectionCount()).toBe(before);
    // Not consumed: the browser that started it still gets its own answer (here the exchange fails).
    expectRedirect(
      (await callback({ state: s.state, code: 'c' }, s.browser)).location,
      'token_exchange_failed',
    );
  });

  it('an unknown or missing state: nowhere safe to redirect → 422 in the envelope', async () => {
    const r = await callback({ state: 'never-issued', code: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
    const none = await callback({ code: 'x' });
    expect(none.status).toBe(422);
  });

  it('a GitHub App install that awaits an owner’s approval → access_denied', async () => {
    const s = await session('gh-app', { auth_mode: 'app_install' });
    const r = await callback({ state: s.state, setup_action: 'request' }, s.browser);
    expectRedirect(r.location, 'access_denied');
  });
});
