import * as z from 'zod/mini';
import type { VerifiedAccount, VerifyContext } from '../types';
import { notion } from './api';

/**
 * The token's bot user. `bot.workspace_id` / `workspace_name` say which workspace the token
 * is for (a token is for one workspace); `owner` is the workspace itself (internal
 * integrations) or the user who installed a public one.
 * https://developers.notion.com/reference/get-self
 */
const me = z.object({
  object: z.literal('user'),
  id: z.string(),
  name: z.optional(z.nullable(z.string())),
  type: z.optional(z.string()),
  bot: z.optional(
    z.object({
      workspace_id: z.optional(z.nullable(z.string())),
      workspace_name: z.optional(z.nullable(z.string())),
      owner: z.optional(z.looseObject({ type: z.string() })),
    }),
  ),
});

/**
 * Who the credentials are: the workspace the bot belongs to, which webhooks name as
 * `workspace_id` (they are routed by it). A bot answer without a workspace id (older
 * answers of the endpoint) falls back on what the OAuth token answer stored
 * (`metadata.workspace_id`, kept beside this by core) and else on the bot itself.
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const user = await notion(ctx, { method: 'GET', path: '/v1/users/me' }, me);
  const workspaceId = user.bot?.workspace_id ?? undefined;
  const workspaceName = user.bot?.workspace_name ?? undefined;
  return {
    account: {
      id: workspaceId ?? user.id,
      name: workspaceName ?? user.name ?? 'Notion workspace',
    },
    metadata: {
      bot_id: user.id,
      ...(workspaceId ? { workspace_id: workspaceId } : {}),
      ...(workspaceName ? { workspace_name: workspaceName } : {}),
      ...(user.bot?.owner?.type ? { owner_type: user.bot.owner.type } : {}),
    },
  };
};
