import * as z from 'zod/mini';
import { ProviderError } from './errors';
import type { HttpResponse } from './http';
import type { OAuthContext, OAuthFunctions, TokenSet } from './types';

/**
 * The OAuth 2.0 authorization-code flow as RFC 6749 writes it: a form POST with the
 * client credentials in the body (client_secret_post), a JSON token response, and
 * errors as `{ error, error_description }` with 400/401. Providers that follow it use
 * this as is; the others wrap or replace it in their own folder.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.string()])),
  scope: z.optional(z.string()),
});
const errorResponse = z.object({ error: z.string(), error_description: z.optional(z.string()) });

export const expiresAtFrom = (
  expiresIn: number | string | undefined,
  now = Date.now(),
): string | undefined => {
  const secs = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return secs !== undefined && Number.isFinite(secs) && secs > 0
    ? new Date(now + secs * 1000).toISOString()
    : undefined;
};

/** An OAuth error body as a ProviderError: `invalid_grant` and friends are refusals. */
export const oauthFailure = (res: HttpResponse, provider: string): ProviderError => {
  const body = errorResponse.safeParse(res.jsonOrUndefined());
  if (body.success) {
    const message = body.data.error_description
      ? `${body.data.error}: ${body.data.error_description}`
      : body.data.error;
    return new ProviderError('rejected', message, { status: res.status, code: body.data.error });
  }
  return new ProviderError('rejected', `${provider} refused the token request (HTTP ${res.status}).`, {
    status: res.status,
  });
};

export const toTokenSet = (body: z.infer<typeof tokenResponse>, separator = ' '): TokenSet => {
  const expiresAt = expiresAtFrom(body.expires_in);
  return {
    accessToken: body.access_token,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(body.scope !== undefined ? { scopes: body.scope.split(separator).filter(Boolean) } : {}),
  };
};

export const tokenRequest = async (
  ctx: OAuthContext,
  params: Record<string, string>,
  provider: string,
): Promise<TokenSet> => {
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...params, client_id: ctx.clientId, client_secret: ctx.clientSecret }),
  });
  if (res.status !== 200) throw oauthFailure(res, provider);
  const parsed = tokenResponse.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    // Some providers answer 200 with an error body.
    const err = errorResponse.safeParse(res.jsonOrUndefined());
    if (err.success) throw oauthFailure({ ...res, status: 400 }, provider);
    throw new ProviderError('unreachable', `${provider} answered the token request with an unexpected body.`);
  }
  return toTokenSet(parsed.data);
};

export const genericOAuth = (provider: string): OAuthFunctions => ({
  exchangeCode: (ctx) =>
    tokenRequest(
      ctx,
      {
        grant_type: 'authorization_code',
        code: ctx.code,
        redirect_uri: ctx.redirectUri,
        ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
      },
      provider,
    ),
  refreshToken: (ctx) =>
    tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }, provider),
});
