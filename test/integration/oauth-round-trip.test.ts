import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../adapters';
import { providerHttp } from '../../core/platform/provider-http';
import { startClickUpFake } from '../fakes/clickup';
import { startGitHubFake } from '../fakes/github';
import { startGitLabFake } from '../fakes/gitlab';
import { startGoogleCalendarFake } from '../fakes/google-calendar';
import { startJiraFake } from '../fakes/jira';
import { startLinearFake } from '../fakes/linear';
import { startMicrosoftTeamsFake } from '../fakes/microsoft-teams';
import { type SlackFake, startSlackFake } from '../fakes/slack';
import { newBrowser } from './browser';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Issue 4 as a new user tries it, for every OAuth provider against its fake authorization
 * server: session → follow auth_url → consent → callback → redirect with connection_id →
 * the connection is active with its provider account → the token endpoint answers a token
 * the provider accepts; after the provider expires it, a refresh brings a working one.
 */
type OAuthFake = {
  apiBaseUrl: string;
  /** Jira: OAuth calls go through the API gateway (`…/ex/jira/{cloud_id}`), not the site. */
  oauthBaseUrl?: string;
  /** Google: revokes every token, as a user removing the app's access does. */
  revokeAccess?(): void;
  authorizationUrl: string;
  tokenUrl: string;
  oauthClient: { clientId: string; clientSecret: string };
  account: { id: string; name: string };
  denyNext(): void;
  /** Absent where the provider's tokens never expire (ClickUp). */
  refreshCount?(): number;
  expireAccessTokens?(): void;
  stop(): Promise<void>;
};

const REDIRECT = 'https://app.acme.com/integrations/done';
const providers: { name: string; start: () => Promise<OAuthFake>; refreshes: boolean }[] = [
  {
    name: 'github',
    start: () => startGitHubFake({ userTokensExpire: true }) as unknown as Promise<OAuthFake>,
    refreshes: true,
  },
  { name: 'gitlab', start: () => startGitLabFake() as unknown as Promise<OAuthFake>, refreshes: true },
  { name: 'linear', start: () => startLinearFake() as unknown as Promise<OAuthFake>, refreshes: true },
  { name: 'clickup', start: () => startClickUpFake() as unknown as Promise<OAuthFake>, refreshes: false },
  { name: 'jira', start: () => startJiraFake() as unknown as Promise<OAuthFake>, refreshes: true },
  { name: 'slack', start: () => startSlackFake() as unknown as Promise<OAuthFake>, refreshes: false },
  {
    name: 'microsoft_teams',
    start: () => startMicrosoftTeamsFake() as unknown as Promise<OAuthFake>,
    refreshes: true,
  },
  {
    name: 'google_calendar',
    start: () => startGoogleCalendarFake() as unknown as Promise<OAuthFake>,
    refreshes: true,
  },
];

let h: Harness;
const fakes = new Map<string, OAuthFake>();
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/**
 * Follows the browser's journey: our start page (which sets the binding cookie), provider
 * consent, then our callback with the cookie; returns the final redirect.
 */
const connect = async (integration: string, endUser: string): Promise<URL> => {
  const s = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: endUser, redirect_url: REDIRECT },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const browser = newBrowser();
  const start = await browser.open(s.body.data.auth_url);
  expect(start.status, start.body).toBe(302);
  const consent = await browser.open(start.location as string);
  expect(consent.status).toBe(302);
  const toCallback = consent.location as string;
  expect(toCallback.startsWith(`${h.gateway.url}/v1/oauth/callback?`)).toBe(true);
  const done = await browser.open(toCallback);
  expect(done.status).toBe(302);
  return new URL(done.location as string);
};

/** The provider accepts the token: its own "who am I" answers. */
const usable = async (name: string, fake: OAuthFake, accessToken: string) => {
  const adapter = await loadAdapter(name);
  const verified = await adapter?.verifyCredentials?.({
    credentials: { type: 'oauth2', access_token: accessToken },
    config: {},
    baseUrl: fake.oauthBaseUrl ?? fake.apiBaseUrl,
    integration: {},
    http: providerHttp,
  });
  return verified?.account.id;
};

beforeAll(async () => {
  h = await startHarness();
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  for (const p of providers) {
    const fake = await p.start();
    fakes.set(p.name, fake);
    const r = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: `${p.name.replace('_', '-')}-oauth`,
        provider: p.name,
        oauth_client_id: fake.oauthClient.clientId,
        oauth_client_secret: fake.oauthClient.clientSecret,
        endpoints: {
          authorization_url: fake.authorizationUrl,
          token_url: fake.tokenUrl,
          api_base_url: fake.oauthBaseUrl ?? fake.apiBaseUrl,
        },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
});
afterAll(async () => {
  await h.stop();
  await Promise.all([...fakes.values()].map((f) => f.stop()));
});

describe.each(providers.map((p) => [p.name, p] as const))('%s', (name, p) => {
  const integration = `${name.replace('_', '-')}-oauth`;

  it('connects through the full OAuth round trip and answers a token the provider accepts', async () => {
    const fake = fakes.get(name) as OAuthFake;
    const back = await connect(integration, 'u_7');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('status'), back.toString()).toBe('success');
    const id = back.searchParams.get('connection_id') as string;
    expect(id).toMatch(/^conn_/);

    const c: Json = (await api(`/v1/connections/${id}`)).body.data;
    expect(c).toMatchObject({
      status: 'active',
      provider: name,
      end_user_id: 'u_7',
      credentials: { type: 'oauth2' },
    });
    expect(c.provider_account.id).toBe(fake.account.id);

    const t: Json = (await api(`/v1/connections/${id}/token`)).body.data;
    expect(t.type).toBe('bearer');
    expect(await usable(name, fake, t.access_token)).toBe(fake.account.id);

    // Connecting the same account for the same user again: the same connection, new tokens.
    const again = await connect(integration, 'u_7');
    expect(again.searchParams.get('connection_id')).toBe(id);
    const t2: Json = (await api(`/v1/connections/${id}/token`)).body.data;
    expect(await usable(name, fake, t2.access_token)).toBe(fake.account.id);

    if (p.refreshes) {
      const before = fake.refreshCount?.() ?? 0;
      fake.expireAccessTokens?.();
      await expect(usable(name, fake, t2.access_token)).rejects.toThrow();
      const fresh: Json = (await api(`/v1/connections/${id}/token?force_refresh=true`)).body.data;
      expect(fresh.access_token).not.toBe(t2.access_token);
      expect(fake.refreshCount?.()).toBe(before + 1);
      expect(await usable(name, fake, fresh.access_token)).toBe(fake.account.id);
      // And it was kept: the next plain call answers the same new token, no new refresh.
      const next: Json = (await api(`/v1/connections/${id}/token`)).body.data;
      expect(next.access_token).toBe(fresh.access_token);
      expect(fake.refreshCount?.()).toBe(before + 1);
    } else {
      const same: Json = (await api(`/v1/connections/${id}/token?force_refresh=true`)).body.data;
      expect(same.access_token).toBe(t2.access_token);
    }
  });

  it('the user refusing consent at the provider → access_denied, nothing created', async () => {
    const fake = fakes.get(name) as OAuthFake;
    const before = (await api('/v1/connections?end_user_id=u_denied')).body.data.connections.length;
    fake.denyNext();
    const back = await connect(integration, 'u_denied');
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect((await api('/v1/connections?end_user_id=u_denied')).body.data.connections.length).toBe(before);
  });
});

describe('a grant the provider revoked', () => {
  it('→ the connection becomes disconnected and the token endpoint answers 409 connection_not_ready', async () => {
    const fake = fakes.get('google_calendar') as OAuthFake;
    const back = await connect('google-calendar-oauth', 'u_revoked');
    const id = back.searchParams.get('connection_id') as string;
    expect((await api(`/v1/connections/${id}/token`)).status).toBe(200);
    fake.revokeAccess?.();
    const r = await api(`/v1/connections/${id}/token?force_refresh=true`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('connection_not_ready');
    expect(r.body.error.details.status).toBe('disconnected');
    expect((await api(`/v1/connections/${id}`)).body.data.status).toBe('disconnected');
    expect((await api(`/v1/connections/${id}/token`)).status).toBe(409);
  });
});

describe('a Slack install with a user token', () => {
  it('search_messages runs with the installing user token kept beside the bot token, which the token endpoint keeps to itself', async () => {
    const fake = fakes.get('slack') as unknown as SlackFake;
    const [general] = fake.seedChannels(1);
    fake.seedMessages(general as string, ['Deploy went out', 'lunch?']);
    const back = await connect('slack-oauth', 'u_search');
    const id = back.searchParams.get('connection_id') as string;
    const r = await api('/v1/tools/execute', {
      method: 'POST',
      body: { tool: 'slack_search_messages', connection_id: id, input: { query: 'Deploy' } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.data.messages.map((m: Json) => m.text)).toContain('Deploy went out');
    // The token endpoint answers the connection's (bot) token only.
    const t = (await api(`/v1/connections/${id}/token`)).body.data;
    expect(t.access_token).toMatch(/^xoxb-/);
    expect(t).not.toHaveProperty('extra');
  });
});

describe('the flow is bound to the browser that started it', () => {
  const open = async (endUser: string) => {
    const s = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'github-oauth', end_user_id: endUser, redirect_url: REDIRECT },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    return s.body.data.auth_url as string;
  };
  const connectionsOf = async (endUser: string) =>
    (await api(`/v1/connections?end_user_id=${endUser}`)).body.data.connections as Json[];

  it('a callback with a valid code and state from another cookie jar → session_mismatch, nothing stored; the starting browser still completes', async () => {
    const victim = newBrowser();
    const start = await victim.open(await open('u_bound'));
    const consent = await victim.open(start.location as string); // the provider's answer: code + state
    const callbackUrl = consent.location as string;
    expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();

    // Someone else's browser presents it first (a leaked callback URL, a forwarded link).
    const attacker = newBrowser();
    await attacker.open(await open('u_bound')); // with a cookie of its own, for another session
    const stolen = await attacker.open(callbackUrl);
    const refused = new URL(stolen.location as string);
    expect(refused.searchParams.get('status')).toBe('error');
    expect(refused.searchParams.get('error')).toBe('session_mismatch');
    expect(refused.searchParams.get('connection_id')).toBeNull();
    expect(await connectionsOf('u_bound')).toEqual([]);

    // The state was not spent by the refusal, nor the code: the right browser connects.
    const done = new URL((await victim.open(callbackUrl)).location as string);
    expect(done.searchParams.get('status'), done.toString()).toBe('success');
    expect((await connectionsOf('u_bound')).map((c) => c.id)).toEqual([
      done.searchParams.get('connection_id'),
    ]);
  });

  it('a session that connected an account cannot start again → 410 invalid_state', async () => {
    const authUrl = await open('u_once');
    const back = await newBrowser().connect(authUrl);
    expect(back.searchParams.get('status')).toBe('success');
    const again = await call(h.gateway.url, new URL(authUrl).pathname + new URL(authUrl).search);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('invalid_state');
    expect(again.headers.get('location')).toBeNull();
  });
});
