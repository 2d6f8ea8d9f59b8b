import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { adfToWiki, type JiraHook, jiraDeliveryHeaders } from './jira-webhooks';
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
 * Jira Cloud, every way in, on one port:
 * - basic (email + API token) on the site: GET /rest/api/3/myself; a wrong token gets 401
 *   with an empty body and X-Seraph-LoginReason: AUTHENTICATED_FAILED, and after repeated
 *   failures Atlassian answers 403 with a CAPTCHA challenge in the headers;
 * - OAuth 2.0 (3LO): the consent screen (GET /authorize, auth.atlassian.com), the token
 *   endpoint (POST /oauth/token, JSON or form, errors as 401/403 `{ error,
 *   error_description }`, rotating single-use refresh tokens), then the API gateway
 *   (api.atlassian.com): GET /oauth/token/accessible-resources and
 *   /ex/jira/{cloudId}/rest/api/3/myself;
 * - the REST API v3, on the site (basic) and through the gateway (OAuth) alike: the
 *   enhanced JQL search (POST /search/jql, nextPageToken), the paginated project search
 *   (GET /project/search: startAt/maxResults/isLast/nextPage), an issue (GET /issue/{idOrKey}),
 *   creating one (POST /issue → 201 {id,key,self}), and its workflow transitions
 *   (GET/POST /issue/{idOrKey}/transitions → 204); errors as `{errorMessages, errors}`, rate
 *   limits as 429 with Retry-After, X-RateLimit-Reset (ISO, to the minute) and friends.
 * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 * https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens/
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */

export type JiraFake = ProviderFake<Credentials> &
  JiraDataControls &
  JiraWebhookControls & {
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

/** Fields of an issue a test can set (`updateIssue`); the rest follow from its seed number. */
export type JiraIssueFields = {
  summary?: string;
  /** Plain text (one paragraph a line) or an Atlassian Document Format document as is. */
  description?: string | Record<string, unknown> | null;
  /** A status name: To Do, Backlog (new), In Progress, In Review (indeterminate), Done, Cancelled (done). */
  status?: string;
  resolution?: string | null;
  /** The assignee's display name. */
  assignee?: string | null;
  labels?: string[];
  /** `yyyy-MM-dd` */
  duedate?: string | null;
  /** Task (default), Bug, Story or Epic. */
  issuetype?: string;
};

/**
 * Jira's webhooks: an admin webhook with a secret (`registerWebhook`), or an OAuth 2.0 app's
 * dynamic one (POST /rest/api/3/webhook through the gateway), gets what the data controls and
 * the REST writes change — `jira:issue_created|updated|deleted` (v2 representations: the
 * description as wiki markup, a changelog on updates), `comment_created`, `project_*` — as
 * Jira posts it.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */
export type JiraWebhookControls = WebhookOutboxControls & {
  /**
   * An admin webhook signed with `secret` (which joins the leak watch), for `events` (default:
   * the issue, comment and project events) of the issues `jqlFilter` selects (default: all).
   */
  registerWebhook(url: string, secret: string, options?: { events?: string[]; jqlFilter?: string }): number;
  /** Comments on an issue (it moves the issue's `updated`); returns the comment's id. */
  addComment(issueId: string, text: string): string;
};

/** Fields of a project a test can set (`createProject`, `updateProject`). */
export type JiraProjectFields = {
  name?: string;
  description?: string;
  /** Archived projects are listed only when the search asks for `status=archived`. */
  archived?: boolean;
  /** The project category's name, or null for none. */
  category?: string | null;
};

/** What the next API request (any endpoint) answers instead: see `failNext`. */
export type JiraFault = 'refuse' | 'down' | 'rate_limit';

/** The dataset behind the enhanced JQL search, and the switches a sync test or benchmark needs. */
export type JiraDataControls = {
  /** The time zone of the fake's user, in which JQL dates are read and timestamps written. */
  userTimeZone: string;
  /**
   * Adds `n` issues to `project` (a key; created on first use; default ACME). Deterministic
   * ids (`10001`, …) and keys (`ACME-1`, …), updated one minute apart, increasing, the batch
   * ending about now (JQL compares to the minute). Returns the ids (what `jira_issue_<id>` holds).
   */
  seedIssues(n: number, options?: { project?: string }): string[];
  /** Ids of the live issues, of one project or all, in creation order. */
  issueIds(project?: string): string[];
  /** An issue with every field, as the search answers it; undefined once deleted. */
  issue(id: string): Record<string, unknown> | undefined;
  /** Changes an issue and bumps `updated` (a minute after every earlier change, or now). */
  updateIssue(id: string, fields: JiraIssueFields): void;
  /** Deletes an issue: gone from search (Jira reports deletions by webhook only). */
  deleteIssue(id: string): void;
  /**
   * Adds `n` projects with generated keys (`PAA`, `PAB`, …, after any earlier ones), each
   * with a description and every third one in a category. Returns their ids (what
   * `jira_project_<id>` holds), in key order.
   */
  seedProjects(n: number, options?: { archived?: boolean }): string[];
  /** Adds a project with this key (upper case), returns its id. */
  createProject(key: string, fields?: JiraProjectFields): string;
  updateProject(key: string, fields: JiraProjectFields): void;
  /** Moves a project to the trash: gone from the project search and from JQL. */
  deleteProject(key: string): void;
  /** A project as the project search answers it (every expansion); undefined once deleted. */
  project(idOrKey: string): Record<string, unknown> | undefined;
  /** Ids of the live and archived projects, in key order (as `orderBy=key` lists them). */
  projectIds(options?: { archived?: boolean }): string[];
  /** The id of the issue with this key, if it exists. */
  issueIdOf(key: string): string | undefined;
  /** The next `n` searches answer 429 with Retry-After and X-RateLimit-Reset. */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  /** The next `n` searches answer `status` (default 503) with Atlassian's HTML page. */
  failNext(n: number, status?: number): void;
  /**
   * The next API request, whatever its endpoint (or the next one `match` describes),
   * answers: `refuse` — 403 with Jira's error body (`refusalMessage`); `down` — 503 with
   * Atlassian's HTML page; `rate_limit` — 429 with Retry-After (default 30 s) and the
   * X-RateLimit-* headers.
   */
  failNext(kind: JiraFault, retryAfterSeconds?: number, match?: { method?: string; path?: RegExp }): void;
  /** The message a `refuse` answer carries. */
  refusalMessage: string;
  /** Searches received (POST …/rest/api/3/search/jql), answered or not. */
  listCalls(): number;
  /** The JQL of each search received, in order. */
  searchedJql(): string[];
  /** The query of each authenticated project search, in order. */
  projectQueries(): URLSearchParams[];
  /**
   * Adds a board (Jira Software) on `project` (default ACME): `scrum` by default; a `kanban`
   * board has no sprints (GET …/sprint answers 400). Returns its id.
   */
  createBoard(name: string, options?: { type?: 'scrum' | 'kanban' | 'simple'; project?: string }): number;
  /**
   * Adds `n` sprints to a board, oldest first: all closed but the last two (active, then
   * future) unless `state` says; two weeks each. With a hook listening, `sprint_created`.
   * Returns their ids.
   */
  seedSprints(boardId: number, n: number, options?: { state?: JiraSprintState }): number[];
  /**
   * Changes a sprint: `sprint_started` when it goes from future to active, `sprint_closed`
   * from active to closed (with its completeDate), `sprint_updated` otherwise.
   */
  updateSprint(id: number, fields: { name?: string; goal?: string; state?: JiraSprintState }): void;
  /** Deletes a sprint (`sprint_deleted`). */
  deleteSprint(id: number): void;
  /** Shows a sprint on another board too, as boards whose filters share its issues do. */
  showSprintOn(id: number, boardId: number): void;
  /** A sprint as the Agile API answers it; undefined once deleted. */
  sprint(id: number): Record<string, unknown> | undefined;
  /** The names of the boards, by id. */
  boardName(id: number): string | undefined;
};

export type JiraSprintState = 'future' | 'active' | 'closed';
type JiraBoard = { id: number; name: string; type: 'scrum' | 'kanban' | 'simple'; project: string };
type JiraSprint = {
  id: number;
  name: string;
  state: JiraSprintState;
  goal: string;
  start: number;
  end: number;
  complete: number | undefined;
  created: number;
  origin: number;
  alsoOn: number[];
  deleted: boolean;
};

type JiraProject = {
  id: string;
  key: string;
  name: string;
  /** The next issue number. */
  next: number;
  description: string;
  archived: number | undefined;
  category: string | null;
  deleted: boolean;
};
/** Compact: everything else follows from `seq` unless `fields` overrides it. */
type JiraItem = {
  id: number;
  key: string;
  project: JiraProject;
  seq: number;
  created: number;
  updated: number;
  deleted: boolean;
  fields: JiraIssueFields | undefined;
};

const statusCategories = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;
const statuses: Record<string, { id: string; category: keyof typeof statusCategories }> = {
  'To Do': { id: '10000', category: 'new' },
  Backlog: { id: '10003', category: 'new' },
  'In Progress': { id: '3', category: 'indeterminate' },
  'In Review': { id: '10004', category: 'indeterminate' },
  Done: { id: '10001', category: 'done' },
  Cancelled: { id: '10005', category: 'done' },
};
const resolutions: Record<string, string> = { Done: '10000', "Won't Do": '10001', Duplicate: '10002' };
const issueTypes: Record<string, string> = { Epic: '10000', Story: '10001', Task: '10002', Bug: '10004' };

/**
 * The workflow every issue walks (each issue in its own status): a transition is offered
 * from the statuses in `from`, leads to `to`, and sets the resolution (null clears it).
 * Ids are per workflow, as Jira's are.
 */
const workflow: { id: string; name: string; from: string[]; to: string; resolution: string | null }[] = [
  { id: '11', name: 'Stop Progress', from: ['In Progress', 'In Review'], to: 'To Do', resolution: null },
  { id: '21', name: 'Start Progress', from: ['To Do', 'Backlog'], to: 'In Progress', resolution: null },
  { id: '31', name: 'Resolve', from: ['To Do', 'In Progress', 'In Review'], to: 'Done', resolution: 'Done' },
  {
    id: '41',
    name: 'Cancel',
    from: ['To Do', 'Backlog', 'In Progress'],
    to: 'Cancelled',
    resolution: "Won't Do",
  },
  { id: '51', name: 'Request Review', from: ['In Progress'], to: 'In Review', resolution: null },
  { id: '61', name: 'Reopen', from: ['Done', 'Cancelled'], to: 'To Do', resolution: null },
  { id: '71', name: 'Move to Backlog', from: ['To Do'], to: 'Backlog', resolution: null },
];

/** A paragraph per line, as Jira stores plain text. */
const adfOf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: text.split('\n').map((line) => ({
    type: 'paragraph',
    content: line === '' ? [] : [{ type: 'text', text: line }],
  })),
});

const seededJiraFields = (seq: number, key: string): Required<JiraIssueFields> => {
  const state = seq % 4;
  return {
    summary: `Issue ${seq}`,
    description:
      seq % 5 === 0
        ? null
        : seq % 3 === 0
          ? {
              type: 'doc',
              version: 1,
              content: [
                { type: 'paragraph', content: [{ type: 'text', text: `Description of ${key}.` }] },
                {
                  type: 'paragraph',
                  content: [
                    { type: 'text', text: 'Ask ' },
                    { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Mia Krystof' } },
                    { type: 'hardBreak' },
                    { type: 'text', text: 'Thanks', marks: [{ type: 'strong' }] },
                  ],
                },
              ],
            }
          : adfOf(`Description of ${key}.`),
    status: state === 0 ? 'To Do' : state === 1 ? 'In Progress' : 'Done',
    resolution: state === 2 ? 'Done' : state === 3 ? "Won't Do" : null,
    assignee: seq % 3 === 0 ? null : 'Mia Krystof',
    labels: seq % 2 === 0 ? ['backend'] : [],
    duedate: seq % 4 === 1 ? '2025-07-15' : null,
    issuetype: seq % 7 === 0 ? 'Bug' : 'Task',
  };
};

/**
 * A tiny JQL: `field op value` clauses joined by AND and OR (AND binds tighter), grouped
 * with parentheses, then ORDER BY.
 */
type JqlToken = { kind: 'string' | 'op' | 'word'; value: string };
type JqlClause = { field: string; op: string; values: string[] };
type JqlExpr = { clause: JqlClause } | { and: JqlExpr[] } | { or: JqlExpr[] };
type JqlQuery = { where: JqlExpr | undefined; order: { field: string; desc: boolean }[] };

class JqlError extends Error {}

const tokenizeJql = (jql: string): JqlToken[] => {
  const re = /\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|(>=|<=|!=|!~|[=<>~(),])|([^\s"'=<>!~(),]+))/y;
  const tokens: JqlToken[] = [];
  while (re.lastIndex < jql.length) {
    const at = re.lastIndex;
    const m = re.exec(jql);
    if (!m) {
      if (jql.slice(at).trim() === '') break;
      throw new JqlError(`Error in the JQL Query: The character '${jql[at]}' is a reserved JQL character.`);
    }
    const quoted = m[1] ?? m[2];
    if (quoted !== undefined) tokens.push({ kind: 'string', value: quoted.replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'op', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'word', value: m[4] });
  }
  return tokens;
};

const parseJql = (jql: string): JqlQuery => {
  const tokens = tokenizeJql(jql);
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (t: JqlToken | undefined, w: string) => t?.kind === 'word' && t.value.toLowerCase() === w;
  const isOp = (t: JqlToken | undefined, o: string) => t?.kind === 'op' && t.value === o;
  const next = (what: string): JqlToken => {
    const t = tokens[i++];
    if (!t) throw new JqlError(`Error in the JQL Query: Expecting ${what} but reached the end of the query.`);
    return t;
  };
  const value = (): string => {
    const t = next('a value');
    if (t.kind === 'op')
      throw new JqlError(`Error in the JQL Query: Expecting a value but got '${t.value}'.`);
    return t.value;
  };
  const clause = (): JqlClause => {
    const field = value().toLowerCase();
    let op = next('an operator').value.toLowerCase();
    if (op === 'not') op = `not ${next("'in'").value.toLowerCase()}`;
    const values: string[] = [];
    if (op === 'in' || op === 'not in') {
      if (!isOp(next("'('"), '(')) throw new JqlError(`Error in the JQL Query: Expecting '(' after '${op}'.`);
      for (;;) {
        values.push(value());
        const t = next("')'");
        if (t.value === ')') break;
        if (t.value !== ',')
          throw new JqlError(`Error in the JQL Query: Expecting ',' or ')' but got '${t.value}'.`);
      }
    } else {
      if (!['=', '!=', '>', '>=', '<', '<='].includes(op)) {
        throw new JqlError(`Error in the JQL Query: The operator '${op}' is not supported by this fake.`);
      }
      values.push(value());
    }
    return { field, op, values };
  };
  const primary = (): JqlExpr => {
    if (!isOp(peek(), '(')) return { clause: clause() };
    i++;
    const inner = or();
    if (!isOp(next("')'"), ')')) throw new JqlError("Error in the JQL Query: Expecting ')'.");
    return inner;
  };
  const and = (): JqlExpr => {
    const parts = [primary()];
    while (isWord(peek(), 'and')) {
      i++;
      parts.push(primary());
    }
    return parts.length === 1 ? (parts[0] as JqlExpr) : { and: parts };
  };
  const or = (): JqlExpr => {
    const parts = [and()];
    while (isWord(peek(), 'or')) {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as JqlExpr) : { or: parts };
  };
  const query: JqlQuery = { where: undefined, order: [] };
  if (i < tokens.length && !isWord(peek(), 'order')) query.where = or();
  if (i < tokens.length) {
    if (!isWord(next("'order'"), 'order'))
      throw new JqlError(
        `Error in the JQL Query: Expecting 'AND', 'OR' or 'ORDER BY' but got '${tokens[i - 1]?.value}'.`,
      );
    if (!isWord(next("'by'"), 'by'))
      throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    for (;;) {
      const field = value().toLowerCase();
      let desc = false;
      if (isWord(peek(), 'asc') || isWord(peek(), 'desc'))
        desc = next('a direction').value.toLowerCase() === 'desc';
      query.order.push({ field, desc });
      if (peek()?.value !== ',') break;
      i++;
    }
    if (i < tokens.length)
      throw new JqlError('Error in the JQL Query: Expecting end of query after ORDER BY.');
  }
  return query;
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

  // ---- The dataset behind the enhanced JQL search ----
  const userTimeZone = me.timeZone;
  const projects = new Map<string, JiraProject>();
  const items: JiraItem[] = [];
  const itemsById = new Map<number, JiraItem>();
  let seq = 0;
  /** The last timestamp handed out (ms, whole minutes): never goes back. */
  let clock = 0;
  let version = 0;
  let searches = 0;
  const jqlLog: string[] = [];
  const projectLog: URLSearchParams[] = [];
  let limitNext: { n: number; secs: number } | undefined;
  let failures: { n: number; status: number } | undefined;
  let fault: { kind: JiraFault; secs: number; match: { method?: string; path?: RegExp } } | undefined;
  const refusalMessage = 'You do not have permission to perform this operation.';

  const MINUTE = 60_000;
  const nowMinute = () => Math.floor(Date.now() / MINUTE) * MINUTE;
  const stamps = (count: number): number => {
    const start = Math.max(clock + MINUTE, nowMinute() - (count - 1) * MINUTE);
    clock = start + (count - 1) * MINUTE;
    return start;
  };
  const ensureProject = (key: string): JiraProject => {
    const upper = key.toUpperCase();
    const found = projects.get(upper);
    if (found) return found;
    const p: JiraProject = {
      id: String(10000 + projects.size),
      key: upper,
      name: `${upper} project`,
      next: 1,
      description: `Issues of the ${upper} team.`,
      archived: undefined,
      category: null,
      deleted: false,
    };
    projects.set(upper, p);
    version++;
    return p;
  };
  ensureProject('ACME');
  /** A project by key or id, unless it is in the trash. */
  const liveProject = (idOrKey: string): JiraProject | undefined => {
    const p = projects.get(idOrKey.toUpperCase()) ?? [...projects.values()].find((x) => x.id === idOrKey);
    return p && !p.deleted ? p : undefined;
  };
  const setProject = (p: JiraProject, fields: JiraProjectFields) => {
    if (fields.name !== undefined) p.name = fields.name;
    if (fields.description !== undefined) p.description = fields.description;
    if (fields.category !== undefined) p.category = fields.category;
    if (fields.archived !== undefined) p.archived = fields.archived ? (p.archived ?? Date.now()) : undefined;
    version++;
  };
  /** Project keys as `orderBy=key` sorts them: upper-case ASCII. */
  const byKey = (a: JiraProject, b: JiraProject) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  let seededProjects = 0;
  const projectKeyOf = (n: number): string => {
    const letters = (k: number): string =>
      (k >= 26 ? letters(Math.floor(k / 26) - 1) : '') + String.fromCharCode(65 + (k % 26));
    return `P${letters(26 + n)}`;
  };

  // Accounts an issue can be assigned to (accountId → display name).
  const accounts = new Map<string, string>([
    [me.accountId, me.displayName],
    ['712020:6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', 'Sam Okafor'],
  ]);
  const accountIdOf = (name: string): string =>
    [...accounts].find(([, n]) => n === name)?.[0] ?? `acct-${name.length}`;

  // Times as Jira writes them: in the user's zone, offset without a colon (+0200).
  const zoneFormat = new Intl.DateTimeFormat('en-US', {
    timeZone: userTimeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const offsetMinutes = (ms: number): number => {
    const p = Object.fromEntries(
      zoneFormat.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]),
    );
    const asUtc = Date.UTC(
      p.year ?? 0,
      (p.month ?? 1) - 1,
      p.day ?? 1,
      p.hour ?? 0,
      p.minute ?? 0,
      p.second ?? 0,
    );
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
  };
  const jiraTime = (ms: number): string => {
    const off = offsetMinutes(ms);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
    return `${new Date(ms + off * MINUTE).toISOString().slice(0, 23)}${sign}${hhmm}`;
  };
  /** A wall-clock time in the user's zone, as an instant. */
  const fromLocal = (y: number, mo: number, d: number, h: number, mi: number): number => {
    const guess = Date.UTC(y, mo - 1, d, h, mi);
    const first = guess - offsetMinutes(guess) * MINUTE;
    return guess - offsetMinutes(first) * MINUTE;
  };
  /** https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated */
  const jqlInstant = (field: string, v: string): number => {
    const abs = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?: (\d{1,2}):(\d{2}))?$/.exec(v.trim());
    if (abs) {
      const [, y, mo, d, h, mi] = abs.map(Number) as number[];
      return fromLocal(
        y ?? 0,
        mo ?? 1,
        d ?? 1,
        Number.isNaN(h) ? 0 : (h ?? 0),
        Number.isNaN(mi) ? 0 : (mi ?? 0),
      );
    }
    const rel = /^([+-]?)(\d+)([mhdw])$/.exec(v.trim());
    if (rel) {
      const unit = { m: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE, w: 10080 * MINUTE }[
        rel[3] as 'm' | 'h' | 'd' | 'w'
      ];
      return Date.now() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
    }
    throw new JqlError(
      `Date value '${v}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  };

  const fieldsOf = (i: JiraItem): Required<JiraIssueFields> => ({
    ...seededJiraFields(i.seq, i.key),
    ...i.fields,
  });

  /** An issue as the API answers it, every field; `apiBase` is the site or the gateway path. */
  const issueJson = (i: JiraItem, apiBase: string, wanted: ((field: string) => boolean) | undefined) => {
    const f = fieldsOf(i);
    const status = statuses[f.status] ?? { id: '10099', category: 'indeterminate' as const };
    const category = statusCategories[status.category];
    const avatar = 'https://secure.gravatar.com/avatar/mk.png';
    const all: Record<string, unknown> = {
      summary: f.summary,
      description: typeof f.description === 'string' ? adfOf(f.description) : f.description,
      status: {
        self: `${apiBase}/rest/api/3/status/${status.id}`,
        description: '',
        iconUrl: `https://${site}/images/icons/statuses/generic.png`,
        name: f.status,
        id: status.id,
        statusCategory: { self: `${apiBase}/rest/api/3/statuscategory/${category.id}`, ...category },
      },
      resolution: f.resolution
        ? {
            self: `${apiBase}/rest/api/3/resolution/${resolutions[f.resolution] ?? '10099'}`,
            id: resolutions[f.resolution] ?? '10099',
            description: '',
            name: f.resolution,
          }
        : null,
      assignee: f.assignee
        ? {
            self: `${apiBase}/rest/api/3/user?accountId=${accountIdOf(f.assignee)}`,
            accountId: accountIdOf(f.assignee),
            avatarUrls: { '48x48': avatar },
            displayName: f.assignee,
            active: true,
            timeZone: userTimeZone,
            accountType: 'atlassian',
          }
        : null,
      labels: f.labels,
      duedate: f.duedate,
      project: {
        self: `${apiBase}/rest/api/3/project/${i.project.id}`,
        id: i.project.id,
        key: i.project.key,
        name: i.project.name,
        projectTypeKey: 'software',
        simplified: false,
        avatarUrls: { '48x48': avatar },
      },
      issuetype: {
        self: `${apiBase}/rest/api/3/issuetype/${issueTypes[f.issuetype] ?? '10002'}`,
        id: issueTypes[f.issuetype] ?? '10002',
        name: f.issuetype,
        subtask: false,
        hierarchyLevel: f.issuetype === 'Epic' ? 1 : 0,
      },
      priority: { id: '3', name: 'Medium' },
      created: jiraTime(i.created),
      updated: jiraTime(i.updated),
    };
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: String(i.id),
      self: `${apiBase}/rest/api/3/issue/${i.id}`,
      key: i.key,
      fields: wanted ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted(k))) : all,
    };
  };

  /**
   * A project as the project search answers it; `expand` adds description, lead, url and
   * insight. Archived ones carry `archived`, `archivedDate` and `archivedBy`.
   * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
   */
  const projectJson = (p: JiraProject, apiBase: string, expand: Set<string>) => {
    const avatar = (size: string) =>
      `${apiBase}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=${size}`;
    const user = {
      self: `${apiBase}/rest/api/3/user?accountId=${me.accountId}`,
      accountId: me.accountId,
      accountType: 'atlassian',
      avatarUrls: { '48x48': 'https://secure.gravatar.com/avatar/mk.png' },
      displayName: me.displayName,
      active: true,
    };
    const live = items.filter((i) => i.project === p && !i.deleted);
    return {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      self: `${apiBase}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      ...(expand.has('description') ? { description: p.description } : {}),
      ...(expand.has('lead') ? { lead: user } : {}),
      name: p.name,
      avatarUrls: { '48x48': avatar('large'), '24x24': avatar('small'), '16x16': avatar('xsmall') },
      ...(p.category
        ? {
            projectCategory: {
              self: `${apiBase}/rest/api/3/projectCategory/10000`,
              id: '10000',
              name: p.category,
              description: '',
            },
          }
        : {}),
      projectTypeKey: 'software',
      simplified: false,
      style: 'classic',
      isPrivate: false,
      properties: {},
      entityId: `9d8c7b6a-0000-4000-8000-${p.id.padStart(12, '0')}`,
      uuid: `9d8c7b6a-0000-4000-8000-${p.id.padStart(12, '0')}`,
      ...(expand.has('url') ? { url: `https://${site}/wiki/spaces/${p.key}` } : {}),
      ...(expand.has('insight')
        ? {
            insight: {
              totalIssueCount: live.length,
              ...(live.length > 0
                ? { lastIssueUpdateTime: jiraTime(Math.max(...live.map((i) => i.updated))) }
                : {}),
            },
          }
        : {}),
      ...(p.archived !== undefined
        ? { archived: true, archivedDate: jiraTime(p.archived), archivedBy: user }
        : {}),
    };
  };

  const liveItem = (id: string): JiraItem => {
    const i = itemsById.get(Number(id));
    if (!i || i.deleted) throw new Error(`The Jira fake has no issue ${id}`);
    return i;
  };

  // ---- Webhooks: the changes below, as Jira posts them ----
  const hooks: JiraHook<JiraItem>[] = [];
  // A retry: the same identifier, `X-Atlassian-Webhook-Retry: n`.
  const outbox = createWebhookOutbox({
    redelivery: (d, attempt) => ({
      ...d,
      headers: { ...d.headers, 'x-atlassian-webhook-retry': String(attempt) },
    }),
  });
  const ISSUE_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'];
  const DEFAULT_EVENTS = [
    ...ISSUE_EVENTS,
    'comment_created',
    'comment_updated',
    'comment_deleted',
    'project_created',
    'project_updated',
    'project_archived',
    'project_restored_archived',
    'project_soft_deleted',
    'project_restored_deleted',
    'project_deleted',
    'sprint_created',
    'sprint_updated',
    'sprint_started',
    'sprint_closed',
    'sprint_deleted',
  ];
  let commentSeq = 0;
  /** The site's links in v2, as webhook payloads carry them. */
  const v2 = <T>(json: T): T =>
    JSON.parse(JSON.stringify(json).replaceAll('/rest/api/3/', '/rest/api/2/')) as T;
  const actor = () => v2({ ...me, avatarUrls: { '48x48': 'https://secure.gravatar.com/avatar/mk.png' } });
  const issueV2 = (i: JiraItem) => {
    const json = v2(issueJson(i, `https://${site}`, undefined));
    const fields: Record<string, unknown> = {
      ...json.fields,
      description: adfToWiki(json.fields.description),
    };
    return { ...json, fields };
  };
  /** Posts an event to every hook that takes it (and, for issue events, whose JQL selects the issue). */
  const emit = (webhookEvent: string, payload: Record<string, unknown>, issue?: JiraItem) => {
    for (const hook of hooks) {
      if (!hook.events.includes(webhookEvent)) continue;
      if (issue && hook.matches && !hook.matches(issue)) continue;
      const body = JSON.stringify({
        timestamp: Date.now(),
        webhookEvent,
        ...payload,
        ...(hook.kind === 'dynamic' ? { matchedWebhookIds: [hook.id] } : {}),
      });
      void outbox.send({
        url: hook.url,
        event: webhookEvent,
        body,
        headers: jiraDeliveryHeaders(hook, body, oauthClient),
      });
    }
  };
  type Snapshot = Required<JiraIssueFields>;
  const issueEvent = (
    i: JiraItem,
    webhookEvent: string,
    type: string,
    extra: { was?: Snapshot; comment?: Record<string, unknown> } = {},
  ) => {
    if (hooks.length === 0) return;
    const now = fieldsOf(i);
    const { was } = extra;
    const items = was
      ? (Object.keys(now) as (keyof Snapshot)[])
          .filter((k) => JSON.stringify(now[k]) !== JSON.stringify(was[k]))
          .map((k) => ({
            field: k,
            fieldtype: 'jira',
            fieldId: k,
            from: null,
            fromString: k === 'description' ? adfToWiki(was[k]) : (was[k] as unknown),
            to: null,
            toString: k === 'description' ? adfToWiki(now[k]) : (now[k] as unknown),
          }))
      : [];
    emit(
      webhookEvent,
      {
        issue_event_type_name: type,
        user: actor(),
        issue: issueV2(i),
        ...(was ? { changelog: { id: String(10000 + version), items } } : {}),
        ...(extra.comment ? { comment: extra.comment } : {}),
      },
      i,
    );
  };
  const projectEvent = (p: JiraProject, webhookEvent: string) =>
    emit(webhookEvent, {
      project: {
        self: `https://${site}/rest/api/2/project/${p.id}`,
        id: Number(p.id),
        key: p.key,
        name: p.name,
        avatarUrls: { '48x48': `https://${site}/rest/api/2/universal_avatar/view/type/project/avatar/10400` },
        projectLead: actor(),
        assigneeType: 'UNASSIGNED',
      },
    });
  /** Changes an issue as a user edit or a transition does, and says so. */
  const changeIssue = (i: JiraItem, fields: JiraIssueFields) => {
    const was = fieldsOf(i);
    i.fields = { ...i.fields, ...fields };
    i.updated = Math.max(clock + MINUTE, nowMinute());
    clock = i.updated;
    version++;
    issueEvent(i, 'jira:issue_updated', 'status' in fields ? 'issue_generic' : 'issue_updated', { was });
  };
  const compileJql = (jql: string): ((i: JiraItem) => boolean) | undefined => {
    const where = parseJql(jql).where;
    return where ? compile(where) : undefined;
  };
  const addHook = (hook: Omit<JiraHook<JiraItem>, 'id'>): number => {
    const id = hooks.length + 1;
    hooks.push({ ...hook, id });
    return id;
  };
  const webhookControls: JiraWebhookControls = {
    registerWebhook: (url, secret, o = {}) =>
      addHook({
        url,
        kind: 'admin',
        secret: sensitive(secret),
        events: o.events ?? DEFAULT_EVENTS,
        matches: o.jqlFilter ? compileJql(o.jqlFilter) : undefined,
      }),
    ...outbox.controls,
    addComment: (issueId, text) => {
      const i = liveItem(issueId);
      const id = String(10100 + ++commentSeq);
      i.updated = Math.max(clock + MINUTE, nowMinute());
      clock = i.updated;
      version++;
      const at = jiraTime(i.updated);
      const comment = {
        self: `https://${site}/rest/api/2/issue/${i.id}/comment/${id}`,
        id,
        author: actor(),
        body: text,
        updateAuthor: actor(),
        created: at,
        updated: at,
        jsdPublic: true,
      };
      // The comment event carries a few of the issue's fields only.
      const { fields } = issueV2(i);
      emit(
        'comment_created',
        {
          comment,
          issue: {
            id: String(i.id),
            self: `https://${site}/rest/api/2/issue/${i.id}`,
            key: i.key,
            fields: {
              summary: fields.summary,
              issuetype: fields.issuetype,
              project: fields.project,
              assignee: fields.assignee,
              priority: fields.priority,
              status: fields.status,
            },
          },
        },
        i,
      );
      issueEvent(i, 'jira:issue_updated', 'issue_commented', { comment });
      return id;
    },
  };

  /**
   * POST /rest/api/3/webhook: an OAuth 2.0 (or Connect) app registers its webhooks, each with
   * events and a JQL filter; a user's API token may not.
   * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-post
   */
  const registerDynamic = (req: FakeRequest, gateway: boolean): FakeReply => {
    if (!gateway) return jiraError(403, ['Only Connect and OAuth 2.0 apps can use this operation.']);
    const body = z
      .object({
        url: z.string(),
        webhooks: z.array(z.object({ events: z.array(z.string()), jqlFilter: z.optional(z.string()) })),
      })
      .safeParse(
        (() => {
          try {
            return JSON.parse(req.body) as unknown;
          } catch {
            return undefined;
          }
        })(),
      );
    if (!body.success)
      return jiraError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
    const results = body.data.webhooks.map((w) => {
      const errors: string[] = [];
      if (w.events.length === 0) errors.push('At least one event must be specified.');
      const unknown = w.events.find((e) => !DEFAULT_EVENTS.includes(e));
      if (unknown !== undefined) errors.push(`Event '${unknown}' is not supported.`);
      if (!w.jqlFilter) errors.push('The JQL filter is required.');
      let matches: ((i: JiraItem) => boolean) | undefined;
      try {
        matches = w.jqlFilter ? compileJql(w.jqlFilter) : undefined;
      } catch (e) {
        errors.push(e instanceof JqlError ? e.message : String(e));
      }
      if (errors.length > 0) return { errors };
      const createdWebhookId = addHook({
        url: body.data.url,
        kind: 'dynamic',
        secret: oauthClient.clientSecret,
        events: w.events,
        matches,
      });
      return { createdWebhookId };
    });
    return reply(200, { webhookRegistrationResult: results });
  };

  const liveSprint = (id: number): JiraSprint => {
    const x = sprints.get(id);
    if (!x || x.deleted) throw new Error(`The Jira fake has no sprint ${id}`);
    return x;
  };
  const dataControls: JiraDataControls = {
    createBoard: (name, o = {}) => {
      const id = ++boardSeq;
      boards.set(id, { id, name, type: o.type ?? 'scrum', project: (o.project ?? 'ACME').toUpperCase() });
      ensureProject(o.project ?? 'ACME');
      return id;
    },
    seedSprints: (boardId, n, o = {}) => {
      if (!boards.has(boardId)) throw new Error(`The Jira fake has no board ${boardId}`);
      const ids: number[] = [];
      const now = nowMinute();
      for (let j = 0; j < n; j++) {
        const state: JiraSprintState =
          o.state ?? (j === n - 1 ? 'future' : j === n - 2 ? 'active' : 'closed');
        // Two weeks each, the active one around now.
        const start = now - (n - 2 - j) * 14 * DAY - 3 * DAY;
        const x: JiraSprint = {
          id: ++sprintSeq,
          name: `${boards.get(boardId)?.name ?? 'Board'} Sprint ${j + 1}`,
          state,
          goal: j % 3 === 0 ? '' : `Ship slice ${sprintSeq}`,
          start,
          end: start + 14 * DAY,
          complete: state === 'closed' ? start + 14 * DAY - 3_600_000 : undefined,
          created: start - DAY,
          origin: boardId,
          alsoOn: [],
          deleted: false,
        };
        sprints.set(x.id, x);
        ids.push(x.id);
        sprintEvent(x, 'sprint_created');
      }
      return ids;
    },
    updateSprint: (id, fields) => {
      const x = liveSprint(id);
      const was = x.state;
      if (fields.name !== undefined) x.name = fields.name;
      if (fields.goal !== undefined) x.goal = fields.goal;
      if (fields.state !== undefined) x.state = fields.state;
      if (was === 'future' && x.state === 'active') {
        x.start = nowMinute();
        x.end = x.start + 14 * DAY;
        sprintEvent(x, 'sprint_started');
      } else if (was === 'active' && x.state === 'closed') {
        x.complete = nowMinute();
        sprintEvent(x, 'sprint_closed');
      } else sprintEvent(x, 'sprint_updated');
    },
    deleteSprint: (id) => {
      const x = liveSprint(id);
      x.deleted = true;
      sprintEvent(x, 'sprint_deleted');
    },
    showSprintOn: (id, boardId) => {
      liveSprint(id).alsoOn.push(boardId);
    },
    sprint: (id) => {
      const x = sprints.get(id);
      return x && !x.deleted ? sprintJson(x, `https://${site}`) : undefined;
    },
    boardName: (id) => boards.get(id)?.name,
    userTimeZone,
    seedIssues: (n, o = {}) => {
      const project = ensureProject(o.project ?? 'ACME');
      const start = stamps(n);
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        seq += 1;
        const t = start + j * MINUTE;
        const item: JiraItem = {
          id: 10000 + seq,
          key: `${project.key}-${project.next++}`,
          project,
          seq,
          created: t,
          updated: t,
          deleted: false,
          fields: undefined,
        };
        items.push(item);
        itemsById.set(item.id, item);
        ids.push(String(item.id));
        issueEvent(item, 'jira:issue_created', 'issue_created');
      }
      version++;
      return ids;
    },
    issueIds: (project) =>
      items
        .filter((i) => !i.deleted && (project === undefined || i.project.key === project.toUpperCase()))
        .map((i) => String(i.id)),
    issue: (id) => {
      const i = itemsById.get(Number(id));
      return i && !i.deleted ? issueJson(i, `https://${site}`, undefined) : undefined;
    },
    updateIssue: (id, fields) => changeIssue(liveItem(id), fields),
    deleteIssue: (id) => {
      const i = liveItem(id);
      issueEvent(i, 'jira:issue_deleted', 'issue_deleted');
      i.deleted = true;
      version++;
    },
    seedProjects: (n, o = {}) => {
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        const p = ensureProject(projectKeyOf(seededProjects++));
        setProject(p, {
          name: `Project ${p.key}`,
          description: seededProjects % 4 === 0 ? '' : `What the ${p.key} team works on.`,
          category: seededProjects % 3 === 0 ? 'Engineering' : null,
          ...(o.archived ? { archived: true } : {}),
        });
        projectEvent(p, 'project_created');
        ids.push(p.id);
      }
      return ids;
    },
    createProject: (key, fields = {}) => {
      if (projects.has(key.toUpperCase())) throw new Error(`The Jira fake has a project ${key} already`);
      const p = ensureProject(key);
      setProject(p, fields);
      projectEvent(p, 'project_created');
      return p.id;
    },
    updateProject: (key, fields) => {
      const p = liveProject(key);
      if (!p) throw new Error(`The Jira fake has no project ${key}`);
      const wasArchived = p.archived !== undefined;
      setProject(p, fields);
      const archived = p.archived !== undefined;
      projectEvent(
        p,
        archived === wasArchived
          ? 'project_updated'
          : archived
            ? 'project_archived'
            : 'project_restored_archived',
      );
    },
    deleteProject: (key) => {
      const p = liveProject(key);
      if (!p) throw new Error(`The Jira fake has no project ${key}`);
      projectEvent(p, 'project_soft_deleted');
      p.deleted = true;
      version++;
    },
    project: (idOrKey) => {
      const p = liveProject(idOrKey);
      return p
        ? projectJson(p, `https://${site}`, new Set(['description', 'lead', 'url', 'insight']))
        : undefined;
    },
    projectIds: (o = {}) =>
      [...projects.values()]
        .filter((p) => !p.deleted && (o.archived === undefined || (p.archived !== undefined) === o.archived))
        .sort(byKey)
        .map((p) => p.id),
    issueIdOf: (key) => {
      const i = items.find((x) => x.key === key.toUpperCase() && !x.deleted);
      return i ? String(i.id) : undefined;
    },
    rateLimitNext: (n, secs) => {
      limitNext = { n, secs };
    },
    failNext: (what: number | JiraFault, arg?: number, match: { method?: string; path?: RegExp } = {}) => {
      if (typeof what === 'number') failures = { n: what, status: arg ?? 503 };
      else fault = { kind: what, secs: arg ?? 30, match };
    },
    refusalMessage,
    listCalls: () => searches,
    searchedJql: () => [...jqlLog],
    projectQueries: () => [...projectLog],
  };

  const jqlError = (message: string) => reply(400, { errorMessages: [message], errors: {} });

  /** The issues a query selects, in its order. */
  /** `=`/`in` and `!=`/`not in` of a field that holds one value a matching `wanted` decides. */
  const membership = (c: JqlClause, has: (i: JiraItem) => boolean): ((i: JiraItem) => boolean) => {
    if (c.op === '=' || c.op === 'in') return has;
    if (c.op === '!=' || c.op === 'not in') return (i) => !has(i);
    throw new JqlError(`The operator '${c.op}' is not supported by the '${c.field}' field.`);
  };
  const clauseTest = (c: JqlClause): ((i: JiraItem) => boolean) => {
    if (c.field === 'project') {
      const wanted = c.values.map((v) => {
        const p = [...projects.values()].find(
          (x) =>
            !x.deleted &&
            (x.key === v.toUpperCase() || x.id === v || x.name.toLowerCase() === v.toLowerCase()),
        );
        if (!p) throw new JqlError(`The value '${v}' does not exist for the field 'project'.`);
        return p;
      });
      return membership(c, (i) => wanted.includes(i.project));
    }
    if (c.field === 'status') {
      const wanted = c.values.map((v) => {
        const name = Object.keys(statuses).find(
          (n) => n.toLowerCase() === v.toLowerCase() || statuses[n]?.id === v,
        );
        if (!name) throw new JqlError(`The value '${v}' does not exist for the field 'status'.`);
        return name;
      });
      return membership(c, (i) => wanted.includes(fieldsOf(i).status));
    }
    if (c.field === 'statuscategory') {
      const wanted = c.values.map((v) => {
        const cat = Object.values(statusCategories).find(
          (x) => x.key === v.toLowerCase() || x.name.toLowerCase() === v.toLowerCase() || String(x.id) === v,
        );
        if (!cat) throw new JqlError(`The value '${v}' does not exist for the field 'statusCategory'.`);
        return cat.key;
      });
      return membership(c, (i) => wanted.includes(statuses[fieldsOf(i).status]?.category ?? 'indeterminate'));
    }
    if (c.field === 'key' || c.field === 'issuekey' || c.field === 'id') {
      const wanted = new Set(c.values.map((v) => v.toUpperCase()));
      return membership(c, (i) => wanted.has(i.key) || wanted.has(String(i.id)));
    }
    if (c.field === 'labels') {
      return membership(c, (i) => fieldsOf(i).labels.some((l) => c.values.includes(l)));
    }
    if (c.field === 'updated' || c.field === 'created') {
      const at = jqlInstant(c.field, c.values[0] ?? '');
      const of = (i: JiraItem) => (c.field === 'updated' ? i.updated : i.created);
      const ops: Record<string, (i: JiraItem) => boolean> = {
        '>=': (i) => of(i) >= at,
        '>': (i) => of(i) > at,
        '<=': (i) => of(i) <= at,
        '<': (i) => of(i) < at,
        '=': (i) => of(i) === at,
      };
      const test = ops[c.op];
      if (!test) throw new JqlError(`The operator '${c.op}' is not supported by the '${c.field}' field.`);
      return test;
    }
    throw new JqlError(`Field '${c.field}' does not exist or you do not have permission to view it.`);
  };
  const compile = (e: JqlExpr): ((i: JiraItem) => boolean) => {
    if ('clause' in e) return clauseTest(e.clause);
    const parts = ('and' in e ? e.and : e.or).map(compile);
    return 'and' in e ? (i) => parts.every((t) => t(i)) : (i) => parts.some((t) => t(i));
  };

  /** The issues a query selects, in its order. */
  const select = (q: JqlQuery): JiraItem[] => {
    const test = q.where ? compile(q.where) : () => true;
    const order = q.order.length > 0 ? q.order : [{ field: 'created', desc: true }];
    const keyOf = (field: string) => {
      if (field === 'created') return (i: JiraItem) => i.created;
      if (field === 'updated') return (i: JiraItem) => i.updated;
      if (field === 'key' || field === 'issuekey')
        return (i: JiraItem) => i.project.key.padEnd(12) + String(i.key.split('-')[1]).padStart(10, '0');
      throw new JqlError(`Not able to sort using field '${field}'.`);
    };
    const keys = order.map((o) => ({ of: keyOf(o.field), desc: o.desc }));
    return items
      .filter((i) => !i.deleted && !i.project.deleted && test(i))
      .sort((a, b) => {
        for (const k of keys) {
          const [x, y] = [k.of(a), k.of(b)];
          if (x !== y) return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
        }
        return 0;
      });
  };

  const queryHash = (jql: string) => createHash('sha256').update(jql).digest('hex').slice(0, 16);
  let cached: { jql: string; version: number; list: JiraItem[] } | undefined;

  const searchBody = z.object({
    jql: z.optional(z.string()),
    maxResults: z.optional(z.int()),
    fields: z.optional(z.array(z.string())),
    nextPageToken: z.optional(z.nullable(z.string())),
    expand: z.optional(z.string()),
    reconcileIssues: z.optional(z.array(z.int())),
  });

  /**
   * Who calls the REST API: basic auth on the site, or an OAuth token through the gateway
   * (`/ex/jira/{cloudId}`), and so the base its `self` links are written with.
   */
  const authenticate = (req: FakeRequest, gatewayId: string | undefined): { apiBase: string } | FakeReply => {
    const auth = req.headers.authorization ?? '';
    if (gatewayId !== undefined) {
      const bearer = /^Bearer (\S+)$/.exec(auth)?.[1];
      const held = bearer ? accessTokens.get(bearer) : undefined;
      if (!held || held.expired)
        return reply(401, { code: 401, message: 'Unauthorized; scope does not match' });
      if (gatewayId !== cloudId) return reply(404, { code: 404, message: 'Not Found' });
      return { apiBase: `https://api.atlassian.com/ex/jira/${cloudId}` };
    }
    const basic = /^Basic (\S+)$/.exec(auth)?.[1];
    if (!basic || Buffer.from(basic, 'base64').toString('utf8') !== `${email}:${apiToken}`) {
      return reply(401, '', {
        'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
        'www-authenticate': 'Basic realm="protected-area"',
      });
    }
    return { apiBase: `https://${site}` };
  };

  /**
   * Jira's rate limit: 429 with Retry-After (seconds) and X-RateLimit-Reset (ISO 8601, to the
   * minute: `yyyy-MM-ddTHH:mmZ`), the budget headers and the reason.
   * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
   */
  const rateLimited = (secs: number): FakeReply =>
    reply(
      429,
      { errorMessages: ['Rate limit exceeded.'], errors: {} },
      {
        'retry-after': String(secs),
        'x-ratelimit-reset': `${new Date(Math.ceil((Date.now() + secs * 1000) / MINUTE) * MINUTE).toISOString().slice(0, 16)}Z`,
        'x-ratelimit-limit': '350',
        'x-ratelimit-remaining': '0',
        'ratelimit-reason': 'jira-quota-tenant-based',
      },
    );
  // Atlassian's edge answers an outage with an HTML page.
  const outage = (status: number): FakeReply =>
    reply(
      status,
      '<html><head><title>Atlassian Cloud Notifications - Page Unavailable</title></head></html>',
      {
        'content-type': 'text/html;charset=UTF-8',
      },
    );
  const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}) =>
    reply(status, { errorMessages, errors });
  const noIssue = () => jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
  const search = (req: FakeRequest): FakeReply | undefined => {
    const gateway = /^\/ex\/jira\/([^/]+)\/rest\/api\/3\/search\/jql$/.exec(req.path);
    if (req.method !== 'POST' || (req.path !== '/rest/api/3/search/jql' && !gateway)) return undefined;
    searches += 1;
    const who = authenticate(req, gateway?.[1]);
    if ('status' in who) return who;
    const { apiBase } = who;
    if (limitNext && limitNext.n > 0) {
      limitNext.n -= 1;
      return rateLimited(limitNext.secs);
    }
    if (failures && failures.n > 0) {
      failures.n -= 1;
      return outage(failures.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return jqlError('Unexpected character in the request body: it is not JSON.');
    }
    const parsed = searchBody.safeParse(body);
    if (!parsed.success) return jqlError(`Invalid request payload: ${parsed.error.issues[0]?.message ?? ''}`);
    const { jql, maxResults = 50, fields, nextPageToken } = parsed.data;
    if (jql === undefined) return jqlError('JQL query is required.');
    jqlLog.push(jql);
    let list: JiraItem[];
    try {
      const q = parseJql(jql);
      if (q.where === undefined) {
        return jqlError(
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        );
      }
      if (cached?.jql !== jql || cached.version !== version) cached = { jql, version, list: select(q) };
      list = cached.list;
    } catch (e) {
      if (e instanceof JqlError) return jqlError(e.message);
      throw e;
    }
    let offset = 0;
    if (nextPageToken) {
      let token: { o?: unknown; q?: unknown } | undefined;
      try {
        token = JSON.parse(Buffer.from(nextPageToken, 'base64url').toString('utf8')) as {
          o?: unknown;
          q?: unknown;
        };
      } catch {
        token = undefined;
      }
      // The token belongs to the query it came from.
      if (typeof token?.o !== 'number' || token.q !== queryHash(jql)) {
        return jqlError('The provided next page token is invalid or expired.');
      }
      offset = token.o;
    }
    // Only id and key are cheap: asking for other fields caps a page at 100.
    const requested = fields ?? ['id'];
    const all = requested.includes('*all') || requested.includes('*navigable');
    const onlyIds = requested.every((f) => f === 'id' || f === 'key');
    const size = Math.max(1, Math.min(maxResults, onlyIds ? 5000 : 100));
    const slice = list.slice(offset, offset + size);
    const isLast = offset + size >= list.length;
    return reply(200, {
      issues: slice.map((i) => issueJson(i, apiBase, all ? undefined : (f) => requested.includes(f))),
      ...(isLast
        ? {}
        : {
            nextPageToken: Buffer.from(JSON.stringify({ o: offset + size, q: queryHash(jql) })).toString(
              'base64url',
            ),
          }),
      isLast,
    });
  };

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
  const projectSearch = (req: FakeRequest, apiBase: string): FakeReply => {
    const q = req.query;
    const count = (name: string, fallback: number): number => {
      const v = q.get(name);
      if (v === null || v === '') return fallback;
      return /^\d+$/.test(v) ? Number(v) : Number.NaN;
    };
    const startAt = count('startAt', 0);
    const maxResults = count('maxResults', 50);
    if (Number.isNaN(startAt) || Number.isNaN(maxResults)) {
      return jiraError(400, ["The value of 'startAt' or 'maxResults' is not a valid number."]);
    }
    const wanted = q.getAll('status').length > 0 ? q.getAll('status') : ['live'];
    const unknown = wanted.find((x) => !['live', 'archived', 'deleted'].includes(x));
    if (unknown) return jiraError(400, [`'${unknown}' is not a valid project status.`]);
    const order = /^([+-]?)(key|name)$/.exec(q.get('orderBy') ?? 'key');
    if (!order) return jiraError(400, [`Invalid orderBy value '${q.get('orderBy')}'.`]);
    const keys = q.getAll('keys').map((k) => k.toUpperCase());
    const ids = q.getAll('id');
    const text = q.get('query')?.toLowerCase();
    const expand = new Set((q.get('expand') ?? '').split(',').map((x) => x.trim()));
    const statusOf = (p: JiraProject) =>
      p.deleted ? 'deleted' : p.archived !== undefined ? 'archived' : 'live';
    const sortKey = (p: JiraProject) =>
      order[2] === 'name' ? `${p.name.toLowerCase()}\u0000${p.key}` : p.key;
    const list = [...projects.values()]
      .filter(
        (p) =>
          wanted.includes(statusOf(p)) &&
          (keys.length === 0 || keys.includes(p.key)) &&
          (ids.length === 0 || ids.includes(p.id)) &&
          (!text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)),
      )
      .sort(
        (a, b) =>
          (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0) * (order[1] === '-' ? -1 : 1),
      );
    const size = Math.min(maxResults, 100);
    const values = list.slice(startAt, startAt + size);
    const isLast = startAt + size >= list.length;
    const pageUrl = (start: number) => {
      const u = new URLSearchParams(q);
      u.set('startAt', String(start));
      u.set('maxResults', String(size));
      return `${apiBase}/rest/api/3/project/search?${u}`;
    };
    return reply(200, {
      self: pageUrl(startAt),
      ...(isLast ? {} : { nextPage: pageUrl(startAt + size) }),
      maxResults: size,
      startAt,
      total: list.length,
      isLast,
      values: values.map((p) => projectJson(p, apiBase, expand)),
    });
  };

  // ---- Jira Software: boards and sprints (Agile REST API) ----
  const boards = new Map<number, JiraBoard>();
  const sprints = new Map<number, JiraSprint>();
  let boardSeq = 0;
  let sprintSeq = 0;
  const DAY = 86_400_000;
  /** Jira's sprint dates: ISO 8601 with milliseconds, in UTC. */
  const agileTime = (ms: number) => new Date(ms).toISOString();
  const sprintJson = (x: JiraSprint, apiBase: string) => ({
    id: x.id,
    self: `${apiBase}/rest/agile/1.0/sprint/${x.id}`,
    state: x.state,
    name: x.name,
    ...(x.state !== 'future' ? { startDate: agileTime(x.start), endDate: agileTime(x.end) } : {}),
    ...(x.complete !== undefined ? { completeDate: agileTime(x.complete) } : {}),
    createdDate: agileTime(x.created),
    originBoardId: x.origin,
    goal: x.goal,
  });
  const boardJson = (b: JiraBoard, apiBase: string) => {
    const p = ensureProject(b.project);
    return {
      id: b.id,
      self: `${apiBase}/rest/agile/1.0/board/${b.id}`,
      name: b.name,
      type: b.type,
      location: {
        projectId: Number(p.id),
        displayName: `${p.name} (${p.key})`,
        projectName: p.name,
        projectKey: p.key,
        projectTypeKey: 'software',
        avatarURI: `/rest/api/2/universal_avatar/view/type/project/avatar/10400?size=small`,
        name: `${p.name} (${p.key})`,
      },
    };
  };
  const sprintEvent = (x: JiraSprint, webhookEvent: string) =>
    emit(webhookEvent, { sprint: sprintJson(x, `https://${site}`) });
  /** startAt/maxResults as the Agile API reads them; NaN for a value that is not a number. */
  const offsets = (q: URLSearchParams, cap: number) => {
    const num = (name: string, fallback: number) => {
      const v = q.get(name);
      if (v === null || v === '') return fallback;
      return /^\d+$/.test(v) ? Number(v) : Number.NaN;
    };
    return { startAt: num('startAt', 0), size: Math.min(num('maxResults', 50), cap) };
  };
  /**
   * GET /rest/agile/1.0/board and GET /rest/agile/1.0/board/{id}/sprint: offset pages
   * (`startAt`, `maxResults` ≤ 50, `isLast`), boards by id, sprints in creation order.
   * https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/
   */
  const agile = (req: FakeRequest): FakeReply | undefined => {
    const m = /^(?:\/ex\/jira\/([^/]+))?\/rest\/agile\/1\.0(\/.*)$/.exec(req.path);
    if (!m || req.method !== 'GET') return undefined;
    const path = m[2] ?? '';
    const sprintsOf = /^\/board\/(\d+)\/sprint$/.exec(path);
    if (path !== '/board' && !sprintsOf) return undefined;
    const who = authenticate(req, m[1]);
    if ('status' in who) return who;
    const { startAt, size } = offsets(req.query, 50);
    if (Number.isNaN(startAt) || Number.isNaN(size)) {
      return jiraError(400, ["The value of 'startAt' or 'maxResults' is not a valid number."]);
    }
    const page = <T>(list: T[], json: (x: T) => unknown) => {
      const values = list.slice(startAt, startAt + size);
      return reply(200, {
        maxResults: size,
        startAt,
        ...(sprintsOf ? {} : { total: list.length }),
        isLast: startAt + size >= list.length,
        values: values.map(json),
      });
    };
    if (!sprintsOf) {
      const list = [...boards.values()].sort((a, b) => a.id - b.id);
      return page(list, (b) => boardJson(b, who.apiBase));
    }
    const b = boards.get(Number(sprintsOf[1]));
    if (!b) return jiraError(404, ['Board does not exist or you do not have permission to see it.']);
    if (b.type === 'kanban') return jiraError(400, ['The board does not support sprints']);
    const states = (req.query.get('state') ?? '').split(',').filter(Boolean);
    const list = [...sprints.values()].filter(
      (x) =>
        !x.deleted &&
        (x.origin === b.id || x.alsoOn.includes(b.id)) &&
        (states.length === 0 || states.includes(x.state)),
    );
    return page(list, (x) => sprintJson(x, who.apiBase));
  };

  /** An issue by id or key, unless it (or its project) is deleted. */
  const findIssue = (idOrKey: string): JiraItem | undefined => {
    const i = /^\d+$/.test(idOrKey)
      ? itemsById.get(Number(idOrKey))
      : items.find((x) => x.key === idOrKey.toUpperCase());
    return i && !i.deleted && !i.project.deleted ? i : undefined;
  };

  /** An Atlassian Document Format document: a `doc` of nodes, no empty text node. */
  const isAdf = (doc: unknown): boolean => {
    const node = (n: unknown): boolean => {
      if (typeof n !== 'object' || n === null) return false;
      const x = n as { type?: unknown; text?: unknown; content?: unknown };
      if (typeof x.type !== 'string') return false;
      if (x.type === 'text' && (typeof x.text !== 'string' || x.text === '')) return false;
      return x.content === undefined || (Array.isArray(x.content) && x.content.every(node));
    };
    const d = doc as { type?: unknown; version?: unknown; content?: unknown } | null;
    return (
      typeof d === 'object' &&
      d !== null &&
      d.type === 'doc' &&
      d.version === 1 &&
      Array.isArray(d.content) &&
      d.content.every(node)
    );
  };

  const CREATABLE = new Set([
    'project',
    'summary',
    'issuetype',
    'description',
    'labels',
    'assignee',
    'duedate',
  ]);

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
  const createIssue = (req: FakeRequest, apiBase: string): FakeReply => {
    let body: { fields?: Record<string, unknown> } | undefined;
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return jiraError(400, ['Unexpected character in the request body: it is not JSON.']);
    }
    const f = body?.fields;
    if (typeof f !== 'object' || f === null) return jiraError(400, ['Issue must have fields to be created.']);
    const errors: Record<string, string> = {};
    for (const name of Object.keys(f)) {
      if (!CREATABLE.has(name)) {
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    const ref = f.project as { key?: unknown; id?: unknown } | undefined;
    const project =
      typeof ref?.key === 'string'
        ? liveProject(ref.key)
        : typeof ref?.id === 'string'
          ? liveProject(ref.id)
          : undefined;
    if (!project || project.archived !== undefined) errors.project = 'Specify a valid project ID or key';
    const summary = typeof f.summary === 'string' ? f.summary.trim() : '';
    if (summary === '') errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    const type = f.issuetype as { name?: unknown; id?: unknown } | undefined;
    const typeName = Object.keys(issueTypes).find((n) => n === type?.name || issueTypes[n] === type?.id);
    if (type === undefined) errors.issuetype = 'Specify an issue type';
    else if (!typeName) errors.issuetype = 'The issue type selected is invalid.';
    if (f.description !== undefined && f.description !== null && !isAdf(f.description)) {
      errors.description =
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    }
    const labels = f.labels ?? [];
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
      errors.labels = 'Operation value must be an array of strings.';
    } else {
      const spaced = labels.find((l) => /\s/.test(l));
      if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
    }
    const assignee = f.assignee as { accountId?: unknown } | null | undefined;
    const assigneeName =
      assignee && typeof assignee.accountId === 'string' ? accounts.get(assignee.accountId) : undefined;
    if (assignee && !assigneeName) {
      errors.assignee = 'Specified user does not exist or you do not have required permissions';
    }
    if (Object.keys(errors).length > 0 || !project || !typeName) return jiraError(400, [], errors);
    seq += 1;
    const t = stamps(1);
    const item: JiraItem = {
      id: 10000 + seq,
      key: `${project.key}-${project.next++}`,
      project,
      seq,
      created: t,
      updated: t,
      deleted: false,
      fields: {
        summary,
        description: (f.description as Record<string, unknown> | undefined) ?? null,
        status: 'To Do',
        resolution: null,
        assignee: assigneeName ?? null,
        labels: labels as string[],
        duedate: typeof f.duedate === 'string' ? f.duedate : null,
        issuetype: typeName,
      },
    };
    items.push(item);
    itemsById.set(item.id, item);
    version++;
    issueEvent(item, 'jira:issue_created', 'issue_created');
    return reply(201, { id: String(item.id), key: item.key, self: `${apiBase}/rest/api/3/issue/${item.id}` });
  };

  const transitionJson = (t: (typeof workflow)[number], apiBase: string) => {
    const to = statuses[t.to] ?? { id: '10099', category: 'indeterminate' as const };
    const category = statusCategories[to.category];
    return {
      id: t.id,
      name: t.name,
      to: {
        self: `${apiBase}/rest/api/3/status/${to.id}`,
        description: '',
        iconUrl: `https://${site}/images/icons/statuses/generic.png`,
        name: t.to,
        id: to.id,
        statusCategory: { self: `${apiBase}/rest/api/3/statuscategory/${category.id}`, ...category },
      },
      hasScreen: false,
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
  };

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
  const transitions = (req: FakeRequest, apiBase: string, i: JiraItem): FakeReply => {
    const offered = workflow.filter((t) => t.from.includes(fieldsOf(i).status));
    if (req.method === 'GET') {
      return reply(200, {
        expand: 'transitions',
        transitions: offered.map((t) => transitionJson(t, apiBase)),
      });
    }
    let id: unknown;
    try {
      id = (JSON.parse(req.body) as { transition?: { id?: unknown } }).transition?.id;
    } catch {
      return jiraError(400, ['Unexpected character in the request body: it is not JSON.']);
    }
    if (typeof id !== 'string' || id === '') return jiraError(400, ["Missing 'transition' identifier"]);
    const t = offered.find((x) => x.id === id);
    if (!t) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
    changeIssue(i, { status: t.to, resolution: t.resolution });
    return reply(204);
  };

  /** The REST endpoints beside the search and /myself, on the site and through the gateway. */
  const rest = (req: FakeRequest): FakeReply | undefined => {
    const m = /^(?:\/ex\/jira\/([^/]+))?\/rest\/api\/3(\/.*)$/.exec(req.path);
    if (!m) return undefined;
    const path = m[2] ?? '';
    const issuePath = /^\/issue\/([^/]+)(\/transitions)?$/.exec(path);
    const known =
      (req.method === 'GET' && path === '/project/search') ||
      (req.method === 'POST' && path === '/issue') ||
      (req.method === 'GET' && issuePath !== null) ||
      (req.method === 'POST' && issuePath?.[2] !== undefined) ||
      (req.method === 'POST' && path === '/webhook');
    if (!known) return undefined;
    const who = authenticate(req, m[1]);
    if ('status' in who) return who;
    if (path === '/webhook') return registerDynamic(req, m[1] !== undefined);
    if (path === '/project/search') {
      projectLog.push(new URLSearchParams(req.query));
      return projectSearch(req, who.apiBase);
    }
    if (path === '/issue') return createIssue(req, who.apiBase);
    const i = findIssue(decodeURIComponent(issuePath?.[1] ?? ''));
    if (!i) return noIssue();
    if (issuePath?.[2]) return transitions(req, who.apiBase, i);
    const fields = (req.query.get('fields') ?? '*all').split(',').map((x) => x.trim());
    const all = fields.includes('*all') || fields.includes('*navigable');
    return reply(200, issueJson(i, who.apiBase, all ? undefined : (x) => fields.includes(x)));
  };

  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/authorize') return authorize(req.query);
      if (req.method === 'POST' && req.path === '/oauth/token') return token(req);

      // A fault a test asked for: the next REST call, whatever it is, answers it.
      if (
        fault &&
        /^(?:\/ex\/jira\/[^/]+)?\/rest\/(?:api\/3|agile\/1\.0)\//.test(req.path) &&
        (fault.match.method === undefined || fault.match.method === req.method) &&
        (fault.match.path === undefined || fault.match.path.test(req.path))
      ) {
        const f = fault;
        fault = undefined;
        if (f.kind === 'refuse') return traced(jiraError(403, [refusalMessage]));
        return traced(f.kind === 'down' ? outage(503) : rateLimited(f.secs));
      }

      const searched = search(req);
      if (searched) return traced(searched);

      const agiled = agile(req);
      if (agiled) return traced(agiled);

      const answered = rest(req);
      if (answered) return traced(answered);

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
    ...dataControls,
    ...webhookControls,
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
