import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { expiresAtFrom, oauthFailure } from '../oauth2';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * Linear's token endpoint: RFC 6749 with a form-encoded body (Linear insists on
 * `application/x-www-form-urlencoded`) and `{ error, error_description }` errors. Since
 * 1 April 2026 every app gets access tokens valid 24 hours (`expires_in: 86399`) with a
 * refresh token, and each refresh answers a new refresh token in place of the one used.
 * `scope` in the answer is space-separated although the authorize URL takes commas, and apps
 * created before December 2023 get it as an array of strings: both are read, which the
 * generic flow's parser would refuse.
 * https://linear.app/developers/oauth-2-0-authentication
 */
const tokenAnswer = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.string()])),
  refresh_token: z.optional(z.string()),
  scope: z.optional(z.union([z.string(), z.array(z.string())])),
});

const scopesOf = (scope: string | string[]): string[] =>
  (Array.isArray(scope) ? scope : scope.split(/[\s,]+/)).filter(Boolean);

const toTokenSet = (body: z.infer<typeof tokenAnswer>): TokenSet => {
  const expiresAt = expiresAtFrom(body.expires_in);
  return {
    accessToken: body.access_token,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(body.scope !== undefined ? { scopes: scopesOf(body.scope) } : {}),
  };
};

const tokenCall = async (ctx: OAuthContext, params: Record<string, string>): Promise<TokenSet> => {
  // https://linear.app/developers/oauth-2-0-authentication#exchange-code-for-an-access-token
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...params, client_id: ctx.clientId, client_secret: ctx.clientSecret }),
  });
  if (res.status !== 200) throw oauthFailure(res, 'Linear');
  const parsed = tokenAnswer.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    throw new ProviderError('unreachable', 'Linear answered the token request with an unexpected body.', {
      status: res.status,
    });
  }
  return toTokenSet(parsed.data);
};

export const oauth: OAuthFunctions = {
  // https://linear.app/developers/oauth-2-0-authentication#exchange-code-for-an-access-token
  exchangeCode: (ctx) =>
    tokenCall(ctx, {
      grant_type: 'authorization_code',
      code: ctx.code,
      redirect_uri: ctx.redirectUri,
      ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
    }),
  // https://linear.app/developers/oauth-2-0-authentication#refresh-an-access-token
  refreshToken: (ctx) => tokenCall(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }),
};
