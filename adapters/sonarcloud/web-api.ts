import * as z from 'zod/mini';
import { isProviderError, ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { ActionContext } from '../types';

/**
 * One call to SonarQube Cloud's Web API with the user token as Bearer. Refusals are
 * `{"errors": [{"msg": "Project 'x' not found"}]}` (400, 403, 404); an unknown token is 401
 * with an empty body. Rate limits are 429 with no documented header, and SonarSource asks to
 * "wait a few minutes": a Retry-After, should one come, is honoured; else two minutes.
 * https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api
 */

export type SonarCall = Pick<ActionContext, 'credentials' | 'baseUrl' | 'http'>;

const errorBody = z.object({ errors: z.array(z.object({ msg: z.string() })) });

export const REJECTED_TOKEN = 'SonarCloud rejected the token';
const RATE_LIMIT_WAIT_SECONDS = 120;

/** A non-2xx answer as a refusal, in SonarCloud's words. */
export const failure = (res: HttpResponse): ProviderError => {
  const messages = errorBody.safeParse(res.jsonOrUndefined()).data?.errors.map((e) => e.msg) ?? [];
  const message =
    messages.length > 0
      ? messages.join(' ')
      : res.status === 401
        ? REJECTED_TOKEN
        : `SonarCloud answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status });
};

export const bearer = (ctx: Pick<SonarCall, 'credentials'>): Record<string, string> => {
  const c = ctx.credentials;
  if (c.type !== 'api_key')
    throw new ProviderError('rejected', `SonarCloud does not accept ${c.type} credentials.`);
  return { authorization: `Bearer ${c.api_key}` };
};

/** GETs `path` (`/api/…`) with the query, and parses a 200 with `answer`. */
export const callSonar = async <S extends z.ZodMiniType>(
  ctx: SonarCall,
  path: string,
  answer: S,
  query: Record<string, string | number | undefined> = {},
): Promise<z.infer<S>> => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  let res: HttpResponse;
  try {
    res = await ctx.http(`${ctx.baseUrl}${path}${q.size > 0 ? `?${q}` : ''}`, { headers: bearer(ctx) });
  } catch (e) {
    if (isProviderError(e) && e.kind === 'rate_limited' && e.retryAfterSeconds === undefined) {
      throw new ProviderError('rate_limited', e.providerMessage, {
        status: 429,
        retryAfterSeconds: RATE_LIMIT_WAIT_SECONDS,
      });
    }
    throw e;
  }
  if (res.status !== 200) throw failure(res);
  return parseAnswer('SonarCloud', answer, res, `GET ${path}`);
};

/** Sonar's paging: 1-based `pageIndex`, and the `total` across pages. */
export const paging = z.object({ pageIndex: z.number(), pageSize: z.number(), total: z.number() });
export const hasMore = (p: z.infer<typeof paging>): boolean => p.pageIndex * p.pageSize < p.total;

/** Sonar's dates (`2024-05-01T10:00:00+0200`) as ISO-8601; null when absent or invalid. */
export const isoOf = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/**
 * A project's page in the web app. SonarQube Cloud serves the app and the API on one host
 * (sonarcloud.io, sonarqube.us), so the links follow the connection's API host.
 */
export const projectUrl = (baseUrl: string, key: string, extra: Record<string, string> = {}): string => {
  const q = new URLSearchParams({ id: key, ...extra });
  return `${new URL(baseUrl).origin}/project/overview?${q}`;
};

/** A mapped object checked against its model: a mapping bug must not reach the records. */
export const checked = <S extends z.ZodMiniType>(model: S, what: string, data: z.infer<S>): z.infer<S> => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `SonarCloud answered ${what} with data that does not map to its model.`,
    );
  }
  return r.data;
};
