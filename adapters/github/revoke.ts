import { ProviderError } from '../errors';
import type { RevokeContext } from '../types';
import { baseHeaders, messageOf } from './rest';

/**
 * Deletes the OAuth app's authorization for the user behind the token: every token of the
 * grant stops working and the app disappears from the user's authorized apps. Authenticated
 * as the app (basic auth of its client id and secret), the token in the body. App
 * installations are not a user's grant: they are uninstalled from GitHub's settings.
 * https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
 */
export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2') {
    throw new ProviderError(
      'rejected',
      'A GitHub App installation is removed from GitHub’s settings, not revoked by the app.',
    );
  }
  if (!ctx.clientId || !ctx.clientSecret) {
    throw new ProviderError('rejected', 'The integration has no OAuth client to revoke the grant with.');
  }
  const basic = Buffer.from(`${ctx.clientId}:${ctx.clientSecret}`).toString('base64');
  const res = await ctx.http(`${ctx.baseUrl}/applications/${encodeURIComponent(ctx.clientId)}/grant`, {
    method: 'DELETE',
    headers: { ...baseHeaders, authorization: `Basic ${basic}` },
    body: { access_token: ctx.credentials.access_token },
  });
  if (res.status === 204) return;
  throw new ProviderError('rejected', messageOf(res, `GitHub answered ${res.status}.`), {
    status: res.status,
  });
};
