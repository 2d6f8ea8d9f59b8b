import { afterAll, beforeAll, expect, it } from 'vitest';
import { setRateLimit } from '../../core/store/tenants-repo';
import { call, expectError, type Harness, newTenant, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it('every authenticated answer carries X-RateLimit-* headers', async () => {
  const r = await call(h.gateway.url, '/v1/providers', { key: h.key });
  expect(r.headers.get('x-ratelimit-limit')).toBe('600');
  expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeLessThan(600);
  const reset = Number(r.headers.get('x-ratelimit-reset'));
  expect(reset % 60).toBe(0);
  expect(reset * 1000).toBeGreaterThan(Date.now());
  // Errors of authenticated requests count and say so too.
  const e = await call(h.gateway.url, '/v1/providers/gitbub', { key: h.key });
  expect(e.headers.get('x-ratelimit-limit')).toBe('600');
});

it('past the tenant limit → 429 rate_limited with Retry-After; another key has its own count', async () => {
  const t = await newTenant('limited');
  await setRateLimit(t.tenantId, 3);
  // A new minute may begin mid-test and reset the count: retry once in that case.
  for (let attempt = 0; attempt < 2; attempt++) {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call(h.gateway.url, '/v1/providers', { key: t.key });
      statuses.push(last.status);
    }
    if (statuses.filter((s) => s === 429).length !== 2) continue;
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const e = expectError(last as never, 429, 'rate_limited');
    expect(e.details.limit).toBe(3);
    const retry = Number(last?.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    // The default tenant's key is unaffected.
    expect((await call(h.gateway.url, '/v1/providers', { key: h.key })).status).toBe(200);
    return;
  }
  throw new Error('never saw the limit hold within one minute window');
});

it('public routes are not limited and carry no rate-limit headers', async () => {
  const r = await call(h.gateway.url, '/health');
  expect(r.headers.get('x-ratelimit-limit')).toBeNull();
});

it('end-user tokens each have a bucket, but the tenant-wide one holds them all: 429 with headers', async () => {
  const t = await newTenant('many-tokens');
  await setRateLimit(t.tenantId, 4, 'tenant');
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await call(h.gateway.url, '/v1/end-user-tokens', {
      key: t.key,
      method: 'POST',
      body: JSON.stringify({ end_user_id: `u_${i}` }),
    });
    expect(r.status).toBe(201);
    tokens.push(r.body.data.token);
  }
  // Three mints counted; each token's own bucket (600) is far from full. A new minute may
  // begin mid-test and reset the count: then the limit holds in the next window instead.
  for (let attempt = 0; attempt < 2; attempt++) {
    const answers: Awaited<ReturnType<typeof call>>[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(await call(h.gateway.url, '/v1/connections', { key: tokens[i % 3] as string }));
    const limited = answers.filter((a) => a.status === 429);
    if (limited.length === 0) continue;
    const e = expectError(limited[0] as never, 429, 'rate_limited');
    expect(e.details).toMatchObject({ limit: 4, scope: 'tenant' });
    expect(limited[0]?.headers.get('x-ratelimit-limit')).toBe('4');
    expect(limited[0]?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The secret key of that tenant counts against the same budget.
    expectError(await call(h.gateway.url, '/v1/providers', { key: t.key }), 429, 'rate_limited');
    // Another tenant is unaffected.
    expect((await call(h.gateway.url, '/v1/providers', { key: h.key })).status).toBe(200);
    return;
  }
  throw new Error('the tenant-wide limit never held');
});

it('headers show the tighter bucket: the tenant default (3000) is above the key default (600)', async () => {
  const r = await call(h.gateway.url, '/v1/providers', { key: h.key });
  expect(r.headers.get('x-ratelimit-limit')).toBe('600');
});
