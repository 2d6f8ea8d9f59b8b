import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionContext } from '../types';
import { type GmailMessage, gmailMessage, METADATA_HEADERS, messageRef } from './message';
import { callApi, failure, mapLimited, userUrl } from './rest';

/** Messages read at once from a page of ids (see mapLimited). */
const PARALLEL_GETS = 10;

const listAnswer = z.object({
  // Absent, not empty, when nothing matches (`{"resultSizeEstimate": 0}`).
  messages: z.optional(z.array(messageRef)),
  nextPageToken: z.optional(z.string()),
});
export type ListAnswer = z.infer<typeof listAnswer>;

/**
 * One page of message ids, newest first; spam and trash left out (includeSpamTrash=false,
 * Google's default). `q` is Gmail's search syntax.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
 */
export const listMessageIds = async (
  ctx: Pick<ActionContext, 'credentials' | 'http' | 'baseUrl'>,
  o: { maxResults: number; pageToken?: string | undefined; q?: string | undefined },
): Promise<ListAnswer> => {
  const query = new URLSearchParams({ maxResults: String(o.maxResults) });
  if (o.q) query.set('q', o.q);
  if (o.pageToken) query.set('pageToken', o.pageToken);
  const res = await callApi(ctx, userUrl(ctx.baseUrl, 'messages', query));
  if (res.status !== 200) throw failure(res);
  return parseAnswer('Gmail', listAnswer, res, 'GET /users/me/messages');
};

/**
 * One message: `full` for the MIME tree with its bodies (what a record's text is read
 * from), `metadata` for the headers the mapping reads and the snippet (a listing).
 * Undefined when Gmail no longer has it (404: deleted since it was listed).
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get
 */
export const getMessage = async (
  ctx: Pick<ActionContext, 'credentials' | 'http' | 'baseUrl'>,
  id: string,
  format: 'full' | 'metadata',
): Promise<GmailMessage | undefined> => {
  const query = new URLSearchParams({ format });
  if (format === 'metadata') for (const h of METADATA_HEADERS) query.append('metadataHeaders', h);
  const res = await callApi(ctx, userUrl(ctx.baseUrl, `messages/${encodeURIComponent(id)}`, query));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw failure(res);
  return parseAnswer('Gmail', gmailMessage, res, 'GET /users/me/messages/{id}');
};

/** Several messages, PARALLEL_GETS at a time, in the order asked; those gone are left out. */
export const getMessages = async (
  ctx: Pick<ActionContext, 'credentials' | 'http' | 'baseUrl'>,
  ids: string[],
  format: 'full' | 'metadata',
): Promise<{ found: GmailMessage[]; gone: string[] }> => {
  const got = await mapLimited(ids, PARALLEL_GETS, (id) => getMessage(ctx, id, format));
  return {
    found: got.filter((m): m is GmailMessage => m !== undefined),
    gone: ids.filter((_, i) => got[i] === undefined),
  };
};
