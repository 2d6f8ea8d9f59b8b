import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { RevokeContext } from '../types';

const errorBody = z.object({ error: z.string(), error_description: z.optional(z.string()) });

/**
 * Revokes the grant: a refresh token (or an access token) posted to the revocation endpoint,
 * beside the token endpoint (`https://oauth2.googleapis.com/revoke`), ends every token of
 * the grant. 200 when revoked; 400 `invalid_token` when already gone.
 * https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
 */
export const revoke = async (ctx: RevokeContext): Promise<void> => {
  if (ctx.credentials.type !== 'oauth2')
    throw new ProviderError('rejected', 'Only OAuth grants are revoked.');
  const token = ctx.credentials.refresh_token ?? ctx.credentials.access_token;
  const url = new URL('/revoke', ctx.tokenUrl ?? 'https://oauth2.googleapis.com/token');
  const res = await ctx.http(url.toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  if (res.status === 200) return;
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  throw new ProviderError(
    'rejected',
    body
      ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
      : `Google answered ${res.status}.`,
    { status: res.status, ...(body ? { code: body.error } : {}) },
  );
};
