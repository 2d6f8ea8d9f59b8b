import { ProviderError } from '../errors';
import type { RevokeContext } from '../types';
import { failure } from './api';
import { NOTION_VERSION } from './manifest';

/**
 * Revokes a public integration's access token: POST /v1/oauth/revoke beside the token
 * endpoint, as the OAuth client (HTTP Basic, as on the token call), the token in a JSON body.
 * 200 when revoked; refusals in Notion's `{ object: "error", code, message }` shape. An
 * internal integration's secret is rotated in Notion's integration settings instead.
 * https://developers.notion.com/reference/revoke-token
 */
export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2') {
    throw new ProviderError(
      'rejected',
      'A Notion internal integration secret is rotated in Notion’s integration settings, not revoked by the app.',
    );
  }
  if (!ctx.clientId || !ctx.clientSecret) {
    throw new ProviderError('rejected', 'Revoking a Notion token takes the integration’s OAuth client.');
  }
  const url = new URL('/v1/oauth/revoke', ctx.tokenUrl ?? 'https://api.notion.com/v1/oauth/token');
  const res = await ctx.http(url.toString(), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ctx.clientId}:${ctx.clientSecret}`).toString('base64')}`,
      'notion-version': NOTION_VERSION,
    },
    body: { token: ctx.credentials.access_token },
  });
  if (res.status === 200) return;
  throw failure(res);
};
