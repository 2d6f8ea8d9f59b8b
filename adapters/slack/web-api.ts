import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseRetryAfter } from '../http';
import { parseAnswer } from '../parse';
import type { ActionContext } from '../types';

/**
 * One call to a Slack Web API method. Every method answers HTTP 200 with `{"ok": true, …}`, or
 * `{"ok": false, "error": "<code>"}` when it refuses — the code is Slack's own message; rate
 * limits are HTTP 429 with Retry-After (the shared http client turns those into `rate_limited`).
 * https://docs.slack.dev/apis/web-api/#responses
 * https://docs.slack.dev/apis/web-api/rate-limits
 */

const refusal = z.object({
  ok: z.literal(false),
  error: z.string(),
  // missing_scope names the scope the method wanted and those the token has.
  needed: z.optional(z.string()),
  provided: z.optional(z.string()),
});

/**
 * Codes that mean the token itself is no good: reported as 401, so the engine renews the token
 * once where it can (token rotation) before giving up.
 * https://docs.slack.dev/reference/methods/auth.test#errors
 */
const DEAD_TOKEN = new Set([
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** Page cursors end with an empty `next_cursor` (or none). */
export const responseMetadata = z.optional(z.object({ next_cursor: z.optional(z.string()) }));

export type SlackCall = Pick<ActionContext, 'credentials' | 'baseUrl' | 'http'>;

export type SlackRequest = {
  /** Read methods: arguments in the query string (GET). */
  query?: Record<string, string | undefined>;
  /** Write methods: a JSON body (POST); Slack wants the charset named. */
  json?: Record<string, unknown>;
  /** Readable explanations of error codes this call may meet, appended to the code. */
  hints?: Record<string, string>;
  /** A user-token method: the install's user token is used when there is one. */
  asUser?: boolean;
};

/**
 * The connection's token — or, for methods only a user token may call (search.messages),
 * the installing user's token when the install returned one beside the bot token.
 */
const tokenOf = (ctx: SlackCall, asUser: boolean): string => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2')
    throw new ProviderError('rejected', `Slack does not accept ${c.type} credentials.`);
  return (asUser ? c.extra?.user_access_token : undefined) ?? c.access_token;
};

const readable = (r: z.infer<typeof refusal>, hints: Record<string, string>): string => {
  const hint = hints[r.error];
  if (hint) return `${r.error}: ${hint}`;
  if (r.error === 'missing_scope' && r.needed) {
    const has = r.provided ? ` (it has ${r.provided.split(',').join(', ')})` : '';
    return `missing_scope: the token needs the ${r.needed.split(',').join(', ')} scope${has}.`;
  }
  return r.error;
};

export const callSlack = async <S extends z.ZodMiniType>(
  ctx: SlackCall,
  method: string,
  answer: S,
  request: SlackRequest = {},
): Promise<z.infer<S>> => {
  const headers: Record<string, string> = {
    authorization: `Bearer ${tokenOf(ctx, request.asUser === true)}`,
  };
  let url = `${ctx.baseUrl}/${method}`;
  if (request.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(request.query)) if (v !== undefined) q.set(k, v);
    url = `${url}?${q}`;
  }
  if (request.json) headers['content-type'] = 'application/json; charset=utf-8';
  const res = await ctx.http(url, {
    method: request.json ? 'POST' : 'GET',
    headers,
    ...(request.json ? { body: request.json } : {}),
  });
  const refused = refusal.safeParse(res.jsonOrUndefined());
  if (refused.success) {
    const error = refused.data.error;
    // Documented on most methods beside HTTP 429; the wait is in Retry-After either way.
    if (error === 'ratelimited') {
      const retryAfterSeconds = parseRetryAfter(res.headers);
      throw new ProviderError('rate_limited', 'ratelimited', {
        status: res.status,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
    }
    throw new ProviderError('rejected', readable(refused.data, request.hints ?? {}), {
      status: DEAD_TOKEN.has(error) ? 401 : res.status,
      code: error,
    });
  }
  if (res.status !== 200)
    throw new ProviderError('rejected', `Slack answered ${res.status}.`, { status: res.status });
  return parseAnswer('Slack', answer, res, method);
};

/** A Slack object mapped to its model and checked: a mapping bug must not reach the records. */
export const checked = <S extends z.ZodMiniType>(model: S, what: string, data: z.infer<S>): z.infer<S> => {
  const r = model.safeParse(data);
  if (!r.success)
    throw new ProviderError(
      'unreachable',
      `Slack answered ${what} with data that does not map to its model.`,
    );
  return r.data;
};

/** Slack's epoch seconds (`created`) as ISO. */
export const isoOfEpoch = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** A message `ts` ("1503435956.000247": epoch seconds and a per-channel sequence) as ISO. */
export const isoOfTs = (ts: string): string => {
  const seconds = Number(ts);
  if (!Number.isFinite(seconds))
    throw new ProviderError('unreachable', `Slack answered an invalid ts: ${ts}.`);
  return new Date(Math.floor(seconds * 1000)).toISOString();
};

/**
 * The workspace's address (`https://acme-corp.slack.com`), from auth.test's `url` kept on the
 * connection at connect time; null when the connection does not know it.
 */
export const workspaceOrigin = (metadata: Record<string, string>): string | null => {
  const url = metadata.url;
  if (!url || !URL.canParse(url)) return null;
  const u = new URL(url);
  return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
};

/**
 * A message permalink as Slack builds them: the ts without its dot after `p`; replies name
 * their thread. https://docs.slack.dev/reference/methods/chat.getPermalink
 */
export const permalink = (
  origin: string | null,
  channel: string,
  ts: string,
  threadTs: string | null,
): string | null => {
  if (origin === null) return null;
  const link = `${origin}/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link;
};
