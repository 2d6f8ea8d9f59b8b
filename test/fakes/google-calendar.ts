import { createHash } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import {
  type EventStore,
  type FaultKind,
  faultReply,
  googleError,
  startEventStore,
} from './google-calendar-events';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * Google's OAuth 2.0 server and the Calendar API on one port:
 * - GET /o/oauth2/v2/auth (accounts.google.com): a refresh token is promised only with
 *   access_type=offline, and only when the consent screen shows — the first time this
 *   user authorizes this client, or every time with prompt=consent;
 *   include_granted_scopes=true adds the scopes granted before;
 * - POST /token (oauth2.googleapis.com): form, client_secret_post, errors as
 *   `{ error, error_description }` (401 invalid_client, 400 invalid_grant…); refresh tokens
 *   do NOT rotate: a refresh answers an access token only, and the refresh token keeps
 *   working until the user revokes access (`invalid_grant` "Token has been expired or
 *   revoked.");
 * - GET /calendar/v3/calendars/primary; a bad or expired token gets 401
 *   `{"error": {"code": 401, "message": "Request had invalid authentication credentials…",
 *   "status": "UNAUTHENTICATED"}}`;
 * - GET and POST /calendar/v3/calendars/{calendarId}/events: events.list with Google's sync
 *   protocol and events.insert (google-calendar-events.ts); writing needs the calendar or
 *   calendar.events scope (403 insufficientPermissions otherwise).
 * https://developers.google.com/identity/protocols/oauth2/web-server
 * https://developers.google.com/workspace/calendar/api/v3/reference/calendars/get
 */

export type GoogleCalendarFake = ProviderFake<Credentials> & {
  /** The OAuth client (Web application) from the Google Cloud console. */
  oauthClient: { clientId: string; clientSecret: string };
  /** accounts.google.com/o/oauth2/v2/auth on this fake (integration `authorization_url`). */
  authorizationUrl: string;
  /** oauth2.googleapis.com/token on this fake (integration `token_url`). */
  tokenUrl: string;
  /** refresh_token grants received, answered or refused. */
  refreshCount(): number;
  /** Every access token issued so far (and `valid`) now gets the API's 401. */
  expireAccessTokens(): void;
  /** The next consent is declined: the redirect carries error=access_denied. */
  denyNext(): void;
  /** The user removes the app's access (myaccount.google.com/permissions): every token is
   * revoked, and the next authorization is a first consent again. */
  revokeAccess(): void;
  /** Grants revoked through POST /revoke. */
  revocations(): number;
  /** The Calendar API's events: seed, change, delete, invalidate sync tokens, inspect inserts. */
  events: Omit<EventStore, 'handle'>;
  /**
   * The next `times` Calendar API requests answer Google's: `refuse` 404 notFound "Not Found";
   * `down` 500 backendError; `rate_limit` / `user_rate_limit` 403 usageLimits
   * rateLimitExceeded / userRateLimitExceeded; `too_many_requests` 429 RESOURCE_EXHAUSTED.
   * Google sends no Retry-After with them; `retryAfterSeconds` adds one.
   */
  failNext(kind: FaultKind, o?: { times?: number; retryAfterSeconds?: number }): void;
  /** Credentials with an access token granted only these scopes. */
  tokenWithScopes(scopes: string[]): Credentials;
};

type Code = {
  redirectUri: string;
  scopes: string[];
  withRefreshToken: boolean;
  challenge?: { value: string; method: string };
};

const WRITE_SCOPES = [
  'https://www.googleapis.com/auth/calendar',
  'https://www.googleapis.com/auth/calendar.events',
];
const CALENDAR_SCOPES = [
  'https://www.googleapis.com/auth/calendar',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events',
];

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const errorPage = (status: number, error: string, detail: string): FakeReply =>
  reply(
    status,
    `<html><head><title>Error ${status} (OAuth 2.0)</title></head><body><p>Access blocked: authorization error</p><p>Error ${status}: ${error}</p><p>${detail}</p></body></html>`,
    { 'content-type': 'text/html; charset=utf-8' },
  );

export const startGoogleCalendarFake = async (
  options: {
    redirectUris?: string[];
    /** An app in "Testing" publishing status: refresh tokens expire in 7 days. */
    testing?: boolean;
  } = {},
): Promise<GoogleCalendarFake> => {
  const oauthClient = {
    clientId: `${Math.floor(1e11 + Math.random() * 9e11)}-${randomToken(32).toLowerCase()}.apps.googleusercontent.com`,
    clientSecret: sensitive(`GOCSPX-${randomToken(28)}`),
  };
  const email = 'mia@acme.com';
  const calendar = {
    kind: 'calendar#calendar',
    etag: `"${randomToken(27)}"`,
    id: email,
    summary: 'Mia Krystof',
    timeZone: 'Europe/Berlin',
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
  let deny = false;
  let refreshes = 0;
  // Whether this user has consented to this client (and so got its refresh token) before.
  let consented = false;
  let granted: string[] = [];
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, { scopes: string[]; expired: boolean }>();
  const refreshTokens = new Map<string, { scopes: string[]; revoked: boolean }>();
  let revocations = 0;
  const refreshLifetime = options.testing ? { refresh_token_expires_in: 604799 } : {};

  const mintAccess = (scopes: string[]) => {
    const t = sensitive(`ya29.a0${randomToken(200)}`);
    accessTokens.set(t, { scopes, expired: false });
    return t;
  };
  const seeded = mintAccess(CALENDAR_SCOPES.slice(1));

  const oauthError = (status: number, error: string, description: string) =>
    reply(status, { error, error_description: description });

  const authorize = (q: URLSearchParams): FakeReply => {
    if (q.get('client_id') !== oauthClient.clientId) {
      return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
    }
    const redirectUri = q.get('redirect_uri');
    if (
      !redirectUri ||
      !URL.canParse(redirectUri) ||
      (options.redirectUris && !options.redirectUris.includes(redirectUri))
    ) {
      return errorPage(
        400,
        'redirect_uri_mismatch',
        "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
      );
    }
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
    const accessType = q.get('access_type') ?? 'online';
    if (accessType !== 'online' && accessType !== 'offline') {
      return errorPage(400, 'invalid_request', `Invalid access_type: ${accessType}`);
    }
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method') ?? 'plain';
    if (challenge && method !== 'S256' && method !== 'plain') {
      return errorPage(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
    }
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri);
      const state = q.get('state');
      if (state !== null) to.searchParams.set('state', state);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      return reply(302, undefined, { location: to.toString() });
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    if (deny) {
      deny = false;
      return back({ error: 'access_denied' });
    }
    // The consent screen shows on first consent, or when prompt asks for it.
    const prompts = (q.get('prompt') ?? '').split(' ');
    const consentShown = !consented || prompts.includes('consent');
    consented = true;
    const all =
      q.get('include_granted_scopes') === 'true'
        ? [...new Set([...granted, ...scopes])]
        : [...new Set(scopes)];
    granted = all;
    const code = sensitive(`4/0A${randomToken(70)}`);
    codes.set(code, {
      redirectUri,
      scopes: all,
      withRefreshToken: accessType === 'offline' && consentShown,
      ...(challenge ? { challenge: { value: challenge, method } } : {}),
    });
    return back({ code, scope: all.join(' '), authuser: '0', prompt: consentShown ? 'consent' : 'none' });
  };

  const token = (req: FakeRequest): FakeReply => {
    const p = new URLSearchParams(req.body);
    const grant = p.get('grant_type');
    if (grant === 'refresh_token') refreshes++;
    const clientId = p.get('client_id');
    if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
    if (clientId !== oauthClient.clientId)
      return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (p.get('client_secret') !== oauthClient.clientSecret)
      return oauthError(401, 'invalid_client', 'Unauthorized');

    if (grant === 'authorization_code') {
      const code = p.get('code') ?? '';
      const c = codes.get(code);
      if (!c) return oauthError(400, 'invalid_grant', 'Bad Request');
      codes.delete(code);
      if (p.get('redirect_uri') !== c.redirectUri)
        return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      if (c.challenge) {
        const v = p.get('code_verifier');
        if (!v) return oauthError(400, 'invalid_grant', 'Missing code verifier.');
        const matches =
          c.challenge.method === 'S256' ? s256(v) === c.challenge.value : v === c.challenge.value;
        if (!matches) return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      let refreshToken: string | undefined;
      if (c.withRefreshToken) {
        refreshToken = sensitive(`1//0${randomToken(100)}`);
        refreshTokens.set(refreshToken, { scopes: c.scopes, revoked: false });
      }
      return reply(200, {
        access_token: mintAccess(c.scopes),
        expires_in: 3599,
        ...(refreshToken ? { refresh_token: refreshToken, ...refreshLifetime } : {}),
        scope: c.scopes.join(' '),
        token_type: 'Bearer',
      });
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(p.get('refresh_token') ?? '');
      if (!held || held.revoked)
        return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      // No rotation: no refresh_token in the answer, and the one used stays valid.
      return reply(200, {
        access_token: mintAccess(held.scopes),
        expires_in: 3599,
        scope: held.scopes.join(' '),
        token_type: 'Bearer',
        ...refreshLifetime,
      });
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  };

  const { handle: handleEvents, ...events } = startEventStore({
    email,
    summary: calendar.summary,
    timeZone: calendar.timeZone,
  });
  let faults: { kind: FaultKind; times: number; retryAfterSeconds?: number } | undefined;

  const insufficientScopes = () =>
    googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
      status: 'PERMISSION_DENIED',
      extra: { message: 'Insufficient Permission' },
    });

  const api = (req: FakeRequest): FakeReply => {
    if (faults && faults.times > 0) {
      faults.times--;
      return faultReply(faults.kind, faults.retryAfterSeconds);
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const held = bearer ? accessTokens.get(bearer) : undefined;
    if (!held || held.expired) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        'authError',
        {
          status: 'UNAUTHENTICATED',
          headers: {
            'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
          },
          extra: { message: 'Invalid Credentials' },
        },
      );
    }
    if (!held.scopes.some((s) => CALENDAR_SCOPES.includes(s))) return insufficientScopes();
    if (req.method === 'GET' && req.path === '/calendar/v3/calendars/primary') return reply(200, calendar);
    const path = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(req.path);
    if (path?.[1]) {
      if (req.method !== 'GET' && !held.scopes.some((s) => WRITE_SCOPES.includes(s)))
        return insufficientScopes();
      const answered = handleEvents(req, decodeURIComponent(path[1]));
      if (answered) return answered;
    }
    return googleError(404, 'Not Found', 'notFound', { status: 'NOT_FOUND' });
  };

  /**
   * POST /revoke `token=<refresh or access token>` (form): the whole grant ends — 200 with an
   * empty body; 400 `invalid_token` for a token it does not know (or already revoked).
   * https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
   */
  const revokeToken = (req: FakeRequest): FakeReply => {
    const t = new URLSearchParams(req.body).get('token') ?? '';
    const r = refreshTokens.get(t);
    const a = accessTokens.get(t);
    if ((!r || r.revoked) && (!a || a.expired))
      return oauthError(400, 'invalid_token', 'Token expired or revoked');
    revocations += 1;
    for (const x of refreshTokens.values()) x.revoked = true;
    for (const x of accessTokens.values()) x.expired = true;
    consented = false;
    return reply(200, {});
  };

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/o/oauth2/v2/auth') return authorize(req.query);
      if (req.method === 'POST' && req.path === '/token') return token(req);
      if (req.method === 'POST' && req.path === '/revoke') return revokeToken(req);
      if (req.path.startsWith('/calendar/v3/')) return api(req);
      return reply(404, '<html><body>Error 404 (Not Found)!!1</body></html>', {
        'content-type': 'text/html',
      });
    },
    reply(503, {
      error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' },
    }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/calendar/v3`,
    authorizationUrl: `${server.url}/o/oauth2/v2/auth`,
    tokenUrl: `${server.url}/token`,
    oauthClient,
    valid: registerSecrets({ type: 'oauth2', access_token: seeded }),
    account: { id: calendar.id, name: calendar.summary },
    refreshCount: () => refreshes,
    revocations: () => revocations,
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expired = true;
    },
    denyNext: () => {
      deny = true;
    },
    revokeAccess: () => {
      for (const t of refreshTokens.values()) t.revoked = true;
      for (const t of accessTokens.values()) t.expired = true;
      consented = false;
      granted = [];
    },
    events,
    tokenWithScopes: (scopes) => ({ type: 'oauth2', access_token: mintAccess(scopes) }),
    failNext: (kind, o = {}) => {
      faults = {
        kind,
        times: o.times ?? 1,
        ...(o.retryAfterSeconds !== undefined ? { retryAfterSeconds: o.retryAfterSeconds } : {}),
      };
    },
  };
};
