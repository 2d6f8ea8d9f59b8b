import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { oauthFailure } from '../oauth2';
import type { OAuthFunctions } from '../types';

/**
 * ClickUp's token endpoint is not RFC 6749's: the client id, client secret and code go as
 * query parameters of the POST (no grant_type, no redirect_uri), the answer is
 * `{ "access_token": "…" }` alone, and its errors are ClickUp's usual `{ err, ECODE }`.
 * Its tokens never expire and there is no refresh grant, so there is no `refreshToken`.
 * https://developer.clickup.com/docs/authentication#oauth-flow
 */
const tokenAnswer = z.object({ access_token: z.string().check(z.minLength(1)) });
const errorAnswer = z.object({ err: z.string(), ECODE: z.optional(z.string()) });

export const oauth: OAuthFunctions = {
  // https://developer.clickup.com/reference/getaccesstoken
  exchangeCode: async (ctx) => {
    const url = new URL(ctx.tokenUrl);
    url.searchParams.set('client_id', ctx.clientId);
    url.searchParams.set('client_secret', ctx.clientSecret);
    url.searchParams.set('code', ctx.code);
    const res = await ctx.http(url.toString(), { method: 'POST' });
    if (res.status !== 200) {
      const err = errorAnswer.safeParse(res.jsonOrUndefined());
      if (!err.success) throw oauthFailure(res, 'ClickUp');
      throw new ProviderError('rejected', err.data.err, {
        status: res.status,
        ...(err.data.ECODE ? { code: err.data.ECODE } : {}),
      });
    }
    const parsed = tokenAnswer.safeParse(res.jsonOrUndefined());
    if (!parsed.success) {
      throw new ProviderError('unreachable', 'ClickUp answered the token request with an unexpected body.', {
        status: res.status,
      });
    }
    return { accessToken: parsed.data.access_token };
  },
};
