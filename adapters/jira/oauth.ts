import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { oauthFailure, toTokenSet } from '../oauth2';
import { parseAnswer } from '../parse';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * Atlassian OAuth 2.0 (3LO): the token endpoint takes a JSON body (not a form), access
 * tokens last an hour, and refresh tokens (granted with `offline_access`) rotate: every
 * refresh returns a new one and disables the one sent. The cloud id is not in the token
 * answer: verifyCredentials finds it through accessible-resources.
 */
const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
  scope: z.optional(z.string()),
});

/**
 * A refresh token Atlassian will never take again. It documents 403 `invalid_grant`
 * "Unknown or invalid refresh token." (rotated out, expired after 90 days idle, password
 * changed), and answers 403 `unauthorized_client` "refresh_token is invalid" for one it
 * does not know at all; both mean the user must authorize again.
 * https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/
 */
const refreshFailure = (res: HttpResponse): ProviderError => {
  const e = oauthFailure(res, 'Atlassian');
  const dead =
    e.code === 'invalid_grant' ||
    (e.code === 'unauthorized_client' && /refresh.?token/i.test(e.providerMessage));
  return dead
    ? new ProviderError('rejected', e.providerMessage, { status: res.status, code: 'invalid_grant' })
    : e;
};

const post = async (
  ctx: OAuthContext,
  body: Record<string, string>,
  fail: (res: HttpResponse) => ProviderError,
): Promise<TokenSet> => {
  // An object body goes out as JSON (application/json), as Atlassian documents.
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    body: { ...body, client_id: ctx.clientId, client_secret: ctx.clientSecret },
  });
  if (res.status !== 200) throw fail(res);
  return toTokenSet(parseAnswer('Atlassian', tokenResponse, res, 'POST /oauth/token'));
};

export const oauth: OAuthFunctions = {
  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#2--exchange-authorization-code-for-access-token
  exchangeCode: (ctx) =>
    post(
      ctx,
      {
        grant_type: 'authorization_code',
        code: ctx.code,
        redirect_uri: ctx.redirectUri,
        ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
      },
      (res) => oauthFailure(res, 'Atlassian'),
    ),
  // https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/
  refreshToken: (ctx) =>
    post(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }, refreshFailure),
};
