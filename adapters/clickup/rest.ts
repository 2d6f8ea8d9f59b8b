import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpClient, HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { Credentials, SyncRecord } from '../types';

/**
 * What every ClickUp call shares: the token, bare in Authorization (personal pk_… tokens and
 * OAuth tokens alike; ClickUp does not strip a scheme from a personal token), and ClickUp's
 * error body `{"err": "Task not found", "ECODE": "ITEM_013"}`. Rate limits are a plain 429 with
 * X-RateLimit-Reset (epoch seconds), which the shared http client turns into `rate_limited`.
 * https://developer.clickup.com/docs/authentication
 * https://developer.clickup.com/docs/rate-limits
 */

export const authorization = (c: Credentials): { authorization: string } => {
  if (c.type === 'api_key') return { authorization: c.api_key };
  if (c.type === 'oauth2') return { authorization: c.access_token };
  throw new ProviderError('rejected', `ClickUp does not accept ${c.type} credentials.`);
};

const errorBody = z.object({ err: z.string(), ECODE: z.optional(z.string()) });

/** A non-2xx answer (not 429 or 5xx, which the http client took) as ClickUp's own refusal. */
export const failure = (res: HttpResponse): ProviderError => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  return new ProviderError('rejected', body?.err ?? `ClickUp answered ${res.status}.`, {
    status: res.status,
    ...(body?.ECODE ? { code: body.ECODE } : {}),
  });
};

export type ClickUpContext = { credentials: Credentials; baseUrl: string; http: HttpClient };

/**
 * One call, parsed with its schema. `call` names the route for error messages
 * (`GET /team/{team_id}/task`), never the ids in it.
 */
export const clickupCall = async <S extends z.ZodMiniType>(
  ctx: ClickUpContext,
  o: { path: string; call: string; schema: S; method?: string; body?: unknown },
): Promise<z.infer<S>> => {
  const res = await ctx.http(`${ctx.baseUrl}${o.path}`, {
    method: o.method ?? 'GET',
    headers: authorization(ctx.credentials),
    ...(o.body !== undefined ? { body: o.body } : {}),
  });
  if (res.status < 200 || res.status > 299) throw failure(res);
  return parseAnswer('ClickUp', o.schema, res, o.call);
};

/** ClickUp's instants are Unix milliseconds, sent as strings. */
export const isoOfMs = (ms: string, what: string): string => {
  const n = Number(ms);
  if (ms === '' || !Number.isSafeInteger(n)) {
    throw new ProviderError('unreachable', `ClickUp answered an invalid ${what}.`);
  }
  return new Date(n).toISOString();
};

/**
 * A day (YYYY-MM-DD) from ClickUp's due and start dates, taken in UTC. ClickUp stores a date
 * without a time as an instant early in the user's own day, which UTC shows as the same day
 * for offsets up to about +04:00 and as the day before further east: the API does not say
 * the user's zone.
 */
export const dayOfMs = (ms: string, what: string): string => isoOfMs(ms, what).slice(0, 10);

/** A mapped object checked against its model: a mapping bug must not reach the records. */
export const checked = <S extends z.ZodMiniType>(model: S, id: string, data: z.infer<S>): SyncRecord => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `ClickUp answered ${id} with data that does not map to its model.`,
    );
  }
  return { id, data: r.data as Record<string, unknown> };
};
