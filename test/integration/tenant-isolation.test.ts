import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeadLetter, putDeadLetter } from '../../core/store/webhook-deliveries-repo';
import { routeKey, routes } from '../../functions/routes';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, type Harness, newTenant, startHarness } from './harness';

/**
 * Generated from the route table: every route, called with tenant B's key on tenant A's
 * ids, answers 404 (never revealing that the id exists) and changes nothing; no list
 * ever shows A's rows to B. A new route with a path parameter this file doesn't know
 * fails here until it gets a fixture.
 */
let h: Harness;
let fake: GitHubFake;
let a: {
  key: string;
  tenantId: string;
  integration: string;
  connectionId: string;
  endUser: string;
  subscriptionId: string;
  subscriptionSecret: string;
};
let b: { key: string };
const DEAD_EVENT = 'evt_01tenantadeaddelivery0000';

// Path parameters scoped to a tenant (must 404 across tenants) and global ones.
const tenantScoped = (): Record<string, string> => ({
  key: a.integration,
  id: a.connectionId,
  connection_id: a.connectionId,
  subscription_id: a.subscriptionId,
  // A dead delivery of A's subscription, replayable by A alone.
  delivery_id: DEAD_EVENT,
});
// Workspace ids are names each tenant picks: B's `ws_a` is B's own (empty) workspace.
// `path` is the proxy's provider path.
const global: Record<string, string> = {
  provider: 'github',
  name: 'issues',
  workspace_id: 'ws_a',
  path: 'user',
};

// Bodies valid enough to reach the lookup, per method: isolation must hold past validation.
const bodyFor = (method: string, path: string): unknown => {
  if (method === 'PATCH' && path.endsWith('/syncs/{name}')) return { paused: true };
  if (method === 'PATCH' && path.startsWith('/v1/integrations')) return { display_name: 'hijacked' };
  if (method === 'PATCH' && path.startsWith('/v1/connections'))
    return { name: 'hijacked', metadata: { x: 1 } };
  if (method === 'PATCH' && path === '/v1/settings') return { default_sync_frequency: '1d' };
  if (method === 'PATCH' && path.startsWith('/v1/webhook-subscriptions')) return { enabled: false };
  if (method === 'POST' && path === '/v1/syncs/trigger') return { connection_id: a.connectionId };
  if (method === 'PUT' && path.startsWith('/v1/workspaces')) return { enabled_tools: ['github_list_repos'] };
  if (method === 'POST' && path === '/v1/tools/execute') {
    return { tool: 'github_list_repos', connection_id: a.connectionId, input: {} };
  }
  if (method === 'POST' && path === '/v1/connections') {
    return { integration: a.integration, end_user_id: a.endUser, credentials: fake.valid };
  }
  // B's own integration under another key: keys are per-tenant names, B may reuse A's.
  if (method === 'POST' && path === '/v1/integrations') return { unique_key: 'b-own', provider: 'github' };
  if (method === 'POST' && path === '/v1/webhook-subscriptions') {
    return { url: 'https://hooks.tenant-b.example/in', events: ['sync.failed'] };
  }
  return undefined;
};

const snapshot = async () => ({
  integration: (await call(h.gateway.url, `/v1/integrations/${a.integration}`, { key: a.key })).body,
  connection: (await call(h.gateway.url, `/v1/connections/${a.connectionId}`, { key: a.key })).body,
  settings: (await call(h.gateway.url, '/v1/settings', { key: a.key })).body,
  grants: (await call(h.gateway.url, '/v1/workspaces/ws_a/integrations', { key: a.key })).body,
  subscriptions: (await call(h.gateway.url, '/v1/webhook-subscriptions', { key: a.key })).body,
  dead: await getDeadLetter(a.tenantId, a.subscriptionId, DEAD_EVENT),
});

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  const tA = await newTenant('tenant-a');
  const tB = await newTenant('tenant-b');
  b = { key: tB.key };
  const integration = 'gh-isolation';
  const post = (path: string, body: unknown) =>
    call(h.gateway.url, path, { key: tA.key, method: 'POST', body: JSON.stringify(body) });
  await post('/v1/integrations', {
    unique_key: integration,
    provider: 'github',
    webhook_secret: 'a-webhook-secret-value',
    endpoints: { api_base_url: fake.apiBaseUrl },
  });
  const conn = await post('/v1/connections', { integration, end_user_id: 'u_a', credentials: fake.valid });
  expect(conn.status, JSON.stringify(conn.body)).toBe(201);
  const sub = await post('/v1/webhook-subscriptions', {
    url: 'https://hooks.tenant-a.example/in',
    events: ['sync.failed'],
  });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  a = {
    key: tA.key,
    tenantId: tA.tenantId,
    integration,
    connectionId: conn.body.data.id,
    endUser: 'u_a',
    subscriptionId: sub.body.data.id,
    subscriptionSecret: sub.body.data.secret,
  };
  await putDeadLetter({
    tenant_id: tA.tenantId,
    subscription_id: a.subscriptionId,
    event_id: DEAD_EVENT,
    event: JSON.stringify({
      id: DEAD_EVENT,
      type: 'sync.failed',
      created_at: new Date().toISOString(),
      data: {},
    }),
    status: 'dead',
    ended_at: new Date().toISOString(),
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  });
  const grant = await call(h.gateway.url, `/v1/workspaces/ws_a/integrations/${a.connectionId}`, {
    key: tA.key,
    method: 'PUT',
    body: JSON.stringify({ enabled_tools: [] }),
  });
  expect(grant.status, JSON.stringify(grant.body)).toBe(200);
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

const authenticated = routes.filter((r) => r.auth !== 'none' && r.path !== '$default');

describe.each(authenticated.map((r) => [routeKey(r), r] as const))('%s', (_, route) => {
  it("never shows or changes tenant A's data to tenant B", async () => {
    const params = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] as string);
    const scoped = tenantScoped();
    for (const p of params) {
      expect(p in scoped || p in global, `no isolation fixture for path parameter {${p}}`).toBe(true);
    }
    const path = route.path.replace(/\{(\w+)\+?\}/g, (_m, p: string) =>
      encodeURIComponent(scoped[p] ?? global[p] ?? ''),
    );
    // `ANY` rows: the proxy is read with GET; MCP is POSTed, as B, for A's end user.
    const mcp = route.path.startsWith('/v1/mcp/');
    const method = route.method === 'ANY' ? (mcp ? 'POST' : 'GET') : route.method;
    const body = mcp ? { jsonrpc: '2.0', id: 1, method: 'tools/list' } : bodyFor(method, route.path);
    const before = await snapshot();
    const r = await call(h.gateway.url, mcp ? `${path}?end_user_id=${a.endUser}` : path, {
      key: b.key,
      method,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(r.status).toBeLessThan(500);
    if (params.some((p) => p in scoped)) {
      expect(r.status, JSON.stringify(r.body)).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    // Whatever B got, nothing of A is in it.
    const text = JSON.stringify(r.body);
    for (const secret of [
      a.connectionId,
      a.tenantId,
      a.subscriptionId,
      a.subscriptionSecret,
      fake.account.id,
      'a-webhook-secret-value',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('lists', () => {
  it.each([
    '/v1/connections',
    `/v1/connections?end_user_id=${'u_a'}`,
    `/v1/connections?integration=gh-isolation`,
    '/v1/integrations',
    '/v1/workspaces/ws_a/integrations',
    '/v1/webhook-subscriptions',
  ])("%s shows B none of A's rows", async (path) => {
    const r = await call(h.gateway.url, path, { key: b.key });
    expect(r.status).toBe(200);
    const rows = Object.values(r.body.data).find(Array.isArray) as { id?: string; unique_key?: string }[];
    // B may own rows of its own (the POST step above made one); none of them is A's.
    for (const row of rows) {
      expect(row.id).not.toBe(a.connectionId);
      expect(row.unique_key).not.toBe(a.integration);
    }
    expect(JSON.stringify(rows)).not.toContain(a.tenantId);
    expect(JSON.stringify(rows)).not.toContain(a.connectionId);
    expect(JSON.stringify(rows)).not.toContain(a.subscriptionId);
    // …while A sees its own.
    const mine = await call(h.gateway.url, path, { key: a.key });
    expect((Object.values(mine.body.data).find(Array.isArray) as unknown[]).length).toBeGreaterThan(0);
  });
});
