import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import { bearer, failure, sameOrigin } from '../microsoft-teams/graph';
import type { ActionContext } from '../types';

/**
 * How Outlook calls Microsoft Graph: the Teams adapter's bearer header and error reading
 * (adapters/microsoft-teams/graph.ts), plus what mail and calendar calls add — times in UTC,
 * Graph's throttling 503, and delta links.
 * https://learn.microsoft.com/en-us/graph/errors
 */

export const PROVIDER = 'Outlook';

/**
 * Graph answers event times in the time zone each event was made in, unless asked for one:
 * in UTC every start and end reads the same way (and maps to an ISO instant).
 * https://learn.microsoft.com/en-us/graph/api/user-list-calendarview#request-headers
 */
export const UTC_PREFER = 'outlook.timezone="UTC"';

/**
 * A Graph call with the connection's token. Graph throttles with 429 and, for some Outlook
 * workloads, with 503 and a Retry-After: a 503 that says how long to wait is a rate limit, one
 * that does not an outage (the shared client's 5xx).
 * https://learn.microsoft.com/en-us/graph/throttling#best-practices-to-handle-throttling
 */
export const callGraph = async (
  ctx: Pick<ActionContext, 'credentials' | 'http'>,
  url: string,
  request: HttpRequest = {},
): Promise<HttpResponse> => {
  try {
    return await ctx.http(url, {
      ...request,
      headers: { ...bearer(ctx.credentials, PROVIDER), ...request.headers },
    });
  } catch (e) {
    if (
      e instanceof ProviderError &&
      e.kind === 'unreachable' &&
      e.status === 503 &&
      e.retryAfterSeconds !== undefined
    ) {
      throw new ProviderError('rate_limited', 'Microsoft Graph is throttling these credentials.', {
        status: 503,
        retryAfterSeconds: e.retryAfterSeconds,
      });
    }
    throw e;
  }
};

/** A Graph refusal in Graph's words (`Code: message`, 400/401/403/404), as Teams reads it. */
export { failure };

/**
 * A delta page: `value`, then `@odata.nextLink` while there are more, and on the last page
 * `@odata.deltaLink`, the link that lists what changes from now on.
 * https://learn.microsoft.com/en-us/graph/delta-query-overview
 */
export const deltaPage = <S extends z.ZodMiniType>(item: S) =>
  z.object({
    value: z.array(item),
    '@odata.nextLink': z.optional(z.nullable(z.string())),
    '@odata.deltaLink': z.optional(z.nullable(z.string())),
  });

/** Items Graph reports gone: `{ "id": "…", "@removed": { "reason": "deleted" | "changed" } }`. */
export const removed = z.object({ reason: z.optional(z.string()) });

/**
 * A link Graph handed over, followed as is (its tokens are opaque) — but never one on another
 * host than the base URL: the token would go with it.
 */
export const ownLink = (link: string, baseUrl: string): string => {
  if (!sameOrigin(link, baseUrl)) {
    throw new ProviderError('unreachable', 'Microsoft Graph answered a link to another host.');
  }
  return link;
};

// {"error": {"code": "syncStateNotFound", "message": "…"}}
const errorCode = z.object({ error: z.object({ code: z.string() }) });

/**
 * Graph no longer knows a delta link's state: 410 Gone (its documented answer once the state
 * expired or the mailbox moved), or the codes it names that with — a new round of full
 * synchronisation is the way out.
 * https://learn.microsoft.com/en-us/graph/delta-query-overview#synchronization-reset
 */
const RESYNC_CODES = new Set(['syncstatenotfound', 'syncstateinvalid', 'resyncrequired']);
export const isSyncReset = (res: HttpResponse): boolean => {
  if (res.status === 410) return true;
  if (res.status !== 400 && res.status !== 404) return false;
  const code = errorCode.safeParse(res.jsonOrUndefined()).data?.error.code;
  return code !== undefined && RESYNC_CODES.has(code.toLowerCase());
};

/** Graph's `dateTimeTimeZone` in UTC (`2025-03-03T08:00:00.0000000`) as an ISO instant. */
export const utcInstant = (value: string): string => {
  const t = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', 'Microsoft Graph answered an invalid date.');
  return new Date(t).toISOString();
};
