import type { Credentials } from '../../adapters/types';
import { type ClickUpWorkspaceControls, createClickUpWorkspace } from './clickup-workspace';
import { createGrants, errorPage, type OAuthFakeControls, withQuery } from './oauth-grants';
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
 * ClickUp API v2: the token bare in Authorization (personal pk_… tokens and OAuth tokens
 * alike), {"err","ECODE"} errors and X-RateLimit-* headers on every answer (100 a minute,
 * counted but not enforced: `failNext('rate_limit')` answers ClickUp's 429). GET
 * /api/v2/user here; the Workspace data and its endpoints in clickup-workspace.ts.
 * OAuth: the consent page at /api (app.clickup.com) takes client_id, redirect_uri and state,
 * no scopes; POST /api/v2/oauth/token reads client_id, client_secret and code from the QUERY
 * string and answers `{ access_token }` alone: tokens never expire and there is no refresh.
 * ClickUp does not document the token endpoint's errors; the fake answers them in ClickUp's
 * `{ err, ECODE }` shape with ECODEs of its own.
 * https://developer.clickup.com/reference/getauthorizeduser
 * https://developer.clickup.com/docs/authentication#oauth-flow
 */

export type ClickUpFakeOptions = {
  /** Callback URLs registered for the OAuth app; absent: any well-formed one is accepted. */
  redirectUris?: string[];
};

export type ClickUpFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  ClickUpWorkspaceControls & {
    oauth: Credentials;
    /**
     * The next API request (any endpoint but OAuth's) answers: `refuse` — 404 `Task not found`
     * (ITEM_013); `down` — 503; `rate_limit` — ClickUp's 429 with X-RateLimit-Reset
     * `retryAfterSeconds` (default 30) from now.
     */
    failNext(kind: 'refuse' | 'down' | 'rate_limit', retryAfterSeconds?: number): void;
  };

/** The message of `failNext('refuse')`. */
export const clickUpRefusal = 'Task not found';

export const startClickUpFake = async (options: ClickUpFakeOptions = {}): Promise<ClickUpFake> => {
  const userId = 81942317;
  const personal = `pk_${userId}_${randomToken(32).toUpperCase()}`;
  const oauthToken = `${userId}_${randomToken(40).toLowerCase()}`;
  const user = {
    id: userId,
    username: 'Grace Hopper',
    email: 'grace@acme.com',
    color: '#7b68ee',
    profilePicture: null,
    initials: 'GH',
    week_start_day: 1,
    global_font_support: false,
    timezone: 'Europe/London',
  };
  const grants = createGrants({
    clientId: randomToken(32).toUpperCase(),
    clientSecret: randomToken(64).toUpperCase(),
    redirectUris: options.redirectUris,
    codeTtlSeconds: 600,
    refreshTokens: false,
    refreshRevokesAccessToken: false,
    newCode: () => randomToken(32).toUpperCase(),
    newAccessToken: () => `${userId}_${randomToken(40).toLowerCase()}`,
  });

  // https://developer.clickup.com/docs/authentication#oauth-flow
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    if (!grants.knowsClient(q.get('client_id'))) {
      return reply(400, errorPage('ClickUp', 'This application could not be found.'));
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.redirectAllowed(redirectUri)) {
      return reply(400, errorPage('ClickUp', 'The redirect_uri does not match the application.'));
    }
    const state = q.get('state');
    if (grants.takeDenial()) {
      return reply(302, undefined, { location: withQuery(redirectUri, { error: 'access_denied', state }) });
    }
    // No scopes: the user picks the Workspaces the app may see.
    const code = grants.issueCode({ redirectUri, scopes: [] });
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  // https://developer.clickup.com/reference/getaccesstoken
  const token = (req: FakeRequest): FakeReply => {
    const q = req.query;
    const clientId = q.get('client_id');
    const secret = q.get('client_secret');
    const code = q.get('code');
    if (!clientId || !secret || !code) {
      return reply(400, { err: 'client_id, client_secret and code are required', ECODE: 'OAUTH_005' });
    }
    if (!grants.knowsClient(clientId)) return reply(401, { err: 'Client not found', ECODE: 'OAUTH_010' });
    if (!grants.clientAuthenticates(clientId, secret)) {
      return reply(401, { err: 'Client secret invalid', ECODE: 'OAUTH_011' });
    }
    // ClickUp's token request carries no redirect_uri to check.
    const issued = grants.redeemCode({ code, clientId, redirectUri: undefined, codeVerifier: undefined });
    if (!issued.ok) return reply(400, { err: 'Code invalid or expired', ECODE: 'OAUTH_014' });
    return reply(200, { access_token: issued.tokens.accessToken });
  };

  // ClickUp's limit is per token and minute: X-RateLimit-Reset is when the window ends, in
  // epoch seconds. https://developer.clickup.com/docs/rate-limits
  const LIMIT = 100;
  let window = { start: Date.now(), used: 0 };
  const limits = (r: FakeReply): FakeReply => {
    if (Date.now() - window.start >= 60_000) window = { start: Date.now(), used: 0 };
    window.used += 1;
    return {
      ...r,
      headers: {
        'x-ratelimit-limit': String(LIMIT),
        'x-ratelimit-remaining': String(Math.max(0, LIMIT - window.used)),
        'x-ratelimit-reset': String(Math.floor((window.start + 60_000) / 1000)),
        ...r.headers,
      },
    };
  };

  let fault: { kind: 'refuse' | 'down' | 'rate_limit'; seconds: number } | undefined;
  const faulted = (f: NonNullable<typeof fault>): FakeReply => {
    if (f.kind === 'refuse') return limits(reply(404, { err: clickUpRefusal, ECODE: 'ITEM_013' }));
    if (f.kind === 'down') return reply(503, { err: 'Service unavailable', ECODE: 'APP_002' });
    return reply(
      429,
      { err: 'Rate limit reached', ECODE: 'APP_002' },
      {
        'x-ratelimit-limit': String(LIMIT),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + f.seconds),
      },
    );
  };

  const workspace = createClickUpWorkspace();

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/api') return authorize(req);
      if (req.method === 'POST' && req.path === '/api/v2/oauth/token') return token(req);
      const auth = req.headers.authorization;
      if (!auth) return reply(400, { err: 'Authorization header required', ECODE: 'OAUTH_017' });
      // ClickUp does not strip a scheme: "Bearer pk_…" is an unknown token to it.
      if (auth !== personal && auth !== oauthToken && grants.accessState(auth)?.state !== 'valid')
        return reply(401, { err: 'Token invalid', ECODE: 'OAUTH_025' });
      if (fault) {
        const f = fault;
        fault = undefined;
        return faulted(f);
      }
      if (req.method === 'GET' && req.path === '/api/v2/user') return limits(reply(200, { user }));
      return limits(workspace.route(req) ?? reply(404, { err: 'Route not found', ECODE: 'APP_001' }));
    },
    reply(503, { err: 'Service unavailable', ECODE: 'APP_002' }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v2`,
    valid: registerSecrets({ type: 'api_key', api_key: personal }),
    oauth: registerSecrets({ type: 'oauth2', access_token: oauthToken }),
    account: { id: String(user.id), name: user.username },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/api`,
    tokenUrl: `${server.url}/api/v2/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    ...workspace.controls,
    failNext: (kind, retryAfterSeconds = 30) => {
      fault = { kind, seconds: retryAfterSeconds };
    },
  };
};
