import { createHmac, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../adapters';
import { encryptFor } from '../../core/keys/credentials-crypto';
import {
  getConnection as getStored,
  insertConnection,
  updateConnection,
} from '../../core/store/connections-repo';
import { keysOf } from '../../core/webhooks/routing-keys';
import { workerFor } from '../../functions/workers';
import { pollWorker } from '../../local/runtime';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { startGitLabFake } from '../fakes/gitlab';
import { startGoogleCalendarFake } from '../fakes/google-calendar';
import { startLinearFake } from '../fakes/linear';
import { startMicrosoftTeamsFake } from '../fakes/microsoft-teams';
import { startSlackFake } from '../fakes/slack';
import { sensitive } from '../leak-watch';
import { newBrowser } from './browser';
import { call, expectError, type Harness, type Json, startHarness } from './harness';
import { startSubscriber } from './webhook-subscriber';

/**
 * Issue 13, item 3: a connection's status says what the provider said, written by the flow
 * that learned it, each change once, with its outbound event — through the local stack, a
 * subscription to a local receiver, the fake providers.
 */
let h: Harness;
let gh: GitHubFake;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const pollers: { stop: () => Promise<void> }[] = [];
const GH_SECRET = `whsec-gh-${randomUUID()}`;
const SLACK_SECRET = `slack-signing-${randomUUID()}`;
const REDIRECT = 'https://app.acme.com/integrations/done';
const PATH = '/lifecycle';

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const until = async <T>(what: string, find: () => Promise<T | undefined> | T | undefined, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await find();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** The events of one connection the subscriber received, of `type`. */
const eventsOf = (connectionId: string, type: string): Json[] =>
  subscriber
    .events(PATH)
    .map((r) => r.event)
    .filter((e: Json) => e.type === type && e.data.connection_id === connectionId);

const statusEvent = (connectionId: string, to: string) =>
  until(`status_changed → ${to}`, () =>
    eventsOf(connectionId, 'connection.status_changed').find((e: Json) => e.data.new_status === to),
  );

const statusOf = async (id: string) => (await api(`/v1/connections/${id}`)).body.data.status;

const connectGitHub = async (endUser: string, extra: Record<string, unknown> = {}) => {
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh', end_user_id: endUser, credentials: { ...gh.valid, ...extra } },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const id = c.body.data.id as string;
  for (const s of ['pull_requests', 'repositories']) {
    await api(`/v1/connections/${id}/syncs/${s}`, { method: 'PATCH', body: { paused: true } });
  }
  return id;
};

const runTo = async (connectionId: string, sync: string, status: string) => {
  const t = await api('/v1/syncs/trigger', {
    method: 'POST',
    body: { connection_id: connectionId, syncs: [sync], mode: 'full' },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(202);
  const runId = t.body.data.runs[0].id;
  return until(`run ${status}`, async () => {
    const r = (await api(`/v1/sync-runs/${runId}`)).body.data;
    return r.status === status ? r : undefined;
  });
};

const postGitHub = (event: string, body: unknown) => {
  const raw = JSON.stringify(body);
  return fetch(`${h.gateway.url}/webhooks/${h.tenantId}/gh`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', GH_SECRET).update(raw).digest('hex')}`,
    },
    body: raw,
  });
};

const postSlack = (body: unknown) => {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${h.gateway.url}/webhooks/${h.tenantId}/slack`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${raw}`).digest('hex')}`,
    },
    body: raw,
  });
};

/** A connection as a connect would have stored it (app installs need the whole install dance). */
const stored = async (c: {
  integration: string;
  provider: string;
  accountId: string;
  credentials: Record<string, unknown>;
  metadata: Record<string, string>;
}) => {
  const id = `conn_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const now = new Date().toISOString();
  await insertConnection({
    tenant_id: h.tenantId,
    connection_id: id,
    integration: c.integration,
    provider: c.provider,
    name: c.accountId,
    status: 'active',
    sync_status: 'healthy',
    end_user_id: `u_${c.accountId}`,
    provider_account: { id: c.accountId, name: `acct-${c.accountId}` },
    credentials_meta: { type: String(c.credentials.type) },
    sealed: await encryptFor(h.tenantId, id, c.credentials),
    metadata: {},
    config: {},
    provider_metadata: c.metadata,
    // Its webhook route items, as a connect writes them (core/webhooks/routing-keys.ts).
    routing_keys: await routingKeysOf(c.provider, c.accountId, c.metadata),
    created_at: now,
    updated_at: now,
  });
  return id;
};

const routingKeysOf = async (provider: string, accountId: string, metadata: Record<string, string>) => {
  const adapter = await loadAdapter(provider);
  const connectionKeys = adapter?.webhooks ? adapter.connectionKeys : undefined;
  return connectionKeys
    ? keysOf(connectionKeys, {
        provider_account: { id: accountId, name: `acct-${accountId}` },
        provider_metadata: metadata,
      })
    : [];
};

beforeAll(async () => {
  h = await startHarness();
  gh = await startGitHubFake();
  gh.seedIssues(3, { repo: 'acme-corp/life' });
  subscriber = await startSubscriber();
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh',
      provider: 'github',
      webhook_secret: GH_SECRET,
      oauth_client_id: gh.oauthClient.clientId,
      oauth_client_secret: gh.oauthClient.clientSecret,
      endpoints: {
        api_base_url: gh.apiBaseUrl,
        token_url: gh.tokenUrl,
        authorization_url: gh.authorizationUrl,
      },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const s = await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'slack', provider: 'slack', webhook_secret: SLACK_SECRET },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  // Read directly, not through `call` (which records answers for the leak check): the one
  // answer that carries the subscription's secret.
  const sub = await fetch(`${h.gateway.url}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
    body: JSON.stringify({
      url: `${subscriber.url}${PATH}`,
      events: [
        'connection.status_changed',
        'connection.sync_status_changed',
        'connection.expired',
        'connection.recovered',
        'connection.deleted',
      ],
    }),
  });
  expect(sub.status).toBe(201);
  sensitive(((await sub.json()) as Json).data.secret);
  for (const q of ['outbound', 'sync', 'webhook'] as const) pollers.push(pollWorker(sqs, workerFor(q)));
});
afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  sqs.destroy();
  await h.stop();
  await gh.stop();
  await subscriber.stop();
});

describe('error: the provider refuses credentials a refresh cannot renew', () => {
  it('a sync run seeing 401 makes the connection error, once, with sync_status failed; syncs and tools then answer 409', {
    timeout: 60_000,
  }, async () => {
    const id = await connectGitHub('u_sync401');
    // A token without refresh token: the one renewal attempt answers the same token.
    gh.refuseNext(2, { status: 401, message: 'Bad credentials' });
    const run = await runTo(id, 'issues', 'error');
    expect(run.error).toMatch(/Bad credentials/);
    expect(await statusOf(id)).toBe('error');
    const e = await statusEvent(id, 'error');
    expect(e.data).toMatchObject({
      connection_id: id,
      integration: 'gh',
      provider: 'github',
      end_user_id: 'u_sync401',
      old_status: 'active',
      new_status: 'error',
    });
    expect(e.data.reason).toMatch(/Bad credentials/);
    const health = await until(
      'sync_status_changed',
      () => eventsOf(id, 'connection.sync_status_changed')[0],
    );
    expect(health.data).toMatchObject({ old_sync_status: 'healthy', new_sync_status: 'failed' });
    expect((await api(`/v1/connections/${id}`)).body.data.sync_status).toBe('failed');

    expectError(
      await api('/v1/syncs/trigger', { method: 'POST', body: { connection_id: id } }),
      409,
      'connection_not_ready',
    );
    expectError(
      await api('/v1/tools/execute', {
        method: 'POST',
        body: { tool: 'github_list_issues', connection_id: id, input: { repo: 'acme-corp/life' } },
      }),
      409,
      'connection_not_ready',
    );
    expectError(await api(`/v1/proxy/${id}/user`), 409, 'connection_not_ready');
    await new Promise((r) => setTimeout(r, 500));
    expect(eventsOf(id, 'connection.status_changed')).toHaveLength(1);
  });

  it('a tool call refused with 401 makes it error; the answer is still the provider refusal', async () => {
    const id = await connectGitHub('u_tool401');
    gh.refuseNext(2, { status: 401, message: 'Bad credentials' });
    const r = await api('/v1/tools/execute', {
      method: 'POST',
      body: { tool: 'github_list_issues', connection_id: id, input: { repo: 'acme-corp/life' } },
    });
    expect(r.status).toBe(422);
    expect(await statusOf(id)).toBe('error');
    expect((await statusEvent(id, 'error')).data.old_status).toBe('active');
  });

  it('the proxy answering 401 makes it error; a 403 leaves it active', async () => {
    const id = await connectGitHub('u_proxy401');
    gh.refuseNext(1, { status: 403, message: 'Resource not accessible by personal access token' });
    const forbidden = await api(`/v1/proxy/${id}/repos/acme-corp/life/issues`);
    expect(forbidden.status).toBe(403);
    expect(await statusOf(id)).toBe('active');
    gh.refuseNext(2, { status: 401, message: 'Bad credentials' });
    const r = await api(`/v1/proxy/${id}/repos/acme-corp/life/issues`);
    expect(r.status).toBe(401);
    expect(await statusOf(id)).toBe('error');
    await statusEvent(id, 'error');
  });
});

describe('expired: a refresh the provider refuses for good', () => {
  it('GitHub refusing the refresh token → expired, connection.expired and status_changed', async () => {
    const id = await connectGitHub('u_expired', {
      refresh_token: 'ghr_not_a_token_github_knows',
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    const r = await api(`/v1/connections/${id}/token`);
    expect(expectError(r, 409, 'connection_not_ready').details.status).toBe('expired');
    expect(await statusOf(id)).toBe('expired');
    const e = await statusEvent(id, 'expired');
    expect(e.data).toMatchObject({ old_status: 'active', new_status: 'expired', provider: 'github' });
    await until('connection.expired', () => eventsOf(id, 'connection.expired')[0]);
  });
});

describe('disconnected: the provider says the grant is gone', () => {
  // Made before any event reaches the processor, which caches an integration's connections briefly.
  let revoker: string;
  beforeAll(async () => {
    revoker = await connectGitHub('u_revoker');
  });

  it('GitHub installation deleted → the installation’s connection is disconnected, not the others', async () => {
    const installed = await stored({
      integration: 'gh',
      provider: 'github',
      accountId: '880001',
      credentials: { type: 'app_install', installation_id: '990001' },
      metadata: { installation_id: '990001', target_type: 'Organization' },
    });
    const other = await connectGitHub('u_bystander');
    const res = await postGitHub('installation', {
      action: 'deleted',
      installation: { id: 990001, account: { id: 880001, login: 'acct-880001' } },
      sender: { id: 880001, login: 'acct-880001' },
    });
    expect(res.status).toBe(200);
    const e = await statusEvent(installed, 'disconnected');
    expect(e.data).toMatchObject({ old_status: 'active', new_status: 'disconnected', provider: 'github' });
    expect(e.data.reason).toMatch(/uninstalled/);
    expect(await statusOf(installed)).toBe('disconnected');
    expect(await statusOf(other)).toBe('active');
  });

  it('GitHub github_app_authorization revoked → the user’s OAuth connection is disconnected', async () => {
    const id = revoker;
    const res = await postGitHub('github_app_authorization', {
      action: 'revoked',
      sender: { id: Number(gh.account.id), login: gh.account.name },
    });
    expect(res.status).toBe(200);
    await statusEvent(id, 'disconnected');
    expect(await statusOf(id)).toBe('disconnected');
  });

  it('Slack app_uninstalled and tokens_revoked (bot) → disconnected', async () => {
    const slackConn = (team: string) =>
      stored({
        integration: 'slack',
        provider: 'slack',
        accountId: team,
        credentials: { type: 'oauth2', access_token: sensitive(`xoxb-${randomUUID()}`) },
        metadata: { team_id: team },
      });
    const a = await slackConn('T0LIFE1');
    const b = await slackConn('T0LIFE2');
    const c = await slackConn('T0LIFE3');
    const envelope = (team: string, event: Record<string, unknown>) => ({
      type: 'event_callback',
      team_id: team,
      api_app_id: 'A0LIFE',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    expect((await postSlack(envelope('T0LIFE1', { type: 'app_uninstalled' }))).status).toBe(200);
    expect(
      (
        await postSlack(
          envelope('T0LIFE2', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } }),
        )
      ).status,
    ).toBe(200);
    // User tokens only: the bot token the connection uses still works.
    expect(
      (await postSlack(envelope('T0LIFE3', { type: 'tokens_revoked', tokens: { oauth: ['U0USER'] } })))
        .status,
    ).toBe(200);
    await statusEvent(a, 'disconnected');
    await statusEvent(b, 'disconnected');
    expect(await statusOf(a)).toBe('disconnected');
    expect(await statusOf(b)).toBe('disconnected');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await statusOf(c)).toBe('active');
  });

  it('Google and Microsoft answering a refresh with a revocation → disconnected (not expired)', {
    timeout: 60_000,
  }, async () => {
    const google = await startGoogleCalendarFake();
    const ms = await startMicrosoftTeamsFake();
    try {
      const connected: Record<string, string> = {};
      for (const [key, provider, fake] of [
        ['gcal', 'google_calendar', google],
        ['teams', 'microsoft_teams', ms],
      ] as const) {
        const r = await api('/v1/integrations', {
          method: 'POST',
          body: {
            unique_key: key,
            provider,
            oauth_client_id: fake.oauthClient.clientId,
            oauth_client_secret: fake.oauthClient.clientSecret,
            endpoints: {
              authorization_url: fake.authorizationUrl,
              token_url: fake.tokenUrl,
              api_base_url: fake.apiBaseUrl,
            },
          },
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const s = await api('/v1/connect/sessions', {
          method: 'POST',
          body: { integration: key, end_user_id: `u_${key}`, redirect_url: REDIRECT },
        });
        const back = await newBrowser().connect(s.body.data.auth_url);
        connected[key] = back.searchParams.get('connection_id') as string;
        expect(connected[key]).toMatch(/^conn_/);
      }
      google.revokeAccess();
      ms.revokeSignInSessions();
      for (const id of Object.values(connected)) {
        const r = await api(`/v1/connections/${id}/token?force_refresh=true`);
        expect(expectError(r, 409, 'connection_not_ready').details.status).toBe('disconnected');
        expect(await statusOf(id)).toBe('disconnected');
        const e = await statusEvent(id, 'disconnected');
        expect(e.data.old_status).toBe('active');
        expect(eventsOf(id, 'connection.expired')).toHaveLength(0);
      }
    } finally {
      await google.stop();
      await ms.stop();
    }
  });
});

describe('pending_auth: a connect session re-authorising a connection', () => {
  const session = (body: Record<string, unknown>) =>
    api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'gh', redirect_url: REDIRECT, ...body },
    });
  /** An OAuth connection of `endUser`, then refused by GitHub through the proxy: `error`. */
  const refused = async (endUser: string) => {
    const s = await session({ end_user_id: endUser });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const id = (await newBrowser().connect(s.body.data.auth_url)).searchParams.get('connection_id') as string;
    gh.refuseNext(2, { status: 401, message: 'Bad credentials' });
    expect((await api(`/v1/proxy/${id}/repos/acme-corp/life/issues`)).status).toBe(401);
    expect(await statusOf(id)).toBe('error');
    return id;
  };

  it('error → pending_auth while the session is open → active on a successful callback, with connection.recovered', {
    timeout: 60_000,
  }, async () => {
    const id = await refused('u_reauth');
    const s = await session({ end_user_id: 'u_reauth', connection_id: id });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(await statusOf(id)).toBe('pending_auth');
    expect((await statusEvent(id, 'pending_auth')).data.old_status).toBe('error');
    expectError(
      await api('/v1/syncs/trigger', { method: 'POST', body: { connection_id: id } }),
      409,
      'connection_not_ready',
    );

    const back = await newBrowser().connect(s.body.data.auth_url);
    expect(back.searchParams.get('status')).toBe('success');
    expect(back.searchParams.get('connection_id')).toBe(id);
    expect(await statusOf(id)).toBe('active');
    const active = await statusEvent(id, 'active');
    expect(active.data).toMatchObject({ old_status: 'pending_auth', new_status: 'active' });
    const recovered = await until('connection.recovered', () => eventsOf(id, 'connection.recovered')[0]);
    expect(recovered.data).toMatchObject({ connection_id: id, provider: 'github', new_status: 'active' });
    // Active connections stay active while re-authorised: no pending_auth for them.
    const again = await session({ end_user_id: 'u_reauth', connection_id: id });
    expect(again.status).toBe(201);
    expect(await statusOf(id)).toBe('active');
  });

  it('a failed callback puts the previous status back', { timeout: 60_000 }, async () => {
    const id = await refused('u_denies');
    const s = await session({ end_user_id: 'u_denies', connection_id: id });
    expect(await statusOf(id)).toBe('pending_auth');
    gh.denyNext();
    const back = await newBrowser().connect(s.body.data.auth_url);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(await statusOf(id)).toBe('error');
    const e = await until('pending_auth → error', () =>
      eventsOf(id, 'connection.status_changed').find(
        (x: Json) => x.data.old_status === 'pending_auth' && x.data.new_status === 'error',
      ),
    );
    expect(e.data.reason).toMatch(/access_denied/);
  });

  it('a session that expires does not leave it pending: the next read puts the status back', {
    timeout: 60_000,
  }, async () => {
    const id = await refused('u_walks_away');
    await session({ end_user_id: 'u_walks_away', connection_id: id });
    expect(await statusOf(id)).toBe('pending_auth');
    // The session's ten minutes, passed: its end as stored with the connection.
    const c = await getStored(h.tenantId, id);
    await updateConnection(h.tenantId, id, {
      pending_auth: {
        ...(c?.pending_auth as NonNullable<typeof c>['pending_auth'] & object),
        until: new Date(Date.now() - 1000).toISOString(),
      },
    });
    const listed = (await api('/v1/connections?end_user_id=u_walks_away')).body.data.connections[0];
    expect(listed.status).toBe('error');
    expect(await statusOf(id)).toBe('error');
    expect((await getStored(h.tenantId, id))?.status).toBe('error');
    await until('pending_auth → error', () =>
      eventsOf(id, 'connection.status_changed').find((x: Json) => x.data.old_status === 'pending_auth'),
    );
  });

  it('connection_id must be the end user’s, of this integration', async () => {
    const id = await connectGitHub('u_owner');
    expectError(await session({ end_user_id: 'u_someone_else', connection_id: id }), 404, 'not_found');
    expectError(await session({ end_user_id: 'u_owner', connection_id: 'conn_nope' }), 404, 'not_found');
    const other = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'gh-other',
        provider: 'github',
        oauth_client_id: gh.oauthClient.clientId,
        oauth_client_secret: gh.oauthClient.clientSecret,
        endpoints: {
          api_base_url: gh.apiBaseUrl,
          token_url: gh.tokenUrl,
          authorization_url: gh.authorizationUrl,
        },
      },
    });
    expect(other.status).toBe(201);
    const e = expectError(
      await api('/v1/connect/sessions', {
        method: 'POST',
        body: { integration: 'gh-other', end_user_id: 'u_owner', redirect_url: REDIRECT, connection_id: id },
      }),
      422,
      'validation_failed',
    );
    expect(e.details.issues[0].path).toBe('body.connection_id');
  });
});

describe('DELETE /v1/connections/{id} revokes the grant at the provider first', () => {
  const oauthConnect = async (integration: string, endUser: string) => {
    const s = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration, end_user_id: endUser, redirect_url: REDIRECT },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    return (await newBrowser().connect(s.body.data.auth_url)).searchParams.get('connection_id') as string;
  };
  const deletedEvent = (id: string) =>
    until('connection.deleted', () => eventsOf(id, 'connection.deleted')[0]);

  it('GitHub up: the OAuth grant is deleted there, then the connection here', async () => {
    const id = await oauthConnect('gh', 'u_del_up');
    const token = (await api(`/v1/connections/${id}/token`)).body.data.access_token as string;
    const before = gh.revokedGrants();
    const r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ id, deleted: true, revoked: true });
    expect(r.body.data.revoke_error).toBeUndefined();
    expect(gh.revokedGrants()).toBe(before + 1);
    // The token the grant carried no longer works at GitHub.
    const user = await fetch(`${gh.apiBaseUrl}/user`, {
      headers: { authorization: `Bearer ${token}`, 'user-agent': 'test' },
    });
    expect(user.status).toBe(401);
    expectError(await api(`/v1/connections/${id}`), 404, 'not_found');
    expect((await deletedEvent(id)).data).toMatchObject({
      connection_id: id,
      integration: 'gh',
      provider: 'github',
      end_user_id: 'u_del_up',
      revoked: true,
    });
  });

  it('GitHub down: deleted all the same, revoked false and why', async () => {
    const id = await oauthConnect('gh', 'u_del_down');
    gh.setDown(true);
    let r: Awaited<ReturnType<typeof api>>;
    try {
      r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
    } finally {
      gh.setDown(false);
    }
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ id, deleted: true, revoked: false });
    expect(r.body.data.revoke_error).toMatch(/GitHub could not be reached to revoke the grant/);
    expectError(await api(`/v1/connections/${id}`), 404, 'not_found');
    expect((await deletedEvent(id)).data).toMatchObject({ revoked: false });
  });

  it('GitHub refusing (a token its OAuth app did not issue): revoked false with GitHub’s words', async () => {
    const id = await connectGitHub('u_del_pat');
    const r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ deleted: true, revoked: false });
    expect(r.body.data.revoke_error).toMatch(/GitHub refused the revocation: Not Found/);
  });

  it('a provider without a revocation endpoint: revoked false, said so', async () => {
    const i = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'dd', provider: 'datadog' },
    });
    expect(i.status, JSON.stringify(i.body)).toBe(201);
    const id = await stored({
      integration: 'dd',
      provider: 'datadog',
      accountId: 'dd-org-1',
      credentials: { type: 'api_key', api_key: sensitive(`ddkey${randomUUID()}`) },
      metadata: {},
    });
    const r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ deleted: true, revoked: false });
    expect(r.body.data.revoke_error).toMatch(/has no revocation endpoint/);
  });

  it('Google: the refresh token is revoked at oauth2/revoke', { timeout: 60_000 }, async () => {
    const google = await startGoogleCalendarFake();
    try {
      const i = await api('/v1/integrations', {
        method: 'POST',
        body: {
          unique_key: 'gcal-del',
          provider: 'google_calendar',
          oauth_client_id: google.oauthClient.clientId,
          oauth_client_secret: google.oauthClient.clientSecret,
          endpoints: {
            authorization_url: google.authorizationUrl,
            token_url: google.tokenUrl,
            api_base_url: google.apiBaseUrl,
          },
        },
      });
      expect(i.status).toBe(201);
      const id = await oauthConnect('gcal-del', 'u_gdel');
      const r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
      expect(r.body.data).toMatchObject({ id, deleted: true, revoked: true });
      expect(google.revocations()).toBe(1);
      const down = await oauthConnect('gcal-del', 'u_gdel_down');
      google.setDown(true);
      const d = await api(`/v1/connections/${down}`, { method: 'DELETE' });
      google.setDown(false);
      expect(d.body.data).toMatchObject({ deleted: true, revoked: false });
      expect(d.body.data.revoke_error).toMatch(/could not be reached/);
    } finally {
      await google.stop();
    }
  });

  it.each([
    // How many tokens the grant holds: Slack's install gives a bot token and a user token.
    ['gitlab', () => startGitLabFake(), 1],
    ['linear', () => startLinearFake(), 1],
    ['slack', () => startSlackFake(), 2],
  ] as const)(
    '%s: the OAuth token is revoked at the provider; down, deleted anyway',
    { timeout: 60_000 },
    async (provider, start, tokens) => {
      const fake = await start();
      try {
        const key = `${provider}-del`;
        const i = await api('/v1/integrations', {
          method: 'POST',
          body: {
            unique_key: key,
            provider,
            oauth_client_id: fake.oauthClient.clientId,
            oauth_client_secret: fake.oauthClient.clientSecret,
            endpoints: {
              authorization_url: fake.authorizationUrl,
              token_url: fake.tokenUrl,
              api_base_url: fake.apiBaseUrl,
            },
          },
        });
        expect(i.status, JSON.stringify(i.body)).toBe(201);
        const id = await oauthConnect(key, `u_${provider}_del`);
        const r = await api(`/v1/connections/${id}`, { method: 'DELETE' });
        expect(r.body.data).toMatchObject({ id, deleted: true, revoked: true });
        expect(fake.revocations()).toBe(tokens);
        const down = await oauthConnect(key, `u_${provider}_down`);
        fake.setDown(true);
        const d = await api(`/v1/connections/${down}`, { method: 'DELETE' });
        fake.setDown(false);
        expect(d.body.data).toMatchObject({ deleted: true, revoked: false });
        expect(d.body.data.revoke_error).toMatch(/could not be reached/);
        expectError(await api(`/v1/connections/${down}`), 404, 'not_found');
      } finally {
        await fake.stop();
      }
    },
  );
});
