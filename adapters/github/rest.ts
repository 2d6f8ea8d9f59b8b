import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type HttpResponse, parseRateLimitReset, parseRetryAfter } from '../http';

// GitHub refuses requests without a User-Agent (403), and pins behaviour by API version.
export const baseHeaders = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'integrations-service',
};

export const errorBody = z.object({ message: z.optional(z.string()) });

/** GitHub's own words from an error body, or the fallback. */
export const messageOf = (res: HttpResponse, fallback: string): string =>
  errorBody.safeParse(res.jsonOrUndefined()).data?.message ?? fallback;

/**
 * A non-2xx answer as a ProviderError. GitHub signals its primary rate limit with 403 and
 * `x-ratelimit-remaining: 0` and secondary limits with 403 + `retry-after` (429 is handled by
 * the http client), so a 403 is not necessarily a refusal of the credentials.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
export const failure = (res: HttpResponse, fallback: string): ProviderError => {
  const message = messageOf(res, fallback);
  if (res.status === 403) {
    const retryAfter = parseRetryAfter(res.headers);
    if (retryAfter !== undefined) {
      return new ProviderError('rate_limited', message, { status: 403, retryAfterSeconds: retryAfter });
    }
    if (res.headers.get('x-ratelimit-remaining') === '0') {
      const reset = parseRateLimitReset(res.headers);
      return new ProviderError('rate_limited', message, {
        status: 403,
        ...(reset !== undefined ? { retryAfterSeconds: reset } : {}),
      });
    }
  }
  return new ProviderError('rejected', message, { status: res.status });
};

/** An installation has permissions, not scopes: reported as `permission:level`. */
export const permissionScopes = (permissions: Record<string, string>): string[] =>
  Object.entries(permissions).map(([name, level]) => `${name}:${level}`);
