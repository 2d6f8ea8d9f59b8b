import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { ApiError } from '../platform/errors';
import { SESSION_ID } from '../platform/ids';
import { getSession, type OAuthStateItem, putState } from '../store/oauth-state-repo';
import { newBinding } from './browser-binding';
import { connectPageUrl, hashState } from './sessions';

/**
 * GET /v1/connect/start: binds a session's flow to the browser (a `__Host-` cookie,
 * browser-binding.ts) and sends it to the provider with a fresh single-use `state` (stored
 * only as its hash) and PKCE. It reads the session and writes the state, nothing else: no
 * provider code, no credentials, which the callback (oauth-callback.ts) handles.
 */
export const startQuery = z.object({
  session: z.string().check(z.regex(SESSION_ID, 'Expected a connect session id (cs_…).')),
  /**
   * Set by the connect page's button: the callback then lands on the page's result
   * (`/connect/{session_id}/done`) instead of redirect_url — `popup` when /connect.js opened it.
   */
  display: z.optional(z.enum(['page', 'popup'])),
});

/**
 * GET /v1/connect/start: the browser arrives from the tenant's app. Each visit is a new
 * authorization: a fresh single-use state and PKCE verifier, stored (the state as its hash)
 * with the hash of a nonce set in this browser's cookie; then off to the provider.
 */
export const startConnect = async (
  sessionId: string,
  display?: 'page' | 'popup',
): Promise<{ redirect: string; setCookie?: string }> => {
  const session = await getSession(sessionId);
  if (!session) {
    throw new ApiError('not_found', 'No such connect session.', {
      remediation: 'Open a new one with POST /v1/connect/sessions.',
    });
  }
  if (session.completed_at) {
    throw new ApiError('invalid_state', 'This connect session has already connected an account.', {
      remediation: 'Open a new one with POST /v1/connect/sessions to connect again.',
    });
  }
  if (Date.now() > Date.parse(session.valid_until)) {
    throw new ApiError('state_expired', 'This connect session has expired (sessions last ten minutes).', {
      remediation: 'Open a new one with POST /v1/connect/sessions.',
    });
  }
  // Credentials are typed on the connect page: auth_url leads there, nothing to bind yet.
  if (session.mode === 'api_key' || session.mode === 'basic' || !session.authorization_url) {
    const page = new URL(connectPageUrl(sessionId));
    if (display === 'popup') page.searchParams.set('display', 'popup');
    return { redirect: page.toString() };
  }
  const state = randomBytes(32).toString('base64url');
  const binding = newBinding(sessionId, session.valid_until);
  const url = new URL(session.authorization_url);
  url.searchParams.set('state', state);
  const {
    authorization_url: _url,
    pkce,
    completed_at: _done,
    connection_id: _c,
    account_name: _a,
    attempts: _n,
    mode,
    ...facts
  } = session;
  const item: OAuthStateItem = {
    ...facts,
    mode,
    browser_hash: binding.hash,
    ...(display ? { display } : {}),
  };
  if (pkce) {
    const verifier = randomBytes(32).toString('base64url');
    item.code_verifier = verifier;
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  await putState(hashState(state), item);
  return { redirect: url.toString(), setCookie: binding.setCookie };
};
