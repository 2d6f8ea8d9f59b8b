import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { newBrowser } from './browser';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * End-user tokens bound to workspaces (API.md "Authentication"): such a token lists and runs
 * only the tools granted in its workspaces and must name one of them; connect sessions it
 * opens ask only for the integration's scopes, for one of its workspaces. Through the HTTP API.
 */
let h: Harness;
let fake: GitHubFake;
let connectionId: string;
const REPO = 'acme/product';
const REDIRECT = 'https://app.acme.com/connected';

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const mint = async (body: Json) => {
  const r = await api('/v1/end-user-tokens', { method: 'POST', body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as { token: string; workspace_ids: string[] | null };
};

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(2, { repo: REPO });
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh',
      provider: 'github',
      oauth_client_id: 'Iv1.client',
      oauth_client_secret: sensitive('gh-client-secret-value-ws'),
      scopes: ['repo', 'read:user'],
      endpoints: { api_base_url: fake.apiBaseUrl },
    },
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh', end_user_id: 'u_ws', credentials: fake.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
  const g = await api(`/v1/workspaces/ws_a/integrations/${connectionId}`, {
    method: 'PUT',
    body: { enabled_tools: ['github_list_issues'] },
  });
  expect(g.status, JSON.stringify(g.body)).toBe(200);
  await api(`/v1/workspaces/ws_b/integrations/${connectionId}`, {
    method: 'PUT',
    body: { enabled_tools: ['github_list_issues', 'github_create_issue'] },
  });
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

describe('POST /v1/end-user-tokens with workspace_ids', () => {
  it('answers the workspaces the token is bound to (null when unbound)', async () => {
    expect((await mint({ end_user_id: 'u_ws', workspace_ids: ['ws_a', 'ws_a'] })).workspace_ids).toEqual([
      'ws_a',
    ]);
    expect((await mint({ end_user_id: 'u_ws' })).workspace_ids).toBeNull();
  });

  it.each([
    ['none', []],
    ['21', Array.from({ length: 21 }, (_, i) => `ws_${i}`)],
    ['a bad id', ['ws#1']],
    ['not an array', 'ws_a'],
  ])('refuses %s with 422 naming body.workspace_ids', async (_, ids) => {
    const e = expectError(
      await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: 'u_ws', workspace_ids: ids } }),
      422,
      'validation_failed',
    );
    expect(e.details.issues[0].path).toMatch(/^body\.workspace_ids/);
  });
});

describe('a token bound to ws_a', () => {
  let token: string;
  beforeAll(async () => {
    token = (await mint({ end_user_id: 'u_ws', workspace_ids: ['ws_a'] })).token;
  });

  it('GET /v1/tools: only with workspace_id=ws_a, and only what is granted there', async () => {
    expectError(await api('/v1/tools', { key: token }), 403, 'forbidden');
    expectError(await api('/v1/tools?workspace_id=ws_b', { key: token }), 403, 'forbidden');
    const r = await api('/v1/tools?workspace_id=ws_a&limit=100', { key: token });
    expect(r.status).toBe(200);
    expect(r.body.data.tools.map((t: Json) => t.name)).toEqual(['github_list_issues']);
  });

  it('POST /v1/tools/execute: only in ws_a, only a granted tool', async () => {
    const run = (body: Json) => api('/v1/tools/execute', { method: 'POST', key: token, body });
    const base = { tool: 'github_list_issues', connection_id: connectionId, input: { repo: REPO } };
    expectError(await run(base), 403, 'forbidden');
    expectError(await run({ ...base, workspace_id: 'ws_b' }), 403, 'forbidden');
    const before = fake.issueIds(REPO).length;
    expectError(
      await run({
        tool: 'github_create_issue',
        connection_id: connectionId,
        workspace_id: 'ws_a',
        input: { repo: REPO, title: 'Not granted here' },
      }),
      403,
      'forbidden',
    );
    expect(fake.issueIds(REPO).length).toBe(before);
    const ok = await run({ ...base, workspace_id: 'ws_a' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.data.successful).toBe(true);
  });

  it('POST /v1/connect/sessions: only for ws_a (403 otherwise)', async () => {
    const open = (body: Json) => api('/v1/connect/sessions', { method: 'POST', key: token, body });
    const base = { integration: 'gh', redirect_url: REDIRECT };
    expectError(await open(base), 403, 'forbidden');
    expectError(await open({ ...base, workspace_id: 'ws_b' }), 403, 'forbidden');
    expect((await open({ ...base, workspace_id: 'ws_a' })).status).toBe(201);
  });

  it('an unbound token of the same user is not limited to workspaces', async () => {
    const { token: free } = await mint({ end_user_id: 'u_ws' });
    expect((await api('/v1/tools?limit=1', { key: free })).status).toBe(200);
  });
});

describe('connect sessions opened with an end-user token ask only for configured scopes', () => {
  it('a scope the integration does not configure → 422 naming body.scopes; a subset → 201', async () => {
    const { token } = await mint({ end_user_id: 'u_ws' });
    const open = (scopes: string[], key = token) =>
      api('/v1/connect/sessions', {
        method: 'POST',
        key,
        body: { integration: 'gh', redirect_url: REDIRECT, scopes },
      });
    const e = expectError(await open(['repo', 'admin:org']), 422, 'validation_failed');
    expect(e.details.issues).toEqual([
      { path: 'body.scopes', message: expect.stringContaining("'admin:org'") },
    ]);
    const ok = await open(['repo']);
    expect(ok.status).toBe(201);
    // auth_url is our /v1/connect/start: the scopes are on the provider's URL it redirects to.
    const start = await newBrowser().open(ok.body.data.auth_url);
    expect(new URL(start.location as string).searchParams.get('scope')).toBe('repo');
    // The tenant's backend (secret key) decides scopes itself.
    const backend = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration: 'gh', end_user_id: 'u_ws', redirect_url: REDIRECT, scopes: ['repo', 'admin:org'] },
    });
    expect(backend.status).toBe(201);
  });

  it("without integration scopes, the provider's default scopes bound what a token may ask", async () => {
    await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'gh-defaults',
        provider: 'github',
        oauth_client_id: 'Iv1.client2',
        oauth_client_secret: sensitive('gh-client-secret-value-defaults'),
      },
    });
    const p = await api('/v1/providers/github');
    const defaults = p.body.data.auth.oauth2.default_scopes as string[];
    expect(defaults.length).toBeGreaterThan(0);
    const { token } = await mint({ end_user_id: 'u_ws' });
    const open = (scopes: string[]) =>
      api('/v1/connect/sessions', {
        method: 'POST',
        key: token,
        body: { integration: 'gh-defaults', redirect_url: REDIRECT, scopes },
      });
    expect((await open([defaults[0] as string])).status).toBe(201);
    expectError(await open(['delete_repo']), 422, 'validation_failed');
  });
});
