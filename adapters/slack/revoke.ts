import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { RevokeContext } from '../types';
import { callSlack } from './web-api';

/**
 * Revokes the connection's token (the bot token the install gave, and the installing user's
 * token beside it when there is one): `auth.revoke` answers `{ok: true, revoked: true}`.
 * https://docs.slack.dev/reference/methods/auth.revoke
 */
const revoked = z.object({ ok: z.literal(true), revoked: z.boolean() });

export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2')
    throw new ProviderError('rejected', 'Only OAuth tokens are revoked.');
  const call = { credentials: ctx.credentials, baseUrl: ctx.baseUrl, http: ctx.http };
  const user = ctx.credentials.extra?.user_access_token;
  if (user) await callSlack(call, 'auth.revoke', revoked, { asUser: true });
  const r = await callSlack(call, 'auth.revoke', revoked);
  if (!r.revoked) throw new ProviderError('rejected', 'Slack did not revoke the token.');
};
