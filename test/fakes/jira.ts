import { createHash, randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
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
 * Jira Cloud, every way in, on one port:
 * - basic (email + API token) on the site: GET /rest/api/3/myself; a wrong token gets 401
 *   with an empty body and X-Seraph-LoginReason: AUTHENTICATED_FAILED, and after repeated
 *   failures Atlassian answers 403 with a CAPTCHA challenge in the headers;
 * - OAuth 2.0 (3LO): the consent screen (GET /authorize, auth.atlassian.com), the token
 *   endpoint (POST /oauth/token, JSON or form, errors as 401/403 `{ error,
 *   error_description }`, rotating single-use refresh tokens), then the API gateway
 *   (api.atlassian.com): GET /oauth/token/accessible-resources and
 *   /ex/jira/{cloudId}/rest/api/3/myself.
 * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 * https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/
 */

export type JiraFake = ProviderFake<Credentials> & {
  oauth: Credentials;
  cloudId: string;
  site: string;
  /** What to put in api_base_url for OAuth: the gateway URL with its `{cloud_id}` placeholder. */
  oauthBaseUrl: string;
  oauthScopes: string[];
  /** Atlassian's CAPTCHA lock after failed logins: basic auth answers 403. */
  setCaptcha(on: boolean): void;
  /** The OAuth 2.0 integration registered in the developer console. */
  oauthClient: { clientId: string; clientSecret: string };
  /** auth.atlassian.com/authorize on this fake (integration `authorization_url`). */
  authorizationUrl: string;
  /** auth.atlassian.com/oauth/token on this fake (integration `token_url`). */
  tokenUrl: string;
  /** refresh_token grants received, answered or refused. */
  refreshCount(): number;
  /** Every access token issued so far (and `oauth`) now gets the gateway's 401. */
  expireAccessTokens(): void;
  /** The next consent is declined: the redirect carries error=access_denied. */
  denyNext(): void;
};

type Code = { redirectUri: string; scopes: string[]; challenge?: { value: string; method: string } };

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const jwtLike = () =>
  sensitive(`eyJraWQiOiJmYWtlIiwiYWxnIjoiUlMyNTYifQ.${randomToken(160)}.${randomToken(86)}`);

const errorPage = (status: number, message: string): FakeReply =>
  reply(status, `<html><body><h1>Something went wrong</h1><p>${message}</p></body></html>`, {
    'content-type': 'text/html;charset=UTF-8',
  });

const redirectTo = (uri: string, params: Record<string, string | null>): FakeReply => {
  const to = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) to.searchParams.set(k, v);
  return reply(302, undefined, { location: to.toString() });
};

/** Atlassian documents JSON bodies; a form is read too, so a test can tell which was sent. */
const bodyParams = (req: FakeRequest): Record<string, string> => {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const parsed = JSON.parse(req.body) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(req.body));
};

export const startJiraFake = async (options: { redirectUris?: string[] } = {}): Promise<JiraFake> => {
  const email = 'mia@acme.com';
  // Atlassian API tokens: ATATT3xFfGF0 + base64url-ish body + 8-hex checksum.
  const apiToken = `ATATT3xFfGF0${randomToken(180)}=${randomToken(8).toUpperCase()}`;
  const oauthToken = `eyJraWQiOiJmYWtlIn0.${randomToken(120)}.${randomToken(43)}`;
  const cloudId = randomUUID();
  const site = 'acme.atlassian.net';
  const oauthScopes = ['read:jira-work', 'write:jira-work', 'read:jira-user'];
  const oauthClient = {
    clientId: randomToken(32),
    clientSecret: sensitive(`ATOA${randomToken(60)}`),
  };
  const me = {
    self: `https://${site}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    accountType: 'atlassian',
    emailAddress: email,
    displayName: 'Mia Krystof',
    active: true,
    timeZone: 'Europe/Berlin',
    locale: 'en_US',
  };
  let captcha = false;
  let deny = false;
  let refreshes = 0;
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, { scopes: string[]; expired: boolean }>([
    [oauthToken, { scopes: oauthScopes, expired: false }],
  ]);
  // Rotating refresh tokens: `used` once exchanged (and disabled).
  const refreshTokens = new Map<string, { scopes: string[]; used: boolean }>();

  const traced = (r: FakeReply): FakeReply => ({
    ...r,
    headers: { 'x-arequestid': randomUUID(), 'atl-traceid': randomUUID().replaceAll('-', ''), ...r.headers },
  });
  const oauthError = (status: number, error: string, description: string) =>
    traced(reply(status, { error, error_description: description }));

  const issue = (scopes: string[]) => {
    const accessToken = jwtLike();
    accessTokens.set(accessToken, { scopes: scopes.filter((s) => s !== 'offline_access'), expired: false });
    let refreshToken: string | undefined;
    // Refresh tokens only with offline_access.
    if (scopes.includes('offline_access')) {
      refreshToken = jwtLike();
      refreshTokens.set(refreshToken, { scopes, used: false });
    }
    return traced(
      reply(200, {
        access_token: accessToken,
        expires_in: 3600,
        token_type: 'Bearer',
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: scopes.join(' '),
      }),
    );
  };

  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#1--direct-the-user-to-the-authorization-url-to-get-an-authorization-code
  const authorize = (q: URLSearchParams): FakeReply => {
    if (q.get('client_id') !== oauthClient.clientId) return errorPage(400, 'Invalid client_id.');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !URL.canParse(redirectUri))
      return errorPage(400, 'redirect_uri is missing or invalid.');
    if (options.redirectUris && !options.redirectUris.includes(redirectUri)) {
      return errorPage(400, 'The redirect_uri does not match any callback URL of the app.');
    }
    const state = q.get('state');
    const back = (params: Record<string, string>) => redirectTo(redirectUri, { ...params, state });
    if (q.get('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
    }
    if (q.get('audience') !== 'api.atlassian.com') {
      return back({ error: 'invalid_request', error_description: 'audience must be api.atlassian.com' });
    }
    if (q.get('prompt') !== 'consent') {
      return back({ error: 'invalid_request', error_description: 'prompt must be consent' });
    }
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return back({ error: 'invalid_scope', error_description: 'scope is required' });
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method') ?? 'plain';
    if (challenge && method !== 'S256' && method !== 'plain') {
      return back({ error: 'invalid_request', error_description: 'Unsupported code_challenge_method' });
    }
    if (deny) {
      deny = false;
      return back({ error: 'access_denied', error_description: 'User did not authorize the request' });
    }
    const code = jwtLike();
    codes.set(code, {
      redirectUri,
      scopes,
      ...(challenge ? { challenge: { value: challenge, method } } : {}),
    });
    return back({ code });
  };

  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#2--exchange-authorization-code-for-access-token
  const token = (req: FakeRequest): FakeReply => {
    const p = bodyParams(req);
    if (p.grant_type === 'refresh_token') refreshes++;
    if (p.client_id !== oauthClient.clientId || p.client_secret !== oauthClient.clientSecret) {
      return oauthError(401, 'access_denied', 'Unauthorized');
    }
    if (p.grant_type === 'authorization_code') {
      const grant = p.code ? codes.get(p.code) : undefined;
      if (!grant || !p.code) return oauthError(403, 'invalid_grant', 'Invalid authorization code');
      codes.delete(p.code); // single use, whatever comes next
      if (p.redirect_uri !== grant.redirectUri)
        return oauthError(403, 'invalid_grant', 'Invalid redirect_uri');
      if (grant.challenge) {
        const v = p.code_verifier ?? '';
        const ok =
          grant.challenge.method === 'S256' ? s256(v) === grant.challenge.value : v === grant.challenge.value;
        if (!v || !ok) return oauthError(403, 'invalid_grant', 'Invalid code_verifier');
      }
      return issue(grant.scopes);
    }
    if (p.grant_type === 'refresh_token') {
      const held = p.refresh_token ? refreshTokens.get(p.refresh_token) : undefined;
      if (!held) return oauthError(403, 'unauthorized_client', 'refresh_token is invalid');
      if (held.used) return oauthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
      held.used = true; // rotated out
      return issue(held.scopes);
    }
    return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
  };

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/authorize') return authorize(req.query);
      if (req.method === 'POST' && req.path === '/oauth/token') return token(req);

      const auth = req.headers.authorization ?? '';
      if (req.method === 'GET' && req.path === '/rest/api/3/myself') {
        const basic = /^Basic (\S+)$/.exec(auth)?.[1];
        if (!basic) {
          return traced(
            reply(401, {
              errorMessages: [
                'You are not authenticated. Authentication required to perform this operation.',
              ],
              errors: {},
            }),
          );
        }
        if (captcha) {
          return traced(
            reply(403, '<html><body>Forbidden</body></html>', {
              'content-type': 'text/html;charset=UTF-8',
              'x-seraph-loginreason': 'AUTHENTICATION_DENIED',
              'x-authentication-denied-reason': `CAPTCHA_CHALLENGE; login-url=https://${site}/login.jsp`,
            }),
          );
        }
        if (Buffer.from(basic, 'base64').toString('utf8') !== `${email}:${apiToken}`) {
          return traced(
            reply(401, '', {
              'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
              'www-authenticate': 'Basic realm="protected-area"',
            }),
          );
        }
        return traced(reply(200, me));
      }

      // The API gateway (api.atlassian.com) for OAuth tokens.
      const bearer = /^Bearer (\S+)$/.exec(auth)?.[1];
      const held = bearer ? accessTokens.get(bearer) : undefined;
      const live = held && !held.expired ? held : undefined;
      if (req.method === 'GET' && req.path === '/oauth/token/accessible-resources') {
        if (!live) return traced(reply(401, { code: 401, message: 'Unauthorized' }));
        return traced(
          reply(200, [
            {
              id: cloudId,
              url: `https://${site}`,
              name: 'acme',
              scopes: live.scopes,
              avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png',
            },
          ]),
        );
      }
      const gateway = /^\/ex\/jira\/([^/]+)\/rest\/api\/3\/myself$/.exec(req.path);
      if (req.method === 'GET' && gateway) {
        if (!live) return traced(reply(401, { code: 401, message: 'Unauthorized; scope does not match' }));
        if (gateway[1] !== cloudId) return traced(reply(404, { code: 404, message: 'Not Found' }));
        return traced(reply(200, me));
      }
      return traced(reply(404, { errorMessages: ['Not found'], errors: {} }));
    },
    // Atlassian's edge answers an outage with an HTML page.
    reply(503, '<html><head><title>Atlassian Cloud Notifications - Page Unavailable</title></head></html>', {
      'content-type': 'text/html;charset=UTF-8',
    }),
  );

  return {
    ...server,
    apiBaseUrl: server.url,
    oauthBaseUrl: `${server.url}/ex/jira/{cloud_id}`,
    valid: registerSecrets({ type: 'basic', username: email, password: apiToken }),
    oauth: registerSecrets({ type: 'oauth2', access_token: oauthToken }),
    account: { id: me.accountId, name: me.displayName },
    cloudId,
    site,
    oauthScopes,
    setCaptcha: (on) => {
      captcha = on;
    },
    oauthClient,
    authorizationUrl: `${server.url}/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    refreshCount: () => refreshes,
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expired = true;
    },
    denyNext: () => {
      deny = true;
    },
  };
};
