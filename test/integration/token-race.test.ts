import { afterAll, beforeAll, expect, it } from 'vitest';
import { SHARE_WINDOW_MS } from '../../core/connections/tokens';
import { type GitLabFake, startGitLabFake } from '../fakes/gitlab';
import { newBrowser } from './browser';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * 50 concurrent forced refreshes against a provider whose refresh tokens rotate and are
 * single-use: exactly one refresh reaches the provider, all 50 callers get the same new
 * token, none fails. A second refresh with the already-used refresh token would have
 * been refused by the provider (invalid_grant) and expired the connection.
 */
const REDIRECT = 'https://app.acme.com/done';
let h: Harness;
let fake: GitLabFake;
let connectionId: string;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitLabFake();
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gitlab',
      provider: 'gitlab',
      oauth_client_id: fake.oauthClient.clientId,
      oauth_client_secret: fake.oauthClient.clientSecret,
      endpoints: {
        authorization_url: fake.authorizationUrl,
        token_url: fake.tokenUrl,
        api_base_url: fake.apiBaseUrl,
      },
    },
  });
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration: 'gitlab', end_user_id: 'u_race', redirect_url: REDIRECT },
  });
  const back = await newBrowser().connect(s.body.data.auth_url);
  connectionId = back.searchParams.get('connection_id') as string;
  expect(connectionId).toMatch(/^conn_/);
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

it('50 concurrent force_refresh calls → 1 refresh at the provider, 50 identical new tokens, 0 errors', async () => {
  const original: Json = (await api(`/v1/connections/${connectionId}/token`)).body.data;
  const before = fake.refreshCount();
  const answers = await Promise.all(
    Array.from({ length: 50 }, () => api(`/v1/connections/${connectionId}/token?force_refresh=true`)),
  );
  expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  const tokens = new Set(answers.map((a) => a.body.data.access_token as string));
  expect(tokens.size).toBe(1);
  expect(tokens.has(original.access_token)).toBe(false);
  expect(fake.refreshCount() - before).toBe(1);
  // A forced call just after shares that refresh…
  const shared = await api(`/v1/connections/${connectionId}/token?force_refresh=true`);
  expect(shared.body.data.access_token).toBe([...tokens][0]);
  expect(fake.refreshCount() - before).toBe(1);
  // …and once the share window has passed, the rotated refresh token (saved before any
  // caller saw the new access token) refreshes again.
  await new Promise((r) => setTimeout(r, SHARE_WINDOW_MS + 100));
  const again = await api(`/v1/connections/${connectionId}/token?force_refresh=true`);
  expect(again.status).toBe(200);
  expect(fake.refreshCount() - before).toBe(2);
  expect((await api(`/v1/connections/${connectionId}`)).body.data.status).toBe('active');
});

it('a token expiring within five minutes is refreshed on a plain call; a fresh one is not', async () => {
  // A GitLab whose access tokens live four minutes: inside the five-minute margin.
  const shortLived = await startGitLabFake({ accessTokenTtlSeconds: 240 });
  try {
    await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'gitlab-short',
        provider: 'gitlab',
        oauth_client_id: shortLived.oauthClient.clientId,
        oauth_client_secret: shortLived.oauthClient.clientSecret,
        endpoints: {
          authorization_url: shortLived.authorizationUrl,
          token_url: shortLived.tokenUrl,
          api_base_url: shortLived.apiBaseUrl,
        },
      },
    });
    const s = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'gitlab-short', end_user_id: 'u_short', redirect_url: REDIRECT },
    });
    const back = await newBrowser().connect(s.body.data.auth_url);
    const id = back.searchParams.get('connection_id') as string;
    const c: Json = (await api(`/v1/connections/${id}`)).body.data;
    expect(Date.parse(c.credentials.expires_at) - Date.now()).toBeLessThan(5 * 60_000);

    const before = shortLived.refreshCount();
    const t: Json = (await api(`/v1/connections/${id}/token`)).body.data;
    expect(shortLived.refreshCount() - before).toBe(1);
    expect(Date.parse(t.expires_at)).toBeGreaterThan(Date.now());

    // The long-lived GitLab of the first test: a plain call leaves its token alone.
    const steady = fake.refreshCount();
    await api(`/v1/connections/${connectionId}/token`);
    expect(fake.refreshCount()).toBe(steady);
  } finally {
    await shortLived.stop();
  }
});
