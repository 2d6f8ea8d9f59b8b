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
  RefreshControls &
  LinearDataControls & {
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
};

/** The dataset behind the `issues` connection, and the switches a sync test or benchmark needs. */
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
  /** `issues` queries received, answered or not. */
  listCalls(): number;
  /** The arguments of each `issues` query received (variables resolved), in order. */
  issuesArguments(): Record<string, unknown>[];
};

type LinearTeam = { id: string; key: string; name: string; next: number };
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
});

/** A deterministic UUID (v4 layout) from a number. */
const uuidOf = (prefix: string, n: number) => {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}-0000-4000-8000-${hex}`;
};

/**
 * Just enough GraphQL for the fake: one operation, selection sets with aliases and arguments,
 * values with variables, lists and objects. No fragments, directives or mutations.
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

const parseGraphQL = (source: string): { fields: GqlField[]; defaults: Record<string, GqlValue> } => {
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
  if (peek()?.kind === 'name') {
    const op = take().value;
    if (op !== 'query') throw new GqlError(`This fake answers queries only, not ${op}.`);
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
  return { fields, defaults };
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

  // ---- The dataset behind the issues connection ----
  const teams = new Map<string, LinearTeam>();
  const items: LinearItem[] = [];
  const itemsById = new Map<string, LinearItem>();
  let seq = 0;
  /** The last timestamp handed out (ms, whole seconds): never goes back. */
  let clock = 0;
  let version = 0;
  let listCount = 0;
  const argumentLog: Record<string, unknown>[] = [];
  let limitNext: { n: number; secs: number } | undefined;
  let failures: { n: number; status: number } | undefined;

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
    const t = { id: uuidOf('7e4a0000', teams.size + 1), key: upper, name: `${upper} team`, next: 1 };
    teams.set(upper, t);
    return t;
  };
  ensureTeam('ENG');

  const fieldsOf = (i: LinearItem): Required<LinearIssueFields> => ({
    ...seededLinearFields(i.seq, `${i.team.key}-${i.number}`),
    ...i.fields,
  });
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

  /** An issue with every field the fake answers (a query gets the ones it selects). */
  const nodeOf = (i: LinearItem) => {
    const f = fieldsOf(i);
    const identifier = `${i.team.key}-${i.number}`;
    const state = typeof f.state === 'string' ? { name: stateNames[f.state], type: f.state } : f.state;
    return {
      id: i.id,
      identifier,
      number: i.number,
      title: f.title,
      description: f.description,
      priority: i.seq % 5,
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
            id: f.assignee === viewer.name ? viewer.id : uuidOf('a551e000', f.assignee.length),
            name: f.assignee,
            displayName: f.assignee.split(' ')[0]?.toLowerCase() ?? '',
            email: `${f.assignee.split(' ')[0]?.toLowerCase()}@acme.com`,
            active: true,
          }
        : null,
      labels: {
        nodes: f.labels.map((name) => ({ id: uuidOf('1abe1000', name.length), name, color: '#eb5757' })),
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      },
      team: { id: i.team.id, key: i.team.key, name: i.team.name },
    };
  };

  const liveItem = (id: string): LinearItem => {
    const i = itemsById.get(id);
    if (!i || i.trashed) throw new Error(`The Linear fake has no issue ${id}`);
    return i;
  };

  const dataControls: LinearDataControls = {
    seedIssues: (n, o = {}) => {
      const team = ensureTeam(o.team ?? 'ENG');
      const start = stamps(n);
      const ids: string[] = [];
      for (let j = 0; j < n; j++) {
        seq += 1;
        const t = start + j * 1000;
        const item: LinearItem = {
          id: uuidOf('c0ffee00', seq),
          number: team.next++,
          team,
          seq,
          created: t,
          updated: t,
          archived: undefined,
          trashed: false,
          fields: undefined,
        };
        items.push(item);
        itemsById.set(item.id, item);
        ids.push(item.id);
      }
      version++;
      return ids;
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
      i.fields = { ...i.fields, ...fields };
      i.updated = tick();
    },
    deleteIssue: (id) => {
      const i = liveItem(id);
      i.trashed = true;
      i.updated = tick();
      i.archived = i.updated;
    },
    archiveIssue: (id) => {
      const i = liveItem(id);
      i.updated = tick();
      i.archived = i.updated;
    },
    rateLimitNext: (n, secs) => {
      limitNext = { n, secs };
    },
    failNext: (n, status = 503) => {
      failures = { n, status };
    },
    listCalls: () => listCount,
    issuesArguments: () => argumentLog.map((a) => structuredClone(a)),
  };

  const dateTest = (field: string, cmp: unknown): ((ms: number) => boolean) => {
    if (typeof cmp !== 'object' || cmp === null) throw new GqlError(`Invalid filter for ${field}.`);
    const tests = Object.entries(cmp).map(([op, raw]): ((ms: number) => boolean) => {
      const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      if (Number.isNaN(at))
        throw new GqlError(`Argument Validation Error: ${field}.${op} must be a DateTime.`);
      const ops: Record<string, (ms: number) => boolean> = {
        eq: (ms) => ms === at,
        gt: (ms) => ms > at,
        gte: (ms) => ms >= at,
        lt: (ms) => ms < at,
        lte: (ms) => ms <= at,
      };
      const test = ops[op];
      if (!test) throw new GqlError(`This fake does not compare dates with ${op}.`);
      return test;
    });
    return (ms) => tests.every((t) => t(ms));
  };
  const stringTest = (field: string, cmp: unknown): ((s: string) => boolean) => {
    if (typeof cmp !== 'object' || cmp === null) throw new GqlError(`Invalid filter for ${field}.`);
    const tests = Object.entries(cmp).map(([op, raw]): ((s: string) => boolean) => {
      if (op === 'eq') return (s) => s === raw;
      if (op === 'neq') return (s) => s !== raw;
      if ((op === 'in' || op === 'nin') && Array.isArray(raw)) {
        return op === 'in' ? (s) => raw.includes(s) : (s) => !raw.includes(s);
      }
      throw new GqlError(`This fake does not compare ${field} with ${op}.`);
    });
    return (s) => tests.every((t) => t(s));
  };
  /** IssueFilter, as far as the fake reads it. https://linear.app/developers/filtering */
  const issueTest = (filter: unknown): ((i: LinearItem) => boolean) => {
    if (filter === null || filter === undefined) return () => true;
    if (typeof filter !== 'object')
      throw new GqlError('Argument Validation Error: filter must be an object.');
    const tests = Object.entries(filter).map(([key, cmp]): ((i: LinearItem) => boolean) => {
      if (key === 'updatedAt') {
        const t = dateTest(key, cmp);
        return (i) => t(i.updated);
      }
      if (key === 'createdAt') {
        const t = dateTest(key, cmp);
        return (i) => t(i.created);
      }
      if (key === 'team' && typeof cmp === 'object' && cmp !== null) {
        const parts = Object.entries(cmp).map(([field, c]): ((i: LinearItem) => boolean) => {
          if (field !== 'key' && field !== 'id')
            throw new GqlError(`This fake does not filter teams by ${field}.`);
          const t = stringTest(`team.${field}`, c);
          return (i) => t(field === 'key' ? i.team.key : i.team.id);
        });
        return (i) => parts.every((p) => p(i));
      }
      if (key === 'and' && Array.isArray(cmp)) {
        const parts = cmp.map(issueTest);
        return (i) => parts.every((p) => p(i));
      }
      throw new GqlError(`This fake does not filter issues by ${key}.`);
    });
    return (i) => tests.every((t) => t(i));
  };

  const cursorOf = (i: LinearItem, orderBy: string) =>
    Buffer.from(JSON.stringify({ v: orderBy === 'updatedAt' ? i.updated : i.created, id: i.id })).toString(
      'base64url',
    );
  let cached: { key: string; version: number; list: LinearItem[] } | undefined;

  // https://linear.app/developers/pagination
  const resolveIssues = (f: GqlField, variables: Record<string, unknown>) => {
    const args = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, resolveValue(v, variables)]));
    argumentLog.push(args);
    for (const k of Object.keys(args)) {
      if (!['first', 'after', 'filter', 'orderBy', 'includeArchived'].includes(k)) {
        throw new GqlError(`This fake does not take the argument ${k} on issues.`);
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
    const key = JSON.stringify([args.filter ?? null, orderBy, includeArchived]);
    if (cached?.key !== key || cached.version !== version) {
      const test = issueTest(args.filter);
      const of = (i: LinearItem) => (orderBy === 'updatedAt' ? i.updated : i.created);
      // Newest first, as Linear answers.
      const list = items
        .filter((i) => (includeArchived || i.archived === undefined) && test(i))
        .sort((a, b) => of(b) - of(a) || (a.id < b.id ? 1 : -1));
      cached = { key, version, list };
    }
    const list = cached.list;
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
      const of = (i: LinearItem) => (orderBy === 'updatedAt' ? i.updated : i.created);
      // Keyset: the first one past the cursor's (value, id), wherever the list moved since.
      start = list.findIndex((i) => of(i) < v || (of(i) === v && i.id < id));
      if (start < 0) start = list.length;
    }
    const page = list.slice(start, start + first);
    const nodes = page.map(nodeOf);
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

  /** A query selecting `issues`: answered from the dataset (other queries go on to the viewer). */
  const issuesQuery = (req: FakeRequest): FakeReply | undefined => {
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(req.body) as { query?: unknown; variables?: unknown };
    } catch {
      return undefined;
    }
    const query = typeof body.query === 'string' ? body.query : '';
    if (!/\bissues\s*[({]/.test(query)) return undefined;
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
        if (f.name === 'issues')
          data[f.alias] = project(resolveIssues(f, variables), f.selections, 'IssueConnection');
        else if (f.name === 'viewer') data[f.alias] = project(viewer, f.selections, 'User');
        else if (f.name === 'organization')
          data[f.alias] = project(organization, f.selections, 'Organization');
        else throw new GqlError(`Cannot query field "${f.name}" on type "Query".`);
      }
      return limits(reply(200, { data }), 4999);
    } catch (e) {
      if (e instanceof GqlError) return gqlFailure(e.message);
      throw e;
    }
  };

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
      const listed = issuesQuery(req);
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
