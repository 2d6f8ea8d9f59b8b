import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { freePort } from '../../local/counterparts';
import { generateAppKeyPair } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

let h: Harness;
const REDIRECT = 'https://app.acme.com/settings/integrations?tab=apps';
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const session = async (integration: string, extra: Record<string, unknown> = {}) => {
  const r = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: 'u_42', redirect_url: REDIRECT, ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { ...r.body.data, url: new URL(r.body.data.auth_url) } as {
    id: string;
    auth_url: string;
    expires_at: string;
    url: URL;
  };
};
/** Calls the public callback as the provider's redirect would; returns where we are sent. */
const callback = async (params: Record<string, string>) => {
  const res = await fetch(`${h.gateway.url}/v1/oauth/callback?${new URLSearchParams(params)}`, {
    redirect: 'manual',
  });
  const body: Json = res.status === 302 ? null : await res.json();
  return { status: res.status, location: res.headers.get('location'), body };
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

describe('POST /v1/connect/sessions', () => {
  it('answers an auth_url with state, PKCE S256, scopes and our callback', async () => {
    const s = await session('gh-oauth', { scopes: ['repo'] });
    expect(s.id).toMatch(/^cs_/);
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

  it('refuses an integration without an OAuth client or app, an unknown one, and no end user', async () => {
    expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'linear-bare', end_user_id: 'u', redirect_url: REDIRECT },
      }),
      422,
      'validation_failed',
    );
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
    const state = (await session('gh-oauth')).url.searchParams.get('state') as string;
    const r = await callback({
      state,
      error: 'access_denied',
      error_description: 'The user has denied your application access.',
    });
    expect(r.status).toBe(302);
    expectRedirect(r.location, 'access_denied');
    expect(await connectionCount()).toBe(before);
  });

  it('token_exchange_failed: the provider would not exchange the code', async () => {
    const before = await connectionCount();
    const state = (await session('gh-oauth')).url.searchParams.get('state') as string;
    const r = await callback({ state, code: 'some-code' });
    expectRedirect(r.location, 'token_exchange_failed');
    expect(await connectionCount()).toBe(before);
  });

  it('invalid_state: a replayed state is refused', async () => {
    const state = (await session('gh-oauth')).url.searchParams.get('state') as string;
    await callback({ state, error: 'access_denied' });
    const before = await connectionCount();
    const replay = await callback({ state, code: 'another-code' });
    expectRedirect(replay.location, 'invalid_state');
    expect(await connectionCount()).toBe(before);
  });

  it('state_expired: the user came back after ten minutes', async () => {
    const state = (await session('gh-oauth')).url.searchParams.get('state') as string;
    // Age it as ten minutes would (the state is stored only as its hash).
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: { pk: `STATE#${createHash('sha256').update(state).digest('hex')}` },
        UpdateExpression: 'SET valid_until = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const before = await connectionCount();
    const r = await callback({ state, code: 'late-code' });
    expectRedirect(r.location, 'state_expired');
    expect(await connectionCount()).toBe(before);
  });

  it('an unknown or missing state: nowhere safe to redirect → 422 in the envelope', async () => {
    const r = await callback({ state: 'never-issued', code: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
    const none = await callback({ code: 'x' });
    expect(none.status).toBe(422);
  });

  it('a GitHub App install that awaits an owner’s approval → access_denied', async () => {
    const state = (await session('gh-app', { auth_mode: 'app_install' })).url.searchParams.get(
      'state',
    ) as string;
    const r = await callback({ state, setup_action: 'request' });
    expectRedirect(r.location, 'access_denied');
  });
});
