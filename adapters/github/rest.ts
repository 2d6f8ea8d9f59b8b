import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type HttpResponse, parseRateLimitReset, parseRetryAfter } from '../http';
import type { Credentials } from '../types';

// GitHub refuses requests without a User-Agent (403), and pins behaviour by API version.
export const baseHeaders = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'integrations-service',
};

/**
 * GitHub's error body: `message`, and on 422 `errors` saying which field failed how
 * (`{resource, field, code, value?}`, or `{code: 'custom', message}`; a few endpoints send
 * bare strings).
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#validation-failed
 */
export const errorBody = z.object({
  message: z.optional(z.string()),
  errors: z.optional(
    z.array(
      z.union([
        z.string(),
        z.object({
          field: z.optional(z.string()),
          code: z.optional(z.string()),
          message: z.optional(z.string()),
          value: z.optional(z.unknown()),
        }),
      ]),
    ),
  ),
});

const detail = (e: NonNullable<z.infer<typeof errorBody>['errors']>[number]): string => {
  if (typeof e === 'string') return e;
  if (e.message) return e.field ? `${e.field}: ${e.message}` : e.message;
  const value = e.value === undefined ? '' : ` ${JSON.stringify(e.value)}`;
  return `${e.field ?? 'request'}: ${e.code ?? 'invalid'}${value}`;
};

/** GitHub's own words from an error body (with what `errors` says failed), or the fallback. */
export const messageOf = (res: HttpResponse, fallback: string): string => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const message = body?.message ?? fallback;
  const details = (body?.errors ?? []).map(detail).filter(Boolean);
  return details.length > 0 ? `${message} (${details.join('; ')})` : message;
};

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

/**
 * The headers of a call with the connection's token, and whether it is an installation's
 * (which lists its repositories elsewhere). Core hands app installs their installation token
 * (ghs_…) in oauth2 shape.
 * https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats
 */
export const tokenAuth = (
  credentials: Credentials,
  metadata: Record<string, string>,
): { headers: Record<string, string>; installation: boolean } => {
  if (credentials.type !== 'oauth2') {
    throw new ProviderError('rejected', `GitHub needs an access token, not ${credentials.type} credentials.`);
  }
  const installation = metadata.installation_id !== undefined || credentials.access_token.startsWith('ghs_');
  return { headers: { ...baseHeaders, authorization: `Bearer ${credentials.access_token}` }, installation };
};

/** The `rel="next"` URL of a `Link` header. */
export const nextLink = (res: HttpResponse): string | undefined => {
  for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (m[2]?.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
};

export const sameOrigin = (url: string, baseUrl: string): boolean =>
  URL.canParse(url) && new URL(url).origin === new URL(baseUrl).origin;

/** A next-page URL from GitHub; never one that would carry the token to another host. */
export const followable = (res: HttpResponse, baseUrl: string): string | undefined => {
  const next = nextLink(res);
  if (next !== undefined && !sameOrigin(next, baseUrl)) {
    throw new ProviderError('unreachable', 'GitHub answered a next-page link to another host.', {
      status: res.status,
    });
  }
  return next;
};

/** `/repos/{owner}/{repo}` of `owner/name`, each part encoded. */
export const repoUrl = (baseUrl: string, fullName: string): string => {
  const [owner = '', name = ''] = fullName.split('/');
  return `${baseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
};
