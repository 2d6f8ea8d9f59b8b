import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials } from '../types';

/**
 * What every Bitbucket Cloud REST 2.0 call shares: how the credentials are sent, what an error
 * body says, how a list says where its next page is, and how Bitbucket writes ids and instants.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/
 */

/**
 * App passwords and API tokens go as HTTP Basic (Bitbucket username, or the Atlassian email
 * for API tokens); OAuth access tokens and repository/workspace access tokens as Bearer.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication
 */
export const authHeaders = (c: Credentials): Record<string, string> => {
  if (c.type === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` };
  }
  if (c.type === 'oauth2') return { authorization: `Bearer ${c.access_token}` };
  throw new ProviderError('rejected', `Bitbucket does not accept ${c.type} credentials.`);
};

// {"type": "error", "error": {"message": "…", "detail": "…" | {required, granted}, "fields": {…}}}
// https://developer.atlassian.com/cloud/bitbucket/rest/intro/#standardized-error-responses
const errorBody = z.object({
  error: z.object({
    message: z.optional(z.string()),
    detail: z.optional(z.unknown()),
    fields: z.optional(z.record(z.string(), z.unknown())),
  }),
});

const listOf = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : String(v));

/** `detail` is prose, or for a missing OAuth scope `{required: [...], granted: [...]}`. */
const detailOf = (detail: unknown): string | undefined => {
  if (typeof detail === 'string') return detail.trim() || undefined;
  if (typeof detail === 'object' && detail !== null && 'required' in detail) {
    const d = detail as { required?: unknown; granted?: unknown };
    return `required: ${listOf(d.required ?? [])}; granted: ${listOf(d.granted ?? [])}`;
  }
  return undefined;
};

/**
 * Bitbucket's own words from an error body: its `message`, field errors (`content: This field
 * is required.`) and `detail`. Some answers are plain text instead — a 401 for wrong Basic
 * credentials ("Login failed due to incorrect login credentials or method." and where to read
 * more), a 429 ("Rate limit for this resource has been exceeded"): their first line.
 */
export const reason = (res: HttpResponse): string => {
  const parsed = errorBody.safeParse(res.jsonOrUndefined());
  if (parsed.success) {
    const e = parsed.data.error;
    const fields = Object.entries(e.fields ?? {}).map(([field, errors]) => `${field}: ${listOf(errors)}`);
    const detail = detailOf(e.detail);
    const parts = [e.message, ...fields].filter((p): p is string => Boolean(p?.trim()));
    const message = parts.join(' — ');
    if (message) return detail ? `${message} (${detail})` : message;
  }
  const line = res.text
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  // A proxy's HTML page says nothing about the request.
  return line && !line.startsWith('<') ? line : `Bitbucket answered ${res.status}.`;
};

/**
 * A refusal as a ProviderError. Bitbucket rate-limits with a bare 429 (no Retry-After: the
 * window is a rolling hour), which the http client turns into `rate_limited` before an
 * answer gets here.
 * https://support.atlassian.com/bitbucket-cloud/docs/api-request-limits/
 */
export const failure = (res: HttpResponse): ProviderError =>
  new ProviderError('rejected', reason(res), { status: res.status });

/** A paginated answer: `values`, and `next` — an absolute URL — on every page but the last. */
export const paged = <S extends z.ZodMiniType>(item: S) =>
  z.object({
    values: z.array(item),
    next: z.optional(z.string()),
    pagelen: z.optional(z.number()),
    size: z.optional(z.number()),
    page: z.optional(z.number()),
  });

/**
 * Where the next page is, relative to `baseUrl` (`/repositories?role=member&page=…`). Bitbucket
 * asks clients to follow `next` rather than build page URLs (some lists page with opaque
 * tokens), but the credentials go with it: a `next` outside the API base is refused.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 */
export const nextPath = (baseUrl: string, next: string | undefined): string | undefined => {
  if (next === undefined || next === '') return undefined;
  const base = new URL(baseUrl);
  const url = URL.canParse(next) ? new URL(next) : undefined;
  const basePath = base.pathname.replace(/\/+$/, '');
  if (!url || url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) {
    throw new ProviderError('unreachable', 'Bitbucket answered a next page outside its API.');
  }
  return `${url.pathname.slice(basePath.length)}${url.search}`;
};

/**
 * A pull request list query: `state` repeated for each state wanted (Bitbucket answers OPEN
 * only without it), the page size, and the order.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get
 */
export const pullsQuery = (states: readonly string[], pagelen: number, sort: string): URLSearchParams => {
  const q = new URLSearchParams();
  for (const s of states) q.append('state', s);
  q.set('pagelen', String(pagelen));
  q.set('sort', sort);
  return q;
};

/** `{7c1b…}` → `7c1b…`: Bitbucket writes UUIDs in braces, our ids do without. */
export const bare = (uuid: string): string => uuid.replace(/^\{|\}$/g, '');

/** `workspace/slug` as a path, each part encoded. */
export const repoPath = (fullName: string): string => fullName.split('/').map(encodeURIComponent).join('/');

/** ISO instants as `toISOString` writes them, whatever precision and offset Bitbucket used. */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Bitbucket answered an invalid ${what}.`);
  return new Date(t).toISOString();
};

/**
 * A BBQL date-time literal: unquoted ISO 8601 with a numeric offset (BBQL refuses `Z`), floored
 * to the second, so `>=` it keeps everything at or after `since`.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 */
export const bbqlInstant = (iso: string): string => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new ProviderError('rejected', `Not an instant: ${iso}`);
  return `${new Date(Math.floor(t / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
};
