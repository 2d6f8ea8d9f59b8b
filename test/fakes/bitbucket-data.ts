import { randomUUID } from 'node:crypto';
import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * The data side of the Bitbucket Cloud fake: workspaces, repositories, their pull requests and
 * comments, and the REST 2.0 endpoints over them, in Bitbucket's wire format — paginated answers
 * `{pagelen, size, page, next, previous, values}` whose `next` is an absolute URL keeping the
 * query (page numbers on most lists; opaque page tokens and no `size` on the listing of the
 * user's repositories), `state` repeatable (OPEN only without it), `sort`, BBQL filters in `q`
 * (date-times unquoted with a numeric offset, strings in double quotes), and error bodies
 * `{"type": "error", "error": {"message", "detail"?, "fields"?}}`. Timestamps as Bitbucket
 * writes them: microseconds and `+00:00`.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/
 */

export type BitbucketRepoOptions = {
  name?: string;
  description?: string;
  isPrivate?: boolean;
  /** Whether the fake's user has explicit access (default true); others show only when public. */
  member?: boolean;
  /** Null: nothing pushed yet. */
  mainbranch?: string | null;
};

export type BitbucketPullFields = {
  title?: string;
  description?: string;
  state?: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  draft?: boolean;
  author?: string;
  reviewers?: string[];
  source_branch?: string;
  destination_branch?: string;
};

/**
 * What the next API request answers: `refuse` — 403 for a missing OAuth scope; `down` — 500;
 * `rate_limit` — Bitbucket's 429 (plain text, no Retry-After: its window is a rolling hour).
 */
export type BitbucketFailure = 'refuse' | 'down' | 'rate_limit';

export type BitbucketDataControls = {
  /** A repository at `fullName` (`workspace/slug`), created or changed; returns its UUID (in braces). */
  addRepo(fullName: string, options?: BitbucketRepoOptions): string;
  /** `n` repositories in `workspace` (default acme) without pull requests; returns their UUIDs. */
  seedRepos(n: number, options?: BitbucketRepoOptions & { workspace?: string }): string[];
  /**
   * Adds `n` pull requests to `repo` (created on first use; default acme/payments-api), a
   * second apart, the batch ending about now, in every state (drafts among the open ones).
   * Returns their ids within the repository.
   */
  seedPullRequests(n: number, options?: { repo?: string }): number[];
  /** Changes a pull request and bumps its updated_on. */
  updatePullRequest(repo: string, id: number, fields: BitbucketPullFields): void;
  /** Deletes a repository with its pull requests. */
  deleteRepo(repo: string): void;
  /** A repository, pull request or its comments as the REST API answers them; undefined when there is none. */
  repo(fullName: string): Record<string, unknown> | undefined;
  pullRequest(repo: string, id: number): Record<string, unknown> | undefined;
  comments(repo: string, id: number): Record<string, unknown>[];
  /** Ids of a repository's pull requests, in creation order. */
  pullRequestIds(repo: string): number[];
  /** UUIDs of the repositories, members' only unless `all`, in creation order. */
  repoUuids(options?: { all?: boolean }): string[];
  /** The next API request (any endpoint) answers `kind`; calls queue up. Bitbucket sends no wait. */
  failNext(kind: BitbucketFailure, retryAfterSeconds?: number): void;
};

type FakeRepo = {
  uuid: string;
  workspace: string;
  slug: string;
  options: Required<BitbucketRepoOptions>;
  created: number;
  updated: number;
  pulls: FakePull[];
};

type FakePull = {
  id: number;
  repo: FakeRepo;
  created: number;
  updated: number;
  fields: Required<BitbucketPullFields>;
  comments: { id: number; raw: string; user: string; created: number }[];
};

const WEB = 'https://bitbucket.org';
/** Bitbucket's instants: `2026-06-18T18:56:38.341875+00:00`. */
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}875+00:00`;
const braced = () => `{${randomUUID()}}`;

const error = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  reply(status, { type: 'error', error: { message, ...extra } });

const noRepo = () =>
  error(
    404,
    'You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.',
  );

const accountOf = (nickname: string) => {
  const uuid = `{${[...nickname]
    .reduce((a, c) => a * 31 + c.charCodeAt(0), 7)
    .toString(16)
    .padStart(8, '0')
    .slice(-8)}-0000-4000-8000-000000000000}`;
  return {
    type: 'user',
    display_name: nickname === 'jdoe' ? 'Jane Doe' : nickname[0]?.toUpperCase() + nickname.slice(1),
    uuid,
    account_id: `712020:${uuid.slice(1, 9)}`,
    nickname,
    links: {
      self: { href: `https://api.bitbucket.org/2.0/users/${encodeURIComponent(uuid)}` },
      avatar: {
        href: `https://avatar-management.example/initials/${nickname.slice(0, 2).toUpperCase()}.png`,
      },
      html: { href: `${WEB}/${encodeURIComponent(uuid)}/` },
    },
  };
};

const states = ['OPEN', 'OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED', 'OPEN'] as const;
const seededPull = (seq: number): Required<BitbucketPullFields> => {
  const state = states[seq % 6] ?? 'OPEN';
  const draft = state === 'OPEN' && seq % 6 === 1;
  return {
    title: `Pull request ${seq}`,
    description: seq % 7 === 0 ? '' : `Changes of pull request ${seq}.`,
    state,
    draft,
    author: seq % 2 === 0 ? 'jdoe' : 'alice',
    reviewers: seq % 3 === 0 ? ['alice'] : [],
    source_branch: `feature/pr-${seq}`,
    destination_branch: 'main',
  };
};

const intParam = (q: URLSearchParams, name: string, fallback: number): number | undefined => {
  const raw = q.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
};

type Filter = (item: Record<string, number | string>) => boolean;

/**
 * BBQL, the part of it the fake's lists need: `field op value` terms joined by AND; date-times
 * unquoted (ISO 8601 with a numeric offset), strings in double quotes.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 */
const bbql = (q: string | null, fields: Record<string, 'datetime' | 'string'>): Filter | FakeReply => {
  if (q === null || q.trim() === '') return () => true;
  const terms: Filter[] = [];
  for (const term of q.trim().split(/\s+AND\s+/i)) {
    const m = /^([\w.]+)\s*(>=|<=|!=|=|>|<)\s*(.+)$/.exec(term.trim());
    if (!m) return error(400, `Invalid filter query expression: ${q}`);
    const [, field = '', op = '', raw = ''] = m;
    const kind = fields[field];
    if (!kind) return error(400, `Field "${field}" does not support filtering`);
    let value: number | string;
    if (kind === 'datetime') {
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2})?)?$/.test(raw)) {
        const bad = /[^\d\-T:.+]/.exec(raw)?.[0] ?? raw;
        return error(400, `Invalid filter query expression: Illegal character in input: '${bad}', line: 1`);
      }
      value = Date.parse(raw.length === 10 ? `${raw}T00:00:00+00:00` : raw);
    } else {
      const s = /^"(.*)"$/.exec(raw);
      if (!s) return error(400, `Invalid filter query expression: ${q}`);
      value = s[1] ?? '';
    }
    terms.push((item) => {
      const v = item[field] ?? '';
      switch (op) {
        case '=':
          return v === value;
        case '!=':
          return v !== value;
        case '>':
          return v > value;
        case '>=':
          return v >= value;
        case '<':
          return v < value;
        default:
          return v <= value;
      }
    });
  }
  return (item) => terms.every((t) => t(item));
};

export const createBitbucketData = (baseUrl: () => string) => {
  const repos = new Map<string, FakeRepo>(); // by lowercased full name
  const failures: BitbucketFailure[] = [];
  const workspaceUuids = new Map<string, string>();
  let pullSeq = 0;
  let commentSeq = 500_000_000;
  let repoSeq = 0;
  /** The last timestamp handed out (ms): never goes back. */
  let clock = 0;
  const nowSecond = () => Math.floor(Date.now() / 1000) * 1000;
  /** `count` timestamps a second apart, after every earlier one, the last about now (with a fraction). */
  const stamps = (count: number): number => {
    const start = Math.max(clock + 1000, nowSecond() - (count - 1) * 1000 + 341);
    clock = start + (count - 1) * 1000;
    return start;
  };
  const tick = (after: number): number => {
    const t = Math.max(clock + 1000, nowSecond() + 341, after + 1000);
    clock = t;
    return t;
  };

  const fullNameOf = (r: FakeRepo) => `${r.workspace}/${r.slug}`;
  const workspaceJson = (slug: string) => {
    if (!workspaceUuids.has(slug)) workspaceUuids.set(slug, braced());
    return {
      type: 'workspace',
      uuid: workspaceUuids.get(slug),
      name: slug[0]?.toUpperCase() + slug.slice(1),
      slug,
      links: {
        avatar: { href: `${WEB}/workspaces/${slug}/avatar/` },
        html: { href: `${WEB}/${slug}/` },
        self: { href: `${baseUrl()}/2.0/workspaces/${slug}` },
      },
    };
  };

  const ensureRepo = (fullName: string): FakeRepo => {
    const found = repos.get(fullName.toLowerCase());
    if (found) return found;
    const [workspace = 'acme', slug = fullName] = fullName.split('/');
    const t = stamps(1);
    repoSeq += 1;
    const r: FakeRepo = {
      uuid: braced(),
      workspace,
      slug,
      options: {
        name: slug,
        description: `The ${slug} repository.`,
        isPrivate: true,
        member: true,
        mainbranch: 'main',
      },
      created: t,
      updated: t,
      pulls: [],
    };
    repos.set(fullName.toLowerCase(), r);
    return r;
  };
  const visible = (r: FakeRepo) => r.options.member || !r.options.isPrivate;

  const repoJson = (r: FakeRepo) => {
    const o = r.options;
    const api = `${baseUrl()}/2.0/repositories/${fullNameOf(r)}`;
    const ws = workspaceJson(r.workspace);
    return {
      type: 'repository',
      full_name: fullNameOf(r),
      links: {
        self: { href: api },
        html: { href: `${WEB}/${fullNameOf(r)}` },
        avatar: { href: `https://bytebucket.org/ravatar/${encodeURIComponent(r.uuid)}?ts=default` },
        pullrequests: { href: `${api}/pullrequests` },
        commits: { href: `${api}/commits` },
        forks: { href: `${api}/forks` },
        watchers: { href: `${api}/watchers` },
        branches: { href: `${api}/refs/branches` },
        tags: { href: `${api}/refs/tags` },
        downloads: { href: `${api}/downloads` },
        source: { href: `${api}/src` },
        clone: [
          { name: 'https', href: `https://jdoe@bitbucket.org/${fullNameOf(r)}.git` },
          { name: 'ssh', href: `git@bitbucket.org:${fullNameOf(r)}.git` },
        ],
        hooks: { href: `${api}/hooks` },
      },
      name: o.name,
      slug: r.slug,
      description: o.description,
      scm: 'git',
      website: null,
      owner: { ...ws, type: 'team', display_name: ws.name, username: r.workspace },
      workspace: ws,
      is_private: o.isPrivate,
      project: {
        type: 'project',
        key: r.workspace.slice(0, 3).toUpperCase(),
        uuid: `{00000000-0000-4000-8000-${String(r.workspace.length).padStart(12, '0')}}`,
        name: 'Main',
        links: { html: { href: `${WEB}/${r.workspace}/workspace/projects/MAIN` } },
      },
      fork_policy: 'no_public_forks',
      created_on: iso(r.created),
      updated_on: iso(r.updated),
      size: 10_240 + repoSeq,
      language: 'typescript',
      uuid: r.uuid,
      mainbranch: o.mainbranch === null ? null : { name: o.mainbranch, type: 'branch' },
      override_settings: { default_merge_strategy: true, branching_model: true },
      parent: null,
      enforced_signed_commits: null,
      has_issues: false,
      has_wiki: false,
    };
  };

  const endpointJson = (r: FakeRepo, branch: string) => ({
    branch: { name: branch },
    commit: {
      hash: 'a91957a85832',
      type: 'commit',
      links: { self: { href: `${baseUrl()}/2.0/repositories/${fullNameOf(r)}/commit/a91957a85832` } },
    },
    repository: {
      type: 'repository',
      full_name: fullNameOf(r),
      links: { html: { href: `${WEB}/${fullNameOf(r)}` } },
      name: r.options.name,
      uuid: r.uuid,
    },
  });

  /** `detail`: the answer for one pull request (with reviewers and participants), not a list's. */
  const pullJson = (p: FakePull, detail = false) => {
    const f = p.fields;
    const r = p.repo;
    const api = `${baseUrl()}/2.0/repositories/${fullNameOf(r)}/pullrequests/${p.id}`;
    const closed = f.state !== 'OPEN';
    return {
      comment_count: p.comments.length,
      task_count: 0,
      type: 'pullrequest',
      id: p.id,
      title: f.title,
      description: f.description,
      rendered: {
        title: { type: 'rendered', raw: f.title, markup: 'markdown', html: `<p>${f.title}</p>` },
        description: {
          type: 'rendered',
          raw: f.description,
          markup: 'markdown',
          html: `<p>${f.description}</p>`,
        },
      },
      state: f.state,
      draft: f.draft,
      merge_commit: f.state === 'MERGED' ? { type: 'commit', hash: 'be6e8e9f5c1a' } : null,
      close_source_branch: true,
      closed_by: closed ? accountOf('jdoe') : null,
      author: accountOf(f.author),
      reason: f.state === 'DECLINED' ? 'Not needed any more.' : '',
      created_on: iso(p.created),
      updated_on: iso(p.updated),
      destination: endpointJson(r, f.destination_branch),
      source: endpointJson(r, f.source_branch),
      links: {
        self: { href: api },
        html: { href: `${WEB}/${fullNameOf(r)}/pull-requests/${p.id}` },
        commits: { href: `${api}/commits` },
        approve: { href: `${api}/approve` },
        diff: { href: `${api}/diff` },
        diffstat: { href: `${api}/diffstat` },
        comments: { href: `${api}/comments` },
        activity: { href: `${api}/activity` },
        merge: { href: `${api}/merge` },
        decline: { href: `${api}/decline` },
      },
      summary: { type: 'rendered', raw: f.description, markup: 'markdown', html: `<p>${f.description}</p>` },
      ...(detail
        ? {
            reviewers: f.reviewers.map(accountOf),
            participants: f.reviewers.map((u) => ({
              type: 'participant',
              user: accountOf(u),
              role: 'REVIEWER',
              approved: false,
              state: null,
              participated_on: null,
            })),
          }
        : {}),
    };
  };

  const commentJson = (p: FakePull, c: FakePull['comments'][number]) => {
    const api = `${baseUrl()}/2.0/repositories/${fullNameOf(p.repo)}/pullrequests/${p.id}`;
    return {
      id: c.id,
      type: 'pullrequest_comment',
      created_on: iso(c.created),
      updated_on: iso(c.created),
      content: { type: 'rendered', raw: c.raw, markup: 'markdown', html: `<p>${c.raw}</p>` },
      user: accountOf(c.user),
      deleted: false,
      pending: false,
      links: {
        self: { href: `${api}/comments/${c.id}` },
        html: { href: `${WEB}/${fullNameOf(p.repo)}/pull-requests/${p.id}/_/diff#comment-${c.id}` },
      },
      pullrequest: {
        type: 'pullrequest',
        id: p.id,
        title: p.fields.title,
        draft: p.fields.draft,
        links: { self: { href: api }, html: { href: `${WEB}/${fullNameOf(p.repo)}/pull-requests/${p.id}` } },
      },
    };
  };

  const findRepo = (fullName: string) => repos.get(fullName.toLowerCase());
  const live = (fullName: string): FakeRepo => {
    const r = findRepo(fullName);
    if (!r) throw new Error(`The Bitbucket fake has no repository ${fullName}`);
    return r;
  };
  const livePull = (fullName: string, id: number): FakePull => {
    const p = live(fullName).pulls.find((x) => x.id === id);
    if (!p) throw new Error(`The Bitbucket fake has no pull request ${fullName}#${id}`);
    return p;
  };

  const controls: BitbucketDataControls = {
    addRepo: (fullName, o = {}) => {
      const r = ensureRepo(fullName);
      const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
      r.options = { ...r.options, ...defined };
      r.updated = tick(r.updated);
      return r.uuid;
    },
    seedRepos: (n, o = {}) => {
      const { workspace = 'acme', ...options } = o;
      return Array.from({ length: n }, () =>
        controls.addRepo(`${workspace}/repo-${String(repoSeq + 1).padStart(5, '0')}`, options),
      );
    },
    seedPullRequests: (n, o = {}) => {
      const r = ensureRepo(o.repo ?? 'acme/payments-api');
      const start = stamps(n);
      return Array.from({ length: n }, (_, j) => {
        pullSeq += 1;
        const t = start + j * 1000;
        const p: FakePull = {
          id: r.pulls.length + 1,
          repo: r,
          created: t,
          updated: t,
          fields: seededPull(pullSeq),
          comments: [],
        };
        r.pulls.push(p);
        return p.id;
      });
    },
    updatePullRequest: (repo, id, fields) => {
      const p = livePull(repo, id);
      p.fields = {
        ...p.fields,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      };
      p.updated = tick(p.updated);
    },
    deleteRepo: (repo) => {
      repos.delete(fullNameOf(live(repo)).toLowerCase());
    },
    repo: (fullName) => {
      const r = findRepo(fullName);
      return r ? repoJson(r) : undefined;
    },
    pullRequest: (repo, id) => {
      const p = findRepo(repo)?.pulls.find((x) => x.id === id);
      return p ? pullJson(p, true) : undefined;
    },
    comments: (repo, id) => {
      const p = findRepo(repo)?.pulls.find((x) => x.id === id);
      return p ? p.comments.map((c) => commentJson(p, c)) : [];
    },
    pullRequestIds: (repo) => (findRepo(repo)?.pulls ?? []).map((p) => p.id),
    repoUuids: (o = {}) => [...repos.values()].filter((r) => o.all || r.options.member).map((r) => r.uuid),
    failNext: (kind) => {
      failures.push(kind);
    },
  };

  /** The queued failure for this request, as Bitbucket answers it. */
  const takeFailure = (): FakeReply | undefined => {
    const kind = failures.shift();
    if (kind === undefined) return undefined;
    if (kind === 'refuse') {
      return error(403, 'Your credentials lack one or more required privilege scopes.', {
        detail: { granted: ['account'], required: ['pullrequest'] },
      });
    }
    if (kind === 'down') return error(500, 'Something went wrong', { id: randomUUID().replaceAll('-', '') });
    // https://support.atlassian.com/bitbucket-cloud/kb/bitbucket-cloud-rate-limit-troubleshooting/
    return reply(429, 'Rate limit for this resource has been exceeded', {
      'content-type': 'text/plain',
      'x-ratelimit-limit': '1000',
      'x-ratelimit-resource': 'api',
      'x-ratelimit-nearlimit': 'true',
    });
  };

  const sorted = <T extends { created: number; updated: number }>(
    list: T[],
    sort: string | null,
    key: (t: T) => number,
  ): T[] | FakeReply => {
    if (sort === null) return list;
    const field = sort.replace(/^-/, '');
    if (!['created_on', 'updated_on'].includes(field)) return error(400, `Invalid sort field: ${field}`);
    const at = (t: T) => (field === 'created_on' ? t.created : t.updated);
    const out = [...list].sort((a, b) => at(a) - at(b) || key(a) - key(b));
    return sort.startsWith('-') ? out.reverse() : out;
  };

  /** A page of `list` by page number, Bitbucket's envelope with `next`/`previous` keeping the query. */
  const numbered = (req: FakeRequest, list: unknown[], maxPagelen: number): FakeReply => {
    const pagelen = intParam(req.query, 'pagelen', 10);
    if (pagelen === undefined || pagelen < 1 || pagelen > maxPagelen) return error(400, 'Invalid pagelen');
    const page = intParam(req.query, 'page', 1);
    const pages = Math.max(1, Math.ceil(list.length / pagelen));
    if (page === undefined || page < 1 || page > pages) return error(404, 'Invalid page');
    const at = (n: number) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(n));
      return `${baseUrl()}${req.path}?${q}`;
    };
    return reply(200, {
      pagelen,
      size: list.length,
      page,
      values: list.slice((page - 1) * pagelen, page * pagelen),
      ...(page < pages ? { next: at(page + 1) } : {}),
      ...(page > 1 ? { previous: at(page - 1) } : {}),
    });
  };

  /** Forward-only paging with an opaque page token, without `size` or `page`. */
  const tokened = (req: FakeRequest, list: unknown[], maxPagelen: number): FakeReply => {
    const pagelen = intParam(req.query, 'pagelen', 10);
    if (pagelen === undefined || pagelen < 1 || pagelen > maxPagelen) return error(400, 'Invalid pagelen');
    const token = req.query.get('page');
    const offset =
      token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').split(':')[1]);
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'Invalid page');
    const values = list.slice(offset, offset + pagelen);
    const q = new URLSearchParams(req.query);
    q.set('page', Buffer.from(`o:${offset + pagelen}`).toString('base64url'));
    return reply(200, {
      pagelen,
      values,
      ...(offset + pagelen < list.length ? { next: `${baseUrl()}${req.path}?${q}` } : {}),
    });
  };

  const repoFilter = (req: FakeRequest) =>
    bbql(req.query.get('q'), {
      created_on: 'datetime',
      updated_on: 'datetime',
      name: 'string',
      slug: 'string',
    });
  const repoFields = (r: FakeRepo) => ({
    created_on: r.created,
    updated_on: r.updated,
    name: r.options.name,
    slug: r.slug,
  });

  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-get
  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-workspace-get
  const listRepos = (req: FakeRequest, workspace: string | undefined): FakeReply => {
    const role = req.query.get('role');
    if (role !== null && !['member', 'contributor', 'admin', 'owner'].includes(role)) {
      return error(400, `Invalid role: ${role}`);
    }
    if (workspace !== undefined && ![...repos.values()].some((r) => r.workspace === workspace)) {
      return error(404, `No workspace with identifier '${workspace}'.`);
    }
    const filter = repoFilter(req);
    if (typeof filter !== 'function') return filter;
    const all = [...repos.values()];
    const list = all.filter(
      (r) =>
        (workspace === undefined || r.workspace === workspace) &&
        (role !== null ? r.options.member : visible(r)) &&
        filter(repoFields(r)),
    );
    const ordered = sorted(list, req.query.get('sort'), (r) => all.indexOf(r));
    if (!Array.isArray(ordered)) return ordered;
    const values = ordered.map(repoJson);
    return workspace === undefined ? tokened(req, values, 100) : numbered(req, values, 100);
  };

  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get
  const listPulls = (req: FakeRequest, r: FakeRepo): FakeReply => {
    const wanted = req.query.getAll('state');
    const valid = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];
    const bad = wanted.find((s) => !valid.includes(s.toUpperCase()));
    if (bad !== undefined) return error(400, `Invalid state: ${bad}`);
    const inStates = wanted.length ? wanted.map((s) => s.toUpperCase()) : ['OPEN'];
    const filter = bbql(req.query.get('q'), {
      created_on: 'datetime',
      updated_on: 'datetime',
      state: 'string',
      title: 'string',
    });
    if (typeof filter !== 'function') return filter;
    const list = r.pulls.filter(
      (p) =>
        inStates.includes(p.fields.state) &&
        filter({
          created_on: p.created,
          updated_on: p.updated,
          state: p.fields.state,
          title: p.fields.title,
        }),
    );
    const ordered = sorted(list, req.query.get('sort'), (p) => p.id);
    if (!Array.isArray(ordered)) return ordered;
    return numbered(
      req,
      ordered.map((p) => pullJson(p)),
      50,
    );
  };

  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-pull-request-id-comments-post
  const createComment = (req: FakeRequest, p: FakePull, user: string): FakeReply => {
    let body: { content?: { raw?: unknown } } | undefined;
    try {
      body = JSON.parse(req.body || 'null') as typeof body;
    } catch {
      return error(400, 'Invalid JSON in request body');
    }
    const raw = body?.content?.raw;
    if (typeof raw !== 'string' || raw.trim() === '') {
      return error(400, 'Bad request', { fields: { content: ['This field is required.'] } });
    }
    const c = { id: ++commentSeq, raw, user, created: tick(p.updated) };
    p.comments.push(c);
    p.updated = c.created;
    return reply(201, commentJson(p, c), {
      location: `${baseUrl()}/2.0/repositories/${fullNameOf(p.repo)}/pullrequests/${p.id}/comments/${c.id}`,
    });
  };

  const route =
    /^\/2\.0\/repositories(?:\/([^/]+)(?:\/([^/]+)(?:\/(pullrequests)(?:\/(\d+)(?:\/(comments))?)?)?)?)?\/?$/;

  /**
   * The data endpoints; undefined for any other request. `can(scope)`: whether the credentials
   * hold it (a refusal answered), `user`: who they are.
   */
  const handle = (
    req: FakeRequest,
    can: (scope: string) => FakeReply | undefined,
    user: string,
  ): FakeReply | undefined => {
    const m = route.exec(req.path);
    if (!m) return undefined;
    const [, ws, slug, pulls, id, comments] = m;
    const workspace = ws === undefined ? undefined : decodeURIComponent(ws);
    if (slug === undefined) {
      if (req.method !== 'GET') return undefined;
      return can('repository') ?? listRepos(req, workspace);
    }
    const r = findRepo(`${workspace}/${decodeURIComponent(slug)}`);
    const scope = pulls ? 'pullrequest' : 'repository';
    const refused = can(scope);
    if (refused) return refused;
    if (!r || !visible(r)) return noRepo();
    if (!pulls) return req.method === 'GET' ? reply(200, repoJson(r)) : undefined;
    if (id === undefined) return req.method === 'GET' ? listPulls(req, r) : undefined;
    const p = r.pulls.find((x) => x.id === Number(id));
    if (!p) return error(404, `Pull request ${id} not found`);
    if (!comments) return req.method === 'GET' ? reply(200, pullJson(p, true)) : undefined;
    if (req.method === 'POST') return createComment(req, p, user);
    if (req.method === 'GET') {
      return numbered(
        req,
        p.comments.map((c) => commentJson(p, c)),
        100,
      );
    }
    return undefined;
  };

  return { controls, handle, takeFailure };
};
