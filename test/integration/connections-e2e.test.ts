import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../adapters';
import { logger } from '../../functions/middleware/logger';
import { startClickUpFake } from '../fakes/clickup';
import { startDatadogFake } from '../fakes/datadog';
import { startGitHubFake } from '../fakes/github';
import { startGitLabFake } from '../fakes/gitlab';
import { startJiraFake } from '../fakes/jira';
import { startLinearFake } from '../fakes/linear';
import type { ProviderFake } from '../fakes/server';
import { startSonarCloudFake } from '../fakes/sonarcloud';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, type Json, type Reply, startHarness } from './harness';

/**
 * Issue 3 as a new user tries it: an integration and a connection for every provider
 * (fake servers), list, filter, page with limit=1 to the end, patch, delete — in the
 * envelope, with rate-limit headers; wrong credentials → 422 with the provider's
 * reason; provider down → 502; nothing half-created. Every log line and response
 * body of the run is captured and must hold no secret.
 */
type Fake = ProviderFake<Credentials>;
const providers: [string, () => Promise<Fake>][] = [
  ['github', startGitHubFake],
  ['gitlab', startGitLabFake],
  ['jira', startJiraFake],
  ['linear', startLinearFake],
  ['clickup', startClickUpFake],
  ['datadog', startDatadogFake],
  ['sonarcloud', startSonarCloudFake],
];

let h: Harness;
const fakes = new Map<string, Fake>();
const connections = new Map<string, string>();
const secrets = new Set<string>();
const captured: string[] = [];
const responses: Reply[] = [];
let restoreStdout: () => void;

const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const r = await call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  responses.push(r);
  return r;
};

/** The secret values of credentials, each registered for the final grep. */
const secretValuesOf = (c: Credentials): string[] => {
  const values =
    c.type === 'api_key'
      ? [c.api_key, c.app_key]
      : c.type === 'basic'
        ? [c.password]
        : c.type === 'oauth2'
          ? [c.access_token, c.refresh_token]
          : [];
  return values.filter((v): v is string => typeof v === 'string');
};

/** The same credentials with each secret off by its last character. */
const wrong = (c: Credentials): Credentials => {
  const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;
  if (c.type === 'api_key') return { ...c, api_key: flip(c.api_key) };
  if (c.type === 'basic') return { ...c, password: flip(c.password) };
  if (c.type === 'oauth2') return { ...c, access_token: flip(c.access_token) };
  return c;
};

beforeAll(async () => {
  // Everything the handlers log, at the most talkative level, goes through here.
  logger.setLogLevel('DEBUG');
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(chunk.toString());
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(chunk.toString());
    return writeErr(chunk, ...rest);
  }) as typeof process.stderr.write;
  // vitest routes console.* around process.stdout, so stray console calls are captured too.
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((m) => console[m]);
  for (const m of methods) {
    const original = console[m];
    console[m] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      original(...args);
    };
  }
  restoreStdout = () => {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    methods.forEach((m, i) => {
      console[m] = originals[i] as (typeof console)[typeof m];
    });
  };
  h = await startHarness();
  for (const [name, start] of providers) {
    const fake = await start();
    fakes.set(name, fake);
    for (const s of secretValuesOf(fake.valid)) secrets.add(s);
  }
});

afterAll(async () => {
  restoreStdout();
  logger.setLogLevel('WARN');
  await h.stop();
  await Promise.all([...fakes.values()].map((f) => f.stop()));
});

describe.each(providers.map(([name]) => [name]))('%s', (name) => {
  const key = `${name}-e2e`;

  it('creates the integration, refuses wrong credentials and a provider outage, then connects', async () => {
    const fake = fakes.get(name) as Fake;
    const webhookSecret = `whsec_${name}_0123456789abcdef`;
    secrets.add(sensitive(webhookSecret));
    const providerDetail = (await api(`/v1/providers/${name}`)).body.data;
    const integration = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: key,
        provider: name,
        ...(providerDetail.webhooks ? { webhook_secret: webhookSecret } : {}),
        endpoints: { api_base_url: fake.apiBaseUrl },
      },
    });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);

    const body = { integration: key, end_user_id: 'u_42', workspace_id: 'ws_1', credentials: fake.valid };
    const bad = await api('/v1/connections', {
      method: 'POST',
      body: { ...body, credentials: wrong(fake.valid) },
    });
    const e = expectError(bad, 422, 'validation_failed');
    expect(e.details.provider_message.length).toBeGreaterThan(0);
    expect(e.message).toContain(e.details.provider_message);

    fake.setDown(true);
    expectError(await api('/v1/connections', { method: 'POST', body }), 502, 'provider_unreachable');
    fake.setDown(false);

    // Neither attempt left anything behind.
    expect((await api(`/v1/connections?integration=${key}`)).body.data.connections).toEqual([]);
    expect((await api(`/v1/integrations/${key}`)).body.data.connection_count).toBe(0);

    const ok = await api('/v1/connections', { method: 'POST', body });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.headers.get('x-ratelimit-limit')).not.toBeNull();
    const c = ok.body.data;
    expect(c).toMatchObject({
      integration: key,
      provider: name,
      status: 'active',
      sync_status: 'healthy',
      end_user_id: 'u_42',
      workspace_id: 'ws_1',
      provider_account: fake.account,
      credentials: { type: fake.valid.type },
    });
    expect(c.id).toMatch(/^conn_/);
    connections.set(name, c.id);
    expect((await api(`/v1/integrations/${key}`)).body.data.connection_count).toBe(1);

    // The same account for the same user again: the same connection, refreshed.
    const again = await api('/v1/connections', { method: 'POST', body });
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(c.id);
    expect((await api(`/v1/integrations/${key}`)).body.data.connection_count).toBe(1);
  });
});

describe('across providers', () => {
  it('lists, filters and pages with limit=1 to the end', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r: Reply = await api(
        `/v1/connections?end_user_id=u_42&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-remaining')).not.toBeNull();
      ids.push(...r.body.data.connections.map((x: Json) => x.id));
      cursor = r.body.data.next_cursor;
    } while (cursor);
    expect(ids.sort()).toEqual([...connections.values()].sort());

    for (const [name, id] of connections) {
      const byProvider = await api(`/v1/connections?provider=${name}`);
      expect(byProvider.body.data.connections.map((x: Json) => x.id)).toEqual([id]);
    }
    expect((await api('/v1/connections?status=expired')).body.data.connections).toEqual([]);
    expect((await api('/v1/connections?workspace_id=ws_1&limit=100')).body.data.connections).toHaveLength(
      connections.size,
    );
    expect((await api('/v1/connections?end_user_id=u_nobody')).body.data.connections).toEqual([]);
  });

  it('gets one with its syncs, and patches name, metadata and config', async () => {
    const id = connections.get('github') as string;
    const got = await api(`/v1/connections/${id}`);
    expect(got.body.data.syncs.map((s: Json) => s.name)).toEqual([
      'commits',
      'issues',
      'pull_requests',
      'repositories',
    ]);
    expect(got.body.data.sync_runs).toEqual([]);

    const p = await api(`/v1/connections/${id}`, {
      method: 'PATCH',
      body: {
        name: 'Acme GitHub',
        metadata: { plan: 'pro', region: 'eu' },
        config: { repositories: ['payments-api'] },
      },
    });
    expect(p.status).toBe(200);
    expect(p.body.data).toMatchObject({
      name: 'Acme GitHub',
      metadata: { plan: 'pro', region: 'eu' },
      config: { repositories: ['payments-api'] },
    });
    const merged = await api(`/v1/connections/${id}`, {
      method: 'PATCH',
      body: { metadata: { region: null, tier: 2 } },
    });
    expect(merged.body.data.metadata).toEqual({ plan: 'pro', tier: 2 });
    const badConfig = await api(`/v1/connections/${id}`, {
      method: 'PATCH',
      body: { config: { repos: ['x'] } },
    });
    expect(expectError(badConfig, 422, 'validation_failed').details.issues).toEqual([
      { path: 'body.config.repos', message: "GitHub has no config 'repos'." },
    ]);
    // A value the provider's config schema refuses, and a URL to an IP address (the host check):
    // each named by its path, and the config stored before stays.
    const badValue = await api(`/v1/connections/${id}`, {
      method: 'PATCH',
      body: { config: { organization: '-acme' } },
    });
    expect(expectError(badValue, 422, 'validation_failed').details.issues.map((i: Json) => i.path)).toEqual([
      'body.config.organization',
    ]);
    const ipUrl = await api(`/v1/connections/${id}`, {
      method: 'PATCH',
      body: { config: { repositories: ['https://10.0.0.1/acme/payments-api'] } },
    });
    expect(expectError(ipUrl, 422, 'validation_failed').details.issues).toEqual([
      { path: 'body.config.repositories.0', message: 'Must name a host, not an IP address.' },
    ]);
    expect((await api(`/v1/connections/${id}`)).body.data.config).toEqual({ repositories: ['payments-api'] });
  });

  it('deletes each connection, and its integration count follows', async () => {
    for (const [name, id] of connections) {
      const r = await api(`/v1/connections/${id}?purge_records=true`, { method: 'DELETE' });
      expect(r.status).toBe(200);
      expect(r.body.data).toMatchObject({ id, deleted: true });
      expectError(await api(`/v1/connections/${id}`), 404, 'not_found');
      expect((await api(`/v1/integrations/${name}-e2e`)).body.data.connection_count).toBe(0);
    }
    expect((await api('/v1/connections?end_user_id=u_42')).body.data.connections).toEqual([]);
  });

  it('deleting an integration deletes its connections', async () => {
    const fake = fakes.get('linear') as Fake;
    const c = await api('/v1/connections', {
      method: 'POST',
      body: { integration: 'linear-e2e', end_user_id: 'u_7', credentials: fake.valid },
    });
    expect(c.status).toBe(201);
    expect((await api('/v1/integrations/linear-e2e', { method: 'DELETE' })).status).toBe(200);
    expectError(await api(`/v1/connections/${c.body.data.id}`), 404, 'not_found');
    expectError(
      await api('/v1/connections', {
        method: 'POST',
        body: { integration: 'linear-e2e', end_user_id: 'u_7', credentials: fake.valid },
      }),
      400,
      'integration_not_configured',
    );
  });

  it('no secret, token or password in any response body or log line', () => {
    const text = [...captured, ...responses.map((r) => JSON.stringify(r.body))].join('\n');
    // The capture works: handler log lines and our connection ids are in it.
    expect(captured.some((l) => l.includes('"message":"request"'))).toBe(true);
    expect(text).toContain(connections.get('github'));
    expect(secrets.size).toBeGreaterThanOrEqual(providers.length);
    const leaked = [...secrets].filter((s) => text.includes(s));
    expect(leaked).toEqual([]);
  });
});
