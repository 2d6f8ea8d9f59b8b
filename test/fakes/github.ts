import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * GitHub's REST API as far as credential verification goes: GET /user (classic tokens
 * report X-OAuth-Scopes, fine-grained ones don't), GET /app/installations/:id behind an
 * RS256 app JWT, rate-limit headers on every answer, 403 when the limit is spent.
 * https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 */

/** An RSA key pair like the one GitHub issues for an app (PKCS#1 private key PEM). */
export const generateAppKeyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });

export type GitHubFakeOptions = { appId?: string; appPublicKey?: string };

export type GitHubFake = ProviderFake<Credentials> & {
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
        const token = tokens.get(auth);
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
  };
};
