import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials } from '../types';

/**
 * What every GitLab REST v4 call shares: how the token is sent, what an error body says,
 * and how a list says where its next page is.
 * https://docs.gitlab.com/api/rest/
 */

/**
 * Personal (and project or group) access tokens go in PRIVATE-TOKEN, OAuth tokens as Bearer.
 * https://docs.gitlab.com/api/rest/authentication/
 */
export const authHeaders = (c: Credentials): Record<string, string> => {
  if (c.type === 'api_key') return { 'private-token': c.api_key };
  if (c.type === 'oauth2') return { authorization: `Bearer ${c.access_token}` };
  throw new ProviderError('rejected', `GitLab does not accept ${c.type} credentials.`);
};

// GitLab answers errors as {"message": "404 Project Not Found"}, validation failures as
// {"message": {"title": ["can't be blank"]}}, missing parameters as {"error": "title is
// missing"}, and OAuth failures as {"error": "invalid_token", "error_description": "…"}.
// https://docs.gitlab.com/api/rest/troubleshooting/#status-codes
const errorBody = z.object({
  message: z.optional(z.unknown()),
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
});

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Field errors as one sentence: `title can't be blank; labels is invalid` (`base` needs no name). */
const fieldErrors = (message: object): string =>
  Object.entries(message)
    .flatMap(([field, errors]) =>
      (Array.isArray(errors) ? errors : [errors]).map((e) =>
        field === 'base' ? text(e) : `${field} ${text(e)}`,
      ),
    )
    .join('; ');

/** GitLab's own words from an error body. */
export const reason = (res: HttpResponse): string => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const m = body?.message;
  if (body?.error_description) return body.error_description;
  if (typeof m === 'string' && m !== '') return m;
  if (Array.isArray(m) && m.length > 0) return m.map(text).join('; ');
  if (typeof m === 'object' && m !== null && Object.keys(m).length > 0) return fieldErrors(m);
  return body?.error ?? `GitLab answered ${res.status}.`;
};

/**
 * A refusal as a ProviderError. GitLab rate-limits with 429 only (Retry-After, RateLimit-*),
 * which the http client turns into `rate_limited` before an answer gets here.
 * https://docs.gitlab.com/security/rate_limits/
 */
export const failure = (res: HttpResponse): ProviderError =>
  new ProviderError('rejected', reason(res), { status: res.status });

/** A project in a path: its numeric id, or its full path URL-encoded (`group%2Fproject`). */
export const projectRef = (project: string): string => encodeURIComponent(project);

const nextLink = (res: HttpResponse): URL | undefined => {
  for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (m[1] && m[2]?.split(/\s+/).includes('next') && URL.canParse(m[1])) return new URL(m[1]);
  }
  return undefined;
};

/**
 * Offset pagination: the next page's number, from `x-next-page` (empty on the last page),
 * else from the `Link` header's next page.
 * https://docs.gitlab.com/api/rest/#offset-based-pagination
 */
export const nextPage = (res: HttpResponse): number | undefined => {
  const header = res.headers.get('x-next-page') ?? nextLink(res)?.searchParams.get('page') ?? '';
  return /^\d+$/.test(header) ? Number(header) : undefined;
};

/**
 * Keyset pagination: the query of the `Link` header's next page, which carries the keyset
 * (`id_after=…`). Only the query is kept: the next call goes to our base URL whatever host the
 * instance writes into its links (a self-managed GitLab behind a proxy may name another one),
 * so the token never goes anywhere else.
 * https://docs.gitlab.com/api/rest/#keyset-based-pagination
 */
export const nextKeysetQuery = (res: HttpResponse): string | undefined => {
  const query = nextLink(res)?.searchParams.toString();
  return query === '' ? undefined : query;
};

/** ISO instants as `toISOString` writes them, whatever offset GitLab used. */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `GitLab answered an invalid ${what}.`);
  return new Date(t).toISOString();
};
