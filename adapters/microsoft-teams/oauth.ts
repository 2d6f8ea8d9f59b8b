import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { toTokenSet } from '../oauth2';
import { parseAnswer } from '../parse';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * The Microsoft identity platform (Entra ID) v2.0 token endpoint, per tenant
 * (`/{tenant}/oauth2/v2.0/token`, the URL core resolves). A form POST like RFC 6749, but it
 * wants the `scope` again on both grants (with `offline_access`, or no refresh token comes
 * back), and its errors add AADSTS numbers and trace lines to `error_description`.
 * Every refresh returns a new refresh token; the old one is not revoked, but only the
 * newest is worth keeping.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
 */
const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.string()])),
  scope: z.optional(z.string()),
});

const errorResponse = z.object({
  error: z.string(),
  error_description: z.optional(z.string()),
  error_codes: z.optional(z.array(z.number())),
});

/**
 * On a refresh, these mean the grant is gone until the user signs in again: `invalid_grant`
 * (revoked, expired after 90 days idle, password reset, AADSTS50173/700082) and
 * `interaction_required` (MFA or a Conditional Access policy now demands the user).
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
 */
const NEEDS_USER = new Set(['invalid_grant', 'interaction_required']);

const failure = (res: HttpResponse, refreshing: boolean): ProviderError => {
  const body = errorResponse.safeParse(res.jsonOrUndefined());
  if (!body.success) {
    return new ProviderError('rejected', `Microsoft refused the token request (HTTP ${res.status}).`, {
      status: res.status,
    });
  }
  // The first line is the AADSTS message; the rest is "Trace ID: …", "Correlation ID: …".
  const description = body.data.error_description?.split(/\r?\n/)[0]?.trim();
  const message = description ? `${body.data.error}: ${description}` : body.data.error;
  const code = refreshing && NEEDS_USER.has(body.data.error) ? 'invalid_grant' : body.data.error;
  return new ProviderError('rejected', message, { status: res.status, code });
};

/** Without offline_access Entra issues no refresh token, whatever else was granted. */
const scopeParam = (scopes: string[]): string =>
  (scopes.includes('offline_access') ? scopes : [...scopes, 'offline_access']).join(' ');

const post = async (
  ctx: OAuthContext,
  params: Record<string, string>,
  refreshing: boolean,
): Promise<TokenSet> => {
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...params,
      client_id: ctx.clientId,
      client_secret: ctx.clientSecret,
      scope: scopeParam(ctx.scopes),
    }),
  });
  if (res.status !== 200) throw failure(res, refreshing);
  return toTokenSet(parseAnswer('Microsoft', tokenResponse, res, 'POST /oauth2/v2.0/token'));
};

export const oauth: OAuthFunctions = {
  // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
  exchangeCode: (ctx) =>
    post(
      ctx,
      {
        grant_type: 'authorization_code',
        code: ctx.code,
        redirect_uri: ctx.redirectUri,
        ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
      },
      false,
    ),
  // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
  refreshToken: (ctx) => post(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }, true),
};
