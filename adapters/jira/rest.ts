import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { ActionContext } from '../types';

/**
 * What every Jira call of a sync or an action shares: the credentials as a header, where to
 * call (the site, or the gateway with the cloud id), the site issues are browsed at, and
 * Jira's error bodies as one readable message.
 */

const errorBody = z.object({
  errorMessages: z.optional(z.array(z.string())),
  errors: z.optional(z.record(z.string(), z.string())),
  // The Atlassian API gateway (api.atlassian.com) answers {"code", "message"}.
  message: z.optional(z.string()),
});

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * Jira's reasons from an error body (bad JQL, unknown project, a field refused): the
 * `errorMessages` first, then each field error as `field: message`, in one message.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 */
export const failure = (res: HttpResponse): ProviderError => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const messages = [
    ...(body?.errorMessages ?? []),
    ...Object.entries(body?.errors ?? {}).map(([field, message]) => `${field}: ${message}`),
  ]
    .map((m) => m.trim())
    .filter(Boolean);
  const message =
    messages.length > 0
      ? messages.map(sentence).join(' ')
      : (body?.message ?? `Jira answered ${res.status}.`);
  return new ProviderError('rejected', message, { status: res.status });
};

export const authorization = (ctx: ActionContext): string => {
  const c = ctx.credentials;
  // https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
  if (c.type === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3-2-make-calls-to-the-api-using-the-access-token
  if (c.type === 'oauth2') return `Bearer ${c.access_token}`;
  throw new ProviderError('rejected', `Jira does not accept ${c.type} credentials.`);
};

/** OAuth calls go through the gateway with the cloud id verification stored. */
export const apiBase = (ctx: ActionContext): string => {
  if (!ctx.baseUrl.includes('{cloud_id}')) return ctx.baseUrl;
  const cloudId = ctx.metadata.cloud_id;
  if (!cloudId) {
    throw new ProviderError('rejected', 'This Jira connection has no cloud id: connect it again.');
  }
  return ctx.baseUrl.replace('{cloud_id}', encodeURIComponent(cloudId));
};

/** The site issues and projects are browsed at, for their URLs. */
export const siteUrl = (ctx: ActionContext): string | undefined => {
  const site = ctx.metadata.site ?? (typeof ctx.config.site === 'string' ? ctx.config.site : undefined);
  if (site) return /^https?:\/\//.test(site) ? site.replace(/\/$/, '') : `https://${site}`;
  // Basic auth calls the site itself.
  return ctx.credentials.type === 'basic' ? new URL(ctx.baseUrl).origin : undefined;
};

/** `https://<site>/browse/<KEY>` (an issue or a project), or null when the site is unknown. */
export const browseUrl = (site: string | undefined, key: string): string | null =>
  site ? `${site}/browse/${encodeURIComponent(key)}` : null;

/** A JQL string literal. https://support.atlassian.com/jira-software-cloud/docs/jql-fields/ */
export const literal = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `config.projects`: the keys a connection is narrowed to (none: every project). */
export const configuredProjects = (ctx: Pick<ActionContext, 'config'>): string[] =>
  Array.isArray(ctx.config.projects)
    ? ctx.config.projects.filter((p): p is string => typeof p === 'string' && p !== '')
    : [];

/** One Jira REST call with the connection's credentials; a non-2xx answer is `failure`. */
export const call = async (
  ctx: ActionContext,
  path: string,
  request: { method?: string; body?: unknown; ok?: number } = {},
): Promise<HttpResponse> => {
  const res = await ctx.http(`${apiBase(ctx)}${path}`, {
    method: request.method ?? 'GET',
    headers: { authorization: authorization(ctx) },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  if (res.status !== (request.ok ?? 200)) throw failure(res);
  return res;
};
