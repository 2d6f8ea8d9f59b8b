import { ProviderError } from '../errors';
import { oauthFailure } from '../oauth2';
import type { RevokeContext } from '../types';

/**
 * Revokes the OAuth token (RFC 7009) at `/oauth/revoke` beside the token URL in use (a
 * self-managed GitLab's own), authenticated as the integration's OAuth application. GitLab
 * answers 200 `{}` — for a token it no longer knows too, as RFC 7009 asks.
 * https://docs.gitlab.com/api/oauth2/#revoke-a-token
 */
export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2') {
    throw new ProviderError(
      'rejected',
      'A personal access token is revoked in GitLab’s settings, not by the app.',
    );
  }
  if (!ctx.clientId || !ctx.clientSecret) {
    throw new ProviderError('rejected', 'The integration has no OAuth client to revoke the token with.');
  }
  const res = await ctx.http(
    new URL('/oauth/revoke', ctx.tokenUrl ?? 'https://gitlab.com/oauth/token').toString(),
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: ctx.clientId,
        client_secret: ctx.clientSecret,
        token: ctx.credentials.access_token,
      }),
    },
  );
  if (res.status === 200) return;
  throw oauthFailure(res, 'GitLab');
};
