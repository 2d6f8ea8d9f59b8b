import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials } from '../types';

/**
 * What every Microsoft Graph call of this adapter shares: the bearer header, Graph's error
 * body, and its paging. Throttling (429 + Retry-After) and 5xx are the shared http client's.
 * https://learn.microsoft.com/en-us/graph/errors
 * https://learn.microsoft.com/en-us/graph/paging
 */

/** `provider`: the name a refusal gives (Outlook shares these helpers). */
export const bearer = (credentials: Credentials, provider = 'Microsoft Teams'): Record<string, string> => {
  if (credentials.type !== 'oauth2') {
    throw new ProviderError('rejected', `${provider} does not accept ${credentials.type} credentials.`);
  }
  return { authorization: `Bearer ${credentials.access_token}` };
};

// {"error": {"code": "InvalidAuthenticationToken", "message": "…", "innerError": {…}}}
const graphError = z.object({ error: z.object({ code: z.string(), message: z.optional(z.string()) }) });

/** A Graph refusal, in Graph's words: `Code: message` (401, 403 missing scopes, 404, 400). */
export const failure = (res: HttpResponse): ProviderError => {
  const e = graphError.safeParse(res.jsonOrUndefined()).data?.error;
  const message = e
    ? e.message
      ? `${e.code}: ${e.message}`
      : e.code
    : `Microsoft Graph answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status, ...(e ? { code: e.code } : {}) });
};

/** An OData collection page: `value`, and `@odata.nextLink` while there are more. */
export const collection = <S extends z.ZodMiniType>(item: S) =>
  z.object({ value: z.array(item), '@odata.nextLink': z.optional(z.nullable(z.string())) });

export const sameOrigin = (url: string, baseUrl: string): boolean =>
  URL.canParse(url) && URL.canParse(baseUrl) && new URL(url).origin === new URL(baseUrl).origin;

/**
 * The next page's URL, followed as Graph gives it (its `$skiptoken` is opaque) — but never
 * one on another host than the base URL: the token would go with it.
 */
export const nextLinkOf = (
  page: { '@odata.nextLink'?: string | null | undefined },
  baseUrl: string,
): string | undefined => {
  const next = page['@odata.nextLink'] ?? undefined;
  if (next !== undefined && !sameOrigin(next, baseUrl)) {
    throw new ProviderError('unreachable', 'Microsoft Graph answered a next-page link to another host.');
  }
  return next;
};

/** ISO instants as `toISOString` writes them; Graph writes 7 fractional digits at times. */
export const isoOf = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', 'Microsoft Graph answered an invalid date.');
  return new Date(t).toISOString();
};

/** A path segment: channel ids (`19:…@thread.tacv2`) carry `:` and `@`. */
export const segment = (id: string): string => encodeURIComponent(id);
