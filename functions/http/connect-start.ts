import { startConnect, startQuery } from '../../core/connections/connect-start';
import { endpoint } from '../middleware';

/**
 * GET /v1/connect/start?session=cs_… (public) — the `auth_url` of a connect session. Sets the
 * `__Host-` cookie that binds the flow to this browser and redirects (302) to the provider's
 * authorization or app install page; a credentials session (API key, basic) goes to its
 * connect page instead. `display=page|popup` (the connect page's button) makes the callback
 * land on the page's result. An unknown session is 404 `not_found`; one that expired or
 * already connected an account is 410 `state_expired` / `invalid_state`.
 */
export const handler = endpoint({ query: startQuery }, async (req) => {
  const { redirect, setCookie } = await startConnect(req.query.session, req.query.display);
  return { redirect, data: null, ...(setCookie ? { cookies: [setCookie] } : {}) };
});
