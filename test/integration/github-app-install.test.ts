import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { type Browser, newBrowser } from './browser';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * GitHub App installs through core: the session's auth_url (/v1/connect/start) sends the
 * browser to the app's install URL with a binding cookie; the app
 * asks for user authorization during installation, so GitHub calls back with `code`,
 * `installation_id` and `setup_action`; the installation is taken only if the user the code
 * belongs to can access it (GET /user/installations with their user token), then verified with
 * an app JWT; the token endpoint mints installation tokens and keeps them until shortly before
 * they expire.
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
  // A GitHub App: its OAuth client issues expiring user tokens; its callback URL is ours.
  fake = await startGitHubFake({
    appPublicKey: keys.publicKey,
    userTokensExpire: true,
    redirectUris: [`${h.gateway.url}/v1/oauth/callback`],
  });
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  const r = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-app',
      provider: 'github',
      oauth_client_id: fake.oauthClient.clientId,
      oauth_client_secret: fake.oauthClient.clientSecret,
      app: { app_id: fake.appId, slug: 'acme-sync', private_key: sensitive(keys.privateKey) },
      endpoints: { api_base_url: fake.apiBaseUrl, token_url: fake.tokenUrl },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  // User B, of another organization, with the app installed there.
  fake.addUser('octo-globex', { org: 'globex' });
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

const connections = async (endUser: string) =>
  (await api(`/v1/connections?end_user_id=${endUser}`)).body.data.connections as Json[];

type Started = { installUrl: URL; browser: Browser };

/** A session for `endUser`, started in a browser: the app's install URL it is sent to. */
const startInstall = async (endUser: string): Promise<Started> => {
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    // The integration has the app's OAuth client too, so the install flow is asked for by name.
    body: { integration: 'gh-app', end_user_id: endUser, redirect_url: REDIRECT, auth_mode: 'app_install' },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const browser = newBrowser();
  const start = await browser.open(s.body.data.auth_url);
  expect(start.status, start.body).toBe(302);
  const installUrl = new URL(start.location as string);
  expect(installUrl.origin + installUrl.pathname).toBe('https://github.com/apps/acme-sync/installations/new');
  return { installUrl, browser };
};

/** What `login` does at GitHub (the fake standing in for github.com): install, come back with GitHub's query. */
const installAtGitHub = async (started: Started, login: string, installOn?: string) => {
  fake.signIn(login, installOn ? { installOn } : {});
  const res = await fetch(`${fake.url}${started.installUrl.pathname}${started.installUrl.search}`, {
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location') as string);
  expect(back.origin + back.pathname).toBe(`${h.gateway.url}/v1/oauth/callback`);
  return back.searchParams;
};

/** The callback, from the browser that started the session; where it sends the user. */
const callback = async (started: Started, params: URLSearchParams) => {
  const res = await started.browser.open(`${h.gateway.url}/v1/oauth/callback?${params}`);
  expect(res.status).toBe(302);
  return new URL(res.location as string);
};

/** Start, install as `login`, come back: where the callback sends the user. */
const installAs = async (endUser: string, login: string, installOn?: string) => {
  const started = await startInstall(endUser);
  return callback(started, await installAtGitHub(started, login, installOn));
};

it('connects an installation and answers installation tokens, minted once and kept', async () => {
  const started = await startInstall('u_org');
  const params = await installAtGitHub(started, 'octo-acme');
  expect(params.get('code')).toBeTruthy();
  expect(params.get('installation_id')).toBe(fake.installationId);
  const back = await callback(started, params);
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

describe('an installation id that is not the installing user’s (install hijack)', () => {
  it("user A's session with user B's installation id → installation_not_yours, nothing stored; A's own id works", async () => {
    // User B installs the app on their organization: an id like any other, one more than the last.
    const bInstall = await installAtGitHub(await startInstall('u_b'), 'octo-globex');
    const victimInstallation = bInstall.get('installation_id') as string;
    expect(victimInstallation).not.toBe(fake.installationId);

    // User A installs on their own organization, then swaps in B's installation id.
    const aStarted = await startInstall('u_a');
    const aParams = await installAtGitHub(aStarted, 'octo-acme');
    const forged = new URLSearchParams(aParams);
    forged.set('installation_id', victimInstallation);
    const refused = await callback(aStarted, forged);
    expect(refused.searchParams.get('status')).toBe('error');
    expect(refused.searchParams.get('error')).toBe('installation_not_yours');
    expect(refused.searchParams.get('connection_id')).toBeNull();
    expect(await connections('u_a')).toEqual([]);

    // Without any code at all: the Setup-URL shape the hijack used, with B's id.
    const bare = await startInstall('u_a');
    const noCode = await callback(
      bare,
      new URLSearchParams({
        state: bare.installUrl.searchParams.get('state') as string,
        installation_id: victimInstallation,
        setup_action: 'install',
      }),
    );
    expect(noCode.searchParams.get('error')).toBe('installation_not_yours');
    expect(await connections('u_a')).toEqual([]);

    // A's own installation, through a fresh session, connects.
    const own = await installAs('u_a', 'octo-acme');
    expect(own.searchParams.get('status'), own.toString()).toBe('success');
    const mine = await connections('u_a');
    expect(mine).toHaveLength(1);
    expect(mine[0].provider_account).toEqual(fake.installationAccount);
  });

  it('finds the user’s installation on a later page of GET /user/installations', async () => {
    // A can access 150 other installations of the app; the new one comes last.
    for (let i = 0; i < 150; i++) fake.addInstallation(`acme-team-${i}`, { members: ['octo-acme'] });
    const before = fake.requests.filter((r) => r.path === '/user/installations').length;
    const back = await installAs('u_many', 'octo-acme', 'acme-labs');
    expect(back.searchParams.get('status'), back.toString()).toBe('success');
    expect((await connections('u_many'))[0].provider_account.name).toBe('acme-labs');
    expect(fake.requests.filter((r) => r.path === '/user/installations').length - before).toBe(2);
  });

  it('an installation that does not exist → installation_not_yours, nothing created', async () => {
    const started = await startInstall('u_org');
    const params = await installAtGitHub(started, 'octo-acme');
    const before = (await connections('u_org')).length;
    params.set('installation_id', '999999999');
    const back = await callback(started, params);
    expect(back.searchParams.get('error')).toBe('installation_not_yours');
    expect((await connections('u_org')).length).toBe(before);
  });

  it('a code GitHub will not exchange → token_exchange_failed, nothing created', async () => {
    const started = await startInstall('u_org');
    const params = await installAtGitHub(started, 'octo-acme');
    const before = (await connections('u_org')).length;
    params.set('code', 'not-a-code-github-issued');
    const back = await callback(started, params);
    expect(back.searchParams.get('error')).toBe('token_exchange_failed');
    expect((await connections('u_org')).length).toBe(before);
  });
});
