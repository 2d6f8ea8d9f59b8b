import { ApiError } from '../platform/errors';
import { countRequest } from '../store/rate-limit-repo';
import { getTenant } from '../store/tenants-repo';

/**
 * Per-key request limits, counted in DynamoDB so every Lambda shares one count: a fixed
 * one-minute window per key, one atomic ADD per request. A fixed window lets a client
 * spend up to twice the limit across a window boundary; that is the accepted price of
 * one write per request (a sliding log would cost a write per request *and* a query).
 */
export const DEFAULT_LIMIT_PER_MINUTE = 600;
const WINDOW_SECONDS = 60;

// The tenant's limit changes rarely: read it at most once a minute per container.
const limits = new Map<string, { at: number; limit: number }>();
const limitFor = async (tenantId: string): Promise<number> => {
  const cached = limits.get(tenantId);
  if (cached && Date.now() - cached.at < 60_000) return cached.limit;
  const tenant = await getTenant(tenantId);
  const limit = tenant?.rate_limit_per_minute ?? DEFAULT_LIMIT_PER_MINUTE;
  limits.set(tenantId, { at: Date.now(), limit });
  return limit;
};

export type RateLimitState = { limit: number; remaining: number; resetEpochSeconds: number };

export const rateLimitHeaders = (s: RateLimitState): Record<string, string> => ({
  'x-ratelimit-limit': String(s.limit),
  'x-ratelimit-remaining': String(s.remaining),
  'x-ratelimit-reset': String(s.resetEpochSeconds),
});

/** Counts one request of `keyId`; throws 429 `rate_limited` once the window is spent. */
export const consumeRequest = async (
  tenantId: string,
  keyId: string,
  now = Date.now(),
): Promise<RateLimitState> => {
  const limit = await limitFor(tenantId);
  const windowStart = Math.floor(now / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const reset = windowStart + WINDOW_SECONDS;
  const hits = await countRequest(tenantId, keyId, windowStart, reset + WINDOW_SECONDS);
  const state = { limit, remaining: Math.max(0, limit - hits), resetEpochSeconds: reset };
  if (hits > limit) {
    const retryAfter = Math.max(1, reset - Math.floor(now / 1000));
    throw new ApiError('rate_limited', `Over ${limit} requests a minute for this key.`, {
      details: { limit, reset_at: new Date(reset * 1000).toISOString() },
      remediation: `Retry after ${retryAfter} s.`,
      headers: { ...rateLimitHeaders(state), 'retry-after': String(retryAfter) },
    });
  }
  return state;
};
