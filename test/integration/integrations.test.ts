import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsClient } from '../../core/platform/secrets-manager';
import { getIntegration } from '../../core/store/integrations-repo';
import { generateAppKeyPair } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

let h: Harness;
let url: string;
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const allowedBefore = process.env.ALLOWED_PROVIDER_HOSTS;
beforeAll(async () => {
  h = await startHarness();
  url = h.gateway.url;
  // The operator's GitHub Enterprise Server (API.md's example): allow-listed at deploy time.
  process.env.ALLOWED_PROVIDER_HOSTS = 'ghe.acme.com';
});
afterAll(async () => {
  if (allowedBefore === undefined) delete process.env.ALLOWED_PROVIDER_HOSTS;
  else process.env.ALLOWED_PROVIDER_HOSTS = allowedBefore;
  await h.stop();
});

const CLIENT_SECRET = sensitive('gh-oauth-client-secret-0123456789abcdef');
const WEBHOOK_SECRET = sensitive('whsec-github-0123456789');
// Generated per run: no key material is committed.
const PRIVATE_KEY = sensitive(generateAppKeyPair().privateKey);

describe('POST /v1/integrations', () => {
  it('creates one: secrets to Secrets Manager, has_* flags and the webhook URL back', async () => {
    const r = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: 'github-prod',
        provider: 'github',
        oauth_client_id: 'Iv1.abc',
        oauth_client_secret: CLIENT_SECRET,
        scopes: ['repo'],
        webhook_secret: WEBHOOK_SECRET,
        app: { app_id: '123', slug: 'acme-sync', private_key: PRIVATE_KEY },
        endpoints: { api_base_url: 'https://ghe.acme.com/api/v3' },
      },
    });
    expect(r.status).toBe(201);
    const i = r.body.data;
    expect(i).toMatchObject({
      unique_key: 'github-prod',
      provider: 'github',
      display_name: 'GitHub',
      oauth_client_id: 'Iv1.abc',
      scopes: ['repo'],
      app: { app_id: '123', slug: 'acme-sync', has_private_key: true },
      endpoints: { api_base_url: 'https://ghe.acme.com/api/v3' },
      has_oauth_client_secret: true,
      has_webhook_secret: true,
      has_app_private_key: true,
      connection_count: 0,
    });
    expect(i.webhook_url).toBe(`${process.env.WEBHOOK_BASE_URL}/${h.tenantId}/github-prod`);
    const text = JSON.stringify(r.body);
    for (const s of [CLIENT_SECRET, WEBHOOK_SECRET, 'BEGIN RSA']) expect(text).not.toContain(s);
    // …and they are in Secrets Manager, one secret for the integration.
    const name = `integrations/tenants/${h.tenantId}/github-prod/`;
    const list = await secretsClient().send(
      new DescribeSecretCommand({ SecretId: await secretNameOf('github-prod') }),
    );
    expect(list.Name?.startsWith(name)).toBe(true);
    const stored = await secretsClient().send(new GetSecretValueCommand({ SecretId: list.Name }));
    expect(JSON.parse(stored.SecretString as string)).toEqual({
      oauth_client_secret: CLIENT_SECRET,
      webhook_secret: WEBHOOK_SECRET,
      app_private_key: PRIVATE_KEY,
    });
  });

  it('a taken unique_key → 409 conflict, and nothing changes', async () => {
    await api('/v1/integrations', { method: 'POST', body: { unique_key: 'linear-dup', provider: 'linear' } });
    const r = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'linear-dup', provider: 'linear', display_name: 'Other' },
    });
    expectError(r, 409, 'conflict');
    expect((await api('/v1/integrations/linear-dup')).body.data.display_name).toBe('Linear');
  });

  it('an unknown provider → 404 unknown_provider', async () => {
    expectError(
      await api('/v1/integrations', { method: 'POST', body: { unique_key: 'x', provider: 'gitbub' } }),
      404,
      'unknown_provider',
    );
  });

  it.each([
    [{ unique_key: 'Bad Key', provider: 'github' }, 'body.unique_key'],
    [
      { unique_key: 'ok', provider: 'github', endpoints: { api_base_url: 'http://ghe.acme.com' } },
      'body.endpoints.api_base_url',
    ],
    [
      { unique_key: 'ok', provider: 'github', endpoints: { api_base_url: 'https://u:p@ghe.acme.com' } },
      'body.endpoints.api_base_url',
    ],
    [
      // Off GitHub's domains and not on the operator's allow-list.
      {
        unique_key: 'ok',
        provider: 'github',
        endpoints: { token_url: 'https://ghe.other.com/login/oauth/access_token' },
      },
      'body.endpoints.token_url',
    ],
    [
      { unique_key: 'ok', provider: 'github', endpoints: { api_base_url: 'https://169.254.169.254/' } },
      'body.endpoints.api_base_url',
    ],
    [{ unique_key: 'ok', provider: 'jira', app: { app_id: '1' } }, 'body.app'],
    [
      { unique_key: 'ok', provider: 'github', app: { app_id: '1', private_key: 'not a pem' } },
      'body.app.private_key',
    ],
    [{ unique_key: 'ok', provider: 'github', surprise: true }, 'body'],
    [{ provider: 'github' }, 'body.unique_key'],
  ])('refuses %j (422 naming %s) and stores nothing', async (body, path) => {
    const e = expectError(await api('/v1/integrations', { method: 'POST', body }), 422, 'validation_failed');
    expect(e.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    expectError(await api('/v1/integrations/ok'), 404, 'not_found');
  });
});

describe('reading, changing and deleting', () => {
  beforeAll(async () => {
    for (const key of ['jira-a', 'jira-b', 'jira-c']) {
      await api('/v1/integrations', { method: 'POST', body: { unique_key: key, provider: 'jira' } });
    }
  });

  it('lists with connection_count and pages with limit=1 to the end', async () => {
    const seen: Json[] = [];
    let cursor: string | null = null;
    do {
      const r: Awaited<ReturnType<typeof api>> = await api(
        `/v1/integrations?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.data.integrations);
      cursor = r.body.data.next_cursor;
    } while (cursor);
    const keys = seen.map((i) => i.unique_key);
    expect(keys).toEqual(expect.arrayContaining(['jira-a', 'jira-b', 'jira-c']));
    expect(new Set(keys).size).toBe(keys.length);
    for (const i of seen) expect(typeof i.connection_count).toBe('number');
  });

  it('PATCH changes fields, replaces and clears secrets, and refuses key or provider', async () => {
    const r = await api('/v1/integrations/jira-a', {
      method: 'PATCH',
      body: { display_name: 'Jira (EU)', oauth_client_id: 'cid', oauth_client_secret: 'first-secret-value' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({
      display_name: 'Jira (EU)',
      oauth_client_id: 'cid',
      has_oauth_client_secret: true,
    });
    const cleared = await api('/v1/integrations/jira-a', {
      method: 'PATCH',
      body: { oauth_client_secret: null },
    });
    expect(cleared.body.data.has_oauth_client_secret).toBe(false);
    expect(cleared.body.data.oauth_client_id).toBe('cid');
    for (const body of [{ unique_key: 'other' }, { provider: 'github' }]) {
      expectError(await api('/v1/integrations/jira-a', { method: 'PATCH', body }), 422, 'validation_failed');
    }
    expectError(
      await api('/v1/integrations/nope', { method: 'PATCH', body: { display_name: 'x' } }),
      404,
      'not_found',
    );
  });

  it('DELETE removes it and schedules its secret for deletion', async () => {
    await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'gone', provider: 'github', webhook_secret: 'delete-me-secret' },
    });
    const name = await secretNameOf('gone');
    const r = await api('/v1/integrations/gone', { method: 'DELETE' });
    expect(r.status).toBe(200);
    expectError(await api('/v1/integrations/gone'), 404, 'not_found');
    const d = await secretsClient().send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.DeletedDate).toBeInstanceOf(Date);
    expectError(await api('/v1/integrations/gone', { method: 'DELETE' }), 404, 'not_found');
  });
});

describe('settings', () => {
  it('has defaults, takes a patch, and validates it', async () => {
    const d = await api('/v1/settings');
    expect(d.body.data).toEqual({ redirect_url_allowlist: [], default_sync_frequency: '1h' });
    const p = await api('/v1/settings', {
      method: 'PATCH',
      body: {
        redirect_url_allowlist: ['https://app.acme.com/settings/integrations'],
        default_sync_frequency: '15m',
      },
    });
    expect(p.body.data).toEqual({
      redirect_url_allowlist: ['https://app.acme.com/settings/integrations'],
      default_sync_frequency: '15m',
    });
    expect((await api('/v1/settings')).body.data.default_sync_frequency).toBe('15m');
    for (const body of [
      { redirect_url_allowlist: ['http://app.acme.com/cb'] },
      { redirect_url_allowlist: ['https://app.acme.com/cb#frag'] },
      { default_sync_frequency: '30s' },
      { default_sync_frequency: '31d' },
      { default_sync_frequency: 'hourly' },
      { rate_limit_per_minute: 100000 },
    ]) {
      expectError(await api('/v1/settings', { method: 'PATCH', body }), 422, 'validation_failed');
    }
    expect((await api('/v1/settings')).body.data.default_sync_frequency).toBe('15m');
  });
});

// The secret's name carries the integration id, which the API never shows.
async function secretNameOf(key: string): Promise<string> {
  return (await getIntegration(h.tenantId, key))?.secret_name as string;
}
