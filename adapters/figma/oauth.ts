import * as z from 'zod/mini';
import { type OAuthErrorAnswer, oauth2Flow } from '../oauth2';
import type { OAuthFunctions } from '../types';

/**
 * Figma's token endpoints depart from RFC 6749 in three ways:
 * - the client authenticates with HTTP Basic (`client_id:client_secret`), not in the body;
 * - refreshing is another endpoint, POST /v1/oauth/refresh beside /v1/oauth/token, and it
 *   answers a new access token only (the refresh token stays valid and is kept);
 * - errors come as `{"error": true, "status": 400, "message": "…"}`.
 * https://developers.figma.com/docs/rest-api/oauth-apps/#authenticate-users
 * https://developers.figma.com/docs/rest-api/oauth-apps/#refresh-tokens
 */

const figmaError = z.object({ error: z.literal(true), message: z.string().check(z.minLength(1)) });

const readError = (body: unknown): OAuthErrorAnswer | undefined => {
  const e = figmaError.safeParse(body).data;
  return e ? { message: e.message } : undefined;
};

const flow = oauth2Flow({
  provider: 'Figma',
  clientAuth: 'basic',
  readError,
  // Figma names no error code: a refresh token it no longer takes is said in words.
  invalidGrant: (e) => /refresh[ _]token/i.test(e.message),
});

/** /v1/oauth/refresh beside the token URL in use (an integration's override included). */
const refreshUrl = (tokenUrl: string): string => tokenUrl.replace(/\/token\/?$/, '/refresh');

export const oauth: OAuthFunctions = {
  exchangeCode: flow.exchangeCode,
  refreshToken: (ctx) => {
    if (!flow.refreshToken) throw new Error('unreachable: the flow refreshes');
    return flow.refreshToken({ ...ctx, tokenUrl: refreshUrl(ctx.tokenUrl) });
  },
};
