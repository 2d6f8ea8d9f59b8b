import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpClient, HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { Credentials } from '../types';

/**
 * What every Stripe call shares: the credentials as a Bearer token, the error body, and the
 * list envelope with its cursor pagination.
 * https://docs.stripe.com/api/authentication
 * https://docs.stripe.com/api/errors
 * https://docs.stripe.com/api/pagination
 */

/** An API key (`sk_…`, `rk_…`) and a Connect access token alike go as Bearer. */
export const authHeaders = (c: Credentials): Record<string, string> => {
  if (c.type === 'api_key') return { authorization: `Bearer ${c.api_key}` };
  if (c.type === 'oauth2') return { authorization: `Bearer ${c.access_token}` };
  throw new ProviderError('rejected', `Stripe does not accept ${c.type} credentials.`);
};

// {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such
// customer: 'cus_…'", "param": "customer", "doc_url": "…", "request_log_url": "…"}}
// https://docs.stripe.com/api/errors
const errorBody = z.object({
  error: z.object({
    type: z.optional(z.string()),
    code: z.optional(z.string()),
    message: z.optional(z.string()),
    param: z.optional(z.string()),
  }),
});

/**
 * Stripe names the key it refused, masked but for its last characters (`Invalid API Key
 * provided: sk_test_****4242`): never passed on, even masked.
 */
const KEY = /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]+/g;
export const redact = (message: string): string => message.replace(KEY, '[key]');

/**
 * A refusal with Stripe's own words: `invalid_request_error` (a bad parameter, an unknown
 * object, a restricted key without the permission — 400, 403, 404), `card_error` (402),
 * `idempotency_error`, and 401 for an unknown key. 429 (`rate_limit`, `lock_timeout`) and 5xx
 * (`api_error`) never get here: the http client made them `rate_limited` (with Retry-After
 * when Stripe sends one) and `unreachable`.
 */
export const failure = (res: HttpResponse, c?: Credentials): ProviderError => {
  const e = errorBody.safeParse(res.jsonOrUndefined()).data?.error;
  const said = redact(e?.message?.trim() ?? '');
  const message = said
    ? e?.param && !said.includes(e.param)
      ? `${said} (param: ${e.param})`
      : said
    : `Stripe answered ${res.status}.`;
  return new ProviderError('rejected', message, {
    status: res.status,
    ...(e?.code ? { code: e.code } : {}),
    // An unknown or expired key: the connect page points at the field.
    ...(res.status === 401 && c?.type === 'api_key' ? { field: 'api_key' } : {}),
  });
};

/** A list answer. https://docs.stripe.com/api/pagination */
export const listOf = <S extends z.ZodMiniType>(item: S) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });

export type StripeCall = { baseUrl: string; credentials: Credentials; http: HttpClient };

/** A GET of Stripe's REST API, answered 200 and parsed, or its refusal. */
export const get = async <S extends z.ZodMiniType>(
  ctx: StripeCall,
  path: string,
  query: URLSearchParams,
  schema: S,
  call: string,
): Promise<z.infer<S>> => {
  const q = query.toString();
  const res = await ctx.http(`${ctx.baseUrl}${path}${q ? `?${q}` : ''}`, {
    headers: authHeaders(ctx.credentials),
  });
  if (res.status !== 200) throw failure(res, ctx.credentials);
  return parseAnswer('Stripe', schema, res, call);
};

/** Unix seconds (Stripe's instants) as ISO-8601. */
export const isoOf = (seconds: number): string => new Date(seconds * 1000).toISOString();
export const isoOrNull = (seconds: number | null | undefined): string | null =>
  seconds === null || seconds === undefined ? null : isoOf(seconds);

/** A field that is an id, or the object when it was expanded. https://docs.stripe.com/api/expanding_objects */
export const expandable = z.union([z.string(), z.object({ id: z.string() })]);
export const idOf = (v: z.infer<typeof expandable>): string => (typeof v === 'string' ? v : v.id);
