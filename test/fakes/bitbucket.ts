import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { type BitbucketDataControls, createBitbucketData } from './bitbucket-data';
import {
  basicClient,
  createGrants,
  errorPage,
  type OAuthFakeControls,
  type RefreshControls,
  tokenParams,
  withQuery,
} from './oauth-grants';
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
 * Bitbucket Cloud: connecting, and the data its syncs and tools read and write
 * (bitbucket-data.ts), under /2.0 as api.bitbucket.org serves it.
 *
 * Credentials: HTTP Basic with a username and app password (or an Atlassian email and API
 * token) — wrong ones answer 401 in plain text ("Login failed due to incorrect login
 * credentials or method." and where to read more); Bearer OAuth access tokens — an unknown one
 * answers 401 `{"type": "error", "error": {"message": "Token is invalid, expired, or not
 * supported for this endpoint."}}`, an expired one "Access token expired.". OAuth answers carry
 * `X-OAuth-Scopes`; an endpoint the token has no scope for answers 403 "Your credentials lack
 * one or more required privilege scopes." with the scopes required and granted.
 *
 * OAuth 2.0 at /site/oauth2/authorize and /site/oauth2/access_token (bitbucket.org): the client
 * authenticates with HTTP Basic; the consumer's permissions are the scopes (a `scope` on the
 * request is not how Bitbucket narrows them); the answer names them `scopes`; access tokens
 * last 2 hours. Bitbucket's refresh tokens do not expire; the fake's grant book hands out a new
 * one on every refresh, which the adapter keeps either way.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */

export type BitbucketFakeOptions = {
  /** Callback URLs registered for the OAuth consumer; absent: any well-formed one is accepted. */
  redirectUris?: string[];
  /** Lifetime of issued access tokens; Bitbucket's is 7200 s. Shorter lets a test see expiry. */
  accessTokenTtlSeconds?: number;
};

/** The OAuth consumer's permissions: what every token it issues may do. */
export const bitbucketConsumerScopes = ['account', 'pullrequest', 'repository'];

export type BitbucketFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  RefreshControls &
  BitbucketDataControls & {
    /** An OAuth access token with the consumer's scopes. */
    oauth: Credentials;
    /** An OAuth access token with the `account` scope only: it reads who it is, nothing else. */
    accountOnly: Credentials;
    /** An Atlassian API token, with the account's email as the username. */
    apiToken: Credentials;
  };

const loginFailed = [
  'Login failed due to incorrect login credentials or method.',
  'For information on authentication methods for Bitbucket Cloud APIs, visit:',
  '    https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication',
  'If you are unsure of which login details or login method to use, visit:',
  '    https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/',
  '',
].join('\n');

const apiError = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  reply(status, { type: 'error', error: { message, ...extra } });

export const startBitbucketFake = async (options: BitbucketFakeOptions = {}): Promise<BitbucketFake> => {
  const appPassword = `ATBB${randomToken(28)}${randomToken(8).toUpperCase()}`;
  const apiToken = `ATATT3x${randomToken(180)}`;
  const oauthToken = `${randomToken(120)}==`;
  const accountOnlyToken = `${randomToken(120)}==`;
  let base = '';
  const data = createBitbucketData(() => base);
  const me = {
    uuid: '{4ea7b1c4-96ad-4c7b-8c41-2b0c1a9e9d11}',
    username: 'jdoe',
    nickname: 'jdoe',
    display_name: 'Jane Doe',
    account_id: '712020:7bf45758-6986-4e0e-aefc-a3000196d8d2',
    email: 'jane@acme.test',
  };
  const bearers = new Map([
    [oauthToken, bitbucketConsumerScopes],
    [accountOnlyToken, ['account']],
  ]);
  const grants = createGrants({
    clientId: randomToken(18),
    clientSecret: randomToken(32),
    redirectUris: options.redirectUris,
    codeTtlSeconds: 300,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
    refreshTokens: true,
    refreshRevokesAccessToken: false,
    newCode: () => randomToken(18),
    newAccessToken: () => `${randomToken(120)}==`,
    newRefreshToken: () => randomToken(24),
  });

  // https://developer.atlassian.com/cloud/bitbucket/oauth-2/#1--authorization-code-grant--4-1-
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    if (!grants.knowsClient(q.get('client_id'))) {
      return reply(400, errorPage('Invalid client_id', 'No consumer exists with this client_id.'));
    }
    const redirectUri = q.get('redirect_uri') ?? grants.redirectUri;
    if (!grants.redirectAllowed(redirectUri)) {
      return reply(400, errorPage('Invalid redirect_uri', 'This integration is misconfigured.'));
    }
    const state = q.get('state');
    const back = (params: Record<string, string>) =>
      reply(302, undefined, { location: withQuery(redirectUri, { ...params, state }) });
    if (q.get('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'Unsupported response type' });
    }
    if (grants.takeDenial()) {
      return back({ error: 'access_denied', error_description: 'The user denied access.' });
    }
    return back({ code: grants.issueCode({ redirectUri, scopes: bitbucketConsumerScopes }) });
  };

  // https://developer.atlassian.com/cloud/bitbucket/oauth-2/
  const token = (req: FakeRequest): FakeReply => {
    const p = tokenParams(req);
    const fail = (status: number, error: string, description: string) =>
      reply(status, { error, error_description: description });
    const client = basicClient(req.headers.authorization);
    if (!client || !grants.clientAuthenticates(client.id, client.secret)) {
      return fail(400, 'invalid_client', 'Invalid OAuth client credentials');
    }
    const grantType = p.get('grant_type') ?? '';
    let issued: ReturnType<typeof grants.redeemCode> | ReturnType<typeof grants.redeemRefresh>;
    if (grantType === 'authorization_code') {
      issued = grants.redeemCode({
        code: p.get('code') ?? '',
        clientId: client.id,
        redirectUri: p.get('redirect_uri') ?? undefined,
        codeVerifier: undefined,
      });
      if (!issued.ok) return fail(400, 'invalid_grant', 'The specified code is not valid.');
    } else if (grantType === 'refresh_token') {
      issued = grants.redeemRefresh({ refreshToken: p.get('refresh_token') ?? '', clientId: client.id });
      if (!issued.ok) return fail(400, 'invalid_grant', 'Invalid refresh_token');
    } else {
      return fail(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const t = issued.tokens;
    return reply(200, {
      access_token: t.accessToken,
      scopes: t.scopes.join(' '),
      token_type: 'bearer',
      expires_in: t.expiresIn,
      state: grantType,
      refresh_token: t.refreshToken,
    });
  };

  type Who = { scopes: string[]; type: 'apppassword' | 'api_token' | 'oauth2' } | FakeReply;
  const authenticate = (req: FakeRequest): Who => {
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic (\S+)$/i.exec(auth)?.[1];
    if (basic !== undefined) {
      const [user, ...rest] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      const secret = rest.join(':');
      if (user === me.username && secret === appPassword)
        return { scopes: bitbucketConsumerScopes, type: 'apppassword' };
      if (user === me.email && secret === apiToken)
        return { scopes: bitbucketConsumerScopes, type: 'api_token' };
      return reply(401, loginFailed, { 'content-type': 'text/plain' });
    }
    const bearer = /^Bearer (\S+)$/i.exec(auth)?.[1];
    const issued = grants.accessState(bearer);
    if (issued?.state === 'expired') return apiError(401, 'Access token expired.');
    const scopes = issued?.state === 'valid' ? issued.scopes : bearers.get(bearer ?? '');
    if (scopes) return { scopes, type: 'oauth2' };
    if (bearer !== undefined)
      return apiError(401, 'Token is invalid, expired, or not supported for this endpoint.');
    return apiError(401, 'Authentication required');
  };

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/site/oauth2/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/site/oauth2/access_token') return token(req);
      if (!req.path.startsWith('/2.0/')) return apiError(404, 'Resource not found');

      const failed = data.takeFailure();
      if (failed) return failed;
      const who = authenticate(req);
      if ('status' in who) return who;
      const headers: Record<string, string> = {
        'x-request-id': randomUUID().replaceAll('-', ''),
        'x-credential-type': who.type,
        ...(who.type === 'oauth2' ? { 'x-oauth-scopes': [...who.scopes].sort().join(', ') } : {}),
      };
      const withHeaders = (r: FakeReply): FakeReply => ({ ...r, headers: { ...headers, ...r.headers } });
      // `pullrequest` implies `repository`.
      const holds = (scope: string) =>
        who.scopes.includes(scope) || (scope === 'repository' && who.scopes.includes('pullrequest'));
      const can = (scope: string): FakeReply | undefined =>
        holds(scope)
          ? undefined
          : apiError(403, 'Your credentials lack one or more required privilege scopes.', {
              detail: { granted: who.scopes, required: [scope] },
            });

      if (req.method === 'GET' && req.path === '/2.0/user') {
        return withHeaders(
          can('account') ??
            reply(200, {
              display_name: me.display_name,
              links: {
                self: { href: `${base}/2.0/users/${encodeURIComponent(me.uuid)}` },
                avatar: { href: 'https://secure.gravatar.com/avatar/0f8c53293177b8e9f1658ae7951a468e' },
                repositories: { href: `${base}/2.0/repositories/${encodeURIComponent(me.uuid)}` },
                html: { href: `https://bitbucket.org/${encodeURIComponent(me.uuid)}/` },
              },
              created_on: '2019-06-18T14:40:02.699835+00:00',
              type: 'user',
              uuid: me.uuid,
              has_2fa_enabled: null,
              username: me.username,
              is_staff: false,
              account_id: me.account_id,
              nickname: me.nickname,
              account_status: 'active',
              location: null,
            }),
        );
      }
      return withHeaders(
        data.handle(req, can, me.nickname) ??
          apiError(404, 'Resource not found', {
            detail:
              "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/",
          }),
      );
    },
    apiError(503, 'Service Unavailable'),
  );
  base = server.url;

  return {
    ...server,
    ...data.controls,
    apiBaseUrl: `${server.url}/2.0`,
    valid: registerSecrets({ type: 'basic', username: me.username, password: appPassword }),
    apiToken: registerSecrets({ type: 'basic', username: me.email, password: apiToken }),
    oauth: registerSecrets({ type: 'oauth2', access_token: oauthToken }),
    accountOnly: registerSecrets({ type: 'oauth2', access_token: accountOnlyToken }),
    account: { id: me.uuid.replace(/^\{|\}$/g, ''), name: me.username },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/site/oauth2/authorize`,
    tokenUrl: `${server.url}/site/oauth2/access_token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: grants.expireAccessTokens,
  };
};
