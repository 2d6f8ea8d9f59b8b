import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as integrationsRepo from '../../core/store/integrations-repo';
import { type DnsOverride, overrideDns } from '../dns-override';
import { type GitLabFake, startGitLabFake } from '../fakes/gitlab';
import { sensitive } from '../leak-watch';
import { newBrowser } from './browser';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * The SSRF attacks, performed through the HTTP API on the local stack: a tenant points an
 * integration's endpoints or a connection's config at our own network (cloud metadata,
 * private addresses, loopback, a name that resolves there, a name that resolves there only
 * after it was checked), or sends a connection's refresh token to a host of its choosing.
 * Each attack must be refused, and a listener on the address it aims at must see nothing.
 */
let h: Harness;
let dns: DnsOverride;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** A TCP listener on 127.0.0.1 that counts who connects (a TLS hello is a connection too). */
type Listener = { port: number; connections: () => number; stop: () => Promise<void> };
const listen = async (): Promise<Listener> => {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    connections: () => connections,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
};

/** Runs `fn` as deployed: loopback is an address like any other private one. */
const withoutLoopback = async <T>(fn: () => Promise<T>): Promise<T> => {
  const before = process.env.ALLOW_HTTP_LOOPBACK;
  process.env.ALLOW_HTTP_LOOPBACK = 'false';
  try {
    return await fn();
  } finally {
    process.env.ALLOW_HTTP_LOOPBACK = before;
  }
};

const withAllowedHosts = async <T>(hosts: string, fn: () => Promise<T>): Promise<T> => {
  const before = process.env.ALLOWED_PROVIDER_HOSTS;
  process.env.ALLOWED_PROVIDER_HOSTS = hosts;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.ALLOWED_PROVIDER_HOSTS;
    else process.env.ALLOWED_PROVIDER_HOSTS = before;
  }
};

const issuePaths = (r: { body: Json }): string[] =>
  (r.body.error?.details?.issues ?? []).map((i: { path: string }) => i.path);

const PAT = sensitive('glpat-ssrf-0123456789abcdefghij');
const GH_PAT = sensitive('ghp_ssrf0123456789abcdefghijklmnopqrstuv');

let listener: Listener;
let seq = 0;
const key = (p: string) => `${p}-${++seq}`;

beforeAll(async () => {
  h = await startHarness();
  dns = overrideDns();
  listener = await listen();
});
afterAll(async () => {
  dns.restore();
  await listener.stop();
  await h.stop();
});
let seenBefore = 0;
beforeEach(() => {
  seenBefore = listener.connections();
});
/** Nothing of ours reached the listener since the test began. */
const expectListenerUntouched = () =>
  expect(listener.connections() - seenBefore, 'connections to the listener').toBe(0);
afterEach(expectListenerUntouched);

describe('endpoint overrides aimed at our network → 422 at creation', () => {
  it.each([
    ['cloud metadata', 'https://169.254.169.254/'],
    ['a private address', 'https://10.0.0.1/'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['NAT64 metadata', 'https://[64:ff9b::a9fe:a9fe]/'],
    ['a host that is not the provider’s', 'https://attacker.example/api/v3'],
  ])('api_base_url at %s', async (_, target) => {
    const r = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: key('gh'), provider: 'github', endpoints: { api_base_url: target } },
    });
    expectError(r, 422, 'validation_failed');
    expect(issuePaths(r)).toEqual(['body.endpoints.api_base_url']);
  });

  it('the same, as deployed (loopback not allowed): every loopback form is refused too', async () => {
    await withoutLoopback(async () => {
      for (const target of [
        'http://127.0.0.1:9/',
        'https://[::1]/',
        'https://localhost/',
        'https://[::ffff:7f00:1]/',
      ]) {
        const r = await api('/v1/integrations', {
          method: 'POST',
          body: { unique_key: key('gh'), provider: 'github', endpoints: { token_url: target } },
        });
        expectError(r, 422, 'validation_failed');
        expect(issuePaths(r), target).toEqual(['body.endpoints.token_url']);
      }
    });
  });

  it('the provider’s own domain and an operator-allow-listed host are accepted', async () => {
    const own = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: key('gh'),
        provider: 'github',
        endpoints: {
          api_base_url: 'https://api.github.com',
          token_url: 'https://github.com/login/oauth/access_token',
        },
      },
    });
    expect(own.status).toBe(201);
    await withAllowedHosts('ghe.acme.test', async () => {
      const listed = await api('/v1/integrations', {
        method: 'POST',
        body: {
          unique_key: key('gh'),
          provider: 'github',
          endpoints: { api_base_url: 'https://ghe.acme.test/api/v3' },
        },
      });
      expect(listed.status).toBe(201);
    });
  });
});

describe('a name that resolves to loopback, as deployed → refused when called', () => {
  it('an allow-listed API host resolving to 127.0.0.1: 502, and the listener sees nothing', async () => {
    dns.answer('ghe.rebind.test', ['127.0.0.1']);
    await withAllowedHosts('ghe.rebind.test', async () => {
      const integration = key('gh');
      const created = await api('/v1/integrations', {
        method: 'POST',
        body: {
          unique_key: integration,
          provider: 'github',
          endpoints: { api_base_url: `https://ghe.rebind.test:${listener.port}/api/v3` },
        },
      });
      expect(created.status).toBe(201);
      const r = await withoutLoopback(() =>
        api('/v1/connections', {
          method: 'POST',
          body: { integration, end_user_id: 'u_ssrf', credentials: { type: 'oauth2', access_token: GH_PAT } },
        }),
      );
      expectListenerUntouched();
      const e = expectError(r, 502, 'provider_unreachable');
      expect(e.message).toMatch(/address not allowed/);
      expect(e.message).not.toMatch(/127\.0\.0\.1|rebind/);
    });
    expect(dns.lookups('ghe.rebind.test')).toBeGreaterThan(0);
  });
});

describe('GitLab config.host', () => {
  let integration: string;
  beforeAll(async () => {
    integration = key('gl');
    const r = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: integration, provider: 'gitlab' },
    });
    expect(r.status).toBe(201);
  });
  const connect = (host: string) =>
    api('/v1/connections', {
      method: 'POST',
      body: {
        integration,
        end_user_id: 'u_gl',
        credentials: { type: 'api_key', api_key: PAT },
        config: { host },
      },
    });

  it.each([
    ['cloud metadata over http', 'http://169.254.169.254'],
    ['cloud metadata over https', 'https://169.254.169.254'],
    ['a private address', 'https://10.0.0.1'],
    ['an IPv6 unique-local address', 'https://[fd00:ec2::254]'],
    ['credentials in the URL', 'https://user:pass@gitlab.acme.test'],
    ['not a URL', 'gitlab.acme.test'],
  ])('%s → 422 at creation', async (_, host) => {
    const r = await connect(host);
    expectError(r, 422, 'validation_failed');
    expect(issuePaths(r)).toEqual(['body.config.host']);
  });

  it('a name that resolves to a private address → 422 at creation', async () => {
    dns.answer('gitlab.private.test', ['10.1.2.3']);
    const r = await connect('https://gitlab.private.test');
    expectError(r, 422, 'validation_failed');
    expect(issuePaths(r)).toEqual(['body.config.host']);
  });

  it('a name that resolves to a public address when checked, then to loopback: refused when called', async () => {
    dns.answer('gitlab.rebind.test', ['8.8.8.8'], ['127.0.0.1']);
    const r = await withoutLoopback(() => connect(`https://gitlab.rebind.test:${listener.port}`));
    expectListenerUntouched();
    const e = expectError(r, 502, 'provider_unreachable');
    expect(e.message).toMatch(/address not allowed/);
    // Looked up once when the config was checked, and again at connect time.
    expect(dns.lookups('gitlab.rebind.test')).toBeGreaterThanOrEqual(2);
  });
});

describe('a refresh token sent to a host of the tenant’s choosing', () => {
  const REDIRECT = 'https://app.acme.com/ssrf-done';
  let fake: GitLabFake;
  let integration: string;
  let connectionId: string;
  const evil = () => `https://evil.rebind.test:${listener.port}/oauth/token`;

  beforeAll(async () => {
    fake = await startGitLabFake();
    integration = key('gl-oauth');
    await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [REDIRECT] } });
    const created = await api('/v1/integrations', {
      method: 'POST',
      body: {
        unique_key: integration,
        provider: 'gitlab',
        oauth_client_id: fake.oauthClient.clientId,
        oauth_client_secret: fake.oauthClient.clientSecret,
        endpoints: {
          authorization_url: fake.authorizationUrl,
          token_url: fake.tokenUrl,
          api_base_url: fake.apiBaseUrl,
        },
      },
    });
    expect(created.status).toBe(201);
    const s = await api('/v1/connect/sessions', {
      method: 'POST',
      body: { integration, end_user_id: 'u_refresh', redirect_url: REDIRECT },
    });
    const done = await newBrowser().connect(s.body.data.auth_url);
    connectionId = done.searchParams.get('connection_id') as string;
    expect(connectionId).toMatch(/^conn_/);
    // The attacker's name resolves to the listener; loopback stays allowed (the local
    // stack), so only the endpoint rule stands between the refresh token and the listener.
    dns.answer('evil.rebind.test', ['127.0.0.1']);
  });
  afterAll(() => fake.stop());

  it('PATCH token_url to another host → 422, and refreshes still go to the provider', async () => {
    const r = await api(`/v1/integrations/${integration}`, {
      method: 'PATCH',
      body: {
        endpoints: {
          authorization_url: fake.authorizationUrl,
          token_url: evil(),
          api_base_url: fake.apiBaseUrl,
        },
      },
    });
    expectError(r, 422, 'validation_failed');
    expect(issuePaths(r)).toEqual(['body.endpoints.token_url']);
    const before = fake.refreshCount();
    const t = await api(`/v1/connections/${connectionId}/token?force_refresh=true`);
    expectListenerUntouched();
    expect(t.status).toBe(200);
    expect(fake.refreshCount() - before).toBe(1);
  });

  it('an integration stored with such a token_url before the rule: the refresh is refused, the connection stays active', async () => {
    const stored = await integrationsRepo.getIntegration(h.tenantId, integration);
    if (!stored) throw new Error('integration missing');
    const ok = await integrationsRepo.replaceIntegration(
      {
        ...stored,
        endpoints: { ...stored.endpoints, token_url: evil() },
        updated_at: new Date().toISOString(),
      },
      stored.updated_at,
    );
    expect(ok).toBe(true);
    const before = fake.refreshCount();
    await new Promise((r) => setTimeout(r, 2_100)); // past the shared-refresh window
    const t = await api(`/v1/connections/${connectionId}/token?force_refresh=true`);
    expectListenerUntouched();
    const e = expectError(t, 502, 'provider_unreachable');
    expect(e.message).toMatch(/token_url/);
    expect(fake.refreshCount()).toBe(before);
    expect((await api(`/v1/connections/${connectionId}`)).body.data.status).toBe('active');
  });
});
