import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';

const answer = z.object({
  user: z.object({ id: z.number(), username: z.nullable(z.string()), email: z.optional(z.string()) }),
});

// ClickUp's error shape: {"err": "Token invalid", "ECODE": "OAUTH_025"}.
const errorBody = z.object({ err: z.string(), ECODE: z.optional(z.string()) });

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  let token: string;
  if (c.type === 'api_key') token = c.api_key;
  else if (c.type === 'oauth2') token = c.access_token;
  else throw new ProviderError('rejected', `ClickUp does not accept ${c.type} credentials.`);

  // Personal (pk_…) and OAuth tokens alike go bare in Authorization, without a scheme.
  // https://developer.clickup.com/docs/authentication
  // https://developer.clickup.com/reference/getauthorizeduser
  const res = await ctx.http(`${ctx.baseUrl}/user`, { headers: { authorization: token } });
  if (res.status !== 200) {
    const body = errorBody.safeParse(res.jsonOrUndefined()).data;
    throw new ProviderError('rejected', body?.err ?? `ClickUp answered ${res.status}.`, {
      status: res.status,
    });
  }
  const { user } = parseAnswer('ClickUp', answer, res, 'GET /user');
  return {
    account: { id: String(user.id), name: user.username || user.email || String(user.id) },
  };
};
