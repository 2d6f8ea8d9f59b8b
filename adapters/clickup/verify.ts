import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { VerifiedAccount, VerifyContext } from '../types';

const answer = z.object({
  user: z.object({ id: z.number(), username: z.nullable(z.string()), email: z.optional(z.string()) }),
});

// ClickUp's error shape: {"err": "Token invalid", "ECODE": "OAUTH_025"}.
const errorBody = z.object({ err: z.string(), ECODE: z.optional(z.string()) });

const jsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  let token: string;
  if (c.type === 'api_key') token = c.api_key;
  else if (c.type === 'oauth2') token = c.access_token;
  else throw new ProviderError('rejected', `ClickUp does not accept ${c.type} credentials.`);
  // A token with whitespace or control characters cannot travel in a header: fetch would
  // throw before sending, which the http client reports as `unreachable`.
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ProviderError('rejected', 'The ClickUp token is not well-formed.');

  // Personal (pk_…) and OAuth tokens alike go bare in Authorization, without a scheme.
  // https://developer.clickup.com/docs/authentication
  // https://developer.clickup.com/reference/getauthorizeduser
  const res = await ctx.http(`${ctx.baseUrl}/user`, { headers: { authorization: token } });
  if (res.status !== 200) {
    const body = errorBody.safeParse(jsonOrUndefined(res.text)).data;
    throw new ProviderError('rejected', body?.err ?? `ClickUp answered ${res.status}.`, {
      status: res.status,
    });
  }
  const parsed = answer.safeParse(jsonOrUndefined(res.text));
  if (!parsed.success) {
    throw new ProviderError('unreachable', 'ClickUp answered GET /user with an unexpected body.', {
      status: 200,
    });
  }
  const { user } = parsed.data;
  return {
    account: { id: String(user.id), name: user.username || user.email || String(user.id) },
  };
};
