import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { expiresAtFrom, oauthFailure } from '../oauth2';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * Bitbucket's token endpoint follows RFC 6749 with two differences from the generic flow:
 * the client authenticates with HTTP Basic (`-u client_id:secret`, as Bitbucket documents it,
 * not in the body), and the answer names the granted scopes `scopes` (space-separated), not
 * `scope`. Access tokens last 2 hours; the refresh token does not expire, and the answer to a
 * refresh carries the one to keep. Errors are RFC 6749's `{ error, error_description }`.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */
const tokenAnswer = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.string()])),
  scopes: z.optional(z.string()),
});

const tokenCall = async (ctx: OAuthContext, params: Record<string, string>): Promise<TokenSet> => {
  // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
  const client = `${encodeURIComponent(ctx.clientId)}:${encodeURIComponent(ctx.clientSecret)}`;
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(client).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });
  if (res.status !== 200) throw oauthFailure(res, 'Bitbucket');
  const parsed = tokenAnswer.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    throw new ProviderError('unreachable', 'Bitbucket answered the token request with an unexpected body.', {
      status: res.status,
    });
  }
  const body = parsed.data;
  const expiresAt = expiresAtFrom(body.expires_in);
  const scopes = (body.scopes ?? '').split(/[\s,]+/).filter(Boolean);
  return {
    accessToken: body.access_token,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(scopes.length ? { scopes } : {}),
  };
};

export const oauth: OAuthFunctions = {
  // https://developer.atlassian.com/cloud/bitbucket/oauth-2/#1--authorization-code-grant--4-1-
  exchangeCode: (ctx) =>
    tokenCall(ctx, { grant_type: 'authorization_code', code: ctx.code, redirect_uri: ctx.redirectUri }),
  // https://developer.atlassian.com/cloud/bitbucket/oauth-2/#refresh-tokens
  refreshToken: (ctx) => tokenCall(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }),
};
