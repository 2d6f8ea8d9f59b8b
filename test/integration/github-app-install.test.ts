import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * GitHub App installs through core: the session's auth_url is the app's install URL;
 * GitHub calls back with installation_id + setup_action; the connection is verified with
 * an app JWT; the token endpoint mints installation tokens and keeps them until shortly
 * before they expire.
 */
const REDIRECT = 'https://app.acme.com/done';
let h: Harness;
let fake: GitHubFake;
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

beforeAll(async () => {
  h = await startHarness();
  const keys = generateAppKeyPair();
  fake = await startGitHubFake({ appPublicKey: keys.publicKey });
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  const r = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-app',
      provider: 'github',
      app: { app_id: fake.appId, slug: 'acme-sync', private_key: sensitive(keys.privateKey) },
      endpoints: { api_base_url: fake.apiBaseUrl },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

const install = async (installationId: string) => {
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration: 'gh-app', end_user_id: 'u_org', redirect_url: REDIRECT },
  });
  const authUrl = new URL(s.body.data.auth_url);
  expect(authUrl.origin + authUrl.pathname).toBe('https://github.com/apps/acme-sync/installations/new');
  // What GitHub does after the user installs the app: back to the Setup URL.
  const params = new URLSearchParams({
    installation_id: installationId,
    setup_action: 'install',
    state: authUrl.searchParams.get('state') as string,
  });
  const res = await fetch(`${h.gateway.url}/v1/oauth/callback?${params}`, { redirect: 'manual' });
  return new URL(res.headers.get('location') as string);
};

it('connects an installation and answers installation tokens, minted once and kept', async () => {
  const back = await install(fake.installationId);
  expect(back.searchParams.get('status'), back.toString()).toBe('success');
  const id = back.searchParams.get('connection_id') as string;
  const c: Json = (await api(`/v1/connections/${id}`)).body.data;
  expect(c).toMatchObject({
    status: 'active',
    credentials: { type: 'app_install' },
    provider_account: fake.installationAccount,
  });

  const before = fake.installationTokenCount();
  const t: Json = (await api(`/v1/connections/${id}/token`)).body.data;
  expect(t.type).toBe('bearer');
  expect(Date.parse(t.expires_at) - Date.now()).toBeGreaterThan(50 * 60_000);
  // The token works at GitHub as an installation token.
  const repos = await fetch(`${fake.apiBaseUrl}/installation/repositories`, {
    headers: {
      authorization: `Bearer ${t.access_token}`,
      'user-agent': 'test',
      accept: 'application/vnd.github+json',
    },
  });
  expect(repos.status).toBe(200);
  // Kept until shortly before it expires: no new mint on the next calls.
  for (let i = 0; i < 3; i++) {
    expect(((await api(`/v1/connections/${id}/token`)).body.data as Json).access_token).toBe(t.access_token);
  }
  expect(fake.installationTokenCount() - before).toBe(1);
});

it('an unknown installation → token_exchange_failed, nothing created', async () => {
  const before = (await api('/v1/connections?end_user_id=u_org')).body.data.connections.length;
  const back = await install('999999999');
  expect(back.searchParams.get('error')).toBe('token_exchange_failed');
  expect((await api('/v1/connections?end_user_id=u_org')).body.data.connections.length).toBe(before);
});
