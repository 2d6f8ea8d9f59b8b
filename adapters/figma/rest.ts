import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials } from '../types';

/**
 * What every Figma REST call shares: how the token is sent, what an error body says, and the
 * web URLs of files and comments.
 * https://developers.figma.com/docs/rest-api/
 */

/**
 * Personal access tokens go in X-Figma-Token, OAuth tokens as Bearer.
 * https://developers.figma.com/docs/rest-api/authentication/
 */
export const authHeaders = (c: Credentials): Record<string, string> => {
  if (c.type === 'api_key') return { 'x-figma-token': c.api_key };
  if (c.type === 'oauth2') return { authorization: `Bearer ${c.access_token}` };
  throw new ProviderError('rejected', `Figma does not accept ${c.type} credentials.`);
};

// Figma answers errors in two shapes: `{"status": 403, "err": "Invalid token"}` (most of /v1)
// and `{"error": true, "status": 404, "message": "Not found"}` (newer endpoints, OAuth).
// https://developers.figma.com/docs/rest-api/errors/
const errorBody = z.object({
  err: z.optional(z.nullable(z.string())),
  message: z.optional(z.nullable(z.string())),
});

/** Figma's own words from an error body. */
export const reason = (res: HttpResponse): string => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  return body?.err || body?.message || `Figma answered ${res.status}.`;
};

/**
 * A refusal (400 bad parameters, 403 token or scope, 404 no such file or project) as a
 * ProviderError. 429 (with Retry-After; X-Figma-Rate-Limit-Type says which limit) and 5xx
 * never get here: the http client turns them into `rate_limited` and `unreachable`.
 * https://developers.figma.com/docs/rest-api/rate-limits/
 */
export const failure = (res: HttpResponse): ProviderError =>
  new ProviderError('rejected', reason(res), { status: res.status });

/** A file's web address; Figma redirects /file/ to /design/ for design files. */
export const fileUrl = (key: string): string => `https://www.figma.com/file/${encodeURIComponent(key)}`;

/** A comment's web address: the file, with the comment's id as the fragment Figma opens it at. */
export const commentUrl = (key: string, commentId: string): string =>
  `${fileUrl(key)}#${encodeURIComponent(commentId)}`;

/** ISO instants as `toISOString` writes them, whatever precision Figma used. */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Figma answered an invalid ${what}.`);
  return new Date(t).toISOString();
};
