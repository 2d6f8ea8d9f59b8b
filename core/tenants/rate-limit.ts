import { ApiError } from '../platform/errors';
import { countRequest } from '../store/rate-limit-repo';
import { getTenant } from '../store/tenants-repo';

/**
 * Request limits, counted in DynamoDB so every Lambda shares one count: a fixed one-minute
 * window per bucket, one atomic ADD per bucket and request. Every request counts against two
 * buckets: its key's (a secret key, or `eut:<end user>` for an end-user token) and its
 * tenant's, so minting many end-user tokens — each with a bucket of its own — cannot
 * multiply what a tenant may send. A fixed window lets a client spend up to twice a limit
 * across a window boundary; that is the accepted price of one write per bucket (a sliding
 * log would cost a write per request *and* a query).
 */
export const DEFAULT_LIMIT_PER_MINUTE = 600;
/** Five keys' worth: room for several backends and many end users, not for one to take the service. */
export const DEFAULT_TENANT_LIMIT_PER_MINUTE = 3000;
const WINDOW_SECONDS = 60;
/** The tenant-wide bucket's name; key buckets are key ids (`key_…`) or `eut:<end user>`. */
const TENANT_BUCKET = 'tenant';

// The tenant's limits change rarely: read them at most once a minute per container.
const limits = new Map<string, { at: number; key: number; tenant: number }>();
const limitsFor = async (tenantId: string): Promise<{ key: number; tenant: number }> => {
  const cached = limits.get(tenantId);
  if (cached && Date.now() - cached.at < 60_000) return cached;
  const tenant = await getTenant(tenantId);
  const l = {
    at: Date.now(),
    key: tenant?.rate_limit_per_minute ?? DEFAULT_LIMIT_PER_MINUTE,
    tenant: tenant?.tenant_rate_limit_per_minute ?? DEFAULT_TENANT_LIMIT_PER_MINUTE,
  };
  limits.set(tenantId, l);
  return l;
};

export type RateLimitState = { limit: number; remaining: number; resetEpochSeconds: number };

export const rateLimitHeaders = (s: RateLimitState): Record<string, string> => ({
  'x-ratelimit-limit': String(s.limit),
  'x-ratelimit-remaining': String(s.remaining),
  'x-ratelimit-reset': String(s.resetEpochSeconds),
});

/**
 * Counts one request of `keyId` and of its tenant; throws 429 `rate_limited` once either
 * window is spent. The headers describe the tighter of the two (the fewer requests left).
 */
export const consumeRequest = async (
  tenantId: string,
  keyId: string,
  now = Date.now(),
): Promise<RateLimitState> => {
  const limit = await limitsFor(tenantId);
  const windowStart = Math.floor(now / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const reset = windowStart + WINDOW_SECONDS;
  const [keyHits, tenantHits] = await Promise.all([
    countRequest(tenantId, keyId, windowStart, reset + WINDOW_SECONDS),
    countRequest(tenantId, TENANT_BUCKET, windowStart, reset + WINDOW_SECONDS),
  ]);
  const buckets = [
    { scope: 'key' as const, limit: limit.key, hits: keyHits },
    { scope: 'tenant' as const, limit: limit.tenant, hits: tenantHits },
  ].map((b) => ({ ...b, remaining: Math.max(0, b.limit - b.hits) }));
  const over = buckets.find((b) => b.hits > b.limit);
  const tightest = over ?? buckets.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  const state = { limit: tightest.limit, remaining: tightest.remaining, resetEpochSeconds: reset };
  if (over) {
    const retryAfter = Math.max(1, reset - Math.floor(now / 1000));
    const whose = over.scope === 'key' ? 'this key' : 'this tenant (all its keys and end-user tokens)';
    throw new ApiError('rate_limited', `Over ${over.limit} requests a minute for ${whose}.`, {
      details: { limit: over.limit, scope: over.scope, reset_at: new Date(reset * 1000).toISOString() },
      remediation: `Retry after ${retryAfter} s.`,
      headers: { ...rateLimitHeaders(state), 'retry-after': String(retryAfter) },
    });
  }
  return state;
};
