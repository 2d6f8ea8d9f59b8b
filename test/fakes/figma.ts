import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { createFigmaWebhooks, type FigmaWebhookControls } from './figma-webhooks';
import {
  basicClient,
  createGrants,
  errorPage,
  type OAuthFakeControls,
  pkceOf,
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
 * Figma's REST API (api.figma.com): the user (GET /v1/me), teams → projects → files
 * (GET /v1/teams/:id/projects, GET /v1/projects/:id/files), a file and its pages
 * (GET /v1/files/:key?depth=), its comments (GET and POST /v1/files/:key/comments) and
 * rendered images (GET /v1/images/:key), and webhooks v2 events sent to a registered endpoint
 * (figma-webhooks.ts).
 *
 * Credentials: a personal access token in `X-Figma-Token`, or an OAuth token as Bearer. Each
 * token has scopes; an endpoint whose scope it lacks answers 403. Errors are
 * `{"status": <code>, "err": "<message>"}`: 403 `Invalid token` for an unknown token, 404
 * `Not found` for a team, project or file the user cannot see, 400 `Invalid parameter: …`.
 * Rate limits: 429 with `Retry-After` (seconds), `X-Figma-Plan-Tier`,
 * `X-Figma-Rate-Limit-Type` and `X-Figma-Upgrade-Link` (the fake limits only through
 * `failNext`).
 * https://developers.figma.com/docs/rest-api/
 * https://developers.figma.com/docs/rest-api/errors/
 * https://developers.figma.com/docs/rest-api/rate-limits/
 *
 * OAuth (an app of the fake's client): GET /oauth (scopes comma-separated, PKCE S256, `state`),
 * then POST /v1/oauth/token with the client as HTTP Basic and the code, redirect_uri and
 * code_verifier as a form; it answers `{user_id, user_id_string, access_token, token_type,
 * expires_in, refresh_token}`. POST /v1/oauth/refresh (Basic again, `refresh_token`) answers a
 * new access token only; the refresh token keeps working. Errors `{"error": true, "status":
 * 400, "message": "…"}`.
 * https://developers.figma.com/docs/rest-api/oauth-apps/
 */

export type FigmaFailure = 'refuse' | 'down' | 'rate_limit';

/** The message of failNext('refuse'): a file the user cannot see. */
export const FIGMA_REFUSAL = 'Not found';

export type FakeComment = {
  id: string;
  fileKey: string;
  /** The text in fragments, as webhooks send it; the REST `message` joins them. */
  fragments: ({ text: string } | { mention: string })[];
  userId: string;
  parentId: string | null;
  created: number;
  resolved: number | null;
};

export type FakeFile = {
  key: string;
  name: string;
  projectId: string;
  lastModified: number;
  version: string;
  pages: { id: string; name: string; frames: string[] }[];
};

export type FakeProject = { id: string; name: string; teamId: string };
export type FakeTeam = { id: string; name: string };
export type FakeUser = { id: string; handle: string; email: string };

export type FigmaFake = ProviderFake<Credentials> &
  FigmaWebhookControls &
  OAuthFakeControls & {
    /** Refreshes that succeeded. */
    refreshCount(): number;
    me: FakeUser;
    /** Another member of the teams, who comments too. */
    colleague: FakeUser;
    /** A token with only `current_user:read`. */
    meOnly: Credentials;
    /** An OAuth access token of the same user with every scope, sent as Bearer. */
    oauth: Credentials;
    teams: Map<string, FakeTeam>;
    projects: Map<string, FakeProject>;
    files: Map<string, FakeFile>;
    comments: FakeComment[];
    addTeam(name: string, o?: { visible?: boolean }): string;
    addProject(teamId: string, name: string): string;
    /** A file in the project, edited `minutesAgo` ago; returns its key. */
    addFile(projectId: string, name: string, o?: { minutesAgo?: number; pages?: string[] }): string;
    /** A comment on a file (by the colleague unless told); sends FILE_COMMENT. Returns its id. */
    addComment(
      fileKey: string,
      text: string,
      o?: { by?: FakeUser; parentId?: string; mention?: FakeUser; silent?: boolean },
    ): string;
    /** Renames a file (a save): sends FILE_UPDATE. */
    updateFile(key: string, name: string): void;
    /** Deletes a file and its comments: sends FILE_DELETE. */
    deleteFile(key: string): void;
    /** The next request answers a refusal (404), a 5xx, or a 429 with Retry-After (default 1 s). */
    failNext(kind: FigmaFailure, retryAfterSeconds?: number): void;
  };

const SCOPES = [
  'current_user:read',
  'file_content:read',
  'file_comments:read',
  'file_comments:write',
  'projects:read',
];

const figmaError = (status: number, err: string, headers: Record<string, string> = {}) =>
  reply(status, { status, err }, headers);

/** Figma's instants: `2024-05-01T10:00:00Z` in lists, with milliseconds in comments. */
const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Figma file keys: 22 alphanumerics. */
const newFileKey = () => randomToken(22);

let ids = 1_000_000;
const nextId = () => {
  ids += 17;
  return String(ids);
};

export const startFigmaFake = async (): Promise<FigmaFake> => {
  const me: FakeUser = { id: nextId(), handle: 'Ana Lima', email: 'ana@acme.test' };
  const colleague: FakeUser = { id: nextId(), handle: 'Bo Chen', email: 'bo@acme.test' };
  const users = new Map([me, colleague].map((u) => [u.id, u]));
  const pat = `figd_${randomToken(40)}`;
  const patMeOnly = `figd_${randomToken(40)}`;
  const oauthToken = `figu_${randomToken(40)}`;
  const tokens = new Map<string, { scopes: string[]; kind: 'pat' | 'oauth' }>([
    [pat, { scopes: SCOPES, kind: 'pat' }],
    [patMeOnly, { scopes: ['current_user:read'], kind: 'pat' }],
    [oauthToken, { scopes: SCOPES, kind: 'oauth' }],
  ]);
  const teams = new Map<string, FakeTeam>();
  const hidden = new Set<string>();
  const projects = new Map<string, FakeProject>();
  const files = new Map<string, FakeFile>();
  const comments: FakeComment[] = [];
  const failures: { kind: FigmaFailure; wait: number }[] = [];
  const hooks = createFigmaWebhooks();

  // 90 days, as Figma's tokens last.
  const ACCESS_TTL = 7_776_000;
  const grants = createGrants({
    clientId: randomToken(22),
    clientSecret: randomToken(30),
    redirectUris: undefined,
    codeTtlSeconds: 600,
    accessTokenTtlSeconds: ACCESS_TTL,
    refreshTokens: false,
    refreshRevokesAccessToken: false,
    newCode: () => randomToken(30),
    newAccessToken: () => `figu_${randomToken(40)}`,
  });
  const refreshTokens = new Map<string, string[]>();
  let refreshes = 0;
  const oauthError = (status: number, message: string) => reply(status, { error: true, status, message });

  // https://developers.figma.com/docs/rest-api/oauth-apps/#authenticate-users
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.knowsClient(q.get('client_id')) || !grants.redirectAllowed(redirectUri)) {
      return reply(400, errorPage('Figma', 'Invalid client_id or redirect_uri'));
    }
    const state = q.get('state');
    const back = (error: string) =>
      reply(302, undefined, { location: withQuery(redirectUri, { error, state }) });
    if (q.get('response_type') !== 'code' || !state) return back('invalid_request');
    const requested = (q.get('scope') ?? '').split(',').filter(Boolean);
    if (requested.length === 0 || requested.some((x) => !SCOPES.includes(x))) return back('invalid_scope');
    const pkce = pkceOf(q, ['S256']);
    if ('problem' in pkce) return back('invalid_request');
    if (grants.takeDenial()) return back('access_denied');
    const code = grants.issueCode({
      redirectUri,
      scopes: requested,
      ...(pkce.challenge ? { challenge: pkce.challenge } : {}),
    });
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  // https://developers.figma.com/docs/rest-api/oauth-apps/#authenticate-users
  const exchange = (req: FakeRequest): FakeReply => {
    const client = basicClient(req.headers.authorization);
    if (!client || !grants.clientAuthenticates(client.id, client.secret)) {
      return oauthError(400, 'Invalid client credentials');
    }
    const p = tokenParams(req);
    if (p.get('grant_type') !== 'authorization_code') return oauthError(400, 'Invalid grant_type');
    const issued = grants.redeemCode({
      code: p.get('code') ?? '',
      clientId: client.id,
      redirectUri: p.get('redirect_uri') ?? '',
      codeVerifier: p.get('code_verifier') ?? undefined,
    });
    if (!issued.ok)
      return oauthError(400, issued.problem.startsWith('pkce') ? 'Invalid code_verifier' : 'Invalid code');
    const refresh = sensitive(`figr_${randomToken(40)}`);
    refreshTokens.set(refresh, issued.tokens.scopes);
    tokens.set(issued.tokens.accessToken, { scopes: issued.tokens.scopes, kind: 'oauth' });
    return reply(200, {
      user_id: Number(me.id),
      user_id_string: me.id,
      access_token: issued.tokens.accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TTL,
      refresh_token: refresh,
    });
  };

  // https://developers.figma.com/docs/rest-api/oauth-apps/#refresh-tokens
  const refreshToken = (req: FakeRequest): FakeReply => {
    const client = basicClient(req.headers.authorization);
    if (!client || !grants.clientAuthenticates(client.id, client.secret)) {
      return oauthError(400, 'Invalid client credentials');
    }
    const scopes = refreshTokens.get(tokenParams(req).get('refresh_token') ?? '');
    if (!scopes) return oauthError(400, 'Invalid refresh token');
    const access = sensitive(`figu_${randomToken(40)}`);
    tokens.set(access, { scopes, kind: 'oauth' });
    refreshes += 1;
    return reply(200, { access_token: access, token_type: 'bearer', expires_in: ACCESS_TTL });
  };

  const teamOfFile = (f: FakeFile) => projects.get(f.projectId)?.teamId ?? '';

  const takeFailure = (): FakeReply | undefined => {
    const f = failures.shift();
    if (!f) return undefined;
    if (f.kind === 'refuse') return figmaError(404, FIGMA_REFUSAL);
    if (f.kind === 'down') return figmaError(500, 'Internal server error');
    return figmaError(429, 'Rate limit exceeded', {
      'retry-after': String(f.wait),
      'x-figma-plan-tier': 'pro',
      'x-figma-rate-limit-type': 'low',
      'x-figma-upgrade-link': 'https://www.figma.com/pricing',
    });
  };

  const messageOf = (c: FakeComment) =>
    c.fragments.map((f) => ('text' in f ? f.text : `@${users.get(f.mention)?.handle ?? f.mention}`)).join('');

  // https://developers.figma.com/docs/rest-api/comments-types/
  const restComment = (c: FakeComment) => {
    const u = users.get(c.userId) as FakeUser;
    return {
      id: c.id,
      uuid: randomUUID(),
      file_key: c.fileKey,
      parent_id: c.parentId ?? '',
      user: { id: u.id, handle: u.handle, img_url: `https://s3-alpha.figma.com/profile/${u.id}` },
      created_at: new Date(c.created).toISOString(),
      resolved_at: c.resolved === null ? null : new Date(c.resolved).toISOString(),
      message: messageOf(c),
      client_meta: c.parentId ? null : { x: 120, y: 48 },
      order_id: c.parentId ? null : String(comments.indexOf(c) + 1),
      reactions: [],
    };
  };

  const needs = (scopes: string[], scope: string): FakeReply | undefined =>
    scopes.includes(scope)
      ? undefined
      : figmaError(403, `Invalid scope(s): ${scopes.join(', ')}. This endpoint requires the ${scope} scope`);

  const visibleFile = (key: string) => {
    const f = files.get(key);
    return f && !hidden.has(teamOfFile(f)) ? f : undefined;
  };

  // https://developers.figma.com/docs/rest-api/file-endpoints/#get-images-endpoint
  const images = (req: FakeRequest, f: FakeFile): FakeReply => {
    const idsParam = req.query.get('ids');
    if (!idsParam) return figmaError(400, 'Invalid parameter: ids');
    const format = req.query.get('format') ?? 'png';
    if (!['png', 'jpg', 'svg', 'pdf'].includes(format)) return figmaError(400, 'Invalid parameter: format');
    const scale = req.query.get('scale');
    if (scale !== null && !(Number(scale) >= 0.01 && Number(scale) <= 4)) {
      return figmaError(400, 'Invalid parameter: scale');
    }
    const nodes = new Set(f.pages.flatMap((p) => [p.id, ...p.frames]));
    const out: Record<string, string | null> = {};
    for (const id of idsParam.split(',')) {
      if (!/^I?\d+:\d+(;I?\d+:\d+)*$/.test(id)) return figmaError(400, `Invalid parameter: ids (${id})`);
      out[id] = nodes.has(id)
        ? `https://figma-alpha-api.s3.us-west-2.amazonaws.com/images/${randomUUID()}.${format}`
        : null;
    }
    return reply(200, { err: null, images: out, status: 200 });
  };

  const handler = (req: FakeRequest): FakeReply => {
    const failed = takeFailure();
    if (failed) return failed;
    if (req.method === 'GET' && req.path === '/oauth') return authorize(req);
    if (req.method === 'POST' && req.path === '/v1/oauth/token') return exchange(req);
    if (req.method === 'POST' && req.path === '/v1/oauth/refresh') return refreshToken(req);
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = req.headers['x-figma-token'] ?? bearer;
    if (!token) return figmaError(403, 'No token provided');
    const t = tokens.get(token);
    // A personal access token sent as Bearer (or an OAuth token as X-Figma-Token) is unknown too.
    if (!t || (t.kind === 'oauth') !== (bearer !== undefined)) return figmaError(403, 'Invalid token');
    if (req.method === 'GET' && req.path === '/v1/me') {
      // https://developers.figma.com/docs/rest-api/users-endpoints/#get-me-endpoint
      return (
        needs(t.scopes, 'current_user:read') ??
        reply(200, {
          id: me.id,
          email: me.email,
          handle: me.handle,
          img_url: `https://s3-alpha.figma.com/profile/${me.id}`,
        })
      );
    }
    let m = /^\/v1\/teams\/([^/]+)\/projects$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const team = teams.get(decodeURIComponent(m[1] as string));
      const refused = needs(t.scopes, 'projects:read');
      if (refused) return refused;
      if (!team || hidden.has(team.id)) return figmaError(404, 'Not found');
      return reply(200, {
        name: team.name,
        projects: [...projects.values()]
          .filter((p) => p.teamId === team.id)
          .map((p) => ({ id: p.id, name: p.name })),
      });
    }
    m = /^\/v1\/projects\/([^/]+)\/files$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const p = projects.get(decodeURIComponent(m[1] as string));
      const refused = needs(t.scopes, 'projects:read');
      if (refused) return refused;
      if (!p || hidden.has(p.teamId)) return figmaError(404, 'Not found');
      return reply(200, {
        name: p.name,
        files: [...files.values()]
          .filter((f) => f.projectId === p.id)
          .map((f) => ({
            key: f.key,
            name: f.name,
            thumbnail_url: `https://s3-alpha.figma.com/thumbnails/${f.key}`,
            last_modified: isoSeconds(f.lastModified),
          })),
      });
    }
    m = /^\/v1\/files\/([^/]+)\/comments$/.exec(req.path);
    if (m) {
      const f = visibleFile(decodeURIComponent(m[1] as string));
      if (req.method === 'GET') {
        const refused = needs(t.scopes, 'file_comments:read');
        if (refused) return refused;
        if (!f) return figmaError(404, 'Not found');
        return reply(200, { comments: comments.filter((c) => c.fileKey === f.key).map(restComment) });
      }
      return figmaError(405, 'Method not allowed');
    }
    m = /^\/v1\/files\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const refused = needs(t.scopes, 'file_content:read');
      if (refused) return refused;
      const f = visibleFile(decodeURIComponent(m[1] as string));
      if (!f) return figmaError(404, 'Not found');
      const depth = req.query.get('depth');
      if (depth !== null && !/^[1-9]\d*$/.test(depth)) return figmaError(400, 'Invalid parameter: depth');
      const deep = depth === null || Number(depth) > 1;
      // https://developers.figma.com/docs/rest-api/file-endpoints/#get-files-endpoint
      return reply(200, {
        name: f.name,
        role: 'owner',
        lastModified: isoSeconds(f.lastModified),
        editorType: 'figma',
        thumbnailUrl: `https://s3-alpha.figma.com/thumbnails/${f.key}`,
        version: f.version,
        document: {
          id: '0:0',
          name: 'Document',
          type: 'DOCUMENT',
          scrollBehavior: 'SCROLLS',
          children: f.pages.map((p) => ({
            id: p.id,
            name: p.name,
            type: 'CANVAS',
            scrollBehavior: 'SCROLLS',
            backgroundColor: { r: 0.96, g: 0.96, b: 0.96, a: 1 },
            ...(deep
              ? {
                  children: p.frames.map((id, i) => ({
                    id,
                    name: `Frame ${i + 1}`,
                    type: 'FRAME',
                    scrollBehavior: 'SCROLLS',
                  })),
                }
              : {}),
          })),
        },
        components: {},
        componentSets: {},
        schemaVersion: 0,
        styles: {},
      });
    }
    m = /^\/v1\/images\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const refused = needs(t.scopes, 'file_content:read');
      if (refused) return refused;
      const f = visibleFile(decodeURIComponent(m[1] as string));
      if (!f) return figmaError(404, 'Not found');
      return images(req, f);
    }
    return figmaError(404, 'Not found');
  };

  const server = await startFakeServer(handler, figmaError(500, 'Internal server error'));

  const addComment: FigmaFake['addComment'] = (fileKey, text, o = {}) => {
    const f = files.get(fileKey);
    if (!f) throw new Error(`no file ${fileKey}`);
    const by = o.by ?? colleague;
    const c: FakeComment = {
      id: nextId(),
      fileKey,
      fragments: o.mention ? [{ text }, { mention: o.mention.id }] : [{ text }],
      userId: by.id,
      parentId: o.parentId ?? null,
      created: Date.now(),
      resolved: null,
    };
    comments.push(c);
    if (!o.silent) {
      hooks.emit(teamOfFile(f), 'FILE_COMMENT', {
        comment: c.fragments,
        comment_id: c.id,
        created_at: new Date(c.created).toISOString(),
        file_key: f.key,
        file_name: f.name,
        mentions: o.mention ? [{ id: o.mention.id, handle: o.mention.handle }] : [],
        ...(c.parentId ? { parent_id: c.parentId } : {}),
        triggered_by: { id: by.id, handle: by.handle },
      });
    }
    return c.id;
  };

  return {
    ...server,
    ...hooks,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: pat }),
    meOnly: registerSecrets({ type: 'api_key', api_key: patMeOnly }),
    oauth: registerSecrets({ type: 'oauth2', access_token: oauthToken }),
    account: { id: me.id, name: me.email },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/oauth`,
    tokenUrl: `${server.url}/v1/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: () => refreshes,
    me,
    colleague,
    teams,
    projects,
    files,
    comments,
    addTeam: (name, o = {}) => {
      const id = nextId();
      teams.set(id, { id, name });
      if (o.visible === false) hidden.add(id);
      return id;
    },
    addProject: (teamId, name) => {
      const id = nextId();
      projects.set(id, { id, name, teamId });
      return id;
    },
    addFile: (projectId, name, o = {}) => {
      const key = newFileKey();
      const pageNames = o.pages ?? ['Cover', 'Designs'];
      files.set(key, {
        key,
        name,
        projectId,
        lastModified: Date.now() - (o.minutesAgo ?? 60) * 60_000,
        version: nextId(),
        pages: pageNames.map((n, i) => ({
          id: `${i}:${i + 1}`,
          name: n,
          frames: [`${i + 1}:${(i + 1) * 10}`],
        })),
      });
      return key;
    },
    addComment,
    updateFile: (key, name) => {
      const f = files.get(key);
      if (!f) throw new Error(`no file ${key}`);
      f.name = name;
      f.lastModified = Date.now();
      f.version = nextId();
      hooks.emit(teamOfFile(f), 'FILE_UPDATE', { file_key: f.key, file_name: f.name });
    },
    deleteFile: (key) => {
      const f = files.get(key);
      if (!f) throw new Error(`no file ${key}`);
      files.delete(key);
      for (let i = comments.length - 1; i >= 0; i--) if (comments[i]?.fileKey === key) comments.splice(i, 1);
      hooks.emit(teamOfFile(f), 'FILE_DELETE', {
        file_key: f.key,
        file_name: f.name,
        triggered_by: { id: me.id, handle: me.handle },
      });
    },
    failNext: (kind, retryAfterSeconds = 1) => {
      failures.push({ kind, wait: retryAfterSeconds });
    },
  };
};
