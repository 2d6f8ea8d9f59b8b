import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { Credentials, SyncContext } from '../types';
import { NOTION_VERSION } from './manifest';

/**
 * One request to Notion's REST API, and what its failures mean: the transport every Notion
 * sync, action and the credentials check share.
 * https://developers.notion.com/reference/intro
 */

/** Where and as whom: a sync's, an action's and a verification's context all have these. */
export type NotionCall = Pick<SyncContext, 'credentials' | 'baseUrl' | 'http'>;

/**
 * Internal integration secrets and public integrations' OAuth tokens both go as Bearer.
 * https://developers.notion.com/reference/authentication
 */
const token = (c: Credentials): string => {
  if (c.type === 'api_key') return c.api_key;
  if (c.type === 'oauth2') return c.access_token;
  throw new ProviderError('rejected', `Notion does not accept ${c.type} credentials.`);
};

/**
 * Notion's error body: `{ object: "error", status, code, message }`.
 * https://developers.notion.com/reference/status-codes
 */
const errorBody = z.object({
  object: z.literal('error'),
  status: z.optional(z.number()),
  code: z.string(),
  message: z.string(),
});

/**
 * A refusal as a ProviderError `rejected`, in Notion's words: `validation_error` (a bad body,
 * 400), `object_not_found` (404: missing, or not shared with the integration), `unauthorized`
 * (401), `restricted_resource` (403), `conflict_error` (409). 429 `rate_limited` (Retry-After)
 * and 5xx never reach here: the shared http client turns them into `rate_limited` and
 * `unreachable` first.
 * https://developers.notion.com/reference/status-codes#error-codes
 */
export const failure = (res: HttpResponse): ProviderError => {
  const e = errorBody.safeParse(res.jsonOrUndefined()).data;
  return new ProviderError('rejected', e?.message ?? `Notion answered ${res.status}.`, {
    status: res.status,
    ...(e ? { code: e.code } : {}),
  });
};

/** Whether the refusal was `object_not_found` (a page deleted or unshared meanwhile). */
export const notFound = (e: unknown): boolean =>
  e instanceof ProviderError && e.status === 404 && e.code === 'object_not_found';

/**
 * `method path` with `body` (JSON), answered 200 and parsed with `schema`; anything else is
 * the failure above. `call` names the request in messages.
 */
export const notion = async <S extends z.ZodMiniType>(
  ctx: NotionCall,
  request: { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown; query?: Record<string, string> },
  schema: S,
): Promise<z.infer<S>> => {
  const url = new URL(`${ctx.baseUrl.replace(/\/+$/, '')}${request.path}`);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  const res = await ctx.http(url.toString(), {
    method: request.method,
    headers: { authorization: `Bearer ${token(ctx.credentials)}`, 'notion-version': NOTION_VERSION },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  if (res.status !== 200) throw failure(res);
  return parseAnswer(
    'Notion',
    schema,
    res,
    `${request.method} ${request.path.replace(/\/[0-9a-f-]{32,36}/gi, '/{id}')}`,
  );
};

/** A list answer: `{ object: "list", results, next_cursor, has_more }`. https://developers.notion.com/reference/intro#pagination */
export const list = <S extends z.ZodMiniType>(item: S) =>
  z.object({
    object: z.literal('list'),
    results: z.array(item),
    next_cursor: z.nullable(z.string()),
    has_more: z.boolean(),
  });

/** The cursor of the page after this one, when there is one. */
export const nextCursor = (page: { next_cursor: string | null; has_more: boolean }): string | undefined =>
  page.has_more && page.next_cursor ? page.next_cursor : undefined;
