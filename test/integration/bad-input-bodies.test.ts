import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setRateLimit } from '../../core/store/tenants-repo';
import { routes } from '../../functions/routes';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Every route that takes a body or a query, fed generated input built from the
 * vocabulary of our schemas (right names, wrong types, near-miss values): never a 5xx,
 * always the envelope (JSON-RPC on the MCP endpoint), and a refused request leaves the
 * tenant's data as it was.
 */
let h: Harness;
let fake: GitHubFake;
let integration: string;
let connectionId: string;

const api = (path: string, init: { method?: string; body?: string } = {}) =>
  call(h.gateway.url, path, { key: h.key, ...init });

beforeAll(async () => {
  h = await startHarness();
  // Four requests a run: above the default 600 a minute. Set before the first request,
  // since the limit is cached per container for a minute.
  await setRateLimit(h.tenantId, 100_000);
  // And the tenant-wide budget (3,000 a minute by default), which every request also counts.
  await setRateLimit(h.tenantId, 100_000, 'tenant');
  fake = await startGitHubFake();
  integration = 'gh-fuzz';
  await api('/v1/integrations', {
    method: 'POST',
    body: JSON.stringify({
      unique_key: integration,
      provider: 'github',
      endpoints: { api_base_url: fake.apiBaseUrl },
    }),
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ integration, end_user_id: 'u_fuzz', credentials: fake.valid }),
  });
  connectionId = c.body.data.id;
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

const fields = [
  'unique_key',
  'provider',
  'display_name',
  'oauth_client_id',
  'oauth_client_secret',
  'scopes',
  'webhook_secret',
  'app',
  'endpoints',
  'integration',
  'end_user_id',
  'workspace_id',
  'name',
  'credentials',
  'config',
  'metadata',
  'redirect_url_allowlist',
  'default_sync_frequency',
];
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    'github',
    'gitbub',
    'gh-fuzz',
    'u_1',
    '',
    ' ',
    'http://evil.example',
    'https://ok.example/cb',
    '15m',
    '0m',
  ),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('type', 'api_key', 'access_token', 'app_id', 'api_base_url', 'x'), scalar, {
    maxKeys: 3,
  }),
  fc.record({
    type: fc.constantFrom('api_key', 'basic', 'oauth2', 'app_install', 'magic'),
    access_token: scalar,
  }),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.json(),
  fc.string({ maxLength: 30 }),
);
const queryKeys = [
  'limit',
  'cursor',
  'search',
  'category',
  'capability',
  'integration',
  'provider',
  'status',
  'end_user_id',
  'workspace_id',
  'purge_records',
  'x',
];
const query = fc.array(
  fc.tuple(
    fc.constantFrom(...queryKeys),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('0', '101', '-1', 'true', 'active')),
  ),
  { maxLength: 3 },
);

const targets = routes.filter((r) => r.auth !== 'none' && r.path !== '$default' && r.method !== 'DELETE');

const state = async () => {
  const [i, c, s] = await Promise.all([
    api('/v1/integrations?limit=100'),
    api('/v1/connections?limit=100'),
    api('/v1/settings'),
  ]);
  for (const r of [i, c, s]) {
    // Not the fuzzed request: a failure here is the test's own, and says what it got.
    if (r.status !== 200)
      throw new Error(`state read answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  }
  return JSON.stringify([i.body.data.integrations, c.body.data.connections, s.body.data]);
};

it('never answers 5xx, always the envelope, and a refusal stores nothing', { timeout: 120_000 }, async () => {
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...targets), body, query, fc.boolean(), async (route, b, q, ownId) => {
      const path = route.path
        .replace('{key}', ownId ? integration : 'nope')
        .replace('{id}', ownId ? connectionId : 'conn_nope')
        .replace('{provider}', 'github')
        .replace('{connection_id}', ownId ? connectionId : 'conn_nope')
        .replace('{path+}', 'user')
        .replace('{workspace_id}', 'ws_fuzz');
      const qs = new URLSearchParams(q).toString();
      const before = await state();
      // `ANY` rows: the proxy and MCP take POSTed bodies.
      const method = route.method === 'ANY' ? 'POST' : route.method;
      const r = await api(`${path}${qs ? `?${qs}` : ''}`, {
        method,
        ...(method !== 'GET' ? { body: b } : {}),
      });
      expect(r.status, `${route.method} ${path} ${b}`).toBeLessThan(500);
      // The MCP endpoint speaks JSON-RPC, errors included.
      if (path.startsWith('/v1/mcp/')) {
        if (r.status !== 202) expect(r.body.jsonrpc).toBe('2.0');
        if (r.status >= 400) {
          refused++;
          expect(await state()).toBe(before);
        }
        return;
      }
      // The proxy answers the provider's own body when it reached the provider.
      const ours =
        r.body?.status === 'success' || r.body?.error?.request_id === r.headers.get('x-request-id');
      if (path.startsWith('/v1/proxy/') && !ours) {
        expect(await state()).toBe(before);
        return;
      }
      const env: Json = r.body;
      expect(['success', 'error']).toContain(env.status);
      if (r.status >= 400) {
        refused++;
        expect(env.error.request_id).toBe(r.headers.get('x-request-id'));
        expect(await state()).toBe(before);
      }
    }),
    { numRuns: 250 },
  );
  expect(refused).toBeGreaterThan(150);
});
