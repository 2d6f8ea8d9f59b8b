import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import {
  createGrants,
  errorPage,
  type OAuthFakeControls,
  pkceOf,
  type RefreshControls,
  tokenParams,
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
 * GitHub as far as connecting goes. The REST API: GET /user (classic tokens report
 * X-OAuth-Scopes, fine-grained ones don't), GET /app/installations/:id and
 * POST /app/installations/:id/access_tokens behind an RS256 app JWT, GET
 * /installation/repositories for installation tokens, rate-limit headers on every answer, 403
 * when the limit is spent. The web flow: /login/oauth/authorize (the user always clicks
 * "Authorize", unless denyNext()) and /login/oauth/access_token, which answers errors as
 * HTTP 200 with `error` fields, form-encoded unless the request's Accept asks for JSON. As an
 * OAuth app (default) its tokens never expire; as a GitHub App with expiring user tokens
 * (`userTokensExpire`) they last 8 hours and come with a single-use refresh token.
 * https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

/** An RSA key pair like the one GitHub issues for an app (PKCS#1 private key PEM). */
export const generateAppKeyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });

export type GitHubFakeOptions = {
  appId?: string;
  appPublicKey?: string;
  /** A GitHub App with expiring user tokens (8 h, refresh tokens) instead of an OAuth app. */
  userTokensExpire?: boolean;
  /** Callback URLs registered for the OAuth client; absent: any well-formed one is accepted. */
  redirectUris?: string[];
};

/** How the token endpoint encodes its answers: by the request's Accept, or always as a form. */
export type TokenResponseFormat = 'negotiate' | 'form';

export type GitHubFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  RefreshControls & {
    /** A fine-grained token: same user, no X-OAuth-Scopes header. */
    fineGrained: Credentials;
    /** A classic token granted no scope: X-OAuth-Scopes present and empty. */
    noScopes: Credentials;
    scopes: string[];
    appId: string;
    installationId: string;
    installationAccount: { id: string; name: string };
    suspendedInstallationId: string;
    /** Sets X-RateLimit-Remaining; at 0 GitHub answers 403 "API rate limit exceeded". */
    setRateLimitRemaining(n: number): void;
    /** 'form': answer form-encoded even to `Accept: application/json` (a proxy, an old GHES). */
    setTokenResponseFormat(format: TokenResponseFormat): void;
    /** Installation tokens minted so far. */
    installationTokenCount(): number;
  };

const tokenErrorDocs =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
const tokenErrors = {
  incorrect_client_credentials: [
    'The client_id and/or client_secret passed are incorrect.',
    '#incorrect-client-credentials',
  ],
  redirect_uri_mismatch: [
    'The redirect_uri MUST match the registered callback URL for this application.',
    '#redirect-uri-mismatch2',
  ],
  bad_verification_code: ['The code passed is incorrect or expired.', '#bad-verification-code'],
  bad_refresh_token: ['The refresh token passed is incorrect or expired.', '#bad-refresh-token'],
  unsupported_grant_type: ['The grant type is not supported.', '#unsupported-grant-type'],
} as const;

/**
 * GitHub's callback rule: same scheme, host and port as the registered callback, and a path
 * at or below its path.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls
 */
const githubRedirectMatches = (registered: string, given: string): boolean => {
  let r: URL;
  let g: URL;
  try {
    r = new URL(registered);
    g = new URL(given);
  } catch {
    return false;
  }
  const base = r.pathname.replace(/\/$/, '');
  return (
    r.protocol === g.protocol &&
    r.host === g.host &&
    (g.pathname === r.pathname || g.pathname === base || g.pathname.startsWith(`${base}/`))
  );
};

const docs = 'https://docs.github.com/rest';
const undecodable = 'A JSON web token could not be decoded';

const error = (status: number, message: string, documentation_url = docs): FakeReply =>
  reply(status, { message, documentation_url, status: String(status) });

const decodeSegment = (s: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** GitHub's checks of an app JWT; returns its error message, or undefined when it passes. */
const jwtError = (jwt: string, appId: string, publicKey: string | undefined): string | undefined => {
  const [h, p, s, ...rest] = jwt.split('.');
  if (!h || !p || !s || rest.length > 0 || !publicKey) return undecodable;
  const header = decodeSegment(h);
  const payload = decodeSegment(p);
  if (!header || !payload || header.alg !== 'RS256') return undecodable;
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    return undecodable;
  }
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp, iss } = payload;
  if (typeof exp !== 'number' || exp <= now) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (exp - now > 600) return "'Expiration time' claim ('exp') is too far in the future";
  if (typeof iat !== 'number' || iat > now + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  }
  if (String(iss) !== appId) return undecodable;
  return undefined;
};

export const startGitHubFake = async (options: GitHubFakeOptions = {}): Promise<GitHubFake> => {
  const appId = options.appId ?? '912345';
  const classic = `ghp_${randomToken(36)}`;
  const fineGrained = `github_pat_${randomToken(22)}_${randomToken(59)}`;
  const noScopes = `ghp_${randomToken(36)}`;
  const scopes = ['repo', 'read:user', 'read:org'];
  const user = {
    login: 'octo-acme',
    id: 583231,
    node_id: 'MDQ6VXNlcjU4MzIzMQ==',
    type: 'User',
    site_admin: false,
    name: 'Octo Acme',
    company: 'Acme',
    html_url: 'https://github.com/octo-acme',
  };
  const tokens = new Map<string, { scopes?: string[] }>([
    [classic, { scopes }],
    [fineGrained, {}],
    [noScopes, { scopes: [] }],
  ]);
  const org = { login: 'acme-corp', id: 9919, node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=', type: 'Organization' };
  const installation = (id: number, suspended: boolean) => ({
    id,
    client_id: 'Iv23liAcmeFakeClient',
    account: org,
    repository_selection: 'selected',
    access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
    repositories_url: 'https://api.github.com/installation/repositories',
    html_url: `https://github.com/organizations/acme-corp/settings/installations/${id}`,
    app_id: Number(appId),
    app_slug: 'acme-integrations',
    target_id: org.id,
    target_type: 'Organization',
    permissions: { issues: 'write', metadata: 'read', pull_requests: 'write' },
    events: ['issues', 'pull_request'],
    created_at: '2025-01-14T10:12:03.000Z',
    updated_at: '2025-01-14T10:12:04.000Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: suspended ? '2025-03-01T08:00:00.000Z' : null,
  });
  const installations = new Map([
    ['48213067', installation(48213067, false)],
    ['48213099', installation(48213099, true)],
  ]);

  const expiring = options.userTokensExpire === true;
  const grants = createGrants({
    clientId: expiring ? `Iv23li${randomToken(14)}` : `Ov23li${randomToken(14)}`,
    clientSecret: randomHex(40),
    redirectUris: options.redirectUris,
    redirectMatches: githubRedirectMatches,
    codeTtlSeconds: 600, // "codes expire after 10 minutes"
    // GitHub-App user tokens: 8 hours, refresh tokens 6 months; OAuth-app tokens: forever.
    ...(expiring ? { accessTokenTtlSeconds: 28800, refreshTokenTtlSeconds: 15897600 } : {}),
    refreshTokens: expiring,
    // "Once you use a refresh token, that refresh token and the old user access token will no longer work."
    refreshRevokesAccessToken: true,
    newCode: () => randomHex(20),
    newAccessToken: () => `${expiring ? 'ghu' : 'gho'}_${randomToken(36)}`,
    newRefreshToken: () => `ghr_${randomToken(76)}`,
  });
  let tokenFormat: TokenResponseFormat = 'negotiate';
  const installationTokens = new Map<string, { installationId: string; expiresAt: number }>();

  /** A bearer token minted for an installation: 'dead' once expired. */
  const installationToken = (token: string | undefined) => {
    const t = token === undefined ? undefined : installationTokens.get(token);
    if (!t) return undefined;
    return t.expiresAt <= Date.now() ? 'dead' : t;
  };

  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    // An unknown client gets GitHub's 404 page: there is no app to redirect back to.
    if (!grants.knowsClient(q.get('client_id'))) return reply(404, errorPage('Page not found', 'Not Found'));
    const state = q.get('state');
    const given = q.get('redirect_uri');
    const registered = grants.redirectUri;
    // A wrong redirect_uri goes back to the registered callback with the error, as GitHub does.
    // https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors
    if (given !== null && !grants.redirectAllowed(given)) {
      return reply(302, undefined, {
        location: withQuery(registered, {
          error: 'redirect_uri_mismatch',
          error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
          error_uri:
            'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch',
          state,
        }),
      });
    }
    const redirectUri = given ?? registered;
    // GitHub takes S256 only. https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication
    const pkce = pkceOf(q, ['S256']);
    if ('problem' in pkce) {
      return reply(302, undefined, {
        location: withQuery(redirectUri, {
          error: 'invalid_request',
          error_description: pkce.problem,
          state,
        }),
      });
    }
    if (grants.takeDenial()) {
      return reply(302, undefined, {
        location: withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          error_uri:
            'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
          state,
        }),
      });
    }
    // GitHub Apps ignore `scope`: their access is the app's permissions.
    const scopes = expiring ? [] : [...new Set((q.get('scope') ?? '').split(/[\s,]+/).filter(Boolean))];
    const code = grants.issueCode({
      redirectUri,
      scopes,
      ...(pkce.challenge ? { challenge: pkce.challenge } : {}),
    });
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  const accessToken = (req: FakeRequest): FakeReply => {
    // GitHub reads the parameters from the query string or the body, JSON or form.
    const p = tokenParams(req, true);
    const json = tokenFormat === 'negotiate' && (req.headers.accept ?? '').includes('application/json');
    const answer = (body: Record<string, string | number>): FakeReply =>
      json
        ? reply(200, body)
        : reply(
            200,
            new URLSearchParams(
              Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
            ).toString(),
            { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          );
    // Errors are HTTP 200 too.
    const fail = (error: keyof typeof tokenErrors) =>
      answer({
        error,
        error_description: tokenErrors[error][0],
        error_uri: `${tokenErrorDocs}/${tokenErrors[error][1]}`,
      });
    const clientId = p.get('client_id') ?? '';
    if (!grants.clientAuthenticates(clientId, p.get('client_secret')))
      return fail('incorrect_client_credentials');
    const grantType = p.get('grant_type') ?? 'authorization_code';
    let issued: ReturnType<typeof grants.redeemCode>;
    if (grantType === 'authorization_code') {
      issued = grants.redeemCode({
        code: p.get('code') ?? '',
        clientId,
        redirectUri: p.get('redirect_uri') ?? undefined,
        codeVerifier: p.get('code_verifier') ?? undefined,
      });
      if (!issued.ok) {
        return fail(
          issued.problem === 'redirect_mismatch' ? 'redirect_uri_mismatch' : 'bad_verification_code',
        );
      }
    } else if (grantType === 'refresh_token') {
      const refreshed = grants.redeemRefresh({ refreshToken: p.get('refresh_token') ?? '', clientId });
      if (!refreshed.ok) return fail('bad_refresh_token');
      issued = refreshed;
    } else {
      return fail('unsupported_grant_type');
    }
    const t = issued.tokens;
    return answer({
      access_token: t.accessToken,
      ...(t.expiresIn !== undefined ? { expires_in: t.expiresIn } : {}),
      ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      ...(t.refreshExpiresIn !== undefined ? { refresh_token_expires_in: t.refreshExpiresIn } : {}),
      scope: t.scopes.join(','),
      token_type: 'bearer',
    });
  };

  let remaining = 5000;
  const rateHeaders = (authenticated: boolean) => {
    const limit = authenticated ? 5000 : 60;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.min(remaining, limit)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(limit - Math.min(remaining, limit)),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': randomUUID().toUpperCase().slice(0, 23).replaceAll('-', ':'),
      'x-github-media-type': 'github.v3; format=json',
    };
  };

  const server = await startFakeServer(
    (req) => {
      // github.com's web flow, outside the REST API's rules (no rate-limit headers).
      if (req.method === 'GET' && req.path === '/login/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/login/oauth/access_token') return accessToken(req);

      // https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent
      if (!req.headers['user-agent']) {
        return reply(
          403,
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
        );
      }
      // GitHub takes both `Bearer` and the older `token` scheme.
      const auth = /^(?:bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const withHeaders = (r: FakeReply, authenticated = true): FakeReply => ({
        ...r,
        headers: { ...rateHeaders(authenticated), ...r.headers },
      });

      if (req.method === 'GET' && req.path === '/user') {
        if (!auth) {
          return withHeaders(
            error(401, 'Requires authentication', `${docs}/users/users#get-the-authenticated-user`),
            false,
          );
        }
        if (installationToken(auth) !== undefined) {
          if (installationToken(auth) === 'dead') return withHeaders(error(401, 'Bad credentials'), false);
          return withHeaders(
            error(
              403,
              'Resource not accessible by integration',
              `${docs}/users/users#get-the-authenticated-user`,
            ),
          );
        }
        const issued = grants.accessState(auth);
        if (issued && issued.state !== 'valid') return withHeaders(error(401, 'Bad credentials'), false);
        // OAuth-app tokens carry the scopes granted; GitHub-App user tokens carry none.
        const token = issued ? (expiring ? {} : { scopes: issued.scopes }) : tokens.get(auth);
        if (!token) return withHeaders(error(401, 'Bad credentials'), false);
        if (remaining <= 0) {
          return withHeaders(
            error(
              403,
              `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID.`,
              `${docs}/overview/rate-limits-for-the-rest-api`,
            ),
          );
        }
        remaining -= 1;
        return withHeaders(
          reply(200, user, {
            ...(token.scopes ? { 'x-oauth-scopes': token.scopes.join(', ') } : {}),
            'x-accepted-oauth-scopes': '',
          }),
        );
      }

      const inst = /^\/app\/installations\/(\d+)$/.exec(req.path);
      if (req.method === 'GET' && inst) {
        const problem = jwtError(auth ?? '', appId, options.appPublicKey);
        if (problem) return withHeaders(error(401, problem), false);
        const found = installations.get(inst[1] ?? '');
        if (!found) {
          return withHeaders(
            error(404, 'Not Found', `${docs}/apps/apps#get-an-installation-for-the-authenticated-app`),
          );
        }
        return withHeaders(reply(200, found));
      }

      // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
      const mint = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.path);
      if (req.method === 'POST' && mint) {
        const problem = jwtError(auth ?? '', appId, options.appPublicKey);
        if (problem) return withHeaders(error(401, problem), false);
        const id = mint[1] ?? '';
        const found = installations.get(id);
        if (!found) {
          return withHeaders(
            error(404, 'Not Found', `${docs}/apps/apps#create-an-installation-access-token-for-an-app`),
          );
        }
        if (found.suspended_at) {
          return withHeaders(
            error(
              403,
              'This installation has been suspended',
              `${docs}/apps/apps#create-an-installation-access-token-for-an-app`,
            ),
          );
        }
        const token = sensitive(`ghs_${randomToken(36)}`);
        // One hour, reported to the second as GitHub does ("2016-07-11T22:14:10Z").
        const expiresAt = Math.floor(Date.now() / 1000) * 1000 + 3600_000;
        installationTokens.set(token, { installationId: id, expiresAt });
        return withHeaders(
          reply(201, {
            token,
            expires_at: new Date(expiresAt).toISOString().replace('.000Z', 'Z'),
            permissions: found.permissions,
            repository_selection: found.repository_selection,
          }),
        );
      }

      // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
      if (req.method === 'GET' && req.path === '/installation/repositories') {
        const inst = installationToken(auth);
        if (inst === 'dead' || (inst === undefined && !auth)) {
          return withHeaders(error(401, 'Bad credentials'), false);
        }
        if (inst === undefined) {
          const known = tokens.has(auth ?? '') || grants.accessState(auth)?.state === 'valid';
          if (!known) return withHeaders(error(401, 'Bad credentials'), false);
          return withHeaders(
            error(
              403,
              'You must authenticate with an installation access token in order to list repositories for an installation.',
              `${docs}/apps/installations#list-repositories-accessible-to-the-app-installation`,
            ),
          );
        }
        const repo = {
          id: 1296269,
          node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
          name: 'payments-api',
          full_name: `${org.login}/payments-api`,
          private: true,
          owner: { login: org.login, id: org.id, type: 'Organization' },
        };
        return withHeaders(
          reply(200, { total_count: 1, repository_selection: 'selected', repositories: [repo] }),
        );
      }
      return error(404, 'Not Found');
    },
    // GitHub's JSON 5xx; the unicorn page is HTML, but API clients get this.
    reply(503, { message: 'Service Unavailable', documentation_url: docs }),
  );

  return {
    ...server,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'oauth2', access_token: classic }),
    fineGrained: { type: 'oauth2', access_token: fineGrained },
    noScopes: { type: 'oauth2', access_token: noScopes },
    account: { id: String(user.id), name: user.login },
    scopes,
    appId,
    installationId: '48213067',
    suspendedInstallationId: '48213099',
    installationAccount: { id: String(org.id), name: org.login },
    setRateLimitRemaining: (n) => {
      remaining = n;
    },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/login/oauth/authorize`,
    tokenUrl: `${server.url}/login/oauth/access_token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: () => {
      grants.expireAccessTokens();
      const past = Date.now() - 1000;
      for (const t of installationTokens.values()) t.expiresAt = past;
    },
    setTokenResponseFormat: (format) => {
      tokenFormat = format;
    },
    installationTokenCount: () => installationTokens.size,
  };
};
