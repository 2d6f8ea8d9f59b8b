import { ProviderError } from '../errors';
import type { RevokeContext } from '../types';

/**
 * Revokes the OAuth access token (and the authorization behind it): `POST /oauth/revoke` on
 * the API host, the token itself as the bearer. 200 when revoked, 400 for a token Linear does
 * not know. API keys are deleted in Linear's settings.
 * https://linear.app/developers/oauth-2-0-authentication#revoke-an-access-token
 */
export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2') {
    throw new ProviderError(
      'rejected',
      'A Linear API key is deleted in Linear’s settings, not revoked by the app.',
    );
  }
  const url = new URL('/oauth/revoke', ctx.tokenUrl ?? 'https://api.linear.app/oauth/token');
  const res = await ctx.http(url.toString(), {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.credentials.access_token}` },
  });
  if (res.status === 200) return;
  throw new ProviderError('rejected', `Linear answered ${res.status} to the revocation.`, {
    status: res.status,
  });
};
