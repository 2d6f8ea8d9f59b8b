import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { ActionContext } from '../types';
import { datadogSites } from './config';

/**
 * One call to Datadog's API with both keys: the API key names the organization, the
 * application key the user whose permissions the call has. Refusals come as
 * `{"errors": ["Monitor not found"]}` (400, 403, 404); rate limits as 429 with
 * X-RateLimit-Reset in seconds until the reset, which the shared http client reads.
 * https://docs.datadoghq.com/api/latest/authentication/
 * https://docs.datadoghq.com/api/latest/rate-limits/
 */

export type DatadogCall = Pick<ActionContext, 'credentials' | 'baseUrl' | 'http'>;

const errorBody = z.object({ errors: z.array(z.string()) });

/** Datadog's own words from an error body, its messages joined. */
export const reasonOf = (res: HttpResponse): string =>
  errorBody.safeParse(res.jsonOrUndefined()).data?.errors.join('; ') || `Datadog answered ${res.status}.`;

const keysOf = (ctx: DatadogCall): Record<string, string> => {
  const c = ctx.credentials;
  if (c.type !== 'api_key')
    throw new ProviderError('rejected', `Datadog does not accept ${c.type} credentials.`);
  if (!c.app_key) {
    throw new ProviderError('rejected', 'Datadog needs an application key (app_key) as well as the API key.');
  }
  return { 'dd-api-key': c.api_key, 'dd-application-key': c.app_key };
};

export type DatadogRequest = {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | boolean | undefined>;
};

/** Calls `path` (`/api/v1/monitor`), parses a 2xx answer with `answer`, and refuses the rest. */
export const callDatadog = async <S extends z.ZodMiniType>(
  ctx: DatadogCall,
  path: string,
  answer: S,
  request: DatadogRequest = {},
): Promise<z.infer<S>> => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) q.set(k, String(v));
  const url = `${ctx.baseUrl}${path}${q.size > 0 ? `?${q}` : ''}`;
  const method = request.method ?? 'GET';
  const res = await ctx.http(url, { method, headers: keysOf(ctx) });
  if (res.status < 200 || res.status >= 300) {
    throw new ProviderError('rejected', reasonOf(res), { status: res.status });
  }
  return parseAnswer('Datadog', answer, res, `${method} ${path}`);
};

/**
 * Where people open Datadog on the connection's site: app.datadoghq.com, app.datadoghq.eu,
 * app.ddog-gov.com, but us3.datadoghq.com (sites named by a region prefix are their own host).
 * https://docs.datadoghq.com/getting_started/site/
 */
export const appOrigin = (config: Record<string, unknown>): string => {
  const site = datadogSites.find((s) => s === config.site) ?? 'datadoghq.com';
  return /^(us\d|ap\d)\./.test(site) ? `https://${site}` : `https://app.${site}`;
};

/** Datadog's timestamps (`2024-05-01T10:00:00.123456+00:00`) as ISO-8601; null when absent or invalid. */
export const isoOf = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** Epoch seconds (SLOs' `modified_at`) as ISO-8601. */
export const isoOfEpoch = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;

/** A mapped object checked against its model: a mapping bug must not reach the records. */
export const checked = <S extends z.ZodMiniType>(model: S, what: string, data: z.infer<S>): z.infer<S> => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Datadog answered ${what} with data that does not map to its model.`,
    );
  }
  return r.data;
};
