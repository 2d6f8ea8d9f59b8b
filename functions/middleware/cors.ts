import type { MiddlewareObj } from '@middy/core';
import { routeAuth } from './route-auth';
import type { ApiEvent, ApiResult } from './types';

/**
 * CORS for the end-user routes (`auth: 'end_user'` rows of functions/routes.ts), so a
 * customer's frontend can call them with an end-user token. Any origin (`*`): the routes are
 * authorised by the bearer token alone, never by a cookie, so there are no credentialed
 * requests and nothing an origin check would protect. Every other route answers no CORS
 * header, and a browser refuses to hand its answer to another origin's script. Preflights
 * are answered by functions/http/cors-preflight.ts, with the same lists.
 */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-api-version'];
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'x-api-version',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
];
/** Chromium's ceiling for caching a preflight (2 h); Firefox allows 24 h. */
export const CORS_MAX_AGE_SECONDS = 7200;

export const corsHeaders = (): Record<string, string> => ({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
});

/** Stamps the CORS headers on every answer of an end-user route, errors included. */
export const cors = (): MiddlewareObj<ApiEvent, ApiResult> => {
  const stamp = async (request: { event: ApiEvent; response: ApiResult | null | undefined }) => {
    if (!request.response) return;
    if ((await routeAuth(request.event.routeKey)) !== 'end_user') return;
    request.response.headers = { ...request.response.headers, ...corsHeaders() };
  };
  return { after: stamp, onError: stamp };
};
