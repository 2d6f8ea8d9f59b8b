import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { message } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf } from '../types';
import { bearer, failure, isoOf, segment } from './graph';
import type { manifest, sendChannelMessageInput } from './manifest';

const chatMessage = z.object({
  id: z.string(),
  replyToId: z.optional(z.nullable(z.string())),
  createdDateTime: z.string(),
  webUrl: z.optional(z.nullable(z.string())),
  body: z.object({ content: z.optional(z.nullable(z.string())) }),
  from: z.optional(
    z.nullable(
      z.object({
        user: z.optional(z.nullable(z.object({ displayName: z.optional(z.nullable(z.string())) }))),
        application: z.optional(z.nullable(z.object({ displayName: z.optional(z.nullable(z.string())) }))),
      }),
    ),
  ),
  channelIdentity: z.optional(z.nullable(z.object({ channelId: z.optional(z.nullable(z.string())) }))),
});

/**
 * Posts to a channel, or replies in a thread when `thread_id` names its first message.
 * Needs ChannelMessage.Send; Graph answers 403 Forbidden ("Missing scope permissions…")
 * without it, and 404 for a team or channel the user cannot see.
 * https://learn.microsoft.com/en-us/graph/api/channel-post-messages
 * https://learn.microsoft.com/en-us/graph/api/chatmessage-post-replies
 */
const sendChannelMessage = async (
  ctx: ActionContext,
  input: z.infer<typeof sendChannelMessageInput>,
): Promise<Record<string, unknown>> => {
  const messages = `${ctx.baseUrl}/teams/${segment(input.team_id)}/channels/${segment(input.channel_id)}/messages`;
  const url = input.thread_id ? `${messages}/${segment(input.thread_id)}/replies` : messages;
  const res = await ctx.http(url, {
    method: 'POST',
    headers: bearer(ctx.credentials),
    body: { body: { contentType: input.content_type ?? 'text', content: input.content } },
  });
  if (res.status !== 201 && res.status !== 200) throw failure(res);
  const m = parseAnswer('Microsoft Graph', chatMessage, res, 'POST …/messages');
  const data = message.safeParse({
    text: m.body.content ?? '',
    channel: m.channelIdentity?.channelId ?? input.channel_id,
    author: m.from?.user?.displayName ?? m.from?.application?.displayName ?? null,
    url: m.webUrl ?? null,
    thread_id: m.replyToId ?? null,
    created_at: isoOf(m.createdDateTime),
  });
  if (!data.success) {
    throw new ProviderError(
      'unreachable',
      'Microsoft Graph answered a message that does not map to its model.',
    );
  }
  return { message: { id: m.id, ...data.data } };
};

export const actions: ActionsOf<typeof manifest> = { send_channel_message: sendChannelMessage };
