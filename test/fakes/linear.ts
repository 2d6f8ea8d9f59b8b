import type { Credentials } from '../../adapters/types';
import {
  basicClient,
  createGrants,
  errorPage,
  type OAuthFakeControls,
  pkceOf,
  type RefreshControls,
  withQuery,
} from './oauth-grants';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomHex,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * Linear as far as connecting goes. The GraphQL endpoint: personal API keys in a bare
 * Authorization header, OAuth tokens as Bearer; authentication failures and the rate limit
 * as GraphQL errors on HTTP 400 (401 for an expired OAuth token), with X-RateLimit-Requests-*
 * and complexity headers. OAuth at /oauth/authorize (linear.app) and /oauth/token
 * (api.linear.app), one server here: scopes comma-separated in the authorize URL, PKCE plain
 * or S256, a form-encoded token request, access tokens of 24 hours with a refresh token that
 * rotates on every use, and `scope` answered space-separated (an array for apps made before
 * December 2023: `legacyScopeArray`).
 * https://linear.app/developers/graphql
 * https://linear.app/developers/oauth-2-0-authentication
 */

export type LinearFakeOptions = {
  /** Answer `scope` as an array of strings, as Linear does for apps made before December 2023. */
  legacyScopeArray?: boolean;
  /** Callback URLs registered for the OAuth application; absent: any well-formed one is accepted. */
  redirectUris?: string[];
};

/** The scopes Linear knows; `read` is always granted. */
export const linearScopes = [
  'read',
  'write',
  'issues:create',
  'comments:create',
  'timeSchedule:write',
  'admin',
  'app:assignable',
  'app:mentionable',
];

export type LinearFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  RefreshControls & {
    oauth: Credentials;
    userId: string;
    /** Answers every request with Linear's RATELIMITED error. */
    setRateLimited(on: boolean): void;
  };

const graphqlError = (message: string, code: string, type: string, userPresentableMessage: string) => ({
  errors: [{ message, extensions: { type, code, statusCode: 400, userPresentableMessage } }],
});

export const startLinearFake = async (options: LinearFakeOptions = {}): Promise<LinearFake> => {
  const apiKey = `lin_api_${randomToken(40)}`;
  const oauthToken = `lin_oauth_${randomToken(64).toLowerCase()}`;
  const viewer = { id: '2b8e8d52-5f9c-4d23-8a4e-6f0b2a1c9e11', name: 'Ada Lovelace', email: 'ada@acme.com' };
  const organization = { id: 'e4f1c0b2-7d3a-4f58-9b21-0c6d5e8a7f33', name: 'Acme', urlKey: 'acme' };
  const grants = createGrants({
    clientId: randomHex(32),
    clientSecret: randomHex(32),
    redirectUris: options.redirectUris,
    codeTtlSeconds: 600,
    accessTokenTtlSeconds: 86399,
    refreshTokens: true,
    // Linear documents the rotation of refresh tokens, not the end of the old access token.
    refreshRevokesAccessToken: false,
    newCode: () => randomHex(40),
    newAccessToken: () => `lin_oauth_${randomHex(64)}`,
    newRefreshToken: () => randomToken(64).toLowerCase(),
  });

  // https://linear.app/developers/oauth-2-0-authentication#redirect-user-access-requests-to-linear
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    if (!grants.knowsClient(q.get('client_id'))) {
      return reply(400, errorPage('Invalid OAuth request', 'The client_id is not valid.'));
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.redirectAllowed(redirectUri)) {
      return reply(
        400,
        errorPage('Invalid OAuth request', 'The redirect_uri is not one of the application.'),
      );
    }
    const state = q.get('state');
    const back = (error: string, error_description: string) =>
      reply(302, undefined, { location: withQuery(redirectUri, { error, error_description, state }) });
    if (q.get('response_type') !== 'code') {
      return back('unsupported_response_type', 'The response_type must be code.');
    }
    // Comma-separated: "read write" is one unknown scope here, as at Linear.
    const requested = (q.get('scope') ?? '').split(',').filter(Boolean);
    const unknown = requested.find((s) => !linearScopes.includes(s));
    if (!requested.length || unknown !== undefined) {
      return back('invalid_scope', `Invalid scope: ${unknown ?? '(none)'}`);
    }
    const pkce = pkceOf(q, ['plain', 'S256']);
    if ('problem' in pkce) return back('invalid_request', pkce.problem);
    if (grants.takeDenial()) return back('access_denied', 'The user denied the authorization request.');
    const code = grants.issueCode({
      redirectUri,
      scopes: [...new Set(['read', ...requested])],
      ...(pkce.challenge ? { challenge: pkce.challenge } : {}),
    });
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  // https://linear.app/developers/oauth-2-0-authentication#exchange-code-for-an-access-token
  const token = (req: FakeRequest): FakeReply => {
    const fail = (status: number, error: string, error_description: string) =>
      reply(status, { error, error_description });
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      return fail(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    const p = new URLSearchParams(req.body);
    const basic = basicClient(req.headers.authorization);
    const clientId = basic?.id ?? p.get('client_id') ?? '';
    // Linear lets a PKCE client leave the secret out; the fake's client always sends one.
    if (!grants.clientAuthenticates(clientId, basic?.secret ?? p.get('client_secret'))) {
      return fail(401, 'invalid_client', 'Client authentication failed.');
    }
    let issued: ReturnType<typeof grants.redeemCode>;
    if (p.get('grant_type') === 'authorization_code') {
      issued = grants.redeemCode({
        code: p.get('code') ?? '',
        clientId,
        redirectUri: p.get('redirect_uri') ?? '',
        codeVerifier: p.get('code_verifier') ?? undefined,
      });
      if (!issued.ok) {
        const why =
          issued.problem === 'redirect_mismatch'
            ? 'The redirect_uri does not match the authorization request.'
            : issued.problem.startsWith('pkce')
              ? 'The code_verifier does not match the code_challenge.'
              : 'The authorization code is invalid or expired.';
        return fail(400, 'invalid_grant', why);
      }
    } else if (p.get('grant_type') === 'refresh_token') {
      const refreshed = grants.redeemRefresh({ refreshToken: p.get('refresh_token') ?? '', clientId });
      if (!refreshed.ok)
        return fail(400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
      issued = refreshed;
    } else {
      return fail(400, 'unsupported_grant_type', `Unsupported grant type: ${p.get('grant_type') ?? ''}`);
    }
    const t = issued.tokens;
    return reply(200, {
      access_token: t.accessToken,
      token_type: 'Bearer',
      expires_in: t.expiresIn,
      scope: options.legacyScopeArray ? t.scopes : t.scopes.join(' '),
      refresh_token: t.refreshToken,
    });
  };

  let rateLimited = false;
  const resetAt = () => String(Date.now() + 45_000);
  const limits = (r: FakeReply, remaining: number): FakeReply => ({
    ...r,
    headers: {
      'x-ratelimit-requests-limit': '5000',
      'x-ratelimit-requests-remaining': String(remaining),
      'x-ratelimit-requests-reset': resetAt(),
      'x-complexity': '3',
      'x-ratelimit-complexity-limit': '3000000',
      'x-ratelimit-complexity-remaining': '2999997',
      ...r.headers,
    },
  });

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/oauth/token') return token(req);
      if (req.method !== 'POST' || req.path !== '/graphql') return reply(404, 'Not Found');
      const auth = req.headers.authorization ?? '';
      const issued = grants.accessState(/^Bearer (\S+)$/.exec(auth)?.[1]);
      if (issued && issued.state !== 'valid') {
        return reply(401, {
          errors: [
            {
              message: 'Authentication required, not authenticated',
              extensions: {
                type: 'authentication error',
                code: 'AUTHENTICATION_ERROR',
                statusCode: 401,
                userPresentableMessage:
                  'Your access token has expired or was revoked. Please authenticate again.',
              },
            },
          ],
        });
      }
      if (auth !== apiKey && auth !== `Bearer ${oauthToken}` && issued?.state !== 'valid') {
        return reply(
          400,
          graphqlError(
            'Authentication required, not authenticated',
            'AUTHENTICATION_ERROR',
            'authentication error',
            'You need to authenticate to access this operation.',
          ),
        );
      }
      if (rateLimited) {
        return limits(
          reply(
            400,
            graphqlError(
              'Rate limit exceeded',
              'RATELIMITED',
              'ratelimited',
              'You have exceeded the API rate limit. Please try again later.',
            ),
          ),
          0,
        );
      }
      let query = '';
      try {
        query = String((JSON.parse(req.body) as { query?: unknown }).query ?? '');
      } catch {
        return reply(400, {
          errors: [{ message: 'Unexpected token in JSON', extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      if (!/\bviewer\b/.test(query) || !/\borganization\b/.test(query)) {
        return reply(400, {
          errors: [{ message: 'This fake only answers the viewer query', extensions: {} }],
        });
      }
      return limits(reply(200, { data: { viewer, organization } }), 4999);
    },
    reply(503, {
      errors: [{ message: 'Service Unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/graphql`,
    valid: registerSecrets({ type: 'api_key', api_key: apiKey }),
    oauth: { type: 'oauth2', access_token: oauthToken },
    account: { id: organization.id, name: organization.name },
    userId: viewer.id,
    setRateLimited: (on) => {
      rateLimited = on;
    },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/oauth/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: grants.expireAccessTokens,
  };
};
