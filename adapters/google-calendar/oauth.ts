import * as z from 'zod/mini';
import { expiresAtFrom, oauthFailure, toTokenSet } from '../oauth2';
import { parseAnswer } from '../parse';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * Google's token endpoint follows RFC 6749 (form POST, client_secret_post, `{ error,
 * error_description }`), with two things to know:
 * - a refresh token comes only with access_type=offline, and only when the user sees the
 *   consent screen (the first time, or with prompt=consent): an answer without one must
 *   not replace the one already held;
 * - refresh tokens do not rotate: a refresh answers a new access token only, and the same
 *   refresh token keeps working until revoked (`invalid_grant` "Token has been expired or
 *   revoked."). Apps in testing, and time-based access, get `refresh_token_expires_in`.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
  refresh_token_expires_in: z.optional(z.number()),
  scope: z.optional(z.string()),
});

const post = async (ctx: OAuthContext, params: Record<string, string>): Promise<TokenSet> => {
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, client_id: ctx.clientId, client_secret: ctx.clientSecret }),
  });
  // invalid_grant is Google's word for a dead refresh token too: oauthFailure keeps the code.
  if (res.status !== 200) throw oauthFailure(res, 'Google');
  const body = parseAnswer('Google', tokenResponse, res, 'POST /token');
  const tokens = toTokenSet(body);
  const refreshExpiresAt = expiresAtFrom(body.refresh_token_expires_in);
  return refreshExpiresAt ? { ...tokens, metadata: { refresh_token_expires_at: refreshExpiresAt } } : tokens;
};

export const oauth: OAuthFunctions = {
  // https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
  exchangeCode: (ctx) =>
    post(ctx, {
      grant_type: 'authorization_code',
      code: ctx.code,
      redirect_uri: ctx.redirectUri,
      ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
    }),
  // https://developers.google.com/identity/protocols/oauth2/web-server#offline
  refreshToken: (ctx) => post(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }),
};
