import { createHash } from 'node:crypto';
import { publicApiUrl } from '../platform/config';
import { ApiError } from '../platform/errors';

/**
 * What every step of a connect flow shares: a session's lifetime and links, its credential
 * modes, how a state is stored (as its hash) and how a flow ends. The steps are modules of
 * their own — the session (connect-session.ts), its start (connect-start.ts), the OAuth /
 * app-install callback (oauth-callback.ts), the connect page (connect-page.ts) — because each
 * is its own Lambda: a step that imported another's code would load at cold start what only
 * that other step runs (the provider registry, the credential sealing, the guarded HTTP client).
 */
export const SESSION_TTL_MS = 10 * 60_000;
// Consumed states stay a while longer, so a replay is recognised as one.
export const TOMBSTONE_SECONDS = 3600;

export const credentialModes = ['api_key', 'basic'] as const;
export type CredentialMode = (typeof credentialModes)[number];
export const isCredentialMode = (mode: string): mode is CredentialMode =>
  (credentialModes as readonly string[]).includes(mode);

/** Past its ten minutes (a session's `valid_until`). */
export const sessionExpired = (s: { valid_until: string }): boolean => Date.now() > Date.parse(s.valid_until);

/** A session's auth_url: our own start, which binds the flow to the browser. */
export const startUrl = (sessionId: string): string => {
  const u = new URL(`${publicApiUrl()}/v1/connect/start`);
  u.searchParams.set('session', sessionId);
  return u.toString();
};

/** The hosted connect page of a session (GET /connect/{session_id}). */
export const connectPageUrl = (sessionId: string): string => `${publicApiUrl()}/connect/${sessionId}`;

/** A single-use state is stored only as its hash: a leaked table row cannot be replayed. */
export const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/** A refused field of a request, as validation refuses it. */
export const invalid = (path: string, message: string) =>
  new ApiError('validation_failed', message, { details: { issues: [{ path, message }] } });

export type CallbackError =
  | 'access_denied'
  | 'invalid_state'
  | 'state_expired'
  | 'token_exchange_failed'
  /** An app install whose installation the user who came back cannot access. */
  | 'installation_not_yours'
  /** The browser that came back is not the one that started the flow (no or another cookie). */
  | 'session_mismatch';

/** `redirect_url` with the outcome in its query: where a flow started outside the page ends. */
export const backTo = (redirectUrl: string, params: Record<string, string>): string => {
  const u = new URL(redirectUrl);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
};
