import * as z from 'zod/mini';
import { type Message, message } from '../models';
import { callSlack, checked, isoOfTs, permalink, type SlackCall, workspaceOrigin } from './web-api';

/**
 * Posting (chat.postMessage) and searching (search.messages) messages. A message is known by
 * its channel and `ts`, so its id is `<channel>:<ts>`.
 */

type Ctx = SlackCall & { metadata: Record<string, string> };
export type MessageOut = Message & { id: string };

const messageOf = (
  m: { channel: string; ts: string; text: string; author: string | null; threadTs: string | null },
  url: string | null,
): MessageOut => ({
  id: `${m.channel}:${m.ts}`,
  ...checked(message, `message ${m.ts}`, {
    text: m.text,
    channel: m.channel,
    author: m.author,
    url,
    thread_id: m.threadTs,
    created_at: isoOfTs(m.ts),
  }),
});

const posted = z.object({
  ok: z.literal(true),
  channel: z.string(),
  ts: z.string(),
  message: z.object({
    text: z.optional(z.string()),
    user: z.optional(z.string()),
    bot_id: z.optional(z.string()),
    username: z.optional(z.string()),
    thread_ts: z.optional(z.string()),
  }),
});

/**
 * Slack answers the channel's id even when it was named, and the message as stored (its text
 * may differ from what was sent: Slack escapes and links it).
 * https://docs.slack.dev/reference/methods/chat.postMessage
 */
export const postMessage = async (
  ctx: Ctx,
  input: { channel: string; text: string; thread_ts?: string | undefined },
): Promise<MessageOut> => {
  const a = await callSlack(ctx, 'chat.postMessage', posted, {
    json: {
      channel: input.channel,
      text: input.text,
      ...(input.thread_ts !== undefined ? { thread_ts: input.thread_ts } : {}),
    },
  });
  const threadTs = a.message.thread_ts ?? null;
  return messageOf(
    {
      channel: a.channel,
      ts: a.ts,
      text: a.message.text ?? input.text,
      author: a.message.user ?? a.message.bot_id ?? a.message.username ?? null,
      threadTs,
    },
    permalink(workspaceOrigin(ctx.metadata), a.channel, a.ts, threadTs),
  );
};

const match = z.object({
  ts: z.string(),
  text: z.optional(z.string()),
  user: z.optional(z.nullable(z.string())),
  username: z.optional(z.string()),
  permalink: z.optional(z.string()),
  channel: z.object({ id: z.string() }),
});

const searchAnswer = z.object({
  ok: z.literal(true),
  messages: z.object({
    matches: z.array(match),
    paging: z.optional(z.object({ page: z.number(), pages: z.number() })),
  }),
});

/** Search matches carry no thread field; a reply's permalink names its thread. */
const threadOf = (link: string | undefined): string | null =>
  link && URL.canParse(link) ? new URL(link).searchParams.get('thread_ts') : null;

// search.messages is for user tokens only; a bot token gets not_allowed_token_type.
const hints = {
  not_allowed_token_type:
    'searching messages needs a user token (xoxp-) with the search:read scope; Slack refuses bot tokens here.',
};

/**
 * Pages by number (`page`, at most 100), not by cursor; our cursor is the next page's number.
 * https://docs.slack.dev/reference/methods/search.messages
 */
export const searchMessages = async (
  ctx: Ctx,
  input: { query: string; count: number; page: number },
): Promise<{ messages: MessageOut[]; nextPage: number | null }> => {
  const a = await callSlack(ctx, 'search.messages', searchAnswer, {
    query: { query: input.query, count: String(input.count), page: String(input.page) },
    hints,
    asUser: true,
  });
  const messages = a.messages.matches.map((m) =>
    messageOf(
      {
        channel: m.channel.id,
        ts: m.ts,
        text: m.text ?? '',
        author: m.user ?? m.username ?? null,
        threadTs: threadOf(m.permalink),
      },
      m.permalink ?? null,
    ),
  );
  const paging = a.messages.paging;
  return { messages, nextPage: paging && paging.page < Math.min(paging.pages, 100) ? paging.page + 1 : null };
};
