import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type HttpRequest, type HttpResponse, parseRetryAfter } from '../http';
import type { ActionContext } from '../types';

/**
 * How the Gmail API is called and how its refusals read: Google's error body, the same for
 * every Google API.
 * https://developers.google.com/workspace/gmail/api/guides/handle-errors
 */

/**
 * The wait for a rate limit Google gives no Retry-After for (its usual 403 and 429 answers).
 * Gmail counts quota units per user per second and per project per minute, so a minute
 * refills either window; Google advises exponential backoff, which the engine's delayed
 * redelivery of a run (and a caller honouring Retry-After) approximates without state of ours.
 * https://developers.google.com/workspace/gmail/api/reference/quota
 */
export const RATE_LIMIT_WAIT_SECONDS = 60;

// {"error": {"code": 404, "message": "Requested entity was not found.", "errors": [{"domain":
// "global", "reason": "notFound", "message": "Requested entity was not found."}], "status": "NOT_FOUND"}}
const googleError = z.object({
  error: z.object({
    code: z.optional(z.number()),
    message: z.string(),
    errors: z.optional(z.array(z.object({ reason: z.optional(z.string()) }))),
    status: z.optional(z.string()),
  }),
});

/** Reasons of a 403 that mean "slow down", not "you may not". */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/**
 * A non-2xx answer as a ProviderError: Google's own message; `rate_limited` for its 403
 * rate-limit reasons (with Retry-After when sent, else a minute); `rejected` for the rest
 * (400 invalidArgument/failedPrecondition, 404 notFound, 403 insufficientPermissions, 401).
 * 5xx and 429 never get here: the shared client turned them into `unreachable` and
 * `rate_limited` already (callApi adds the wait).
 */
export const failure = (res: HttpResponse): ProviderError => {
  const body = googleError.safeParse(res.jsonOrUndefined()).data?.error;
  const message = body?.message ?? `Gmail answered ${res.status}.`;
  if (res.status === 403 && body?.errors?.some((e) => e.reason && RATE_LIMIT_REASONS.has(e.reason))) {
    return new ProviderError('rate_limited', message, {
      status: 403,
      retryAfterSeconds: parseRetryAfter(res.headers) ?? RATE_LIMIT_WAIT_SECONDS,
    });
  }
  return new ProviderError('rejected', message, { status: res.status });
};

/** The bearer token of the connection; Google takes nothing else. */
const authHeaders = (ctx: Pick<ActionContext, 'credentials'>): Record<string, string> => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2')
    throw new ProviderError('rejected', `Gmail does not accept ${c.type} credentials.`);
  return { authorization: `Bearer ${c.access_token}` };
};

/** A Gmail API call; a 429 without Retry-After waits RATE_LIMIT_WAIT_SECONDS. */
export const callApi = async (
  ctx: Pick<ActionContext, 'credentials' | 'http'>,
  url: string,
  request: HttpRequest = {},
): Promise<HttpResponse> => {
  try {
    return await ctx.http(url, { ...request, headers: { ...authHeaders(ctx), ...request.headers } });
  } catch (e) {
    if (e instanceof ProviderError && e.kind === 'rate_limited' && e.retryAfterSeconds === undefined) {
      throw new ProviderError('rate_limited', e.providerMessage, {
        ...(e.status !== undefined ? { status: e.status } : {}),
        retryAfterSeconds: RATE_LIMIT_WAIT_SECONDS,
      });
    }
    throw e;
  }
};

/** `…/users/me/<path>`: `me` is the authenticated user, the only mailbox a user token opens. */
export const userUrl = (baseUrl: string, path: string, query?: URLSearchParams): string =>
  `${baseUrl}/users/me/${path}${query && query.size > 0 ? `?${query}` : ''}`;

/**
 * Runs `fn` over `items`, at most `limit` at a time, answers in input order. Gmail has no
 * "get many" call: a page of ids is read message by message, a few at once — Google's
 * guide batches them; parallel requests within the per-user quota (250 units a second,
 * messages.get costing 5) do the same work without the multipart batch format.
 * https://developers.google.com/workspace/gmail/api/guides/sync#full_synchronization
 */
export const mapLimited = async <T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};
