import { createHmac, randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import {
  basicClient,
  createGrants,
  errorPage,
  type OAuthFakeControls,
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
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * Notion's REST API at version 2022-06-28, as a fake: Bearer tokens (internal integration
 * secrets `ntn_…` and public integrations' OAuth tokens), the `Notion-Version` header
 * required on every call (400 `missing_version` without it), errors as
 * `{ object: "error", status, code, message }`, cursor pagination (`start_cursor`,
 * `next_cursor`, `has_more`, at most 100 a page), and `last_edited_time` written to the
 * minute, as Notion writes it.
 * - GET /v1/users/me — the integration's bot, with its workspace.
 * - POST /v1/search — pages and databases shared with the integration, `filter.value` page
 *   or database, `query` matched in titles, sorted by `last_edited_time` (descending unless
 *   asked), nothing in the trash.
 * - GET /v1/pages/{id}, POST /v1/pages (parent page or database; the title under its
 *   property id `title` or a database's title property name; children ≤ 100, rich text ≤
 *   2,000 characters), GET /v1/blocks/{id}/children.
 * - OAuth: GET /v1/oauth/authorize (`owner=user` required), POST /v1/oauth/token (HTTP
 *   Basic client, JSON body; the answer carries bot_id, workspace_id, workspace_name, owner,
 *   no expiry, no refresh token), POST /v1/oauth/revoke.
 * - Webhooks: `registerWebhook(url)` POSTs the unsigned `{ verification_token }` first, as
 *   Notion does when a subscription is created; once the test `verifyWebhook()`s (the
 *   operator pasting the token into Notion), changes are sent as events — `page.created`,
 *   `page.content_updated`, `page.properties_updated`, `page.deleted`, … with ids only —
 *   signed `X-Notion-Signature: sha256=<hex HMAC of the body with the token>`. A retry keeps
 *   the event `id` and counts `attempt_number` up, so it is signed anew.
 * Requests are counted against Notion's average of three a second but not refused for it;
 * `failNext('rate_limit')` answers Notion's 429 `rate_limited` with Retry-After.
 * https://developers.notion.com/reference/intro
 * https://developers.notion.com/reference/status-codes
 * https://developers.notion.com/reference/request-limits
 * https://developers.notion.com/docs/authorization
 * https://developers.notion.com/reference/webhooks
 */

type Json = Record<string, unknown>;
type RichText = Json & { plain_text: string };
type Parent = { type: 'workspace' } | { type: 'page_id'; id: string } | { type: 'database_id'; id: string };

type Page = {
  id: string;
  title: string;
  parent: Parent;
  created: number;
  edited: number;
  createdBy: string;
  blocks: Json[];
  inTrash: boolean;
};
type Database = {
  id: string;
  title: string;
  description: string;
  titleProperty: string;
  parent: Parent;
  created: number;
  edited: number;
  inTrash: boolean;
};

export type NotionFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  WebhookOutboxControls & {
    oauth: Credentials;
    workspaceId: string;
    /** The pages and databases the seed made (`Engineering` wiki, `Tasks` database…). */
    rootPageId: string;
    databaseId: string;
    /** Adds `n` pages (under the root page, or in the database), edited one minute apart up to now. */
    seedPages(n: number, o?: { inDatabase?: boolean; text?: string }): string[];
    /** The page as GET /v1/pages answers it; undefined when it never existed. */
    page(id: string): Json | undefined;
    /** The blocks of a page. */
    blocks(id: string): Json[];
    /** Ids of what search lists (shared, not in the trash). */
    listedPageIds(): string[];
    listedDatabaseIds(): string[];
    /** Edits a page's title (page.properties_updated) or text (page.content_updated): edited now. */
    editPage(id: string, change: { title?: string; text?: string }): void;
    /** Moves a page to the trash (page.deleted). */
    trashPage(id: string): void;
    /** The POST /v1/search bodies received, in order. */
    searches(): Json[];
    /** Registers a webhook subscription at `url`: Notion sends the verification token there. */
    registerWebhook(url: string): Promise<string>;
    /** The operator pasted the token into Notion: events flow from now on. */
    verifyWebhook(token: string): void;
    /**
     * The next API request (any endpoint but OAuth's) answers: `refuse` — 404
     * `object_not_found`; `down` — 503 `service_unavailable`; `rate_limit` — 429
     * `rate_limited` with Retry-After `retryAfterSeconds` (default 30).
     */
    failNext(kind: 'refuse' | 'down' | 'rate_limit', retryAfterSeconds?: number): void;
  };

/** The message of `failNext('refuse')`, as Notion words a page it cannot see. */
export const notionRefusal = 'Could not find page with ID';

const MINUTE = 60_000;
/** Notion writes edit times to the minute. */
const minuteOf = (t: number) => new Date(Math.floor(t / MINUTE) * MINUTE).toISOString();
const text = (content: string): RichText => ({
  type: 'text',
  text: { content, link: null },
  annotations: {
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
    code: false,
    color: 'default',
  },
  plain_text: content,
  href: null,
});
const err = (status: number, code: string, message: string): FakeReply =>
  reply(status, { object: 'error', status, code, message, request_id: randomUUID() });
const compact = (id: string) => id.replaceAll('-', '');
/** Notion accepts ids with or without dashes. */
const dashed = (id: string) => {
  const c = compact(id).toLowerCase();
  return /^[0-9a-f]{32}$/.test(c)
    ? `${c.slice(0, 8)}-${c.slice(8, 12)}-${c.slice(12, 16)}-${c.slice(16, 20)}-${c.slice(20)}`
    : id;
};
const paragraph = (content: string): Json => ({
  type: 'paragraph',
  paragraph: { rich_text: [text(content)], color: 'default' },
});

export const startNotionFake = async (): Promise<NotionFake> => {
  const workspaceId = randomUUID();
  const workspaceName = 'Acme HQ';
  const botId = randomUUID();
  const ownerId = randomUUID();
  const internal = sensitive(`ntn_${randomToken(46)}`);
  const grants = createGrants({
    clientId: randomUUID(),
    clientSecret: `secret_${randomToken(43)}`,
    redirectUris: undefined,
    codeTtlSeconds: 600,
    refreshTokens: false,
    refreshRevokesAccessToken: false,
    newCode: () => randomUUID(),
    newAccessToken: () => `ntn_${randomToken(46)}`,
  });
  const revoked = new Set<string>();

  const pages = new Map<string, Page>();
  const databases = new Map<string, Database>();
  const searches: Json[] = [];
  const now = Date.now();

  const parentJson = (p: Parent): Json =>
    p.type === 'workspace'
      ? { type: 'workspace', workspace: true }
      : p.type === 'page_id'
        ? { type: 'page_id', page_id: p.id }
        : { type: 'database_id', database_id: p.id };
  const urlOf = (title: string, id: string) =>
    `https://www.notion.so/${title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${compact(id)}`;

  const pageJson = (p: Page): Json => {
    const db = p.parent.type === 'database_id' ? databases.get(p.parent.id) : undefined;
    const titleName = db ? db.titleProperty : 'title';
    return {
      object: 'page',
      id: p.id,
      created_time: minuteOf(p.created),
      last_edited_time: minuteOf(p.edited),
      created_by: { object: 'user', id: p.createdBy },
      last_edited_by: { object: 'user', id: p.createdBy },
      cover: null,
      icon: null,
      parent: parentJson(p.parent),
      archived: p.inTrash,
      in_trash: p.inTrash,
      properties: {
        ...(db
          ? {
              Status: {
                id: 'Xyz1',
                type: 'status',
                status: { id: 'st1', name: 'Not started', color: 'default' },
              },
            }
          : {}),
        [titleName]: { id: 'title', type: 'title', title: [text(p.title)] },
      },
      url: urlOf(p.title, p.id),
      public_url: null,
    };
  };
  const databaseJson = (d: Database): Json => ({
    object: 'database',
    id: d.id,
    created_time: minuteOf(d.created),
    last_edited_time: minuteOf(d.edited),
    created_by: { object: 'user', id: ownerId },
    last_edited_by: { object: 'user', id: ownerId },
    cover: null,
    icon: null,
    title: [text(d.title)],
    description: d.description ? [text(d.description)] : [],
    is_inline: false,
    properties: {
      [d.titleProperty]: { id: 'title', name: d.titleProperty, type: 'title', title: {} },
      Status: { id: 'Xyz1', name: 'Status', type: 'status', status: { options: [] } },
    },
    parent: parentJson(d.parent),
    url: urlOf(d.title, d.id),
    public_url: null,
    archived: d.inTrash,
    in_trash: d.inTrash,
  });

  // The seed: a wiki root, a Tasks database under it, an archived database, a trashed page.
  const root: Page = {
    id: randomUUID(),
    title: 'Engineering',
    parent: { type: 'workspace' },
    created: now - 90 * MINUTE,
    edited: now - 80 * MINUTE,
    createdBy: ownerId,
    blocks: [
      {
        type: 'heading_1',
        heading_1: { rich_text: [text('Engineering handbook')], is_toggleable: false, color: 'default' },
      },
      paragraph('How we build, ship and run things.'),
      { type: 'child_database', child_database: { title: 'Tasks' } },
      { type: 'divider', divider: {} },
    ],
    inTrash: false,
  };
  pages.set(root.id, root);
  const tasks: Database = {
    id: randomUUID(),
    title: 'Tasks',
    description: 'What the team works on',
    titleProperty: 'Name',
    parent: { type: 'page_id', id: root.id },
    created: now - 85 * MINUTE,
    edited: now - 70 * MINUTE,
    inTrash: false,
  };
  databases.set(tasks.id, tasks);
  const old: Database = {
    id: randomUUID(),
    title: 'Old roadmap',
    description: '',
    titleProperty: 'Title',
    parent: { type: 'workspace' },
    created: now - 400 * MINUTE,
    edited: now - 300 * MINUTE,
    inTrash: true,
  };
  databases.set(old.id, old);
  const gone: Page = { ...root, id: randomUUID(), title: 'Scratch', inTrash: true, blocks: [] };
  pages.set(gone.id, gone);

  let seq = 0;
  const outbox = createWebhookOutbox({
    timeoutMs: 5000,
    redelivery: (d, attempt) => {
      const body = { ...(JSON.parse(d.body) as Json), attempt_number: attempt + 1 };
      return { ...d, ...signedRequest(d.url, body) };
    },
  });
  let hook: { url: string; token: string; verified: boolean } | undefined;
  const signedRequest = (url: string, body: Json) => {
    const raw = JSON.stringify(body);
    const signature = createHmac('sha256', hook?.token ?? '')
      .update(raw)
      .digest('hex');
    return {
      url,
      event: String(body.type),
      headers: { 'content-type': 'application/json', 'x-notion-signature': `sha256=${signature}` },
      body: raw,
    };
  };
  /** An event as Notion sends it: ids only. https://developers.notion.com/reference/webhooks-events-delivery */
  const emit = (type: string, entity: { id: string; type: 'page' | 'database' }, data: Json = {}) => {
    if (!hook?.verified) return;
    const body = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      workspace_id: workspaceId,
      workspace_name: workspaceName,
      subscription_id: randomUUID(),
      integration_id: botId,
      authors: [{ id: ownerId, type: 'person' }],
      attempt_number: 1,
      api_version: '2022-06-28',
      type,
      entity,
      data,
    };
    void outbox.send(signedRequest(hook.url, body));
  };

  const seedPages = (n: number, o: { inDatabase?: boolean; text?: string } = {}) => {
    const ids: string[] = [];
    const t = Date.now();
    for (let i = 0; i < n; i++) {
      seq += 1;
      const p: Page = {
        id: randomUUID(),
        title: o.inDatabase ? `Task ${seq}` : `Note ${seq}`,
        parent: o.inDatabase ? { type: 'database_id', id: tasks.id } : { type: 'page_id', id: root.id },
        created: t - (n - i + 5) * MINUTE,
        // One minute apart, the newest a few minutes ago (before any run a test makes).
        edited: t - (n - i + 2) * MINUTE,
        createdBy: ownerId,
        blocks:
          seq % 5 === 0
            ? [] // an empty page: no excerpt
            : [
                paragraph(o.text ?? `Body of ${seq}.`),
                {
                  type: 'bulleted_list_item',
                  bulleted_list_item: { rich_text: [text(`Point ${seq}`)], color: 'default' },
                },
                {
                  type: 'image',
                  image: { type: 'external', external: { url: 'https://example.com/a.png' } },
                },
              ],
        inTrash: false,
      };
      pages.set(p.id, p);
      ids.push(p.id);
    }
    return ids;
  };

  const listed = <T extends { inTrash: boolean; edited: number; id: string }>(items: Iterable<T>) =>
    [...items].filter((x) => !x.inTrash).sort((a, b) => b.edited - a.edited || a.id.localeCompare(b.id));

  // https://developers.notion.com/reference/post-search
  const search = (body: Json): FakeReply => {
    searches.push(body);
    const filter = body.filter as Json | undefined;
    if (filter && (filter.property !== 'object' || !['page', 'database'].includes(String(filter.value)))) {
      return err(
        400,
        'validation_error',
        'body failed validation: body.filter.value should be `"page"` or `"database"`.',
      );
    }
    const size = body.page_size === undefined ? 100 : Number(body.page_size);
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      return err(400, 'validation_error', 'body failed validation: body.page_size should be ≤ `100`.');
    }
    const sort = body.sort as Json | undefined;
    const q = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    let all: { id: string; edited: number; json: () => Json; title: string }[] = [
      ...(filter?.value === 'database'
        ? []
        : listed(pages.values()).map((p) => ({ ...p, json: () => pageJson(p) }))),
      ...(filter?.value === 'page'
        ? []
        : listed(databases.values()).map((d) => ({ ...d, json: () => databaseJson(d) }))),
    ];
    all = all.filter((x) => x.title.toLowerCase().includes(q));
    const dir = sort?.direction === 'ascending' ? -1 : 1;
    all.sort((a, b) => dir * (b.edited - a.edited) || a.id.localeCompare(b.id));
    let start = 0;
    if (body.start_cursor !== undefined) {
      start = all.findIndex((x) => x.id === body.start_cursor);
      if (start < 0)
        return err(
          400,
          'validation_error',
          'body failed validation: body.start_cursor should be a valid cursor.',
        );
    }
    const slice = all.slice(start, start + size);
    const next = all[start + size];
    return reply(200, {
      object: 'list',
      results: slice.map((x) => x.json()),
      next_cursor: next ? next.id : null,
      has_more: next !== undefined,
      type: 'page_or_database',
      page_or_database: {},
    });
  };

  const notFound = (what: 'page' | 'block' | 'database', id: string) =>
    err(
      404,
      'object_not_found',
      `${notionRefusal.replace('page', what)}: ${dashed(id)}. Make sure the relevant pages and databases are shared with your integration.`,
    );

  // https://developers.notion.com/reference/get-block-children
  const children = (id: string, query: URLSearchParams): FakeReply => {
    const p = pages.get(dashed(id));
    if (!p || p.inTrash) return notFound('block', id);
    const size = Number(query.get('page_size') ?? 100);
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      return err(400, 'validation_error', 'query failed validation: page_size should be ≤ `100`.');
    }
    const start = query.get('start_cursor') ? Number(query.get('start_cursor')) : 0;
    const blocks = p.blocks.map((b, i) => ({
      object: 'block',
      id: `${p.id.slice(0, 24)}${String(i).padStart(12, '0')}`,
      parent: { type: 'page_id', page_id: p.id },
      created_time: minuteOf(p.created),
      last_edited_time: minuteOf(p.edited),
      has_children: false,
      archived: false,
      in_trash: false,
      ...b,
    }));
    const slice = blocks.slice(start, start + size);
    const more = start + size < blocks.length;
    return reply(200, {
      object: 'list',
      results: slice,
      next_cursor: more ? String(start + size) : null,
      has_more: more,
      type: 'block',
      block: {},
    });
  };

  // https://developers.notion.com/reference/post-page
  const createPage = (raw: string): FakeReply => {
    let body: Json;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      return err(400, 'invalid_json', 'Error parsing JSON body.');
    }
    const parent = (body.parent ?? {}) as Json;
    let where: Exclude<Parent, { type: 'workspace' }>;
    let db: Database | undefined;
    if (typeof parent.page_id === 'string') {
      const p = pages.get(dashed(parent.page_id));
      if (!p || p.inTrash) return notFound('page', parent.page_id);
      where = { type: 'page_id', id: p.id };
    } else if (typeof parent.database_id === 'string') {
      db = databases.get(dashed(parent.database_id));
      if (!db || db.inTrash) return notFound('database', parent.database_id);
      where = { type: 'database_id', id: db.id };
    } else {
      return err(
        400,
        'validation_error',
        'body failed validation: body.parent should be defined, instead was `undefined`.',
      );
    }
    const props = (body.properties ?? {}) as Json;
    const titleProp = (props.title ?? (db ? props[db.titleProperty] : undefined)) as Json | undefined;
    const title = titleProp?.title;
    if (!Array.isArray(title)) {
      return err(400, 'validation_error', 'Title is not provided');
    }
    const kids = (body.children ?? []) as Json[];
    if (!Array.isArray(kids) || kids.length > 100) {
      return err(400, 'validation_error', 'body failed validation: body.children.length should be ≤ `100`.');
    }
    const contents = (rts: unknown): string[] =>
      (Array.isArray(rts) ? rts : []).map((r) =>
        String(((r as Json).text as Json | undefined)?.content ?? ''),
      );
    const tooLong = [title, ...kids.map((k) => (k[String(k.type)] as Json | undefined)?.rich_text ?? [])]
      .flatMap(contents)
      .some((c) => Array.from(c).length > 2000);
    if (tooLong) {
      return err(400, 'validation_error', 'body failed validation: text.content.length should be ≤ `2000`.');
    }
    const t = Date.now();
    const p: Page = {
      id: randomUUID(),
      title: contents(title).join(''),
      parent: where,
      created: t,
      edited: t,
      createdBy: botId,
      blocks: kids.map((k) => {
        const type = String(k.type);
        const c = (k[type] ?? {}) as Json;
        return { type, [type]: { ...c, rich_text: contents(c.rich_text).map(text), color: 'default' } };
      }),
      inTrash: false,
    };
    pages.set(p.id, p);
    emit(
      'page.created',
      { id: p.id, type: 'page' },
      {
        parent: {
          id: where.id,
          type: where.type === 'database_id' ? 'database' : 'page',
        },
      },
    );
    return reply(200, pageJson(p));
  };

  // https://developers.notion.com/docs/authorization
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    if (!grants.knowsClient(q.get('client_id'))) return reply(400, errorPage('Notion', 'Invalid client_id.'));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.redirectAllowed(redirectUri)) return reply(400, errorPage('Notion', 'Invalid redirect_uri.'));
    if (q.get('response_type') !== 'code' || q.get('owner') !== 'user') {
      return reply(400, errorPage('Notion', 'Missing or invalid owner or response_type.'));
    }
    const state = q.get('state');
    if (grants.takeDenial()) {
      return reply(302, undefined, { location: withQuery(redirectUri, { error: 'access_denied', state }) });
    }
    return reply(302, undefined, {
      location: withQuery(redirectUri, { code: grants.issueCode({ redirectUri, scopes: [] }), state }),
    });
  };

  // https://developers.notion.com/reference/create-a-token
  const token = (req: FakeRequest): FakeReply => {
    const client = basicClient(req.headers.authorization);
    if (!client || !grants.clientAuthenticates(client.id, client.secret)) {
      return err(401, 'invalid_client', 'Invalid client.');
    }
    if (!(req.headers['content-type'] ?? '').includes('application/json')) {
      return err(400, 'invalid_request', 'Request body must be JSON.');
    }
    const p = tokenParams(req);
    if (p.get('grant_type') !== 'authorization_code') {
      return err(400, 'unsupported_grant_type', 'Unsupported grant_type.');
    }
    const code = p.get('code');
    if (!code) return err(400, 'invalid_request', 'Missing code.');
    const issued = grants.redeemCode({
      code,
      clientId: client.id,
      redirectUri: p.get('redirect_uri') ?? undefined,
      codeVerifier: undefined,
    });
    if (!issued.ok) return err(400, 'invalid_grant', 'Invalid code.');
    return reply(200, {
      access_token: issued.tokens.accessToken,
      token_type: 'bearer',
      bot_id: botId,
      workspace_name: workspaceName,
      workspace_icon: null,
      workspace_id: workspaceId,
      owner: { type: 'user', user: { object: 'user', id: ownerId } },
      duplicated_template_id: null,
      request_id: randomUUID(),
    });
  };

  // https://developers.notion.com/reference/revoke-token
  const revoke = (req: FakeRequest): FakeReply => {
    const client = basicClient(req.headers.authorization);
    if (!client || !grants.clientAuthenticates(client.id, client.secret)) {
      return err(401, 'invalid_client', 'Invalid client.');
    }
    const t = tokenParams(req).get('token') ?? '';
    if (!grants.revokeGrant(t)) return err(400, 'invalid_grant', 'Invalid token.');
    revoked.add(t);
    return reply(200, { request_id: randomUUID() });
  };

  // Three requests a second on average, counted: Notion answers 429 past it, the fake only on failNext.
  let fault: { kind: 'refuse' | 'down' | 'rate_limit'; seconds: number } | undefined;
  const faulted = (f: NonNullable<typeof fault>): FakeReply => {
    if (f.kind === 'refuse') return notFound('page', randomUUID());
    if (f.kind === 'down')
      return err(503, 'service_unavailable', 'Notion is unavailable, please try again later.');
    return {
      ...err(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'),
      headers: { 'retry-after': String(f.seconds) },
    };
  };

  const oauthValid = (auth: string) => grants.accessState(auth)?.state === 'valid' && !revoked.has(auth);

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/v1/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/v1/oauth/token') return token(req);
      if (req.method === 'POST' && req.path === '/v1/oauth/revoke') return revoke(req);
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || (bearer !== internal && !oauthValid(bearer))) {
        return err(401, 'unauthorized', 'API token is invalid.');
      }
      const version = req.headers['notion-version'];
      if (!version) {
        return err(
          400,
          'missing_version',
          'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
        );
      }
      if (version !== '2022-06-28' && !/^20\d\d-\d\d-\d\d$/.test(version)) {
        return err(400, 'validation_error', `Provided Notion-Version ${version} is not a valid version.`);
      }
      if (fault) {
        const f = fault;
        fault = undefined;
        return faulted(f);
      }
      if (req.method === 'GET' && req.path === '/v1/users/me') {
        return reply(200, {
          object: 'user',
          id: botId,
          name: 'Acme Sync',
          avatar_url: null,
          type: 'bot',
          bot: {
            owner:
              bearer === internal
                ? { type: 'workspace', workspace: true }
                : { type: 'user', user: { object: 'user', id: ownerId } },
            workspace_id: workspaceId,
            workspace_name: workspaceName,
            workspace_limits: { max_file_upload_size_in_bytes: 5_368_709_120 },
          },
          request_id: randomUUID(),
        });
      }
      if (req.method === 'POST' && req.path === '/v1/search') {
        try {
          return search(req.body ? (JSON.parse(req.body) as Json) : {});
        } catch {
          return err(400, 'invalid_json', 'Error parsing JSON body.');
        }
      }
      if (req.method === 'POST' && req.path === '/v1/pages') return createPage(req.body);
      const pageMatch = /^\/v1\/pages\/([^/]+)$/.exec(req.path);
      if (req.method === 'GET' && pageMatch) {
        const p = pages.get(dashed(decodeURIComponent(pageMatch[1] as string)));
        return p ? reply(200, pageJson(p)) : notFound('page', pageMatch[1] as string);
      }
      const childrenMatch = /^\/v1\/blocks\/([^/]+)\/children$/.exec(req.path);
      if (req.method === 'GET' && childrenMatch)
        return children(decodeURIComponent(childrenMatch[1] as string), req.query);
      return err(400, 'invalid_request_url', 'Invalid request URL.');
    },
    err(503, 'service_unavailable', 'Notion is unavailable, please try again later.'),
  );

  // An OAuth token as a user's consent and the token endpoint would issue it.
  const consented = grants.issueCode({ redirectUri: grants.redirectUri, scopes: [] });
  const issued = grants.redeemCode({
    code: consented,
    clientId: grants.clientId,
    redirectUri: undefined,
    codeVerifier: undefined,
  });
  if (!issued.ok) throw new Error('the fake could not issue its own token');

  return {
    ...server,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: internal }),
    oauth: registerSecrets({ type: 'oauth2', access_token: issued.tokens.accessToken }),
    account: { id: workspaceId, name: workspaceName },
    workspaceId,
    rootPageId: root.id,
    databaseId: tasks.id,
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/v1/oauth/authorize`,
    tokenUrl: `${server.url}/v1/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    ...outbox.controls,
    seedPages,
    page: (id) => {
      const p = pages.get(dashed(id));
      return p ? pageJson(p) : undefined;
    },
    blocks: (id) => pages.get(dashed(id))?.blocks ?? [],
    listedPageIds: () => listed(pages.values()).map((p) => p.id),
    listedDatabaseIds: () => listed(databases.values()).map((d) => d.id),
    editPage: (id, change) => {
      const p = pages.get(dashed(id));
      if (!p) throw new Error(`no page ${id}`);
      if (change.title !== undefined) p.title = change.title;
      if (change.text !== undefined) p.blocks = [paragraph(change.text)];
      p.edited = Date.now();
      emit(
        change.text !== undefined ? 'page.content_updated' : 'page.properties_updated',
        { id: p.id, type: 'page' },
        change.title !== undefined ? { updated_properties: ['title'] } : { updated_blocks: [] },
      );
    },
    trashPage: (id) => {
      const p = pages.get(dashed(id));
      if (!p) throw new Error(`no page ${id}`);
      p.inTrash = true;
      p.edited = Date.now();
      emit('page.deleted', { id: p.id, type: 'page' });
    },
    searches: () => [...searches],
    registerWebhook: async (url) => {
      const verificationToken = `secret_${randomToken(43)}`;
      hook = { url, token: verificationToken, verified: false };
      // Unsigned: the receiver does not know the token yet.
      await outbox.send({
        url,
        event: 'verification',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verification_token: verificationToken }),
      });
      return verificationToken;
    },
    verifyWebhook: (t) => {
      if (!hook || hook.token !== t) throw new Error('Notion refuses a verification token it did not send');
      hook.verified = true;
    },
    failNext: (kind, retryAfterSeconds = 30) => {
      fault = { kind, seconds: retryAfterSeconds };
    },
  };
};
