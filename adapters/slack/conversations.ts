import * as z from 'zod/mini';
import { type Channel, channel } from '../models';
import { callSlack, checked, isoOfEpoch, responseMetadata, type SlackCall, workspaceOrigin } from './web-api';

/**
 * Public and private channels (archived included when asked) through conversations.list,
 * cursor-paged in Slack's own order, which new channels do not reshuffle. A page may hold
 * fewer channels than `limit`, even none, while `next_cursor` says more follow: Slack filters
 * by type after paging.
 * https://docs.slack.dev/reference/methods/conversations.list
 * https://docs.slack.dev/apis/web-api/pagination
 */

const text = z.optional(z.nullable(z.object({ value: z.optional(z.string()) })));

const conversation = z.object({
  id: z.string(),
  name: z.string(),
  is_private: z.optional(z.boolean()),
  is_archived: z.optional(z.boolean()),
  created: z.number(),
  num_members: z.optional(z.number()),
  topic: text,
  purpose: text,
  context_team_id: z.optional(z.string()),
});
type Conversation = z.infer<typeof conversation>;

const listAnswer = z.object({
  ok: z.literal(true),
  channels: z.array(conversation),
  response_metadata: responseMetadata,
});

/**
 * A conversation as a `channel`. The purpose is what Slack shows as the channel's
 * description; the topic stands in when there is none.
 */
export const mapChannel = (c: Conversation, metadata: Record<string, string>): Channel => {
  const origin = workspaceOrigin(metadata);
  return checked(channel, `channel ${c.id}`, {
    name: c.name,
    kind: 'channel',
    description: c.purpose?.value || c.topic?.value || null,
    is_private: c.is_private ?? false,
    is_archived: c.is_archived ?? false,
    member_count: c.num_members ?? null,
    url: origin === null ? null : `${origin}/archives/${c.id}`,
    parent: metadata.team_id ?? c.context_team_id ?? null,
    created_at: isoOfEpoch(c.created),
  });
};

export type ChannelPage = {
  channels: (Channel & { slackId: string })[];
  /** Absent on the last page. */
  next: string | undefined;
};

export const listChannels = async (
  ctx: SlackCall & { metadata: Record<string, string> },
  o: { cursor?: string | undefined; limit: number; excludeArchived: boolean },
): Promise<ChannelPage> => {
  const answer = await callSlack(ctx, 'conversations.list', listAnswer, {
    query: {
      types: 'public_channel,private_channel',
      exclude_archived: String(o.excludeArchived),
      limit: String(o.limit),
      cursor: o.cursor,
    },
  });
  return {
    channels: answer.channels.map((c) => ({ slackId: c.id, ...mapChannel(c, ctx.metadata) })),
    next: answer.response_metadata?.next_cursor || undefined,
  };
};
