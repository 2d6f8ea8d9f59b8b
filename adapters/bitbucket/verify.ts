import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { authHeaders, bare, failure } from './rest';

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get
const user = z.object({
  uuid: z.string(),
  // Deprecated, and absent for some accounts since the GDPR changes.
  username: z.optional(z.nullable(z.string())),
  nickname: z.optional(z.nullable(z.string())),
  display_name: z.string(),
});

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const res = await ctx.http(`${ctx.baseUrl}/user`, { headers: authHeaders(ctx.credentials) });
  if (res.status !== 200) throw failure(res);
  const me = parseAnswer('Bitbucket', user, res, 'GET /user');
  // OAuth answers carry the token's scopes (`account, pullrequest, repository`).
  const scopes = (res.headers.get('x-oauth-scopes') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    account: { id: bare(me.uuid), name: me.username || me.nickname || me.display_name },
    ...(scopes.length ? { scopes } : {}),
  };
};
