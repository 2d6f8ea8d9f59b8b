import * as z from 'zod/mini';
import { oauth2Flow } from '../oauth2';
import type { TokenSet } from '../types';

/**
 * Notion's token endpoint (public integrations) departs from RFC 6749 in three ways, said
 * here as data for the shared flow:
 * - the client authenticates with HTTP Basic over `client_id:client_secret` as they are
 *   (`basic_raw`: Notion's examples base64 the pair without form-encoding it first);
 * - the parameters go as a JSON body, not a form;
 * - the answer has no `expires_in` and no refresh token: Notion's access tokens do not
 *   expire (`refreshes: false`), and it carries what the connection is for — `workspace_id`
 *   (what webhooks are routed by), `workspace_name` and `bot_id` — kept as metadata.
 * Errors come as RFC 6749's `{ error, error_description }` (`invalid_grant` for a used or
 * unknown code), or in the API's own `{ object: "error", code, message }` shape: both are read.
 * https://developers.notion.com/docs/authorization#step-4-the-integration-exchanges-the-code-for-an-access-token
 * https://developers.notion.com/reference/create-a-token
 */
const tokenAnswer = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  bot_id: z.string(),
  workspace_id: z.string(),
  workspace_name: z.optional(z.nullable(z.string())),
  owner: z.optional(z.looseObject({ type: z.string() })),
});

const apiError = z.object({ object: z.literal('error'), code: z.string(), message: z.string() });

const readTokens = (body: unknown): TokenSet | undefined => {
  const a = tokenAnswer.safeParse(body).data;
  if (!a) return undefined;
  return {
    accessToken: a.access_token,
    metadata: {
      workspace_id: a.workspace_id,
      bot_id: a.bot_id,
      ...(a.workspace_name ? { workspace_name: a.workspace_name } : {}),
      ...(a.owner ? { owner_type: a.owner.type } : {}),
    },
  };
};

export const oauth = oauth2Flow({
  provider: 'Notion',
  encoding: 'json',
  clientAuth: 'basic_raw',
  readError: (body) => {
    const e = apiError.safeParse(body).data;
    return e ? { error: e.code, message: e.message } : undefined;
  },
  readTokens,
  refreshes: false,
});
