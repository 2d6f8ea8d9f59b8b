import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerNames } from '../../adapters/manifests';
import { revokeKey } from '../../core/tenants/tenants';
import { call, expectError, type Harness, newTenant, startHarness } from './harness';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness();
  url = h.gateway.url;
});
afterAll(() => h.stop());

describe('health', () => {
  it('GET /health answers ok without a key', async () => {
    const r = await call(url, '/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'success', data: { status: 'ok' } });
    expect(r.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]{26}$/);
    expect(r.headers.get('x-api-version')).toBe('2026-11-01');
  });

  it('GET /health/ready checks DynamoDB, SQS and Secrets Manager', async () => {
    const r = await call(url, '/health/ready');
    expect(r.status).toBe(200);
    expect(r.body.data.status).toBe('ok');
    for (const dep of ['dynamodb', 'sqs', 'secrets_manager'])
      expect(r.body.data.checks[dep].status).toBe('ok');
  });
});

describe('authentication', () => {
  it('no key → 401 unauthorized', async () => {
    expectError(await call(url, '/v1/providers'), 401, 'unauthorized');
  });

  it.each([
    ['not bearer', 'Basic abc'],
    ['malformed key', 'Bearer sk_live_short'],
    ['unknown key', `Bearer sk_live_${'x'.repeat(43)}`],
    ['empty bearer', 'Bearer '],
  ])('%s → 401 unauthorized', async (_, authorization) => {
    expectError(await call(url, '/v1/providers', { headers: { authorization } }), 401, 'unauthorized');
  });

  it('a revoked key stops working at once', async () => {
    const t = await newTenant('revoked');
    expect((await call(url, '/v1/providers', { key: t.key })).status).toBe(200);
    await revokeKey(t.keyId);
    expectError(await call(url, '/v1/providers', { key: t.key }), 401, 'unauthorized');
  });

  it('an error never echoes the credential', async () => {
    const bogus = `sk_live_${'s3cr3t'.repeat(8)}`;
    const r = await call(url, '/v1/providers', { key: bogus });
    expect(JSON.stringify(r.body)).not.toContain('s3cr3t');
  });
});

describe('API versions', () => {
  it('an unknown X-Api-Version → 400 listing the supported ones', async () => {
    const r = await call(url, '/v1/providers', { key: h.key, headers: { 'x-api-version': '1999-01-01' } });
    const e = expectError(r, 400, 'unsupported_api_version');
    expect(e.details.supported).toEqual(['2026-11-01']);
  });

  it('a known version is echoed', async () => {
    const r = await call(url, '/v1/providers', { key: h.key, headers: { 'x-api-version': '2026-11-01' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-api-version')).toBe('2026-11-01');
  });
});

describe('GET /v1/providers', () => {
  it('lists the whole catalog in the envelope', async () => {
    const r = await call(url, '/v1/providers?limit=100', { key: h.key });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('success');
    const names = r.body.data.providers.map((p: { name: string }) => p.name).sort();
    expect(names).toEqual([...providerNames].sort());
    expect(r.body.data.next_cursor).toBeNull();
    const github = r.body.data.providers.find((p: { name: string }) => p.name === 'github');
    expect(github).toEqual({
      name: 'github',
      display_name: 'GitHub',
      categories: ['code_host'],
      auth_modes: ['oauth2', 'app_install'],
      capabilities: {
        syncs: ['issues', 'pull_requests', 'commits', 'repositories'],
        actions: ['list_repos', 'list_issues', 'create_issue', 'list_pull_requests', 'comment_on_issue'],
        webhooks: true,
        csv_import: false,
      },
      curated: true,
    });
  });

  it('pages with limit=1 to the end, each provider once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const r = await call(url, `/v1/providers?limit=1${q}`, { key: h.key });
      expect(r.status).toBe(200);
      expect(r.body.data.providers).toHaveLength(1);
      seen.push(r.body.data.providers[0].name);
      cursor = r.body.data.next_cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toHaveLength(providerNames.length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('defaults to 20 per page', async () => {
    const r = await call(url, '/v1/providers', { key: h.key });
    expect(r.body.data.providers.length).toBe(Math.min(20, providerNames.length));
  });

  it.each([
    ['category=calendar', ['google_calendar', 'outlook']],
    ['category=mail', ['gmail', 'outlook']],
    ['category=communication', ['microsoft_teams', 'resend', 'slack']],
    ['search=git', ['github', 'gitlab']],
    ['search=GOOGLE', ['google_calendar']],
    // Search covers what a provider syncs and does, not only its name.
    ['search=merge_requests', ['gitlab']],
    ['search=send_message', ['slack']],
    ['search=calendar_event', ['google_calendar', 'outlook']],
    ['capability=app_install', ['github']],
    ['capability=basic', ['azure_boards', 'azure_devops', 'bitbucket', 'jira']],
    ['capability=calendar_event', ['google_calendar', 'outlook']],
    ['category=task_manager&capability=api_key', ['clickup', 'linear']],
    ['category=design', ['figma']],
    ['category=billing', ['stripe']],
    ['search=invoice', ['stripe']],
  ])('filters with %s', async (q, expected) => {
    const r = await call(url, `/v1/providers?${q}`, { key: h.key });
    expect(r.status).toBe(200);
    expect(r.body.data.providers.map((p: { name: string }) => p.name).sort()).toEqual(expected);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['category=games', 'query.category'],
    ['capability=teleport', 'query.capability'],
    ['colour=red', 'query'],
  ])('%s → 422 validation_failed naming %s', async (q, path) => {
    const e = expectError(await call(url, `/v1/providers?${q}`, { key: h.key }), 422, 'validation_failed');
    expect(e.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    for (const issue of e.details.issues) expect(typeof issue.message).toBe('string');
  });

  describe('cursors', () => {
    const firstCursor = async (key: string, q = '') => {
      const r = await call(url, `/v1/providers?limit=2${q}`, { key });
      return r.body.data.next_cursor as string;
    };

    it('a forged cursor → 400 invalid_cursor', async () => {
      const real = await firstCursor(h.key);
      const [payload, mac] = real.split('.') as [string, string];
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
      decoded.d = 0;
      const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
      for (const c of [forged, 'garbage', `${payload}.`, `${payload}.${mac}.x`, '%%%']) {
        expectError(
          await call(url, `/v1/providers?limit=2&cursor=${encodeURIComponent(c)}`, { key: h.key }),
          400,
          'invalid_cursor',
        );
      }
    });

    it("another tenant's cursor → 400 invalid_cursor", async () => {
      const other = await newTenant('other');
      const foreign = await firstCursor(other.key);
      const r = await call(url, `/v1/providers?limit=2&cursor=${encodeURIComponent(foreign)}`, {
        key: h.key,
      });
      expectError(r, 400, 'invalid_cursor');
    });

    it('a cursor replayed with other filters → 400 invalid_cursor', async () => {
      const c = await firstCursor(h.key, '&search=g');
      const r = await call(url, `/v1/providers?limit=2&search=x&cursor=${encodeURIComponent(c)}`, {
        key: h.key,
      });
      expectError(r, 400, 'invalid_cursor');
    });
  });
});

describe('GET /v1/providers/{provider}', () => {
  it('details auth, syncs, actions with JSON Schema, and webhooks', async () => {
    const r = await call(url, '/v1/providers/github', { key: h.key });
    expect(r.status).toBe(200);
    const p = r.body.data;
    expect(p.auth.oauth2.authorization_url).toBe('https://github.com/login/oauth/authorize');
    expect(p.auth.oauth2.default_scopes).toEqual(['repo', 'read:user']);
    expect(p.auth.app_install.credential_fields.map((f: { name: string }) => f.name)).toEqual([
      'installation_id',
    ]);
    expect(p.syncs).toContainEqual({
      name: 'issues',
      model: 'work_item',
      description: expect.any(String),
      default_frequency: '1h',
      incremental: true,
      // The shape of its records.
      model_schema: expect.objectContaining({
        type: 'object',
        required: expect.arrayContaining(['title', 'status', 'raw_status', 'updated_at']),
      }),
    });
    const create = p.actions.find((a: { name: string }) => a.name === 'create_issue');
    expect(create).toMatchObject({ tool: 'github_create_issue', writes: true });
    expect(create.input_schema).toMatchObject({
      type: 'object',
      required: ['repo', 'title'],
      properties: { title: { type: 'string', minLength: 1 } },
    });
    expect(p.webhooks.signature).toEqual({ scheme: 'hmac_sha256_hex', header: 'x-hub-signature-256' });
  });

  it('Jira declares basic credentials and the Atlassian audience', async () => {
    const p = (await call(url, '/v1/providers/jira', { key: h.key })).body.data;
    expect(
      p.auth.basic.credential_fields.map((f: { name: string; secret: boolean }) => [f.name, f.secret]),
    ).toEqual([
      ['username', false],
      ['password', true],
    ]);
    expect(p.config_schema.properties.site.type).toBe('string');
  });

  it('an unknown provider → 404 unknown_provider with a remediation', async () => {
    const e = expectError(await call(url, '/v1/providers/gitbub', { key: h.key }), 404, 'unknown_provider');
    expect(e.message).toBe("No provider named 'gitbub'.");
    expect(e.remediation).toBe('GET /v1/providers lists the providers.');
  });

  it('needs a key', async () => {
    expectError(await call(url, '/v1/providers/github'), 401, 'unauthorized');
  });
});

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/v1/nothing'],
    ['DELETE', '/v1/providers'],
    ['POST', '/health'],
    ['GET', '/'],
  ])('%s %s → 404 not_found in the envelope', async (method, path) => {
    expectError(await call(url, path, { method, key: h.key }), 404, 'not_found');
  });
});
