import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { expiresAtFrom } from '../oauth2';
import type { OAuthContext, OAuthFunctions, TokenSet } from '../types';

/**
 * GitHub's token endpoint, which departs from RFC 6749 in three ways:
 * - it answers `application/x-www-form-urlencoded` unless asked for JSON with `Accept`, and a
 *   proxy or an older GitHub Enterprise Server may still answer form-encoded, so both are read;
 * - it reports errors as HTTP 200 with `error`, `error_description` and `error_uri` in the body;
 * - `scope` in the answer is comma-separated (`repo,gist`), and empty for GitHub-App tokens,
 *   whose access is the app's permissions.
 * OAuth-app tokens never expire and come alone; GitHub-App user tokens expire after 8 hours
 * and come with a refresh token good for 6 months, which is single use.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

const numberish = z.union([z.number(), z.string()]);
const tokenAnswer = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  scope: z.optional(z.string()),
  expires_in: z.optional(numberish),
  refresh_token: z.optional(z.string()),
  refresh_token_expires_in: z.optional(numberish),
});
const errorAnswer = z.object({
  error: z.string().check(z.minLength(1)),
  error_description: z.optional(z.string()),
});

const formBody = (text: string): Record<string, string> => Object.fromEntries(new URLSearchParams(text));

/** The body as an object, whichever of JSON or form encoding GitHub chose. */
const bodyOf = (res: HttpResponse): unknown => {
  if ((res.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    return formBody(res.text);
  }
  const json = res.jsonOrUndefined();
  // A form body under a wrong or missing content type still reads as `key=value&…`.
  if (json === undefined && /^[\w.-]+=/.test(res.text.trim())) return formBody(res.text.trim());
  return json;
};

const toTokenSet = (body: z.infer<typeof tokenAnswer>): TokenSet => {
  const expiresAt = expiresAtFrom(body.expires_in);
  const refreshExpiresAt = expiresAtFrom(body.refresh_token_expires_in);
  const scopes = (body.scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    accessToken: body.access_token,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(scopes.length ? { scopes } : {}),
    // Not secret, and it is when the connection will need the user again.
    ...(body.refresh_token && refreshExpiresAt
      ? { metadata: { refresh_token_expires_at: refreshExpiresAt } }
      : {}),
  };
};

const tokenCall = async (
  ctx: OAuthContext,
  params: Record<string, string>,
  grant: 'authorization_code' | 'refresh_token',
): Promise<TokenSet> => {
  // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
  const res = await ctx.http(ctx.tokenUrl, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'integrations-service',
    },
    body: new URLSearchParams({ ...params, client_id: ctx.clientId, client_secret: ctx.clientSecret }),
  });
  const body = bodyOf(res);
  const err = errorAnswer.safeParse(body);
  if (err.success) {
    const { error, error_description } = err.data;
    // GitHub names a spent or unknown refresh token `bad_refresh_token`; the contract (and
    // core, which then marks the connection expired) knows it by its RFC 6749 name.
    const code = grant === 'refresh_token' && error === 'bad_refresh_token' ? 'invalid_grant' : error;
    throw new ProviderError('rejected', error_description ? `${error}: ${error_description}` : error, {
      status: res.status,
      code,
    });
  }
  if (res.status !== 200) {
    throw new ProviderError('rejected', `GitHub refused the token request (HTTP ${res.status}).`, {
      status: res.status,
    });
  }
  const parsed = tokenAnswer.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError('unreachable', 'GitHub answered the token request with an unexpected body.', {
      status: res.status,
    });
  }
  return toTokenSet(parsed.data);
};

export const oauth: OAuthFunctions = {
  // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
  exchangeCode: (ctx) =>
    tokenCall(
      ctx,
      {
        code: ctx.code,
        redirect_uri: ctx.redirectUri,
        ...(ctx.codeVerifier ? { code_verifier: ctx.codeVerifier } : {}),
      },
      'authorization_code',
    ),
  // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens#refreshing-a-user-access-token-with-a-refresh-token
  refreshToken: (ctx) =>
    tokenCall(ctx, { grant_type: 'refresh_token', refresh_token: ctx.refreshToken }, 'refresh_token'),
};
