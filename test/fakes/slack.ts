import { createHash } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
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
import { createSlackEvents, type SlackEventsControls } from './slack-events';
import { type Caller, createWorkspace, type SlackWorkspace, slackError } from './slack-workspace';

/**
 * Slack on one port: the install screen (GET /oauth/v2/authorize, bot scopes in `scope`,
 * user scopes in `user_scope`, both comma-separated), oauth.v2.access (POST
 * /api/oauth.v2.access; client credentials as HTTP Basic or in the form) and auth.test.
 * Like every Web API method they answer HTTP 200 with `{"ok": false, "error": "…"}` on
 * failure. Without token rotation tokens never expire and no refresh token is issued; with
 * it (`tokenRotation: true`) tokens are `xoxe.`-prefixed, expire in 12 hours, and come with
 * a single-use refresh token that the same method exchanges (grant_type=refresh_token).
 * https://docs.slack.dev/authentication/installing-with-oauth
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 * https://docs.slack.dev/authentication/using-token-rotation
 * https://docs.slack.dev/reference/methods/auth.test
 *
 * The Web API methods the adapter reads and writes (conversations.list, users.list,
 * chat.postMessage, search.messages) live in slack-workspace.ts; every one checks the token
 * (Bearer, or `token` in a form body or the query) and its scopes, and answers in Slack's
 * shapes. Rate limits are HTTP 429 with Retry-After and `{"ok": false, "error": "ratelimited"}`.
 * https://docs.slack.dev/apis/web-api/rate-limits
 *
 * With a Request URL set (`registerWebhook`), every change of the workspace is POSTed there as
 * a signed Events API event (slack-events.ts).
 */

export type SlackFailure =
  /** An `ok: false` refusal; by default missing_scope (needed channels:read). */
  | 'refuse'
  /** HTTP 503, as when Slack is having trouble. */
  | 'down'
  /** HTTP 429 with Retry-After. */
  | 'rate_limit';

export type SlackFake = ProviderFake<Credentials> &
  SlackEventsControls & {
    /** Tokens revoked through auth.revoke. */
    revocations(): number;
    /** The app's client id and secret (Basic Information page). */
    oauthClient: { clientId: string; clientSecret: string };
    /** slack.com/oauth/v2/authorize on this fake (integration `authorization_url`). */
    authorizationUrl: string;
    /** slack.com/api/oauth.v2.access on this fake (integration `token_url`). */
    tokenUrl: string;
    team: { id: string; name: string };
    appId: string;
    botUserId: string;
    /** The installing user (`authed_user.id`). */
    userId: string;
    /** grant_type=refresh_token calls received, answered or refused. */
    refreshCount(): number;
    /** Every token issued so far (and `valid`) now gets `token_expired` from auth.test. */
    expireAccessTokens(): void;
    /** The next install is cancelled: the redirect carries error=access_denied. */
    denyNext(): void;
    /** A user token (xoxp-) of the installing user, with search:read: the one search.messages takes. */
    user: Credentials & { type: 'oauth2' };
    /** Channels, members, messages and the methods over them. */
    workspace: SlackWorkspace;
    seedChannels: SlackWorkspace['seedChannels'];
    seedUsers: SlackWorkspace['seedUsers'];
    seedMessages: SlackWorkspace['seedMessages'];
    /** Mints a token of the kind with exactly these scopes (registered as a secret). */
    tokenWith(kind: 'bot' | 'user', scopes: string[]): Credentials & { type: 'oauth2' };
    /**
     * The next API call answers this failure: `refuse` with `error` (and `needed`, `provided`
     * for missing_scope), `rate_limit` with Retry-After `retryAfterSeconds` (default 30).
     */
    failNext(kind: SlackFailure, o?: { error?: string; needed?: string; retryAfterSeconds?: number }): void;
  };

type Kind = 'bot' | 'user';
type Code = {
  redirectUri: string | null;
  botScopes: string[];
  userScopes: string[];
  challenge?: string;
};

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const list = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const ok = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  reply(200, { ok: true, ...body }, headers);

const errorPage = (message: string): FakeReply =>
  reply(400, `<html><body><h1>Oops, something went wrong.</h1><p>${message}</p></body></html>`, {
    'content-type': 'text/html; charset=utf-8',
  });

export const startSlackFake = async (
  options: { tokenRotation?: boolean; redirectUris?: string[] } = {},
): Promise<SlackFake> => {
  const rotation = options.tokenRotation ?? false;
  const oauthClient = {
    clientId: `${digits(10)}.${digits(13)}`,
    clientSecret: sensitive(randomHex(32)),
  };
  const team = { id: `T0${randomToken(9).toUpperCase()}`, name: 'Acme Corp' };
  const appId = `A0${randomToken(9).toUpperCase()}`;
  const botUserId = `U0${randomToken(9).toUpperCase()}`;
  const botId = `B0${randomToken(9).toUpperCase()}`;
  const userId = `U0${randomToken(9).toUpperCase()}`;
  const url = 'https://acme-corp.slack.com/';
  let deny = false;
  let refreshes = 0;
  const codes = new Map<string, Code>();
  const tokens = new Map<string, { kind: Kind; scopes: string[]; expired: boolean }>();
  const refreshTokens = new Map<string, { kind: Kind; scopes: string[]; used: boolean }>();

  const mint = (kind: Kind, scopes: string[]) => {
    const prefix = kind === 'bot' ? 'xoxb' : 'xoxp';
    const accessToken = sensitive(
      rotation
        ? `xoxe.${prefix}-1-${randomToken(140)}`
        : kind === 'bot'
          ? `xoxb-${digits(10)}-${digits(13)}-${randomToken(24)}`
          : `xoxp-${digits(10)}-${digits(10)}-${digits(13)}-${randomHex(32)}`,
    );
    tokens.set(accessToken, { kind, scopes, expired: false });
    if (!rotation) return { access_token: accessToken };
    const refreshToken = sensitive(`xoxe-1-${randomToken(140)}`);
    refreshTokens.set(refreshToken, { kind, scopes, used: false });
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: 43200 };
  };

  const seeded = mint('bot', [
    'channels:read',
    'groups:read',
    'channels:history',
    'chat:write',
    'users:read',
    'users:read.email',
  ]);
  const userToken = mint('user', [
    'search:read',
    'channels:read',
    'groups:read',
    'chat:write',
    'users:read',
    'users:read.email',
  ]);
  const events = createSlackEvents({ team, appId, botUserId });
  const workspace = createWorkspace({ team, url, appId, botId, botUserId, userId, emit: events.emit });
  const failures: { kind: SlackFailure; error?: string; needed?: string; retryAfterSeconds?: number }[] = [];

  /** The token of a Web API call: Bearer, else `token` in a form body or the query string. */
  const tokenOf = (req: FakeRequest): string | null => {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) return bearer;
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    return (form ? new URLSearchParams(req.body).get('token') : null) ?? req.query.get('token');
  };

  /** A method's arguments: the query string, then a form or JSON body (JSON only with Bearer). */
  const argsOf = (req: FakeRequest): URLSearchParams | FakeReply => {
    const args = new URLSearchParams(req.query);
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(req.body)) args.set(k, v);
    } else if (type.startsWith('application/json') && req.body) {
      let json: unknown;
      try {
        json = JSON.parse(req.body);
      } catch {
        return slackError('invalid_json');
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return slackError('invalid_json');
      for (const [k, v] of Object.entries(json)) {
        if (v !== undefined && v !== null) args.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
    }
    return args;
  };

  const callMethod = (req: FakeRequest, method: string): FakeReply => {
    const run = workspace.methods[method];
    if (!run) return slackError('unknown_method');
    const token = tokenOf(req);
    if (!token) return slackError('not_authed');
    const held = tokens.get(token);
    if (!held) return slackError('invalid_auth');
    if (held.expired) return slackError('token_expired');
    const args = argsOf(req);
    if (!(args instanceof URLSearchParams)) return args;
    const caller: Caller = {
      kind: held.kind,
      scopes: held.scopes,
      userId: held.kind === 'bot' ? botUserId : userId,
      ...(held.kind === 'bot' ? { botId } : {}),
    };
    const answer = run(args, caller);
    return { ...answer, headers: { ...answer.headers, 'x-oauth-scopes': held.scopes.join(',') } };
  };

  const failure = (): FakeReply | undefined => {
    const f = failures.shift();
    if (!f) return undefined;
    if (f.kind === 'down') {
      return reply(503, '<html><body>Slack is having trouble. Please try again.</body></html>', {
        'content-type': 'text/html; charset=utf-8',
      });
    }
    if (f.kind === 'rate_limit') {
      return reply(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(f.retryAfterSeconds ?? 30) },
      );
    }
    const error = f.error ?? 'missing_scope';
    return slackError(
      error,
      error === 'missing_scope' ? { needed: f.needed ?? 'channels:read', provided: 'chat:write' } : {},
    );
  };

  const authorize = (q: URLSearchParams): FakeReply => {
    if (q.get('client_id') !== oauthClient.clientId) return errorPage('Invalid client_id parameter');
    const redirectUri = q.get('redirect_uri');
    if (redirectUri !== null && !URL.canParse(redirectUri))
      return errorPage('Invalid redirect_uri parameter');
    if (options.redirectUris && (!redirectUri || !options.redirectUris.includes(redirectUri))) {
      return errorPage('redirect_uri did not match any configured URIs.');
    }
    const target = redirectUri ?? options.redirectUris?.[0];
    if (!target) return errorPage('No redirect_uri configured for this app.');
    const back = (params: Record<string, string>) => {
      const to = new URL(target);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) to.searchParams.set('state', state);
      return reply(302, undefined, { location: to.toString() });
    };
    const botScopes = list(q.get('scope'));
    const userScopes = list(q.get('user_scope'));
    if (botScopes.length === 0 && userScopes.length === 0) return errorPage('Missing scope parameter');
    if (deny) {
      deny = false;
      return back({ error: 'access_denied' });
    }
    const challenge = q.get('code_challenge');
    if (challenge && (q.get('code_challenge_method') ?? 'S256') !== 'S256') {
      return errorPage('Invalid code_challenge_method parameter');
    }
    const code = sensitive(`${digits(10)}.${digits(13)}.${randomHex(64)}`);
    codes.set(code, { redirectUri, botScopes, userScopes, ...(challenge ? { challenge } : {}) });
    return back({ code });
  };

  const access = (req: FakeRequest): FakeReply => {
    const p = new URLSearchParams(req.body);
    let id = p.get('client_id');
    let secret = p.get('client_secret');
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const pair = Buffer.from(basic, 'base64').toString('utf8');
      const colon = pair.indexOf(':');
      id = pair.slice(0, colon);
      secret = pair.slice(colon + 1);
    }
    const grant = p.get('grant_type') ?? (p.has('refresh_token') ? 'refresh_token' : 'authorization_code');
    if (grant === 'refresh_token') refreshes++;
    if (id !== oauthClient.clientId) return slackError('invalid_client_id');
    if (secret !== oauthClient.clientSecret) return slackError('bad_client_secret');
    const common = { app_id: appId, team, enterprise: null, is_enterprise_install: false };

    if (grant === 'authorization_code') {
      const code = p.get('code') ?? '';
      const c = codes.get(code);
      if (!c) return slackError('invalid_code');
      codes.delete(code);
      // "This must match the originally submitted URI (if one was sent)."
      if (c.redirectUri !== null && p.get('redirect_uri') !== c.redirectUri)
        return slackError('bad_redirect_uri');
      if (c.challenge) {
        const verifier = p.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== c.challenge) {
          return slackError('invalid_code');
        }
      }
      const bot = c.botScopes.length > 0 ? mint('bot', c.botScopes) : undefined;
      const user = c.userScopes.length > 0 ? mint('user', c.userScopes) : undefined;
      return ok({
        ...common,
        authed_user: {
          id: userId,
          ...(user ? { scope: c.userScopes.join(','), token_type: 'user', ...user } : {}),
        },
        ...(bot ? { scope: c.botScopes.join(','), token_type: 'bot', bot_user_id: botUserId, ...bot } : {}),
      });
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(p.get('refresh_token') ?? '');
      if (!held || held.used) return slackError('invalid_refresh_token');
      held.used = true; // single use: the answer carries its successor
      const next = mint(held.kind, held.scopes);
      return ok({
        ...common,
        authed_user: { id: userId },
        scope: held.scopes.join(','),
        token_type: held.kind,
        ...(held.kind === 'bot' ? { bot_user_id: botUserId } : {}),
        ...next,
      });
    }
    return slackError('invalid_grant_type');
  };

  const authTest = (req: FakeRequest): FakeReply => {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? new URLSearchParams(req.body).get('token');
    if (!token) return slackError('not_authed');
    const held = tokens.get(token);
    if (!held) return slackError('invalid_auth');
    if (held.expired) return slackError('token_expired');
    return ok(
      {
        url,
        team: team.name,
        user: held.kind === 'bot' ? 'acme-sync' : 'mia',
        team_id: team.id,
        user_id: held.kind === 'bot' ? botUserId : userId,
        ...(held.kind === 'bot' ? { bot_id: botId } : {}),
        is_enterprise_install: false,
      },
      { 'x-oauth-scopes': held.scopes.join(','), 'x-accepted-oauth-scopes': '' },
    );
  };

  let revocations = 0;
  const server = await startFakeServer(
    (req) => {
      if (req.path.startsWith('/api/')) {
        const failed = failure();
        if (failed) return failed;
      }
      if (req.method === 'GET' && req.path === '/oauth/v2/authorize') return authorize(req.query);
      if (req.method === 'POST' && req.path === '/api/oauth.v2.access') return access(req);
      if (req.path === '/api/auth.test') return authTest(req);
      // https://docs.slack.dev/reference/methods/auth.revoke — the token stops working at once.
      if (req.path === '/api/auth.revoke') {
        const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token) return slackError('not_authed');
        if (!tokens.has(token)) return slackError('invalid_auth');
        tokens.delete(token);
        revocations += 1;
        return ok({ revoked: true });
      }
      if (req.path.startsWith('/api/')) return callMethod(req, req.path.slice('/api/'.length));
      return reply(404, { ok: false, error: 'unknown_method' });
    },
    reply(503, '<html><body>Slack is having trouble. Please try again.</body></html>', {
      'content-type': 'text/html; charset=utf-8',
    }),
  );

  const { emit: _, ...eventControls } = events;
  return {
    ...server,
    ...eventControls,
    apiBaseUrl: `${server.url}/api`,
    revocations: () => revocations,
    authorizationUrl: `${server.url}/oauth/v2/authorize`,
    tokenUrl: `${server.url}/api/oauth.v2.access`,
    oauthClient,
    valid: registerSecrets({ type: 'oauth2', access_token: seeded.access_token }),
    account: { id: team.id, name: team.name },
    team,
    appId,
    botUserId,
    userId,
    refreshCount: () => refreshes,
    expireAccessTokens: () => {
      for (const t of tokens.values()) t.expired = true;
    },
    denyNext: () => {
      deny = true;
    },
    user: registerSecrets({ type: 'oauth2', access_token: userToken.access_token }),
    workspace,
    seedChannels: workspace.seedChannels,
    seedUsers: workspace.seedUsers,
    seedMessages: workspace.seedMessages,
    tokenWith: (kind, scopes) =>
      registerSecrets({ type: 'oauth2', access_token: mint(kind, scopes).access_token }),
    failNext: (kind, o = {}) => {
      failures.push({ kind, ...o });
    },
  };
};
