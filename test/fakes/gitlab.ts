import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { createGitLabData, type GitLabDataControls } from './gitlab-data';
import { type GitLabHook, gitLabDeliveryHeaders, gitLabEvent } from './gitlab-webhooks';
import {
  basicClient,
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
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * GitLab: connecting, and the data its syncs and tools read and write (gitlab-data.ts).
 * REST API v4: GET /user with PRIVATE-TOKEN or a Bearer token, GET /personal_access_tokens/self (404 on instances older than 15.5), RateLimit-*
 * headers, {"message":"401 Unauthorized"} for a bad token and {"error":"invalid_token"} for
 * an expired or revoked OAuth token. Its OAuth provider (Doorkeeper) at /oauth/authorize and
 * /oauth/token: RFC 6749 with PKCE (plain and S256), JSON errors with 400/401, access tokens
 * of 2 hours, and refresh tokens that rotate: a refresh revokes the refresh token used and
 * the access token issued with it.
 * https://docs.gitlab.com/api/rest/authentication/
 * https://docs.gitlab.com/api/oauth2/
 */

export type GitLabFakeOptions = {
  /** false: an older instance without /personal_access_tokens/self (answers 404). */
  tokenSelfEndpoint?: boolean;
  /** Callback URLs registered for the OAuth application; absent: any well-formed one is accepted. */
  redirectUris?: string[];
  /** Lifetime of issued access tokens; GitLab's is 7200 s. Shorter lets a test see expiry. */
  accessTokenTtlSeconds?: number;
};

/** Scopes the fake's OAuth application is registered with; anything else is `invalid_scope`. */
export const gitlabAppScopes = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository'];

// Doorkeeper's error descriptions.
const descriptions = {
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  access_denied: 'The resource owner or authorization server denied the request.',
  invalid_redirect_uri: 'The redirect uri included is not valid.',
} as const;

/**
 * GitLab's webhooks: a project or group hook with a secret token gets `Issue Hook`, `Merge
 * Request Hook`, `Note Hook` and `Pipeline Hook` events of what the data controls and the create endpoint
 * change, as GitLab posts them. A retry keeps the Idempotency-Key and X-Gitlab-Event-UUID.
 * https://docs.gitlab.com/user/project/integrations/webhooks/
 */
export type GitLabWebhookControls = WebhookOutboxControls & {
  /**
   * A webhook with the secret `token` (which joins the leak watch): of one project (`project`,
   * its path), of a group's projects (`group`), or of every project; `events` default: all.
   */
  registerWebhook(
    url: string,
    token: string,
    options?: { project?: string; group?: string; events?: Partial<GitLabHook['events']> },
  ): number;
};

export type GitLabFake = ProviderFake<Credentials> /** Grants revoked through POST /oauth/revoke. */ & {
  revocations(): number;
} & OAuthFakeControls &
  RefreshControls &
  GitLabDataControls &
  GitLabWebhookControls & {
    oauth: Credentials;
    /** A personal access token with `read_api` only: reads, and is refused writes. */
    readOnly: Credentials;
    scopes: string[];
    tokenExpiresAt: string;
  };

export const startGitLabFake = async (options: GitLabFakeOptions = {}): Promise<GitLabFake> => {
  const pat = `glpat-${randomToken(20)}`;
  const readOnlyPat = `glpat-${randomToken(20)}`;
  const oauthToken = randomToken(64).toLowerCase();
  const scopes = ['api', 'read_user'];
  const patScopes = new Map([
    [pat, scopes],
    [readOnlyPat, ['read_api']],
  ]);
  let base = ''; // the server's URL, known once it listens
  const hooks: GitLabHook[] = [];
  const outbox = createWebhookOutbox();
  const data = createGitLabData(
    () => base,
    (change) => {
      if (hooks.length === 0) return;
      const c = change();
      const actor = { id: user.id, name: user.name, username: user.username, avatar_url: user.avatar_url };
      const { event, group, payload } = gitLabEvent(c, actor);
      const path = String(c.project.path_with_namespace).toLowerCase();
      const body = JSON.stringify(payload);
      for (const hook of hooks) {
        if (!hook.events[group]) continue;
        if (hook.project !== undefined && hook.project.toLowerCase() !== path) continue;
        if (hook.group !== undefined && !path.startsWith(`${hook.group.toLowerCase()}/`)) continue;
        void outbox.send({ url: hook.url, event, body, headers: gitLabDeliveryHeaders(hook, event) });
      }
    },
  );
  const webhookControls: GitLabWebhookControls = {
    registerWebhook: (url, token, o = {}) => {
      const id = 900_000 + hooks.length + 1;
      hooks.push({
        id,
        uuid: randomUUID(),
        url,
        token: sensitive(token),
        ...(o.project !== undefined ? { project: o.project } : {}),
        ...(o.group !== undefined ? { group: o.group } : {}),
        events: { issues: true, merge_requests: true, notes: true, pipelines: true, ...o.events },
      });
      return id;
    },
    ...outbox.controls,
  };
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
  const grants = createGrants({
    clientId: randomHex(64),
    clientSecret: `gloas-${randomHex(64)}`,
    redirectUris: options.redirectUris,
    codeTtlSeconds: 600,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
    refreshTokens: true,
    // "This request invalidates the existing access_token and refresh_token."
    refreshRevokesAccessToken: true,
    newCode: () => randomHex(64),
    newAccessToken: () => randomHex(64),
    newRefreshToken: () => randomHex(64),
  });

  // https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    // Without a known client and a registered redirect_uri there is nowhere safe to send
    // the user: Doorkeeper shows its error page.
    if (!grants.knowsClient(q.get('client_id'))) {
      return reply(401, errorPage('An error has occurred', descriptions.invalid_client));
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.redirectAllowed(redirectUri)) {
      return reply(400, errorPage('An error has occurred', descriptions.invalid_redirect_uri));
    }
    const state = q.get('state');
    const back = (error: keyof typeof descriptions, description: string = descriptions[error]) =>
      reply(302, undefined, {
        location: withQuery(redirectUri, { error, error_description: description, state }),
      });
    if (q.get('response_type') !== 'code') return back('unsupported_response_type');
    const requested = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.some((s) => !gitlabAppScopes.includes(s))) return back('invalid_scope');
    const pkce = pkceOf(q, ['plain', 'S256']);
    if ('problem' in pkce) {
      return reply(302, undefined, {
        location: withQuery(redirectUri, {
          error: 'invalid_request',
          error_description: pkce.problem,
          state,
        }),
      });
    }
    if (grants.takeDenial()) return back('access_denied');
    const code = grants.issueCode({
      redirectUri,
      scopes: requested.length ? requested : gitlabAppScopes,
      ...(pkce.challenge ? { challenge: pkce.challenge } : {}),
    });
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  // https://docs.gitlab.com/api/oauth2/#authorization-code-flow
  const token = (req: FakeRequest): FakeReply => {
    const p = tokenParams(req);
    const fail = (status: number, error: keyof typeof descriptions) =>
      reply(status, { error, error_description: descriptions[error] }, { 'cache-control': 'no-store' });
    // Client credentials in the body or as HTTP Basic.
    const basic = basicClient(req.headers.authorization);
    const clientId = basic?.id ?? p.get('client_id') ?? '';
    if (!grants.clientAuthenticates(clientId, basic?.secret ?? p.get('client_secret'))) {
      return fail(401, 'invalid_client');
    }
    let issued: ReturnType<typeof grants.redeemCode>;
    switch (p.get('grant_type')) {
      case 'authorization_code':
        // The redirect_uri is required again, and must be the one the code was issued for.
        issued = grants.redeemCode({
          code: p.get('code') ?? '',
          clientId,
          redirectUri: p.get('redirect_uri') ?? '',
          codeVerifier: p.get('code_verifier') ?? undefined,
        });
        if (!issued.ok) return fail(400, 'invalid_grant');
        break;
      case 'refresh_token': {
        const refreshed = grants.redeemRefresh({ refreshToken: p.get('refresh_token') ?? '', clientId });
        if (!refreshed.ok) return fail(400, 'invalid_grant');
        issued = refreshed;
        break;
      }
      default:
        return fail(400, 'unsupported_grant_type');
    }
    const t = issued.tokens;
    return reply(
      200,
      {
        access_token: t.accessToken,
        token_type: 'Bearer',
        expires_in: t.expiresIn,
        refresh_token: t.refreshToken,
        scope: t.scopes.join(' '),
        created_at: Math.floor(Date.now() / 1000),
      },
      { 'cache-control': 'no-store' },
    );
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

  let revocations = 0;
  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/oauth/token') return token(req);
      // RFC 7009 as Doorkeeper answers it: the client authenticates; 200 `{}` for any token.
      // https://docs.gitlab.com/api/oauth2/#revoke-a-token
      if (req.method === 'POST' && req.path === '/oauth/revoke') {
        const p = new URLSearchParams(req.body);
        if (!grants.clientAuthenticates(p.get('client_id'), p.get('client_secret'))) {
          return reply(403, {
            error: 'unauthorized_client',
            error_description: 'You are not authorized to revoke this token',
          });
        }
        if (grants.revokeGrant(p.get('token') ?? '')) revocations += 1;
        return reply(200, {});
      }

      const failed = req.path.startsWith('/api/v4/') ? data.takeFailure() : undefined;
      if (failed) return withHeaders(failed);

      // PATs go in PRIVATE-TOKEN or as a Bearer token; OAuth tokens only as Bearer.
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const privateToken = req.headers['private-token'];
      const patUsed = [privateToken, bearer].find((t) => t !== undefined && patScopes.has(t));
      const isPat = patUsed !== undefined;
      const issued = grants.accessState(bearer);
      // https://docs.gitlab.com/api/rest/authentication/#oauth-20-tokens
      if (issued?.state === 'expired') {
        return withHeaders(
          reply(401, {
            error: 'invalid_token',
            error_description: 'Token is expired. You can either do re-authorization or token refresh.',
          }),
        );
      }
      if (issued?.state === 'revoked') {
        return withHeaders(
          reply(401, {
            error: 'invalid_token',
            error_description: 'Token was revoked. You have to re-authorize from the user.',
          }),
        );
      }
      const isOauth = bearer === oauthToken || issued?.state === 'valid';
      if (!isPat && !isOauth) return withHeaders(reply(401, { message: '401 Unauthorized' }));
      const tokenScopes = isPat ? (patScopes.get(patUsed) ?? []) : (issued?.scopes ?? scopes);

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
            scopes: tokenScopes,
            user_id: user.id,
            last_used_at: null,
            active: true,
            expires_at: tokenExpiresAt,
          }),
        );
      }
      return withHeaders(data.handle(req, tokenScopes) ?? reply(404, { error: '404 Not Found' }));
    },
    reply(503, { message: '503 Service Unavailable' }),
  );

  base = server.url;

  return {
    ...server,
    ...data.controls,
    ...webhookControls,
    apiBaseUrl: `${server.url}/api/v4`,
    valid: registerSecrets({ type: 'api_key', api_key: pat }),
    readOnly: registerSecrets({ type: 'api_key', api_key: readOnlyPat }),
    oauth: registerSecrets({ type: 'oauth2', access_token: oauthToken }),
    account: { id: String(user.id), name: user.username },
    scopes,
    tokenExpiresAt,
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    revocations: () => revocations,
    authorizationUrl: `${server.url}/oauth/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: grants.expireAccessTokens,
  };
};
