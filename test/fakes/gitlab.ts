import { randomUUID } from 'node:crypto';
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
 * GitLab's REST API v4 for credential verification: GET /user with PRIVATE-TOKEN or a
 * Bearer token, GET /personal_access_tokens/self (404 on instances older than 15.5),
 * RateLimit-* headers, {"message":"401 Unauthorized"} for a bad token.
 * https://docs.gitlab.com/api/rest/authentication/
 */

export type GitLabFakeOptions = {
  /** false: an older instance without /personal_access_tokens/self (answers 404). */
  tokenSelfEndpoint?: boolean;
};

export type GitLabFake = ProviderFake<Credentials> & {
  oauth: Credentials;
  scopes: string[];
  tokenExpiresAt: string;
};

export const startGitLabFake = async (options: GitLabFakeOptions = {}): Promise<GitLabFake> => {
  const pat = `glpat-${randomToken(20)}`;
  const oauthToken = randomToken(64).toLowerCase();
  const scopes = ['api', 'read_user'];
  const tokenExpiresAt = '2026-12-31';
  const user = {
    id: 1874221,
    username: 'jdoe',
    name: 'Jane Doe',
    state: 'active',
    locked: false,
    avatar_url: 'https://gitlab.com/uploads/-/system/user/avatar/1874221/avatar.png',
    web_url: 'https://gitlab.com/jdoe',
  };
  let observed = 0;
  const withHeaders = (r: FakeReply): FakeReply => {
    observed += 1;
    return {
      ...r,
      headers: {
        'ratelimit-name': 'throttle_authenticated_api',
        'ratelimit-limit': '2000',
        'ratelimit-observed': String(observed),
        'ratelimit-remaining': String(2000 - observed),
        'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60),
        'ratelimit-resettime': new Date(Date.now() + 60_000).toUTCString(),
        'x-request-id': randomUUID().replaceAll('-', '').slice(0, 26).toUpperCase(),
        'x-gitlab-meta': '{"correlation_id":"01J0FAKE","version":"1"}',
        ...r.headers,
      },
    };
  };

  const server = await startFakeServer(
    (req) => {
      // PATs go in PRIVATE-TOKEN or as a Bearer token; OAuth tokens only as Bearer.
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const privateToken = req.headers['private-token'];
      const isPat = privateToken === pat || bearer === pat;
      const isOauth = bearer === oauthToken;
      if (!isPat && !isOauth) return withHeaders(reply(401, { message: '401 Unauthorized' }));

      if (req.method === 'GET' && req.path === '/api/v4/user') return withHeaders(reply(200, user));
      if (req.method === 'GET' && req.path === '/api/v4/personal_access_tokens/self') {
        if (options.tokenSelfEndpoint === false) return withHeaders(reply(404, { error: '404 Not Found' }));
        if (!isPat) return withHeaders(reply(404, { message: '404 Not Found' }));
        return withHeaders(
          reply(200, {
            id: 4242,
            name: 'integrations',
            revoked: false,
            created_at: '2025-02-01T09:00:00.000Z',
            description: null,
            scopes,
            user_id: user.id,
            last_used_at: null,
            active: true,
            expires_at: tokenExpiresAt,
          }),
        );
      }
      return withHeaders(reply(404, { error: '404 Not Found' }));
    },
    reply(503, { message: '503 Service Unavailable' }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v4`,
    valid: registerSecrets({ type: 'api_key', api_key: pat }),
    oauth: { type: 'oauth2', access_token: oauthToken },
    account: { id: String(user.id), name: user.username },
    scopes,
    tokenExpiresAt,
  };
};
