import { callbackQuery, handleCallback } from '../../core/connections/oauth-callback';
import { endpoint } from '../middleware';
import { logger } from '../middleware/logger';

/**
 * GET /v1/oauth/callback (public) — where providers send the user back. Always a 302 to
 * the session's redirect_url with `status=success&connection_id=` or `status=error&error=`
 * (a flow started from the connect page: to its result, `/connect/{session_id}/done`, which
 * forwards there), except for a state we never issued: there is nowhere safe to send that
 * one. The browser's cookies (the binding `/v1/connect/start` set) come in the event's `cookies`.
 */
export const handler = endpoint({ query: callbackQuery }, async (req) => {
  const outcome = await handleCallback(req.query, req.event.cookies ?? []);
  logger.info('oauth callback', {
    outcome: outcome.error ?? 'success',
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.connectionId ? { connection_id: outcome.connectionId } : {}),
  });
  return { redirect: outcome.redirect, data: null };
});
