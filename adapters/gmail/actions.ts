import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf } from '../types';
import type { getMessageInput, listMessagesInput, manifest, sendEmailInput } from './manifest';
import { mapMessage, messageRecordId } from './message';
import { rawOf } from './mime';
import { getMessage, getMessages, listMessageIds } from './read';
import { callApi, failure, userUrl } from './rest';

const DEFAULT_LIST_SIZE = 20;

const sentAnswer = z.object({
  id: z.string().check(z.minLength(1)),
  threadId: z.optional(z.string()),
  labelIds: z.optional(z.array(z.string())),
});

const threadAnswer = z.object({
  id: z.string(),
  messages: z.optional(
    z.array(
      z.object({
        id: z.string(),
        payload: z.optional(
          z.object({ headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))) }),
        ),
      }),
    ),
  ),
});

/**
 * What a reply in `threadId` needs so that Gmail — and the recipients' mail programs —
 * thread it: In-Reply-To the thread's latest message, References its chain plus that
 * message. Gmail also wants the `threadId` on the request and a matching Subject.
 * https://developers.google.com/workspace/gmail/api/guides/sending#replying_to_a_thread
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/get
 */
const replyHeaders = async (ctx: ActionContext, threadId: string) => {
  const q = new URLSearchParams({ format: 'metadata' });
  for (const h of ['Message-ID', 'References']) q.append('metadataHeaders', h);
  const res = await callApi(ctx, userUrl(ctx.baseUrl, `threads/${encodeURIComponent(threadId)}`, q));
  if (res.status !== 200) throw failure(res);
  const thread = parseAnswer('Gmail', threadAnswer, res, 'GET /users/me/threads/{id}');
  const latest = thread.messages?.at(-1);
  const header = (name: string) =>
    latest?.payload?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const messageId = header('Message-ID');
  // A thread whose latest message has no Message-ID (a draft) threads by threadId alone.
  if (!messageId) return {};
  const before = header('References');
  return { inReplyTo: messageId, references: before ? `${before} ${messageId}` : messageId };
};

/**
 * Sends a plain-text mail from the account: the message built here (RFC 5322, MIME), sent
 * base64url-encoded as `raw`. Gmail answers the sent message's ids and labels.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send
 */
const sendEmail = async (ctx: ActionContext, input: z.infer<typeof sendEmailInput>) => {
  const reply = input.thread_id !== undefined ? await replyHeaders(ctx, input.thread_id) : {};
  const raw = rawOf({
    to: input.to,
    cc: input.cc,
    bcc: input.bcc,
    subject: input.subject,
    body: input.body,
    ...reply,
  });
  const res = await callApi(ctx, userUrl(ctx.baseUrl, 'messages/send'), {
    method: 'POST',
    body: { raw, ...(input.thread_id !== undefined ? { threadId: input.thread_id } : {}) },
  });
  if (res.status !== 200) throw failure(res);
  const sent = parseAnswer('Gmail', sentAnswer, res, 'POST /users/me/messages/send');
  return {
    id: messageRecordId(sent.id),
    message_id: sent.id,
    thread_id: sent.threadId ?? null,
    label_ids: sent.labelIds ?? [],
  };
};

/**
 * Messages, newest first, as messages.list gives their ids, each read with format=metadata
 * (headers and snippet: a listing shows no bodies); `cursor` is Gmail's page token.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
 */
const listMessages = async (ctx: ActionContext, input: z.infer<typeof listMessagesInput>) => {
  const answer = await listMessageIds(ctx, {
    maxResults: input.max ?? DEFAULT_LIST_SIZE,
    pageToken: input.cursor,
    q: input.q,
  });
  const { found } = await getMessages(
    ctx,
    (answer.messages ?? []).map((m) => m.id),
    'metadata',
  );
  return { messages: found.map(mapMessage), next_cursor: answer.nextPageToken ?? null };
};

/**
 * One message in full: its text is the plain-text body (capped as in records).
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get
 */
const getOne = async (ctx: ActionContext, input: z.infer<typeof getMessageInput>) => {
  const m = await getMessage(ctx, input.id, 'full');
  // Gmail's own words for a message it does not have.
  if (!m) throw new ProviderError('rejected', 'Requested entity was not found.', { status: 404 });
  return { message: mapMessage(m) };
};

export const actions: ActionsOf<typeof manifest> = {
  send_email: sendEmail,
  list_messages: listMessages,
  get_message: getOne,
};
