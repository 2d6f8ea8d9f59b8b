import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { expiresAtFrom, oauth2Flow, scopesOf } from '../oauth2';
import type { TokenSet } from '../types';

/**
 * Slack's `oauth.v2.access` is a Web API method: it answers HTTP 200 with `ok: false` and
 * an error code on failure, returns a bot token (xoxb-) with the installing user's token
 * (xoxp-, when user scopes were asked) nested in `authed_user`, and separates scopes with
 * commas. Without token rotation the tokens never expire and there is no refresh token;
 * with rotation the answer carries `expires_in` (12 h) and a single-use `refresh_token`,
 * refreshed with grant_type=refresh_token on the same method. What is Slack's own here is
 * reading that answer; the request is the shared one.
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 * https://docs.slack.dev/authentication/installing-with-oauth#exchanging
 */
const named = z.object({ id: z.string(), name: z.optional(z.string()) });

const authedUser = z.object({
  id: z.string(),
  scope: z.optional(z.string()),
  access_token: z.optional(z.string()),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
});

const accessAnswer = z.object({
  ok: z.literal(true),
  app_id: z.optional(z.string()),
  access_token: z.optional(z.string()),
  token_type: z.optional(z.string()),
  scope: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
  bot_user_id: z.optional(z.string()),
  team: z.optional(z.nullable(named)),
  enterprise: z.optional(z.nullable(named)),
  authed_user: z.optional(authedUser),
});

const errorAnswer = z.object({ ok: z.literal(false), error: z.string() });

const toTokenSet = (a: z.infer<typeof accessAnswer>): TokenSet => {
  const user = a.authed_user;
  // A user-token-only install has no bot token: the user's token is the main one then.
  const main = a.access_token
    ? { accessToken: a.access_token, refreshToken: a.refresh_token, expiresIn: a.expires_in, scope: a.scope }
    : user?.access_token
      ? {
          accessToken: user.access_token,
          refreshToken: user.refresh_token,
          expiresIn: user.expires_in,
          scope: user.scope,
        }
      : undefined;
  if (!main) {
    throw new ProviderError('unreachable', 'Slack answered oauth.v2.access without an access token.');
  }
  const expiresAt = expiresAtFrom(main.expiresIn);
  const scopes = scopesOf(main.scope);
  const extra: Record<string, string> = {};
  if (a.access_token && user?.access_token) {
    extra.user_access_token = user.access_token;
    if (user.refresh_token) extra.user_refresh_token = user.refresh_token;
  }
  const metadata: Record<string, string> = {};
  if (a.team?.id) metadata.team_id = a.team.id;
  if (a.team?.name) metadata.team_name = a.team.name;
  if (a.enterprise?.id) metadata.enterprise_id = a.enterprise.id;
  if (a.bot_user_id) metadata.bot_user_id = a.bot_user_id;
  if (user?.id) metadata.authed_user_id = user.id;
  if (a.app_id) metadata.app_id = a.app_id;
  return {
    accessToken: main.accessToken,
    ...(main.refreshToken ? { refreshToken: main.refreshToken } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
};

const readTokens = (body: unknown): TokenSet | undefined => {
  const ok = accessAnswer.safeParse(body);
  return ok.success ? toTokenSet(ok.data) : undefined;
};

export const oauth = oauth2Flow({
  provider: 'Slack',
  // Slack asks for the client id and secret as HTTP Basic rather than in the body.
  clientAuth: 'basic_raw',
  readError: (body) => {
    const failed = errorAnswer.safeParse(body).data;
    return failed ? { error: failed.error, message: failed.error } : undefined;
  },
  // Refresh-token errors after which no retry helps: the user has to install again.
  // Only apps with token rotation turned on get refresh tokens.
  // https://docs.slack.dev/authentication/using-token-rotation
  invalidGrant: ['invalid_refresh_token', 'token_revoked'],
  readTokens,
});
