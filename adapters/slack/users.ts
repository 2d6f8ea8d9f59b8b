import * as z from 'zod/mini';
import { type User, user } from '../models';
import { callSlack, checked, responseMetadata, type SlackCall } from './web-api';

/**
 * The workspace's members through users.list, cursor-paged. Deactivated members stay listed
 * with `deleted: true`; the email is there only with the users:read.email scope.
 * https://docs.slack.dev/reference/methods/users.list
 * https://docs.slack.dev/reference/objects/user-object
 */

/** A member as users.list answers it, and as user_change / team_join events carry it. */
export const member = z.object({
  id: z.string(),
  name: z.string(),
  real_name: z.optional(z.string()),
  deleted: z.optional(z.boolean()),
  is_bot: z.optional(z.boolean()),
  tz: z.optional(z.nullable(z.string())),
  profile: z.optional(
    z.object({
      real_name: z.optional(z.string()),
      display_name: z.optional(z.string()),
      email: z.optional(z.nullable(z.string())),
      image_72: z.optional(z.string()),
    }),
  ),
});
type Member = z.infer<typeof member>;

const listAnswer = z.object({
  ok: z.literal(true),
  members: z.array(member),
  response_metadata: responseMetadata,
});

// Slackbot is listed with `is_bot: false`, yet it is the workspace's built-in bot.
const SLACKBOT = 'USLACKBOT';

export const mapUser = (m: Member): User =>
  checked(user, `user ${m.id}`, {
    name: m.profile?.real_name || m.real_name || m.name,
    display_name: m.profile?.display_name || null,
    email: m.profile?.email || null,
    is_bot: (m.is_bot ?? false) || m.id === SLACKBOT,
    is_deleted: m.deleted ?? false,
    avatar_url: m.profile?.image_72 || null,
    timezone: m.tz || null,
  });

export const listUsers = async (
  ctx: SlackCall,
  o: { cursor?: string | undefined; limit: number },
): Promise<{ users: (User & { slackId: string })[]; next: string | undefined }> => {
  const answer = await callSlack(ctx, 'users.list', listAnswer, {
    query: { limit: String(o.limit), cursor: o.cursor },
  });
  return {
    users: answer.members.map((m) => ({ slackId: m.id, ...mapUser(m) })),
    next: answer.response_metadata?.next_cursor || undefined,
  };
};
