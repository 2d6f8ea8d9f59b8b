import { ApiError } from '../platform/errors';
import { logger } from '../platform/log';
import { countRequests, isThrottle } from '../store/rate-limit-repo';
import { getTenant } from '../store/tenants-repo';

/**
 * Request limits, counted in DynamoDB so every Lambda shares one count: a fixed one-minute
 * window per bucket, one atomic ADD per bucket and request. Every request counts against two
 * buckets: its key's (a secret key, or `eut:<end user>` for an end-user token) and its
 * tenant's, so minting many end-user tokens — each with a bucket of its own — cannot
 * multiply what a tenant may send. A fixed window lets a client spend up to twice a limit
 * across a window boundary; that is the accepted price of one write per bucket (a sliding
 * log would cost a write per request *and* a query).
 *
 * One write per request made the counter a hot key: the largest tenant's 1,500 requests a
 * second all ADD to its one tenant-bucket item, past the 1,000 writes a second a DynamoDB
 * partition takes, and the throttles answered 500. So a busy container reserves requests in
 * blocks — as many as it served in the last second, at most 1 % of the limit — with one
 * write, and spends them from memory (`reserve` below). Idle or quiet containers still write
 * per request (a block of one), which keeps small limits exact; a busy one writes about once a
 * second per bucket. What a container reserved and didn't use by the window's end is the
 * price: at most 1 % of the limit per busy container, refused rather than exceeded. And a
 * throttled counter is never a 500: the container then counts alone, against the whole limit,
 * until the counter answers again.
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

/** A container's reservation of one bucket in one window. */
type Reservation = {
  window: number;
  /** The window's count this container's next request would be, and the last one it reserved. */
  next: number;
  end: number;
  /** The window's count at our last write, as the counter answered it. */
  total: number;
  /** Requests this container served in the current second, and which second: sizes the next block. */
  second: number;
  inSecond: number;
  /** Counted here alone while the shared counter is throttled. */
  alone: number;
  /** The reservation being written, if any: concurrent requests wait for it. */
  pending?: Promise<number> | undefined;
};
const reservations = new Map<string, Reservation>();

/**
 * One request of a bucket: spends a reserved one, or reserves a block (one write) and spends
 * from it. Answers the request's place in the window's count; more than `limit` is over.
 */
const reserve = async (
  tenantId: string,
  bucket: string,
  limit: number,
  windowStart: number,
  expiresAt: number,
  now: number,
): Promise<number> => {
  const k = `${tenantId}/${bucket}`;
  let r = reservations.get(k);
  if (!r || r.window !== windowStart) {
    r = { window: windowStart, next: 1, end: 0, total: 0, second: 0, inSecond: 0, alone: 0 };
    reservations.set(k, r);
    // Forget other windows of idle buckets, so the map holds only what is live.
    if (reservations.size > 10_000)
      for (const [key, v] of reservations) if (v.window !== windowStart) reservations.delete(key);
  }
  const second = Math.floor(now / 1000);
  if (r.second !== second) {
    r.second = second;
    r.inSecond = 0;
  }
  r.inSecond++;
  for (;;) {
    if (r.next <= r.end) return r.next++;
    // One reservation at a time per bucket: concurrent requests in one process (the local
    // gateway serves many at once; a Lambda container one) wait for it and spend from it,
    // rather than each writing a block that overwrites the others' (wasting their requests).
    if (r.pending) {
      await r.pending.catch(() => undefined);
      continue;
    }
    const block = Math.max(1, Math.min(r.inSecond, Math.floor(limit / 100)));
    const writing = countRequests(tenantId, bucket, windowStart, expiresAt, block);
    r.pending = writing;
    try {
      const total = await writing;
      r.total = total;
      // Of the block, only what fits under the limit is ours; the rest are counted as refused.
      const before = total - block;
      const granted = Math.max(0, Math.min(block, limit - before));
      if (granted === 0) return total;
      r.next = before + 2;
      r.end = before + granted;
      return before + 1;
    } catch (e) {
      if (!isThrottle(e)) throw e;
      logger.warn('rate-limit counter throttled; counting in this container alone', {
        bucket: bucket === TENANT_BUCKET ? 'tenant' : 'key',
      });
      r.alone++;
      return r.total + r.alone;
    } finally {
      r.pending = undefined;
    }
  }
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
    reserve(tenantId, keyId, limit.key, windowStart, reset + WINDOW_SECONDS, now),
    reserve(tenantId, TENANT_BUCKET, limit.tenant, windowStart, reset + WINDOW_SECONDS, now),
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
