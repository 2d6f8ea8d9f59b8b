import type * as z from 'zod/mini';
import type { ActionContext, ActionsOf } from '../types';
import { listChannels } from './conversations';
import type { listChannelsInput, manifest, searchMessagesInput, sendMessageInput } from './manifest';
import { postMessage, searchMessages } from './messages';

/**
 * Slack's tools. Ids are Slack's own (a channel's `C…`, a message's `<channel>:<ts>`), what the
 * caller passes back to the next call (`send_message`'s `channel`).
 */
export const actions: ActionsOf<typeof manifest> = {
  list_channels: async (ctx: ActionContext, input: z.infer<typeof listChannelsInput>) => {
    const listed = await listChannels(ctx, {
      cursor: input.cursor,
      limit: input.limit ?? 200,
      excludeArchived: !(input.include_archived ?? false),
    });
    return {
      channels: listed.channels.map(({ slackId, ...c }) => ({ id: slackId, ...c })),
      next_cursor: listed.next ?? null,
    };
  },

  send_message: async (ctx: ActionContext, input: z.infer<typeof sendMessageInput>) => ({
    message: await postMessage(ctx, input),
  }),

  search_messages: async (ctx: ActionContext, input: z.infer<typeof searchMessagesInput>) => {
    const found = await searchMessages(ctx, {
      query: input.query,
      count: input.count ?? 20,
      page: input.cursor === undefined ? 1 : Number(input.cursor),
    });
    return { messages: found.messages, next_cursor: found.nextPage === null ? null : String(found.nextPage) };
  },
};
