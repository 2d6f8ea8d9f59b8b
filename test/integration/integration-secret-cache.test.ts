import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { integrationSecrets, SECRET_CACHE_MS, secretCacheStats } from '../../core/integrations/secrets';
import { getIntegration } from '../../core/store/integrations-repo';
import { call, type Harness, startHarness } from './harness';

/**
 * An integration's secret is read from Secrets Manager once per container per version
 * (core/integrations/secrets.ts): at webhook peaks a 30 s cache meets the account's
 * GetSecretValue quota. The version on the integration item is the check: a PATCH writes a
 * new version, and the next read of the item sees it. Counted on the local Secrets Manager.
 */
let h: Harness;

const reads = async (secretName: string): Promise<number> => {
  const counts = (await (
    await fetch(`${process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER}/_local/request-counts`)
  ).json()) as Record<string, Record<string, number>>;
  return counts.GetSecretValue?.[secretName] ?? 0;
};

const item = async (key: string) => {
  const i = await getIntegration(h.tenantId, key);
  if (!i?.secret_name) throw new Error(`integration ${key} has no secret`);
  return i as typeof i & { secret_name: string };
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());
afterEach(() => {
  vi.useRealTimers();
});

it('reads a versioned secret once for SECRET_CACHE_MS, and a new version at once', {
  timeout: 60_000,
}, async () => {
  const created = await call(h.gateway.url, '/v1/integrations', {
    key: h.key,
    method: 'POST',
    body: JSON.stringify({
      unique_key: 'cached-hooks',
      provider: 'github',
      webhook_secret: 'first-secret-value',
    }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const v1 = await item('cached-hooks');
  expect(v1.secret_version).toMatch(/.+/);
  expect(SECRET_CACHE_MS).toBeGreaterThanOrEqual(10 * 60_000);

  const before = await reads(v1.secret_name);
  for (let i = 0; i < 200; i++)
    expect((await integrationSecrets(v1)).webhook_secret).toBe('first-secret-value');
  expect((await reads(v1.secret_name)) - before).toBe(1);

  // Eleven minutes on: still the cached value, no call.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60_000 });
  expect((await integrationSecrets(v1)).webhook_secret).toBe('first-secret-value');
  expect((await reads(v1.secret_name)) - before).toBe(1);
  vi.useRealTimers();

  const patched = await call(h.gateway.url, '/v1/integrations/cached-hooks', {
    key: h.key,
    method: 'PATCH',
    body: JSON.stringify({ webhook_secret: 'second-secret-value' }),
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  const v2 = await item('cached-hooks');
  expect(v2.secret_version).not.toBe(v1.secret_version);
  // A container still holding the old item keeps the old value (until it re-reads the item);
  // the new item's version is a miss, read once.
  const readsBefore = secretCacheStats().reads;
  expect((await integrationSecrets(v2)).webhook_secret).toBe('second-secret-value');
  expect((await integrationSecrets(v2)).webhook_secret).toBe('second-secret-value');
  expect(secretCacheStats().reads - readsBefore).toBe(1);

  // Past the TTL the same version is read again: the bound on a change made in Secrets Manager itself.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SECRET_CACHE_MS + 1000 });
  const n = await reads(v2.secret_name);
  await integrationSecrets(v2);
  expect((await reads(v2.secret_name)) - n).toBe(1);
});

it('keeps an integration written before versions only 30 s', { timeout: 60_000 }, async () => {
  const created = await call(h.gateway.url, '/v1/integrations', {
    key: h.key,
    method: 'POST',
    body: JSON.stringify({
      unique_key: 'legacy-hooks',
      provider: 'github',
      webhook_secret: 'legacy-secret-value',
    }),
  });
  expect(created.status).toBe(201);
  const { secret_version: _, ...legacy } = await item('legacy-hooks');
  const before = await reads(legacy.secret_name);
  await integrationSecrets(legacy);
  await integrationSecrets(legacy);
  expect((await reads(legacy.secret_name)) - before).toBe(1);
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
  expect((await integrationSecrets(legacy)).webhook_secret).toBe('legacy-secret-value');
  expect((await reads(legacy.secret_name)) - before).toBe(2);
});
