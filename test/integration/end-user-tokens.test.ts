import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deriveKey, loadDataKeys } from '../../core/keys/data-key';
import { MAX_TTL_SECONDS, verifyEndUserToken } from '../../core/tenants/end-user-tokens';
import { createKey, revokeKey } from '../../core/tenants/tenants';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, expectError, type Harness, newTenant, startHarness } from './harness';

// How long a container trusts its last read of a minting key's status (60 s in production).
process.env.KEY_STATUS_CACHE_SECONDS = '1';

let h: Harness;
let fake: GitHubFake;
const conns: Record<string, string> = {};

const asSecret = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const as = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: token,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const mint = async (endUser: string, ttl?: number) => {
  const r = await asSecret('/v1/end-user-tokens', {
    method: 'POST',
    body: { end_user_id: endUser, ...(ttl ? { ttl_seconds: ttl } : {}) },
  });
  expect(r.status).toBe(201);
  return r.body.data as { token: string; end_user_id: string; expires_at: string };
};

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  await asSecret('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  await asSecret('/v1/settings', {
    method: 'PATCH',
    body: { redirect_url_allowlist: ['https://app.acme.com/cb'] },
  });
  for (const user of ['u_alice', 'u_bob']) {
    const r = await asSecret('/v1/connections', {
      method: 'POST',
      body: { integration: 'gh', end_user_id: user, credentials: fake.valid },
    });
    conns[user] = r.body.data.id;
  }
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

describe('POST /v1/end-user-tokens', () => {
  it('mints an expiring eut_ token bound to the user', async () => {
    const t = await mint('u_alice', 600);
    expect(t.token).toMatch(/^eut_\d+\.[\w-]+\.[\w-]{43}$/);
    expect(t.end_user_id).toBe('u_alice');
    const left = Date.parse(t.expires_at) - Date.now();
    expect(left).toBeGreaterThan(590_000);
    expect(left).toBeLessThanOrEqual(600_000);
  });

  it.each([
    { end_user_id: 'u', ttl_seconds: 10 },
    { end_user_id: 'u', ttl_seconds: 90_000 },
    { end_user_id: 'has space' },
    { ttl_seconds: 600 },
    { end_user_id: 'u', extra: true },
  ])('refuses %j', async (body) => {
    expectError(await asSecret('/v1/end-user-tokens', { method: 'POST', body }), 422, 'validation_failed');
  });

  it('cannot be minted with an end-user token', async () => {
    const t = await mint('u_alice');
    expectError(
      await as(t.token, '/v1/end-user-tokens', { method: 'POST', body: { end_user_id: 'u_alice' } }),
      403,
      'forbidden',
    );
  });
});

describe('with an end-user token', () => {
  it('lists only its own connections, and refuses to list another user’s', async () => {
    const { token } = await mint('u_alice');
    const r = await as(token, '/v1/connections');
    expect(r.status).toBe(200);
    expect(r.body.data.connections.map((c: { id: string }) => c.id)).toEqual([conns.u_alice]);
    expectError(await as(token, '/v1/connections?end_user_id=u_bob'), 403, 'forbidden');
  });

  it('gets and deletes its own connection; another user’s is 404', async () => {
    const { token } = await mint('u_bob');
    expect((await as(token, `/v1/connections/${conns.u_bob}`)).status).toBe(200);
    expectError(await as(token, `/v1/connections/${conns.u_alice}`), 404, 'not_found');
    expectError(await as(token, `/v1/connections/${conns.u_alice}`, { method: 'DELETE' }), 404, 'not_found');
    expect((await asSecret(`/v1/connections/${conns.u_alice}`)).status).toBe(200); // still there
  });

  it('opens connect sessions for its own user only', async () => {
    const { token } = await mint('u_alice');
    const body = { integration: 'gh', redirect_url: 'https://app.acme.com/cb' };
    // GitHub here has no OAuth client, so the session is refused — but only after auth.
    expectError(
      await as(token, '/v1/connect/sessions', { method: 'POST', body: { ...body, end_user_id: 'u_bob' } }),
      403,
      'forbidden',
    );
    expectError(await as(token, '/v1/connect/sessions', { method: 'POST', body }), 422, 'validation_failed');
  });

  it.each([
    ['GET', '/v1/integrations'],
    ['POST', '/v1/connections'],
    ['PATCH', '/v1/connections/conn_x'],
    ['GET', '/v1/connections/conn_x/token'],
    ['GET', '/v1/settings'],
    ['GET', '/v1/providers'],
  ])('%s %s → 403 forbidden', async (method, path) => {
    const { token } = await mint('u_alice');
    expectError(
      await as(token, path, { method, ...(method !== 'GET' ? { body: {} } : {}) }),
      403,
      'forbidden',
    );
  });

  it('an expired, tampered or foreign token → 401', async () => {
    const { token } = await mint('u_alice', 60);
    const [version, payload, sig] = token.slice(4).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forge = (c: object) =>
      `eut_${version}.${Buffer.from(JSON.stringify(c)).toString('base64url')}.${sig}`;
    for (const bad of [
      forge({ ...claims, u: 'u_bob' }),
      forge({ ...claims, exp: claims.exp + 3600 }),
      `${token}x`,
      `eut_${Number(version) + 1}.${payload}.${sig}`,
      'eut_nope',
    ]) {
      expectError(await as(bad, '/v1/connections'), 401, 'unauthorized');
    }
    // Another tenant's valid token sees none of this tenant's connections.
    const other = await newTenant('other');
    const theirs = await call(h.gateway.url, '/v1/end-user-tokens', {
      key: other.key,
      method: 'POST',
      body: JSON.stringify({ end_user_id: 'u_alice' }),
    });
    const r = await as(theirs.body.data.token, '/v1/connections');
    expect(r.body.data.connections).toEqual([]);
    expectError(await as(theirs.body.data.token, `/v1/connections/${conns.u_alice}`), 404, 'not_found');
  });
});

describe('revoking the key that minted a token', () => {
  it('revokes the token within the key-status window (here 1 s; 60 s at most)', async () => {
    const { key, secret } = await createKey(h.tenantId, { mode: 'test' });
    const minted = await call(h.gateway.url, '/v1/end-user-tokens', {
      key: secret,
      method: 'POST',
      body: JSON.stringify({ end_user_id: 'u_alice', ttl_seconds: 3600 }),
    });
    expect(minted.status).toBe(201);
    const token = minted.body.data.token as string;
    // A token minted by another key of the tenant is not affected.
    const other = await mint('u_alice');
    expect((await as(token, '/v1/connections')).status).toBe(200);

    await revokeKey(key.key_id);
    await new Promise((r) => setTimeout(r, 1100));
    const e = expectError(await as(token, '/v1/connections'), 401, 'unauthorized');
    expect(e.message).toMatch(/revoked/);
    expect((await as(other.token, '/v1/connections')).status).toBe(200);
    // And the key itself, at once.
    expectError(await call(h.gateway.url, '/v1/providers', { key: secret }), 401, 'unauthorized');
  });
});

describe('verifying a token', () => {
  /** A token signed as the service signs, with claims of the test's choosing. */
  const signed = async (claims: unknown, raw?: string) => {
    const keys = await loadDataKeys();
    const payload = Buffer.from(raw ?? JSON.stringify(claims)).toString('base64url');
    const material = keys.material.get(keys.current) as string;
    const mac = createHmac('sha256', deriveKey(material, 'end-user-token'))
      .update(`${keys.current}.${payload}`)
      .digest('base64url');
    return `eut_${keys.current}.${payload}.${mac}`;
  };

  it('checks the MAC before parsing anything of the payload', async () => {
    const { token } = await mint('u_alice');
    const [version, payload] = token.slice(4).split('.') as [string, string];
    const forged = `eut_${version}.${payload}.${'A'.repeat(43)}`;
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(await verifyEndUserToken(forged)).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('re-checks iat and the longest TTL, and refuses a signed payload that is not claims', async () => {
    const keyId = (await createKey(h.tenantId, { mode: 'test' })).key.key_id;
    const now = Math.floor(Date.now() / 1000);
    const claims = { t: h.tenantId, u: 'u_alice', k: keyId, iat: now, exp: now + 600, jti: 'x' };
    // The signing helper is right: these claims pass.
    expect((await as(await signed(claims), '/v1/connections')).status).toBe(200);
    // Unknown keys are ignored, as they were by the schema.
    expect((await as(await signed({ ...claims, extra: 1 }), '/v1/connections')).status).toBe(200);
    for (const bad of [
      await signed({ ...claims, iat: now - 10, exp: now + MAX_TTL_SECONDS }), // lives too long
      await signed({ ...claims, iat: now + 600, exp: now + 1200 }), // issued in the future
      await signed({ ...claims, iat: undefined }),
      await signed(undefined, 'not json'),
      await signed([claims]),
      // The shape is checked by hand (core/tenants/end-user-tokens.ts): each rule, broken once.
      await signed({ ...claims, exp: now + 600.5 }),
      await signed({ ...claims, u: 42 }),
      await signed({ ...claims, jti: undefined }),
      await signed({ ...claims, w: [] }),
      await signed({ ...claims, w: ['ws_a', 7] }),
      await signed({ ...claims, w: 'ws_a' }),
      await signed(null),
    ]) {
      expectError(await as(bad, '/v1/connections'), 401, 'unauthorized');
    }
  });
});
