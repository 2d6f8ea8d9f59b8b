import { createHash, randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { graphError, REFUSAL_MESSAGE, type TeamsGraphControls, teamsGraph } from './microsoft-teams-graph';
import { createTeamsNotifier, type TeamsNotificationControls } from './microsoft-teams-notifications';
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
 * The Microsoft identity platform (Entra ID) and Microsoft Graph on one port:
 * - GET /{tenant}/oauth2/v2.0/authorize and POST /{tenant}/oauth2/v2.0/token, where
 *   {tenant} is `common`, `organizations`, the tenant id or its domain. Token errors are
 *   400/401 `{ error, error_description: "AADSTS…\r\nTrace ID: …", error_codes, timestamp,
 *   trace_id, correlation_id, error_uri }`. A refresh token comes only with offline_access;
 *   each refresh answers a new one, and — as Microsoft documents — the old one is NOT
 *   revoked; revokeSignInSessions() revokes them all (AADSTS50173).
 * - Graph: GET /v1.0/me and /v1.0/organization, and the Teams calls of
 *   microsoft-teams-graph.ts; a bad or expired token gets 401
 *   `{"error": {"code": "InvalidAuthenticationToken", "message": "…", "innerError": {…}}}`,
 *   a token without the scope a call needs Graph's 403 Forbidden.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
 * https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens
 * https://learn.microsoft.com/en-us/graph/errors
 *
 * Subscriptions (`registerWebhook`) get Graph's change notifications for every change to
 * teams, channels and messages (microsoft-teams-notifications.ts).
 */

export type MicrosoftTeamsFake = ProviderFake<Credentials> &
  TeamsGraphControls &
  TeamsNotificationControls & {
    /** A token with the read scopes but not ChannelMessage.Send. */
    readOnly: Credentials;
    /** The message of failNext('refuse'). */
    refusalMessage: string;
    /** The app registration's client id and a client secret value. */
    oauthClient: { clientId: string; clientSecret: string };
    /** With the manifest's `{tenant}` placeholder: core fills it (`common` by default). */
    authorizationUrl: string;
    tokenUrl: string;
    tenantId: string;
    tenantDomain: string;
    tenantName: string;
    /** refresh_token grants received, answered or refused. */
    refreshCount(): number;
    /** Every access token issued so far (and `valid`) now gets Graph's 401. */
    expireAccessTokens(): void;
    /** The next consent is declined: error=access_denied, AADSTS65004. */
    denyNext(): void;
    /** POST /me/revokeSignInSessions: every refresh token issued so far is revoked. */
    revokeSignInSessions(): void;
    /** What each token request asked for (no secrets): the grant and the `scope` parameter. */
    tokenRequests: { grantType: string | null; scope: string | null }[];
  };

type Code = {
  redirectUri: string;
  scopes: string[];
  challenge?: { value: string; method: string };
  used: boolean;
};

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

const errorPage = (status: number, message: string): FakeReply =>
  reply(
    status,
    `<html><head><title>Sign in to your account</title></head><body><div id="error">${message}</div></body></html>`,
    { 'content-type': 'text/html; charset=utf-8' },
  );

export const startMicrosoftTeamsFake = async (
  options: { redirectUris?: string[] } = {},
): Promise<MicrosoftTeamsFake> => {
  const oauthClient = {
    clientId: randomUUID(),
    clientSecret: sensitive(`${randomToken(3)}8Q~${randomToken(34)}`),
  };
  const tenantId = randomUUID();
  const tenantDomain = 'contoso.onmicrosoft.com';
  const tenantName = 'Contoso';
  const tenants = new Set(['common', 'organizations', tenantId, tenantDomain]);
  const user = {
    id: randomUUID(),
    displayName: 'Adele Vance',
    mail: `AdeleV@${tenantDomain}`,
    userPrincipalName: `AdeleV@${tenantDomain}`,
  };
  let deny = false;
  let refreshes = 0;
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, { expired: boolean; scopes: string[] }>();
  const refreshTokens = new Map<string, { scopes: string[]; revoked: boolean; issuedAt: string }>();
  const tokenRequests: MicrosoftTeamsFake['tokenRequests'] = [];

  const mintAccess = (scopes: string[]) => {
    const t = sensitive(
      `eyJ0eXAiOiJKV1QiLCJub25jZSI6I${randomToken(40)}.eyJhdWQiOi${randomToken(300)}.${randomToken(86)}`,
    );
    accessTokens.set(t, { expired: false, scopes: scopes.filter((s) => !OIDC.has(s)) });
    return t;
  };
  const seeded = mintAccess([
    'User.Read',
    'Team.ReadBasic.All',
    'Channel.ReadBasic.All',
    'ChannelMessage.Send',
  ]);
  const readOnly = mintAccess(['User.Read', 'Team.ReadBasic.All', 'Channel.ReadBasic.All']);
  let origin = '';
  const notifier = createTeamsNotifier({ tenantId });
  const data = teamsGraph({ tenantId, user, origin: () => origin, changed: notifier.changed });

  // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1
  const aadError = (status: number, error: string, code: number, message: string): FakeReply => {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = `${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`;
    return reply(status, {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    });
  };

  const issue = (scopes: string[]): FakeReply => {
    let refreshToken: string | undefined;
    if (scopes.includes('offline_access')) {
      refreshToken = sensitive(`1.AR8A${randomToken(380)}`);
      refreshTokens.set(refreshToken, { scopes, revoked: false, issuedAt: new Date().toISOString() });
    }
    const expiresIn = 3600 + Math.floor(Math.random() * 1800);
    return reply(200, {
      token_type: 'Bearer',
      scope: scopes.filter((s) => s !== 'offline_access').join(' '),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: mintAccess(scopes),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  };

  const authorize = (tenant: string, q: URLSearchParams): FakeReply => {
    if (!tenants.has(tenant)) {
      return errorPage(
        400,
        `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
      );
    }
    if (q.get('client_id') !== oauthClient.clientId) {
      return errorPage(
        400,
        `AADSTS700016: Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory '${tenantName}'.`,
      );
    }
    const redirectUri = q.get('redirect_uri');
    if (
      !redirectUri ||
      !URL.canParse(redirectUri) ||
      (options.redirectUris && !options.redirectUris.includes(redirectUri))
    ) {
      return errorPage(
        400,
        `AADSTS50011: The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${oauthClient.clientId}'.`,
      );
    }
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) to.searchParams.set('state', state);
      return reply(302, undefined, { location: to.toString() });
    };
    if (q.get('response_type') !== 'code') {
      return back({
        error: 'unsupported_response_type',
        error_description: "AADSTS700054: response_type 'id_token' is not enabled for the application.",
      });
    }
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) {
      return back({
        error: 'invalid_request',
        error_description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
      });
    }
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method') ?? 'plain';
    if (challenge && method !== 'S256' && method !== 'plain') {
      return back({
        error: 'invalid_request',
        error_description: 'AADSTS501491: Invalid code_challenge_method.',
      });
    }
    if (deny) {
      deny = false;
      return back({
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
      });
    }
    const code = sensitive(`1.AR8A${randomToken(500)}`);
    codes.set(code, {
      redirectUri,
      scopes,
      used: false,
      ...(challenge ? { challenge: { value: challenge, method } } : {}),
    });
    return back({ code, session_state: randomUUID() });
  };

  const token = (tenant: string, req: FakeRequest): FakeReply => {
    const p = new URLSearchParams(req.body);
    const grant = p.get('grant_type');
    tokenRequests.push({ grantType: grant, scope: p.get('scope') });
    if (grant === 'refresh_token') refreshes++;
    if (!tenants.has(tenant)) return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    const clientId = p.get('client_id');
    if (!clientId) {
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    if (clientId !== oauthClient.clientId) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenantName}'.`,
      );
    }
    const secret = p.get('client_secret');
    if (!secret) {
      return aadError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (secret !== oauthClient.clientSecret) {
      return aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${oauthClient.clientId}'.`,
      );
    }
    // The scopes asked here must have been consented to at authorization.
    const asked = (p.get('scope') ?? '').split(' ').filter(Boolean);
    const consentedTo = (granted: string[]) => asked.every((s) => OIDC.has(s) || granted.includes(s));
    const notConsented = () =>
      aadError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${oauthClient.clientId}' named 'Acme Sync'. Send an interactive authorization request for this user and resource.`,
      );

    if (grant === 'authorization_code') {
      const c = codes.get(p.get('code') ?? '');
      if (!c)
        return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      if (c.used) {
        return aadError(
          400,
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        );
      }
      c.used = true;
      if (p.get('redirect_uri') !== c.redirectUri) {
        return aadError(
          400,
          'invalid_grant',
          70000,
          "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code.",
        );
      }
      if (c.challenge) {
        const v = p.get('code_verifier') ?? '';
        const matches =
          c.challenge.method === 'S256' ? s256(v) === c.challenge.value : v === c.challenge.value;
        if (!v || !matches) {
          return aadError(
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
        }
      }
      if (!consentedTo(c.scopes)) return notConsented();
      return issue(c.scopes);
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(p.get('refresh_token') ?? '');
      if (!held)
        return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      if (held.revoked) {
        return aadError(
          400,
          'invalid_grant',
          50173,
          `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${held.issuedAt}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date().toISOString()}'.`,
        );
      }
      if (!consentedTo(held.scopes)) return notConsented();
      // A new refresh token comes back; the one used stays valid (Microsoft does not revoke it).
      return issue(held.scopes);
    }
    return aadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant ?? ''}'.`,
    );
  };

  const unauthorized = (message: string): FakeReply =>
    graphError(401, 'InvalidAuthenticationToken', message, {
      'www-authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    });

  const graph = (req: FakeRequest): FakeReply => {
    // Throttling and outages come before the token is even looked at.
    const fault = data.fault();
    if (fault) return fault;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return unauthorized('Access token is empty.');
    const held = accessTokens.get(bearer);
    if (!held) {
      return unauthorized(
        bearer.includes('.')
          ? 'Access token validation failure. Invalid audience.'
          : 'IDX14100: JWT is not well formed, there are no dots (.).',
      );
    }
    if (held.expired) return unauthorized('Lifetime validation failed, the token is expired.');
    if (req.method === 'GET' && req.path === '/v1.0/me') {
      return reply(200, {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,mail,userPrincipalName)/$entity',
        ...user,
      });
    }
    if (req.method === 'GET' && req.path === '/v1.0/organization') {
      return reply(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization(id,displayName)',
        value: [{ id: tenantId, displayName: tenantName }],
      });
    }
    const answered = data.handle(req, held.scopes);
    if (answered) return answered;
    return graphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${req.path.split('/').at(-1) ?? ''}'.`,
    );
  };

  const server = await startFakeServer(
    (req) => {
      const login = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(req.path);
      if (login?.[2] === 'authorize' && req.method === 'GET') return authorize(login[1] ?? '', req.query);
      if (login?.[2] === 'token' && req.method === 'POST') return token(login[1] ?? '', req);
      if (req.path.startsWith('/v1.0/')) return graph(req);
      return reply(404, '<html><body>404 - Not Found</body></html>', { 'content-type': 'text/html' });
    },
    reply(503, { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } }),
  );
  origin = server.url;
  const { changed: _, ...notifications } = notifier;

  return {
    ...server,
    ...data,
    ...notifications,
    apiBaseUrl: `${server.url}/v1.0`,
    authorizationUrl: `${server.url}/{tenant}/oauth2/v2.0/authorize`,
    tokenUrl: `${server.url}/{tenant}/oauth2/v2.0/token`,
    oauthClient,
    valid: registerSecrets({ type: 'oauth2', access_token: seeded }),
    readOnly: registerSecrets({ type: 'oauth2', access_token: readOnly }),
    refusalMessage: REFUSAL_MESSAGE,
    account: { id: user.id, name: user.displayName },
    tenantId,
    tenantDomain,
    tenantName,
    refreshCount: () => refreshes,
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expired = true;
    },
    denyNext: () => {
      deny = true;
    },
    revokeSignInSessions: () => {
      for (const t of refreshTokens.values()) t.revoked = true;
    },
    tokenRequests,
  };
};
