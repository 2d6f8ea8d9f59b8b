import type { Credentials } from '../../adapters/types';
import { createLinearWebhooks, type LinearWebhookControls } from './linear-webhooks';
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
 *
 * With a webhook registered, every change of the dataset below (seeding included) is POSTed
 * to it as a signed Linear webhook (linear-webhooks.ts).
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

export type LinearFake = ProviderFake<Credentials> /** Grants revoked through POST /oauth/revoke. */ & {
  revocations(): number;
} & OAuthFakeControls &
  RefreshControls &
  LinearDataControls &
  LinearWebhookControls & {
    oauth: Credentials;
    userId: string;
    /** Answers every request with Linear's RATELIMITED error. */
    setRateLimited(on: boolean): void;
  };

export type LinearStateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

/** Fields of an issue a test can set (`updateIssue`); the rest follow from its seed number. */
export type LinearIssueFields = {
  title?: string;
  description?: string | null;
  /** The workflow state, by type (named as Linear's default workflow names it) or named. */
  state?: LinearStateType | { name: string; type: LinearStateType };
  /** The assignee's name. */
  assignee?: string | null;
  labels?: string[];
  /** `yyyy-MM-dd` */
  dueDate?: string | null;
  /** 0 none, 1 urgent … 4 low. */
  priority?: number;
};

export type LinearProjectStatusType = 'backlog' | 'planned' | 'started' | 'paused' | 'completed' | 'canceled';

/** Fields of a project a test can set (`updateProject`); the rest follow from its seed number. */
export type LinearProjectFields = {
  name?: string;
  /** Linear's is a required string, empty when not written. */
  description?: string;
  /** The project status, by type (named as Linear's defaults name them) or named. */
  status?: LinearProjectStatusType | { name: string; type: LinearProjectStatusType };
  /** `yyyy-MM-dd` */
  startDate?: string | null;
  /** `yyyy-MM-dd` */
  targetDate?: string | null;
};

/** Fields of a cycle a test can set (`updateCycle`); instants as ISO strings. */
export type LinearCycleFields = {
  name?: string | null;
  startsAt?: string;
  endsAt?: string;
  completedAt?: string | null;
};

/** What the next data request answers instead (`faultNext`). */
export type LinearFault = 'refuse' | 'down' | 'rate_limit';

/** The `userPresentableMessage` of the FORBIDDEN answer `refuseNext` / `faultNext('refuse')` give. */
export const linearRefusal = 'You do not have access to this team.';

/**
 * The dataset behind the `issues`, `projects`, `cycles` and `teams` connections and the
 * `issueCreate` mutation, and the switches a sync test, an action test or a benchmark needs.
 * The switches apply to data requests (anything but the viewer query).
 */
export type LinearDataControls = {
  /**
   * Adds `n` issues to `team` (a key; created on first use; default ENG). Deterministic ids
   * (UUIDs) and identifiers (`ENG-1`, …), one second apart, increasing, the batch ending about
   * now. Returns the ids (what `linear_issue_<id>` holds).
   */
  seedIssues(n: number, options?: { team?: string }): string[];
  /** Ids of the live (not deleted) issues, of one team or all, in creation order. */
  issueIds(team?: string): string[];
  /** An issue with every field the fake knows; undefined once deleted. */
  issue(id: string): Record<string, unknown> | undefined;
  /** Changes an issue and bumps updatedAt. */
  updateIssue(id: string, fields: LinearIssueFields): void;
  /** Deletes an issue as Linear does: to the trash (archived, `trashed: true`), updatedAt bumped. */
  deleteIssue(id: string): void;
  /** Archives an issue (as Linear does to old closed ones): hidden unless `includeArchived`. */
  archiveIssue(id: string): void;
  /** The next `n` issues queries answer RATELIMITED, the window ending in `retryAfterSeconds`. */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  /** The next `n` issues queries answer `status` (default 503). */
  failNext(n: number, status?: number): void;
  /** The next `n` data requests answer FORBIDDEN (HTTP 400) with `message` (default `linearRefusal`). */
  refuseNext(n?: number, message?: string): void;
  /** The next data request answers a refusal, a 503, or RATELIMITED with a window of `retryAfterSeconds` (default 30). */
  faultNext(kind: LinearFault, retryAfterSeconds?: number): void;
  /** Data requests received, answered or not. */
  listCalls(): number;
  /** The arguments of each `issues` query received (variables resolved), in order. */
  issuesArguments(): Record<string, unknown>[];
  /** The arguments of each query of a list (`issues`, `projects`, `cycles`, `teams`), in order. */
  listArguments(field: string): Record<string, unknown>[];
  /** The inputs of each `issueCreate` received (variables resolved), in order. */
  createInputs(): Record<string, unknown>[];
  /** A team by key (created on first use): what `teamId` and team filters take. */
  team(key: string): { id: string; key: string; name: string };
  /** The organization's users (assignable by id); the first is the viewer. */
  users: readonly { id: string; name: string; email: string }[];
  /** The id of an issue label, by name. */
  labelId(name: string): string;

  /**
   * Adds `n` projects, each of `teams` (keys; default ENG). Deterministic ids, one second
   * apart, increasing, the batch ending about now; statuses go round the six status types.
   */
  seedProjects(n: number, options?: { teams?: string[] }): string[];
  /** Ids of the live (not deleted) projects, in creation order. */
  projectIds(): string[];
  /** A project with every field the fake knows; undefined once deleted. */
  project(id: string): Record<string, unknown> | undefined;
  /** Changes a project and bumps updatedAt. */
  updateProject(id: string, fields: LinearProjectFields): void;
  /** Archives a project: hidden unless `includeArchived`. */
  archiveProject(id: string): void;
  /** Deletes a project as Linear does: to the trash (archived, `trashed: true`), updatedAt bumped. */
  deleteProject(id: string): void;

  /**
   * Adds `n` consecutive cycles of `days` (default 14) to `team` (default ENG), numbered on
   * from its last. The first starts at `startsAt`; by default the last but one holds now and
   * the last is next (the ones before are past, completed at their end).
   */
  seedCycles(n: number, options?: { team?: string; startsAt?: string; days?: number }): string[];
  /** Ids of the cycles, of one team or all, in creation order. */
  cycleIds(team?: string): string[];
  /** A cycle with every field the fake knows. */
  cycle(id: string): Record<string, unknown> | undefined;
  /**
   * Changes a cycle; `touch: false` leaves updatedAt alone, as when time (not a user) moves a
   * cycle along.
   */
  updateCycle(id: string, fields: LinearCycleFields, options?: { touch?: boolean }): void;
  /** Archives a cycle (as Linear does to old ones). */
  archiveCycle(id: string): void;
};

type LinearTeam = { id: string; key: string; name: string; next: number; cycles: number; created: number };
/** Compact: everything else follows from `seq` unless `fields` overrides it. */
type LinearItem = {
  id: string;
  number: number;
  team: LinearTeam;
  seq: number;
  created: number;
  updated: number;
  archived: number | undefined;
  trashed: boolean;
  fields: LinearIssueFields | undefined;
  projectId?: string;
};

type LinearProjectItem = {
  id: string;
  seq: number;
  teams: LinearTeam[];
  created: number;
  updated: number;
  archived: number | undefined;
  trashed: boolean;
  fields: LinearProjectFields | undefined;
};

type LinearCycleItem = {
  id: string;
  number: number;
  team: LinearTeam;
  name: string | null;
  startsAt: number;
  endsAt: number;
  completedAt: number | undefined;
  created: number;
  updated: number;
  archived: number | undefined;
};

const stateNames: Record<LinearStateType, string> = {
  triage: 'Triage',
  backlog: 'Backlog',
  unstarted: 'Todo',
  started: 'In Progress',
  completed: 'Done',
  canceled: 'Canceled',
};
const stateCycle: LinearStateType[] = ['backlog', 'unstarted', 'started', 'completed', 'canceled', 'triage'];

const seededLinearFields = (seq: number, identifier: string): Required<LinearIssueFields> => ({
  title: `Issue ${seq}`,
  description: seq % 4 === 0 ? null : `Description of **${identifier}**.`,
  state: stateCycle[seq % stateCycle.length] ?? 'backlog',
  assignee: seq % 3 === 0 ? null : 'Ada Lovelace',
  labels: seq % 2 === 0 ? ['Bug'] : seq % 5 === 0 ? ['Feature', 'Improvement'] : [],
  dueDate: seq % 5 === 1 ? '2025-08-01' : null,
  priority: seq % 5,
});

const projectStatusNames: Record<LinearProjectStatusType, string> = {
  backlog: 'Backlog',
  planned: 'Planned',
  started: 'In Progress',
  paused: 'Paused',
  completed: 'Completed',
  canceled: 'Canceled',
};
const projectStatusCycle: LinearProjectStatusType[] = [
  'backlog',
  'planned',
  'started',
  'paused',
  'completed',
  'canceled',
];

const seededProjectFields = (seq: number): Required<LinearProjectFields> => ({
  name: `Project ${seq}`,
  description: seq % 3 === 0 ? '' : `Goals of project ${seq}.`,
  status: projectStatusCycle[seq % projectStatusCycle.length] ?? 'planned',
  startDate: seq % 2 === 0 ? `2025-${String((seq % 12) + 1).padStart(2, '0')}-01` : null,
  targetDate: seq % 4 === 0 ? `2026-${String((seq % 12) + 1).padStart(2, '0')}-15` : null,
});

/** A deterministic UUID (v4 layout) from a number. */
const uuidOf = (prefix: string, n: number) => {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}-0000-4000-8000-${hex}`;
};

/**
 * Just enough GraphQL for the fake: one operation (query or mutation), selection sets with
 * aliases and arguments, values with variables, lists and objects. No fragments or directives.
 * https://spec.graphql.org/October2021/
 */
type GqlValue = string | number | boolean | null | GqlValue[] | { [k: string]: GqlValue } | { $var: string };
type GqlField = {
  name: string;
  alias: string;
  args: Record<string, GqlValue>;
  selections: GqlField[] | undefined;
};
class GqlError extends Error {}

type GqlDocument = {
  operation: 'query' | 'mutation';
  fields: GqlField[];
  defaults: Record<string, GqlValue>;
};

const parseGraphQL = (source: string): GqlDocument => {
  const re =
    /[\s,]+|#[^\n]*|(\.\.\.|[!$():=@[\]{}|])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:\\.|[^"\\])*")|([_A-Za-z][_0-9A-Za-z]*)/y;
  const tokens: { kind: 'punct' | 'number' | 'string' | 'name'; value: string }[] = [];
  while (re.lastIndex < source.length) {
    const at = re.lastIndex;
    const m = re.exec(source);
    if (!m) throw new GqlError(`Syntax Error: Unexpected character "${source[at]}".`);
    if (m[1]) tokens.push({ kind: 'punct', value: m[1] });
    else if (m[2]) tokens.push({ kind: 'number', value: m[2] });
    else if (m[3]) tokens.push({ kind: 'string', value: JSON.parse(m[3]) as string });
    else if (m[4]) tokens.push({ kind: 'name', value: m[4] });
  }
  let i = 0;
  const peek = () => tokens[i];
  const take = (value?: string) => {
    const t = tokens[i++];
    if (!t || (value !== undefined && t.value !== value)) {
      throw new GqlError(
        `Syntax Error: Expected ${value ?? 'a token'}, found ${t ? `"${t.value}"` : '<EOF>'}.`,
      );
    }
    return t;
  };
  const value = (): GqlValue => {
    const t = take();
    if (t.kind === 'punct' && t.value === '$') return { $var: take().value };
    if (t.kind === 'punct' && t.value === '[') {
      const list: GqlValue[] = [];
      while (peek()?.value !== ']') list.push(value());
      take(']');
      return list;
    }
    if (t.kind === 'punct' && t.value === '{') {
      const obj: Record<string, GqlValue> = {};
      while (peek()?.value !== '}') {
        const key = take().value;
        take(':');
        obj[key] = value();
      }
      take('}');
      return obj;
    }
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'string') return t.value;
    if (t.kind === 'name')
      return t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'null' ? null : t.value;
    throw new GqlError(`Syntax Error: Unexpected "${t.value}".`);
  };
  const skipType = () => {
    if (peek()?.value === '[') {
      take('[');
      skipType();
      take(']');
    } else take();
    if (peek()?.value === '!') take('!');
  };
  const selectionSet = (): GqlField[] => {
    take('{');
    const fields: GqlField[] = [];
    while (peek()?.value !== '}') {
      if (peek()?.value === '...') throw new GqlError('This fake does not support fragments.');
      let name = take().value;
      const alias = name;
      if (peek()?.value === ':') {
        take(':');
        name = take().value;
      }
      const args: Record<string, GqlValue> = {};
      if (peek()?.value === '(') {
        take('(');
        while (peek()?.value !== ')') {
          const key = take().value;
          take(':');
          args[key] = value();
        }
        take(')');
      }
      fields.push({ name, alias, args, selections: peek()?.value === '{' ? selectionSet() : undefined });
    }
    take('}');
    return fields;
  };
  const defaults: Record<string, GqlValue> = {};
  let operation: GqlDocument['operation'] = 'query';
  if (peek()?.kind === 'name') {
    const op = take().value;
    if (op !== 'query' && op !== 'mutation')
      throw new GqlError(`This fake answers queries and mutations only, not ${op}.`);
    operation = op;
    if (peek()?.kind === 'name') take();
    if (peek()?.value === '(') {
      take('(');
      while (peek()?.value !== ')') {
        take('$');
        const name = take().value;
        take(':');
        skipType();
        if (peek()?.value === '=') {
          take('=');
          defaults[name] = value();
        }
      }
      take(')');
    }
  }
  const fields = selectionSet();
  if (i < tokens.length) throw new GqlError('This fake answers one operation a request.');
  return { operation, fields, defaults };
};

/** A value with its variables filled in (absent variables are null). */
const resolveValue = (v: GqlValue, variables: Record<string, unknown>): unknown => {
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, variables));
  if (v !== null && typeof v === 'object') {
    if ('$var' in v && typeof v.$var === 'string') return variables[v.$var] ?? null;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x as GqlValue, variables)]));
  }
  return v;
};

/** The selected fields of a value, as GraphQL answers: exactly what was asked, by alias. */
const project = (value: unknown, selections: GqlField[] | undefined, type: string): unknown => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, selections, type));
  if (typeof value !== 'object') {
    if (selections)
      throw new GqlError(`Field of type "${type}" must not have a selection since it has no subfields.`);
    return value;
  }
  if (!selections) throw new GqlError(`Field of type "${type}" must have a selection of subfields.`);
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    if (s.name === '__typename') {
      out[s.alias] = type;
      continue;
    }
    if (!(s.name in obj)) throw new GqlError(`Cannot query field "${s.name}" on type "${type}".`);
    out[s.alias] = project(obj[s.name], s.selections, s.name);
  }
  return out;
};

const graphqlError = (message: string, code: string, type: string, userPresentableMessage: string) => ({
  errors: [{ message, extensions: { type, code, statusCode: 400, userPresentableMessage } }],
});

export const startLinearFake = async (options: LinearFakeOptions = {}): Promise<LinearFake> => {
  const apiKey = `lin_api_${randomToken(40)}`;
  const oauthToken = `lin_oauth_${randomToken(64).toLowerCase()}`;
  const viewer = { id: '2b8e8d52-5f9c-4d23-8a4e-6f0b2a1c9e11', name: 'Ada Lovelace', email: 'ada@acme.com' };
  const organization = { id: 'e4f1c0b2-7d3a-4f58-9b21-0c6d5e8a7f33', name: 'Acme', urlKey: 'acme' };
  const hooks = createLinearWebhooks({ organizationId: organization.id, actor: viewer });
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

  // ---- The dataset behind the data connections ----
  const teams = new Map<string, LinearTeam>();
  const items: LinearItem[] = [];
  const itemsById = new Map<string, LinearItem>();
  const projects: LinearProjectItem[] = [];
  const projectsById = new Map<string, LinearProjectItem>();
  const cycles: LinearCycleItem[] = [];
  const cyclesById = new Map<string, LinearCycleItem>();
  let seq = 0;
  let projectSeq = 0;
  let cycleSeq = 0;
  /** The last timestamp handed out (ms, whole seconds): never goes back. */
  let clock = 0;
  let version = 0;
  let listCount = 0;
  const argumentLogs = new Map<string, Record<string, unknown>[]>();
  const createLog: Record<string, unknown>[] = [];
  let limitNext: { n: number; secs: number } | undefined;
  let failures: { n: number; status: number } | undefined;
  let refusals: { n: number; message: string } | undefined;

  const users = [
    { id: viewer.id, name: viewer.name, email: viewer.email },
    { id: uuidOf('a551e000', 1), name: 'Grace Hopper', email: 'grace@acme.com' },
  ] as const;
  const labelNames = ['Bug', 'Feature', 'Improvement', 'On-call'];
  const labelIdOf = (name: string) => {
    const k = labelNames.indexOf(name);
    return uuidOf('1abe1000', k >= 0 ? k + 1 : 100 + name.length);
  };

  const nowSecond = () => Math.floor(Date.now() / 1000) * 1000;
  const stamps = (count: number): number => {
    const start = Math.max(clock + 1000, nowSecond() - (count - 1) * 1000);
    clock = start + (count - 1) * 1000;
    return start;
  };
  const tick = () => {
    clock = Math.max(clock + 1000, nowSecond());
    version++;
    return clock;
  };
  const ensureTeam = (key: string): LinearTeam => {
    const upper = key.toUpperCase();
    const found = teams.get(upper);
    if (found) return found;
    const n = teams.size + 1;
    const t = {
      id: uuidOf('7e4a0000', n),
      key: upper,
      name: `${upper} team`,
      next: 1,
      cycles: 0,
      created: n,
    };
    teams.set(upper, t);
    version++;
    return t;
  };
  ensureTeam('ENG');
  const teamNode = (t: LinearTeam) => ({ id: t.id, key: t.key, name: t.name });

  const fieldsOf = (i: LinearItem): Required<LinearIssueFields> => ({
    ...seededLinearFields(i.seq, `${i.team.key}-${i.number}`),
    ...i.fields,
  });
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const emptyPageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

  /** An issue with every field the fake answers (a query gets the ones it selects). */
  const nodeOf = (i: LinearItem) => {
    const f = fieldsOf(i);
    const identifier = `${i.team.key}-${i.number}`;
    const state = typeof f.state === 'string' ? { name: stateNames[f.state], type: f.state } : f.state;
    const user = users.find((u) => u.name === f.assignee);
    const linked = i.projectId ? projectsById.get(i.projectId) : undefined;
    return {
      id: i.id,
      identifier,
      number: i.number,
      title: f.title,
      description: f.description,
      priority: f.priority,
      url: `https://linear.app/${organization.urlKey}/issue/${identifier}/issue-${i.seq}`,
      branchName: `ada/${identifier.toLowerCase()}-issue-${i.seq}`,
      dueDate: f.dueDate,
      estimate: null,
      createdAt: iso(i.created),
      updatedAt: iso(i.updated),
      archivedAt: iso(i.archived),
      trashed: i.trashed ? true : null,
      state: {
        id: uuidOf('5a7e0000', stateCycle.indexOf(state.type) + 1),
        name: state.name,
        type: state.type,
        color: '#95a2b3',
      },
      assignee: f.assignee
        ? {
            id: user?.id ?? uuidOf('a551e000', 100 + f.assignee.length),
            name: f.assignee,
            displayName: f.assignee.split(' ')[0]?.toLowerCase() ?? '',
            email: user?.email ?? `${f.assignee.split(' ')[0]?.toLowerCase()}@acme.com`,
            active: true,
          }
        : null,
      labels: {
        nodes: f.labels.map((name) => ({ id: labelIdOf(name), name, color: '#eb5757' })),
        pageInfo: emptyPageInfo,
      },
      team: teamNode(i.team),
      project: linked ? { id: linked.id, name: projectFieldsOf(linked).name } : null,
    };
  };

  const projectFieldsOf = (p: LinearProjectItem): Required<LinearProjectFields> => ({
    ...seededProjectFields(p.seq),
    ...p.fields,
  });
  const slugOf = (p: LinearProjectItem) => p.id.replaceAll('-', '').slice(-12);

  /** A project with every field the fake answers. */
  const projectNodeOf = (p: LinearProjectItem) => {
    const f = projectFieldsOf(p);
    const status =
      typeof f.status === 'string' ? { name: projectStatusNames[f.status], type: f.status } : f.status;
    return {
      id: p.id,
      name: f.name,
      description: f.description,
      slugId: slugOf(p),
      url: `https://linear.app/${organization.urlKey}/project/project-${p.seq}-${slugOf(p)}`,
      icon: null,
      color: '#bec2c8',
      priority: 0,
      progress: 0,
      startDate: f.startDate,
      targetDate: f.targetDate,
      createdAt: iso(p.created),
      updatedAt: iso(p.updated),
      archivedAt: iso(p.archived),
      trashed: p.trashed ? true : null,
      // Deprecated in favour of status, still answered.
      state: status.type,
      status: {
        id: uuidOf('57a70000', projectStatusCycle.indexOf(status.type) + 1),
        name: status.name,
        type: status.type,
        color: '#5e6ad2',
      },
      teams: { nodes: p.teams.map(teamNode), pageInfo: emptyPageInfo },
      lead: null,
    };
  };

  /** A cycle with every field the fake answers. */
  const cycleNodeOf = (c: LinearCycleItem) => {
    const now = Date.now();
    return {
      id: c.id,
      number: c.number,
      name: c.name,
      description: null,
      startsAt: iso(c.startsAt),
      endsAt: iso(c.endsAt),
      completedAt: iso(c.completedAt),
      createdAt: iso(c.created),
      updatedAt: iso(c.updated),
      archivedAt: iso(c.archived),
      autoArchivedAt: null,
      isActive: c.startsAt <= now && now < c.endsAt,
      isFuture: now < c.startsAt,
      isPast: c.endsAt <= now,
      progress: c.completedAt === undefined ? 0.5 : 1,
      team: teamNode(c.team),
    };
  };

  const liveItem = (id: string): LinearItem => {
    const i = itemsById.get(id);
    if (!i || i.trashed) throw new Error(`The Linear fake has no issue ${id}`);
    return i;
  };
  const liveProject = (id: string): LinearProjectItem => {
    const p = projectsById.get(id);
    if (!p || p.trashed) throw new Error(`The Linear fake has no project ${id}`);
    return p;
  };
  const knownCycle = (id: string): LinearCycleItem => {
    const c = cyclesById.get(id);
    if (!c) throw new Error(`The Linear fake has no cycle ${id}`);
    return c;
  };
  const instant = (value: string): number => {
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw new Error(`Not an instant: ${value}`);
    return t;
  };

  const addIssue = (team: LinearTeam, created: number, fields?: LinearIssueFields, projectId?: string) => {
    seq += 1;
    const item: LinearItem = {
      id: uuidOf('c0ffee00', seq),
      number: team.next++,
      team,
      seq,
      created,
      updated: created,
      archived: undefined,
      trashed: false,
      fields,
      ...(projectId ? { projectId } : {}),
    };
    items.push(item);
    itemsById.set(item.id, item);
    version++;
    hooks.issue('create', nodeOf(item));
    return item;
  };

  const dataControls: LinearDataControls = {
    seedIssues: (n, o = {}) => {
      const team = ensureTeam(o.team ?? 'ENG');
      const start = stamps(n);
      return Array.from({ length: n }, (_, j) => addIssue(team, start + j * 1000).id);
    },
    issueIds: (team) =>
      items
        .filter((i) => !i.trashed && (team === undefined || i.team.key === team.toUpperCase()))
        .map((i) => i.id),
    issue: (id) => {
      const i = itemsById.get(id);
      return i && !i.trashed ? nodeOf(i) : undefined;
    },
    updateIssue: (id, fields) => {
      const i = liveItem(id);
      const before = nodeOf(i);
      i.fields = { ...i.fields, ...fields };
      i.updated = tick();
      hooks.issue('update', nodeOf(i), before);
    },
    deleteIssue: (id) => {
      const i = liveItem(id);
      i.trashed = true;
      i.updated = tick();
      i.archived = i.updated;
      hooks.issue('remove', nodeOf(i));
    },
    archiveIssue: (id) => {
      const i = liveItem(id);
      const before = nodeOf(i);
      i.updated = tick();
      i.archived = i.updated;
      hooks.issue('update', nodeOf(i), before);
    },
    rateLimitNext: (n, secs) => {
      limitNext = { n, secs };
    },
    failNext: (n, status = 503) => {
      failures = { n, status };
    },
    refuseNext: (n = 1, message = linearRefusal) => {
      refusals = { n, message };
    },
    faultNext: (kind, secs = 30) => {
      if (kind === 'refuse') refusals = { n: 1, message: linearRefusal };
      else if (kind === 'down') failures = { n: 1, status: 503 };
      else limitNext = { n: 1, secs };
    },
    listCalls: () => listCount,
    issuesArguments: () => (argumentLogs.get('issues') ?? []).map((a) => structuredClone(a)),
    listArguments: (field) => (argumentLogs.get(field) ?? []).map((a) => structuredClone(a)),
    createInputs: () => createLog.map((a) => structuredClone(a)),
    team: (key) => teamNode(ensureTeam(key)),
    users,
    labelId: labelIdOf,

    seedProjects: (n, o = {}) => {
      const of = (o.teams ?? ['ENG']).map(ensureTeam);
      const start = stamps(n);
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        projectSeq += 1;
        const t = start + j * 1000;
        const p: LinearProjectItem = {
          id: uuidOf('b0a70000', projectSeq),
          seq: projectSeq,
          teams: of,
          created: t,
          updated: t,
          archived: undefined,
          trashed: false,
          fields: undefined,
        };
        projects.push(p);
        projectsById.set(p.id, p);
        ids.push(p.id);
        hooks.project('create', projectNodeOf(p));
      }
      version++;
      return ids;
    },
    projectIds: () => projects.filter((p) => !p.trashed).map((p) => p.id),
    project: (id) => {
      const p = projectsById.get(id);
      return p && !p.trashed ? projectNodeOf(p) : undefined;
    },
    updateProject: (id, fields) => {
      const p = liveProject(id);
      const before = projectNodeOf(p);
      p.fields = { ...p.fields, ...fields };
      p.updated = tick();
      hooks.project('update', projectNodeOf(p), before);
    },
    archiveProject: (id) => {
      const p = liveProject(id);
      const before = projectNodeOf(p);
      p.updated = tick();
      p.archived = p.updated;
      hooks.project('update', projectNodeOf(p), before);
    },
    deleteProject: (id) => {
      const p = liveProject(id);
      p.trashed = true;
      p.updated = tick();
      p.archived = p.updated;
      hooks.project('remove', projectNodeOf(p));
    },

    seedCycles: (n, o = {}) => {
      const team = ensureTeam(o.team ?? 'ENG');
      const length = (o.days ?? 14) * 86_400_000;
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const first = o.startsAt !== undefined ? instant(o.startsAt) : today - (n - 2) * length;
      const start = stamps(n);
      const now = Date.now();
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        cycleSeq += 1;
        team.cycles += 1;
        const startsAt = first + j * length;
        const endsAt = startsAt + length;
        const c: LinearCycleItem = {
          id: uuidOf('c1c1e000', cycleSeq),
          number: team.cycles,
          team,
          // Most cycles go by their number; some are named.
          name: cycleSeq % 3 === 0 ? `Sprint ${cycleSeq}` : null,
          startsAt,
          endsAt,
          completedAt: endsAt <= now ? endsAt : undefined,
          created: start + j * 1000,
          updated: start + j * 1000,
          archived: undefined,
        };
        cycles.push(c);
        cyclesById.set(c.id, c);
        ids.push(c.id);
        hooks.cycle('create', cycleNodeOf(c));
      }
      version++;
      return ids;
    },
    cycleIds: (team) =>
      cycles.filter((c) => team === undefined || c.team.key === team.toUpperCase()).map((c) => c.id),
    cycle: (id) => {
      const c = cyclesById.get(id);
      return c ? cycleNodeOf(c) : undefined;
    },
    updateCycle: (id, fields, o = {}) => {
      const c = knownCycle(id);
      const before = cycleNodeOf(c);
      if (fields.name !== undefined) c.name = fields.name;
      if (fields.startsAt !== undefined) c.startsAt = instant(fields.startsAt);
      if (fields.endsAt !== undefined) c.endsAt = instant(fields.endsAt);
      if (fields.completedAt !== undefined)
        c.completedAt = fields.completedAt === null ? undefined : instant(fields.completedAt);
      // Time moving a cycle along is no change anyone makes: no webhook for it.
      if (o.touch === false) version++;
      else {
        c.updated = tick();
        hooks.cycle('update', cycleNodeOf(c), before);
      }
    },
    archiveCycle: (id) => {
      const c = knownCycle(id);
      const before = cycleNodeOf(c);
      c.updated = tick();
      c.archived = c.updated;
      hooks.cycle('update', cycleNodeOf(c), before);
    },
  };

  // ---- Filters, as far as the fake reads them: https://linear.app/developers/filtering ----
  type Test<T> = (t: T) => boolean;
  const all =
    <T>(tests: Test<T>[]): Test<T> =>
    (t) =>
      tests.every((x) => x(t));

  const dateTest = (field: string, cmp: unknown): Test<number> => {
    if (typeof cmp !== 'object' || cmp === null) throw new GqlError(`Invalid filter for ${field}.`);
    return all(
      Object.entries(cmp).map(([op, raw]): Test<number> => {
        const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
        if (Number.isNaN(at))
          throw new GqlError(`Argument Validation Error: ${field}.${op} must be a DateTime.`);
        const ops: Record<string, Test<number>> = {
          eq: (ms) => ms === at,
          gt: (ms) => ms > at,
          gte: (ms) => ms >= at,
          lt: (ms) => ms < at,
          lte: (ms) => ms <= at,
        };
        const test = ops[op];
        if (!test) throw new GqlError(`This fake does not compare dates with ${op}.`);
        return test;
      }),
    );
  };
  const stringTest = (field: string, cmp: unknown): Test<string | null> => {
    if (typeof cmp !== 'object' || cmp === null) throw new GqlError(`Invalid filter for ${field}.`);
    return all(
      Object.entries(cmp).map(([op, raw]): Test<string | null> => {
        if (op === 'eq') return (s) => s === raw;
        if (op === 'neq') return (s) => s !== raw;
        if ((op === 'in' || op === 'nin') && Array.isArray(raw)) {
          return op === 'in' ? (s) => raw.includes(s) : (s) => !raw.includes(s);
        }
        throw new GqlError(`This fake does not compare ${field} with ${op}.`);
      }),
    );
  };
  const boolTest = (field: string, cmp: unknown): Test<boolean> => {
    const eq = typeof cmp === 'object' && cmp !== null ? (cmp as { eq?: unknown }).eq : undefined;
    if (typeof eq !== 'boolean' || Object.keys(cmp as object).length !== 1)
      throw new GqlError(`This fake compares ${field} with eq only.`);
    return (b) => b === eq;
  };
  /** A filter object: each key by `fields`, with `and` / `or` of the same filter. */
  const objectTest = <T>(
    type: string,
    filter: unknown,
    fields: Record<string, (cmp: unknown) => Test<T>>,
  ): Test<T> => {
    if (filter === null || filter === undefined) return () => true;
    if (typeof filter !== 'object' || Array.isArray(filter))
      throw new GqlError(`Argument Validation Error: a ${type} must be an object.`);
    return all(
      Object.entries(filter).map(([key, cmp]): Test<T> => {
        if ((key === 'and' || key === 'or') && Array.isArray(cmp)) {
          const parts = cmp.map((c) => objectTest(type, c, fields));
          return key === 'and' ? (t) => parts.every((p) => p(t)) : (t) => parts.some((p) => p(t));
        }
        const field = fields[key];
        if (!field) throw new GqlError(`This fake does not filter by ${key} in ${type}.`);
        return field(cmp);
      }),
    );
  };
  const teamTest = (filter: unknown): Test<LinearTeam> =>
    objectTest('TeamFilter', filter, {
      id: (c) => {
        const t = stringTest('team.id', c);
        return (team) => t(team.id);
      },
      key: (c) => {
        const t = stringTest('team.key', c);
        return (team) => t(team.key);
      },
    });
  const on =
    <T, V>(of: (t: T) => V, test: Test<V>): Test<T> =>
    (t) =>
      test(of(t));

  const issueTest = (filter: unknown): Test<LinearItem> =>
    objectTest('IssueFilter', filter, {
      updatedAt: (c) => on((i) => i.updated, dateTest('updatedAt', c)),
      createdAt: (c) => on((i) => i.created, dateTest('createdAt', c)),
      team: (c) => on((i) => i.team, teamTest(c)),
      state: (c) => {
        const state = (i: LinearItem) => {
          const s = fieldsOf(i).state;
          return typeof s === 'string' ? { name: stateNames[s], type: s } : s;
        };
        return objectTest<LinearItem>('WorkflowStateFilter', c, {
          type: (x) => on((i) => state(i).type, stringTest('state.type', x)),
          name: (x) => on((i) => state(i).name, stringTest('state.name', x)),
        });
      },
      assignee: (c) => {
        const assignee = (i: LinearItem) => nodeOf(i).assignee;
        return objectTest<LinearItem>('NullableUserFilter', c, {
          id: (x) => on((i) => assignee(i)?.id ?? null, stringTest('assignee.id', x)),
          email: (x) => on((i) => assignee(i)?.email ?? null, stringTest('assignee.email', x)),
          name: (x) => on((i) => assignee(i)?.name ?? null, stringTest('assignee.name', x)),
          isMe: (x) => on((i) => assignee(i)?.id === viewer.id, boolTest('assignee.isMe', x)),
          null: (x) => (i) => (assignee(i) === null) === x,
        });
      },
    });
  const projectTest = (filter: unknown): Test<LinearProjectItem> =>
    objectTest('ProjectFilter', filter, {
      updatedAt: (c) => on((p) => p.updated, dateTest('updatedAt', c)),
      createdAt: (c) => on((p) => p.created, dateTest('createdAt', c)),
      accessibleTeams: (c) =>
        objectTest<LinearProjectItem>('TeamCollectionFilter', c, {
          some: (x) => {
            const t = teamTest(x);
            return (p) => p.teams.some(t);
          },
          every: (x) => {
            const t = teamTest(x);
            return (p) => p.teams.every(t);
          },
        }),
    });
  const cycleTest = (filter: unknown): Test<LinearCycleItem> =>
    objectTest('CycleFilter', filter, {
      updatedAt: (c) => on((x) => x.updated, dateTest('updatedAt', c)),
      createdAt: (c) => on((x) => x.created, dateTest('createdAt', c)),
      startsAt: (c) => on((x) => x.startsAt, dateTest('startsAt', c)),
      endsAt: (c) => on((x) => x.endsAt, dateTest('endsAt', c)),
      team: (c) => on((x) => x.team, teamTest(c)),
    });

  // ---- Connections: https://linear.app/developers/pagination ----
  type Row = { id: string; created: number; updated: number; archived?: number | undefined };
  const cursorOf = (i: Row, orderBy: string) =>
    Buffer.from(JSON.stringify({ v: orderBy === 'updatedAt' ? i.updated : i.created, id: i.id })).toString(
      'base64url',
    );
  const cached = new Map<string, { key: string; version: number; list: Row[] }>();

  const resolveList = <T extends Row>(
    f: GqlField,
    variables: Record<string, unknown>,
    rows: T[],
    testOf: (filter: unknown) => Test<T>,
    nodeOfRow: (t: T) => unknown,
  ) => {
    const args = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, resolveValue(v, variables)]));
    const log = argumentLogs.get(f.name) ?? [];
    log.push(args);
    argumentLogs.set(f.name, log);
    for (const k of Object.keys(args)) {
      if (!['first', 'after', 'filter', 'orderBy', 'includeArchived'].includes(k)) {
        throw new GqlError(`This fake does not take the argument ${k} on ${f.name}.`);
      }
    }
    const first = args.first ?? 50;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > 250) {
      throw new GqlError('Argument Validation Error: first must be an integer between 1 and 250.');
    }
    const orderBy = args.orderBy ?? 'createdAt';
    if (orderBy !== 'createdAt' && orderBy !== 'updatedAt') {
      throw new GqlError(`Value "${String(orderBy)}" does not exist in "PaginationOrderBy" enum.`);
    }
    const includeArchived = args.includeArchived === true;
    const of = (i: Row) => (orderBy === 'updatedAt' ? i.updated : i.created);
    const key = JSON.stringify([args.filter ?? null, orderBy, includeArchived]);
    let entry = cached.get(f.name);
    if (entry?.key !== key || entry.version !== version) {
      const test = testOf(args.filter);
      // Newest first, as Linear answers.
      const list = rows
        .filter((i) => (includeArchived || i.archived === undefined) && test(i))
        .sort((a, b) => of(b) - of(a) || (a.id < b.id ? 1 : -1));
      entry = { key, version, list };
      cached.set(f.name, entry);
    }
    const list = entry.list as T[];
    let start = 0;
    if (typeof args.after === 'string') {
      let at: { v?: unknown; id?: unknown } | undefined;
      try {
        at = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8')) as {
          v?: unknown;
          id?: unknown;
        };
      } catch {
        at = undefined;
      }
      if (typeof at?.v !== 'number' || typeof at.id !== 'string') {
        throw new GqlError('Argument Validation Error: after is not a valid cursor.');
      }
      const v = at.v;
      const id = at.id;
      // Keyset: the first one past the cursor's (value, id), wherever the list moved since.
      start = list.findIndex((i) => of(i) < v || (of(i) === v && i.id < id));
      if (start < 0) start = list.length;
    }
    const page = list.slice(start, start + first);
    const nodes = page.map(nodeOfRow);
    const last = page.at(-1);
    const firstItem = page[0];
    return {
      nodes,
      edges: page.map((i, k) => ({ node: nodes[k], cursor: cursorOf(i, orderBy) })),
      pageInfo: {
        hasNextPage: start + first < list.length,
        hasPreviousPage: start > 0,
        startCursor: firstItem ? cursorOf(firstItem, orderBy) : null,
        endCursor: last ? cursorOf(last, orderBy) : null,
      },
    };
  };

  const gqlFailure = (message: string) =>
    reply(400, {
      errors: [
        {
          message,
          extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', statusCode: 400 },
        },
      ],
    });

  /** A mutation's refusal: INVALID_INPUT, the payload field null, on HTTP 200. */
  class InvalidInput extends Error {
    constructor(
      message: string,
      readonly userPresentableMessage: string,
    ) {
      super(message);
    }
  }

  // https://linear.app/developers/graphql#creating-and-editing-issues
  const issueCreate = (f: GqlField, variables: Record<string, unknown>) => {
    const input = resolveValue(f.args.input ?? null, variables);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new GqlError('Variable "$input" of required type "IssueCreateInput!" was not provided.');
    }
    const given = input as Record<string, unknown>;
    createLog.push(given);
    const known = ['teamId', 'title', 'description', 'priority', 'labelIds', 'assigneeId', 'projectId'];
    for (const k of Object.keys(given)) {
      if (!known.includes(k)) throw new GqlError(`This fake does not take ${k} in IssueCreateInput.`);
    }
    const notFound = (entity: string) =>
      new InvalidInput(`Entity not found: ${entity}`, `Could not find referenced ${entity}.`);
    const team = [...teams.values()].find((t) => t.id === given.teamId);
    if (typeof given.teamId !== 'string' || !/^[0-9a-f-]{36}$/.test(given.teamId))
      throw new InvalidInput('Argument Validation Error', 'teamId must be a UUID.');
    if (!team) throw notFound('Team');
    if (typeof given.title !== 'string' || given.title.trim() === '')
      throw new InvalidInput('Argument Validation Error', 'Title is required.');
    const priority = given.priority ?? 0;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 4)
      throw new InvalidInput('Argument Validation Error', 'priority must be an integer between 0 and 4.');
    const user = given.assigneeId === undefined ? undefined : users.find((u) => u.id === given.assigneeId);
    if (given.assigneeId !== undefined && !user) throw notFound('User');
    const labelIds = Array.isArray(given.labelIds) ? given.labelIds : [];
    const labels = labelIds.map((id) => labelNames.find((name) => labelIdOf(name) === id));
    if (labels.some((l) => l === undefined)) throw notFound('IssueLabel');
    const linked = typeof given.projectId === 'string' ? projectsById.get(given.projectId) : undefined;
    if (given.projectId !== undefined && (!linked || linked.trashed)) throw notFound('Project');
    const item = addIssue(
      team,
      tick(),
      {
        title: given.title,
        description: typeof given.description === 'string' ? given.description : null,
        state: 'backlog',
        assignee: user?.name ?? null,
        labels: labels.filter((l): l is string => l !== undefined),
        dueDate: null,
        priority,
      },
      linked?.id,
    );
    return { success: true, lastSyncId: version, issue: nodeOf(item) };
  };

  const LIST_FIELDS = /\b(issues|projects|cycles|teams|issueCreate)\s*[({]/;

  /** A request for data (anything but the viewer query): answered from the dataset. */
  const dataRequest = (req: FakeRequest): FakeReply | undefined => {
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(req.body) as { query?: unknown; variables?: unknown };
    } catch {
      return undefined;
    }
    const query = typeof body.query === 'string' ? body.query : '';
    if (!LIST_FIELDS.test(query)) return undefined;
    listCount += 1;
    if (limitNext && limitNext.n > 0) {
      limitNext.n -= 1;
      const r = limits(
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
      return {
        ...r,
        headers: { ...r.headers, 'x-ratelimit-requests-reset': String(Date.now() + limitNext.secs * 1000) },
      };
    }
    if (failures && failures.n > 0) {
      failures.n -= 1;
      return reply(failures.status, {
        errors: [{ message: 'Service Unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    }
    if (refusals && refusals.n > 0) {
      refusals.n -= 1;
      return limits(
        reply(400, {
          errors: [
            {
              message: 'Forbidden',
              extensions: {
                type: 'forbidden',
                code: 'FORBIDDEN',
                statusCode: 403,
                userError: true,
                userPresentableMessage: refusals.message,
              },
            },
          ],
          data: null,
        }),
        4998,
      );
    }
    try {
      const doc = parseGraphQL(query);
      const given =
        typeof body.variables === 'object' && body.variables !== null
          ? (body.variables as Record<string, unknown>)
          : {};
      const variables: Record<string, unknown> = {
        ...Object.fromEntries(Object.entries(doc.defaults).map(([k, v]) => [k, resolveValue(v, {})])),
        ...given,
      };
      const data: Record<string, unknown> = {};
      for (const f of doc.fields) {
        if (doc.operation === 'mutation') {
          if (f.name !== 'issueCreate')
            throw new GqlError(`Cannot query field "${f.name}" on type "Mutation".`);
          data[f.alias] = project(issueCreate(f, variables), f.selections, 'IssuePayload');
        } else if (f.name === 'issues')
          data[f.alias] = project(
            resolveList(f, variables, items, issueTest, nodeOf),
            f.selections,
            'IssueConnection',
          );
        else if (f.name === 'projects')
          data[f.alias] = project(
            resolveList(f, variables, projects, projectTest, projectNodeOf),
            f.selections,
            'ProjectConnection',
          );
        else if (f.name === 'cycles')
          data[f.alias] = project(
            resolveList(f, variables, cycles, cycleTest, cycleNodeOf),
            f.selections,
            'CycleConnection',
          );
        else if (f.name === 'teams')
          data[f.alias] = project(
            resolveList(
              f,
              variables,
              [...teams.values()].map((t) => ({ id: t.id, created: t.created, updated: t.created, team: t })),
              (filter) => on((r) => r.team, teamTest(filter)),
              (r) => teamNode(r.team),
            ),
            f.selections,
            'TeamConnection',
          );
        else if (f.name === 'viewer') data[f.alias] = project(viewer, f.selections, 'User');
        else if (f.name === 'organization')
          data[f.alias] = project(organization, f.selections, 'Organization');
        else throw new GqlError(`Cannot query field "${f.name}" on type "Query".`);
      }
      return limits(reply(200, { data }), 4999);
    } catch (e) {
      if (e instanceof GqlError) return gqlFailure(e.message);
      if (e instanceof InvalidInput) {
        return limits(
          reply(200, {
            errors: [
              {
                message: e.message,
                path: ['issueCreate'],
                extensions: {
                  type: 'invalid input',
                  code: 'INVALID_INPUT',
                  statusCode: 400,
                  userError: true,
                  userPresentableMessage: e.userPresentableMessage,
                },
              },
            ],
            data: null,
          }),
          4999,
        );
      }
      throw e;
    }
  };

  let revocations = 0;
  const server = await startFakeServer(
    (req) => {
      if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/oauth/token') return token(req);
      // https://linear.app/developers/oauth-2-0-authentication#revoke-an-access-token
      if (req.method === 'POST' && req.path === '/oauth/revoke') {
        const t = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        if (grants.accessState(t)?.state !== 'valid' || !grants.revokeGrant(t)) {
          return reply(400, {
            error: 'invalid_token',
            error_description: 'Token not found or already revoked',
          });
        }
        revocations += 1;
        return reply(200, { success: true });
      }
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
      const listed = dataRequest(req);
      if (listed) return listed;
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
    ...dataControls,
    ...hooks.controls,
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
    revocations: () => revocations,
    authorizationUrl: `${server.url}/oauth/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: grants.expireAccessTokens,
  };
};
