import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';

const authTest = z.object({
  ok: z.literal(true),
  url: z.optional(z.string()),
  team: z.optional(z.string()),
  user: z.optional(z.string()),
  team_id: z.string(),
  user_id: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  enterprise_id: z.optional(z.string()),
});

const errorAnswer = z.object({ ok: z.literal(false), error: z.string() });

/**
 * Slack's "who am I": auth.test with the token as Bearer. A bad token is HTTP 200 with
 * `ok: false` and `invalid_auth` (`token_expired`, `token_revoked`, `account_inactive`…);
 * the granted scopes come back in the X-OAuth-Scopes header.
 * https://docs.slack.dev/reference/methods/auth.test
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2')
    throw new ProviderError('rejected', `Slack does not accept ${c.type} credentials.`);
  const res = await ctx.http(`${ctx.baseUrl}/auth.test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.access_token}` },
  });
  const failed = errorAnswer.safeParse(res.jsonOrUndefined());
  if (failed.success) {
    throw new ProviderError('rejected', failed.data.error, { status: res.status, code: failed.data.error });
  }
  if (res.status !== 200)
    throw new ProviderError('rejected', `Slack answered ${res.status}.`, { status: res.status });
  const me = parseAnswer('Slack', authTest, res, 'POST /api/auth.test');
  const scopes = res.headers
    .get('x-oauth-scopes')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const metadata: Record<string, string> = { team_id: me.team_id };
  if (me.url) metadata.url = me.url;
  if (me.user_id) metadata.user_id = me.user_id;
  if (me.bot_id) metadata.bot_id = me.bot_id;
  if (me.enterprise_id) metadata.enterprise_id = me.enterprise_id;
  return {
    account: { id: me.team_id, name: me.team || me.team_id },
    ...(scopes ? { scopes } : {}),
    metadata,
  };
};
