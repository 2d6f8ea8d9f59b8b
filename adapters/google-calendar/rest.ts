import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type HttpRequest, type HttpResponse, parseRetryAfter } from '../http';
import type { ActionContext } from '../types';

/**
 * How the Calendar API is called and how its refusals read.
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */

/**
 * The wait for a rate limit Google gives no Retry-After for (its usual 403 and 429 answers).
 * Calendar quotas are counted per minute (per project and per user), so a minute lets the
 * window refill; Google advises exponential backoff, which the engine's delayed redelivery
 * of a run (and a caller honouring Retry-After) approximates without state of ours.
 * https://developers.google.com/workspace/calendar/api/guides/quota
 */
export const RATE_LIMIT_WAIT_SECONDS = 60;

// {"error": {"code": 404, "message": "Not Found", "errors": [{"domain": "global",
// "reason": "notFound", "message": "Not Found"}], "status": "NOT_FOUND"}}
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

/** The first reason of a Google error body (`fullSyncRequired`, `rateLimitExceeded`, …). */
export const reasonOf = (res: HttpResponse): string | undefined =>
  googleError.safeParse(res.jsonOrUndefined()).data?.error.errors?.[0]?.reason;

/**
 * How a Google API is called and how its refusals read — the error body, the 403 rate-limit
 * reasons, bearer tokens only, the wait for a 429 without Retry-After — which are the same for
 * every Google API: Calendar here, Gmail (adapters/gmail) with its own name in the messages.
 */
export const googleApi = (name: string) => {
  /**
   * A non-2xx answer as a ProviderError: Google's own message, `rate_limited` for its 403
   * rate-limit reasons (Retry-After when sent, else RATE_LIMIT_WAIT_SECONDS), `rejected` for
   * the rest (404 notFound, 400 invalid, 403 forbidden or insufficientPermissions, 401). 5xx
   * and 429 never get here: the shared client turned them into `unreachable` and
   * `rate_limited` already (callApi adds the wait).
   */
  const failure = (res: HttpResponse): ProviderError => {
    const body = googleError.safeParse(res.jsonOrUndefined()).data?.error;
    const message = body?.message ?? `${name} answered ${res.status}.`;
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
      throw new ProviderError('rejected', `${name} does not accept ${c.type} credentials.`);
    return { authorization: `Bearer ${c.access_token}` };
  };

  /**
   * An API call. The shared client turns a 429 into `rate_limited` already; Google rarely
   * says how long to wait, so the wait defaults to RATE_LIMIT_WAIT_SECONDS here.
   */
  const callApi = async (
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
  return { failure, authHeaders, callApi };
};

export const { failure, authHeaders, callApi } = googleApi('Google Calendar');

/** `…/calendars/{calendarId}/events`: calendar ids are e-mail addresses, some with `#`. */
export const eventsUrl = (baseUrl: string, calendarId: string, query?: URLSearchParams): string =>
  `${baseUrl}/calendars/${encodeURIComponent(calendarId)}/events${query ? `?${query}` : ''}`;
