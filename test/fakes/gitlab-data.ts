import { createHash } from 'node:crypto';
import type { GitLabChange } from './gitlab-webhooks';
import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * The data side of the GitLab fake: projects, their issues and merge requests, and the REST v4
 * list and create endpoints over them, with GitLab's pagination — offset (`x-page`,
 * `x-next-page`, `x-total` … and a `Link` header; no totals beyond 10,000 rows) and keyset for
 * projects (`pagination=keyset&order_by=id`, a `Link` to the next page carrying `id_after`) —
 * and its error bodies: `{"message": "404 Project Not Found"}`, `{"message": {"title":
 * ["can't be blank"]}}`, `{"error": "title is missing"}`, `insufficient_scope`, 429 "Retry later".
 * https://docs.gitlab.com/api/rest/#pagination
 * https://docs.gitlab.com/api/projects/ https://docs.gitlab.com/api/issues/
 * https://docs.gitlab.com/api/merge_requests/
 */

export type GitLabProjectOptions = {
  visibility?: 'private' | 'internal' | 'public';
  archived?: boolean;
  /** Whether the fake's user is a member (default true); others show only when public or internal. */
  member?: boolean;
  issuesEnabled?: boolean;
  mergeRequestsEnabled?: boolean;
  /** CI/CD on (default): off, GET …/pipelines answers 403. */
  ciEnabled?: boolean;
  defaultBranch?: string | null;
  description?: string | null;
  name?: string;
};

export type GitLabIssueFields = {
  title?: string;
  description?: string | null;
  state?: 'opened' | 'closed';
  labels?: string[];
  assignees?: string[];
  due_date?: string | null;
  /** Closed by moving to another project: the new issue's id. */
  moved_to_id?: number | null;
  /** Closed as a duplicate of this issue (its iid, same project). */
  duplicate_of?: number | null;
};

export type GitLabMergeRequestFields = {
  title?: string;
  description?: string | null;
  state?: 'opened' | 'closed' | 'merged' | 'locked';
  draft?: boolean;
  source_branch?: string;
  target_branch?: string;
  author?: string;
  assignees?: string[];
  reviewers?: string[];
  labels?: string[];
};

/** What the next API request answers: a 403 refusal, a 500, or a 429 lifting after a while. */
export type GitLabFailure = 'refuse' | 'down' | 'rate_limit';

export type GitLabDataControls = {
  /** A project at `path` (`group/name`), created or changed; returns its id. */
  addProject(path: string, options?: GitLabProjectOptions): number;
  /** `n` projects under `namespace` (default acme) without issues; returns their ids. */
  seedProjects(n: number, options?: GitLabProjectOptions & { namespace?: string }): number[];
  /**
   * Adds `n` issues to `project` (a path, created on first use; default acme/payments-api), a
   * second apart, the batch ending about now, with a spread of states, labels, assignees and
   * due dates. Returns their ids (what `gl_issue_<id>` holds).
   */
  seedIssues(n: number, options?: { project?: string }): number[];
  /** The same for merge requests: opened, draft, merged, closed and locked ones. */
  seedMergeRequests(n: number, options?: { project?: string }): number[];
  /** Changes an issue and bumps its updated_at (and closed_at when it closes). */
  updateIssue(id: number, fields: GitLabIssueFields): void;
  updateMergeRequest(id: number, fields: GitLabMergeRequestFields): void;
  /** Deletes an issue: gone from every list (GitLab keeps no tombstone). */
  deleteIssue(id: number): void;
  /** An issue, merge request or project as the REST API answers it; undefined when there is none. */
  issue(id: number): Record<string, unknown> | undefined;
  mergeRequest(id: number): Record<string, unknown> | undefined;
  project(idOrPath: number | string): Record<string, unknown> | undefined;
  /** Ids of the live issues or merge requests of one project (a path) or all, in creation order. */
  issueIds(project?: string): number[];
  mergeRequestIds(project?: string): number[];
  /** Ids of the projects, members' only unless `all`. */
  projectIds(options?: { all?: boolean }): number[];
  /** The next API request (any endpoint) answers `kind`; calls queue up. */
  failNext(kind: GitLabFailure, retryAfterSeconds?: number): void;
  /** Comments on an issue or merge request (by id): it moves their `updated_at`; returns the note id. */
  addNote(on: 'issue' | 'merge_request', id: number, body: string): number;
  /**
   * Adds `n` pipelines to `project` (default acme/web), a second apart, ending about now: by
   * default a mix of success, failed, running, canceled and manual; every fourth named by its
   * CI config. Returns their ids. With a hook listening, a `Pipeline Hook` each.
   */
  seedPipelines(n: number, options?: { project?: string; status?: string }): number[];
  /** Moves a pipeline to `status` (bumps `updated_at`; `Pipeline Hook`). */
  updatePipeline(id: number, status: string): void;
  /** A pipeline as GET /projects/:id/pipelines lists it. */
  pipeline(id: number): Record<string, unknown> | undefined;
  pipelineIds(project?: string): number[];
};

type FakeProject = {
  id: number;
  path: string;
  options: Required<GitLabProjectOptions>;
  created: number;
  updated: number;
  lastActivity: number;
  issues: FakeItem<GitLabIssueFields>[];
  mergeRequests: FakeItem<GitLabMergeRequestFields>[];
  pipelines: FakePipeline[];
};

type FakePipeline = {
  id: number;
  iid: number;
  project: FakeProject;
  name: string | null;
  status: string;
  source: string;
  ref: string;
  sha: string;
  created: number;
  updated: number;
};

type FakeItem<F> = {
  id: number;
  iid: number;
  project: FakeProject;
  created: number;
  updated: number;
  closed: number | undefined;
  deleted: boolean;
  fields: Required<F>;
};

const WEB = 'https://gitlab.com';
const iso = (ms: number) => new Date(ms).toISOString();
const MAX_TOTAL = 10_000; // beyond it GitLab leaves out x-total, x-total-pages and rel="last"

const seededIssue = (seq: number): Required<GitLabIssueFields> => {
  const closed = seq % 4 === 3;
  return {
    title: `Issue ${seq}`,
    description: seq % 9 === 0 ? null : `Description of issue ${seq}.`,
    state: closed ? 'closed' : 'opened',
    // GitLab answers label names sorted.
    labels: [...(seq % 2 === 0 ? ['bug'] : []), ...(seq % 3 === 0 ? ['p1'] : [])],
    assignees: seq % 4 === 0 ? [] : seq % 4 === 1 ? ['jdoe'] : ['alice', 'jdoe'],
    due_date: seq % 5 === 0 ? '2025-07-01' : null,
    // Of the closed ones, a third were duplicates and a third were moved elsewhere.
    duplicate_of: closed && seq % 12 === 3 ? 1 : null,
    moved_to_id: closed && seq % 12 === 7 ? 900_000_000 + seq : null,
  };
};

const mrStates = ['opened', 'opened', 'merged', 'closed', 'locked', 'opened'] as const;
const seededMergeRequest = (seq: number): Required<GitLabMergeRequestFields> => {
  const draft = seq % 6 === 1;
  return {
    title: `${draft ? 'Draft: ' : ''}Merge request ${seq}`,
    description: seq % 7 === 0 ? null : `Changes of merge request ${seq}.`,
    state: mrStates[seq % 6] ?? 'opened',
    draft,
    source_branch: `feature/mr-${seq}`,
    target_branch: 'main',
    author: seq % 2 === 0 ? 'jdoe' : 'alice',
    assignees: seq % 2 === 0 ? ['jdoe'] : [],
    reviewers: seq % 3 === 0 ? ['alice'] : [],
    labels: seq % 4 === 0 ? ['backend'] : [],
  };
};

const userJson = (username: string) => ({
  id: 1_000_000 + ([...username].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) % 1_000_000),
  username,
  name: username,
  state: 'active',
  locked: false,
  avatar_url: null,
  web_url: `${WEB}/${username}`,
});

const intParam = (q: URLSearchParams, name: string, fallback: number): number => {
  const n = Number(q.get(name) ?? fallback);
  return Number.isInteger(n) ? n : fallback;
};

const invalid = (name: string) => reply(400, { error: `${name} does not have a valid value` });

/**
 * `announce` hears of every change the controls and the create endpoint make, as a thunk
 * that builds it (REST objects), so that nothing is built while no webhook listens.
 */
export const createGitLabData = (
  baseUrl: () => string,
  announce: (change: () => GitLabChange) => void = () => {},
) => {
  const projects = new Map<number, FakeProject>();
  const byPath = new Map<string, FakeProject>();
  const issues = new Map<number, FakeItem<GitLabIssueFields>>();
  const mergeRequests = new Map<number, FakeItem<GitLabMergeRequestFields>>();
  const failures: { kind: GitLabFailure; secs: number }[] = [];
  let projectSeq = 0;
  let issueSeq = 0;
  let mrSeq = 0;
  /** The last timestamp handed out (ms, whole seconds): never goes back. */
  let clock = 0;
  const nowSecond = () => Math.floor(Date.now() / 1000) * 1000;
  /** `count` timestamps a second apart, after every earlier one, the last about now. */
  const stamps = (count: number): number => {
    const start = Math.max(clock + 1000, nowSecond() - (count - 1) * 1000);
    clock = start + (count - 1) * 1000;
    return start;
  };
  /** A new timestamp: now, and after every earlier one. */
  const tick = (after: number): number => {
    const t = Math.max(clock + 1000, nowSecond(), after + 1000);
    clock = t;
    return t;
  };

  const defaults = (path: string): Required<GitLabProjectOptions> => ({
    visibility: 'private',
    archived: false,
    member: true,
    issuesEnabled: true,
    mergeRequestsEnabled: true,
    ciEnabled: true,
    defaultBranch: 'main',
    description: `The ${path.split('/').at(-1)} project.`,
    name: path.split('/').at(-1) ?? path,
  });
  const ensureProject = (path: string): FakeProject => {
    const found = byPath.get(path.toLowerCase());
    if (found) return found;
    const t = stamps(1);
    const p: FakeProject = {
      id: 40_000_000 + ++projectSeq,
      path,
      options: defaults(path),
      created: t,
      updated: t,
      lastActivity: t,
      issues: [],
      mergeRequests: [],
      pipelines: [],
    };
    projects.set(p.id, p);
    byPath.set(path.toLowerCase(), p);
    return p;
  };
  const setOptions = (p: FakeProject, o: GitLabProjectOptions) => {
    const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    p.options = { ...p.options, ...defined };
    p.updated = tick(p.updated);
  };

  const namespaceOf = (p: FakeProject) => p.path.split('/').slice(0, -1).join('/');
  const projectJson = (p: FakeProject, simple = false) => {
    const o = p.options;
    const ns = namespaceOf(p);
    const api = `${baseUrl()}/api/v4/projects/${p.id}`;
    const common = {
      id: p.id,
      description: o.description,
      name: o.name,
      name_with_namespace: `${ns.split('/').join(' / ')} / ${o.name}`,
      path: p.path.split('/').at(-1),
      path_with_namespace: p.path,
      created_at: iso(p.created),
      default_branch: o.defaultBranch,
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@gitlab.com:${p.path}.git`,
      http_url_to_repo: `${WEB}/${p.path}.git`,
      web_url: `${WEB}/${p.path}`,
      readme_url: o.defaultBranch ? `${WEB}/${p.path}/-/blob/${o.defaultBranch}/README.md` : null,
      forks_count: 0,
      avatar_url: null,
      star_count: p.id % 7,
      last_activity_at: iso(p.lastActivity),
      namespace: {
        id: 9000 + ns.length,
        name: ns.split('/').at(-1),
        path: ns.split('/').at(-1),
        kind: ns === 'jdoe' ? 'user' : 'group',
        full_path: ns,
        parent_id: null,
        avatar_url: null,
        web_url: `${WEB}/${ns}`,
      },
    };
    if (simple) return common;
    return {
      ...common,
      updated_at: iso(p.updated),
      _links: {
        self: api,
        issues: `${api}/issues`,
        merge_requests: `${api}/merge_requests`,
        repo_branches: `${api}/repository/branches`,
        labels: `${api}/labels`,
        events: `${api}/events`,
        members: `${api}/members`,
      },
      empty_repo: o.defaultBranch === null,
      archived: o.archived,
      visibility: o.visibility,
      issues_enabled: o.issuesEnabled,
      merge_requests_enabled: o.mergeRequestsEnabled,
      issues_access_level: o.issuesEnabled ? 'enabled' : 'disabled',
      merge_requests_access_level: o.mergeRequestsEnabled ? 'enabled' : 'disabled',
      ...(o.issuesEnabled
        ? { open_issues_count: p.issues.filter((i) => !i.deleted && i.fields.state === 'opened').length }
        : {}),
      creator_id: 1874221,
      permissions: {
        project_access: o.member ? { access_level: 30, notification_level: 3 } : null,
        group_access: null,
      },
    };
  };

  const issueJson = (i: FakeItem<GitLabIssueFields>) => {
    const f = i.fields;
    const p = i.project;
    const api = `${baseUrl()}/api/v4/projects/${p.id}/issues/${i.iid}`;
    const duplicate = f.state === 'closed' && f.duplicate_of !== null;
    return {
      id: i.id,
      iid: i.iid,
      project_id: p.id,
      title: f.title,
      description: f.description,
      state: f.state,
      created_at: iso(i.created),
      updated_at: iso(i.updated),
      closed_at: f.state === 'closed' ? iso(i.closed ?? i.updated) : null,
      closed_by: f.state === 'closed' ? userJson('jdoe') : null,
      labels: [...f.labels].sort(),
      milestone: null,
      assignees: f.assignees.map(userJson),
      author: userJson('jdoe'),
      type: 'ISSUE',
      assignee: f.assignees[0] ? userJson(f.assignees[0]) : null,
      user_notes_count: i.iid % 3,
      merge_requests_count: 0,
      upvotes: 0,
      downvotes: 0,
      due_date: f.due_date,
      confidential: false,
      discussion_locked: null,
      issue_type: 'issue',
      web_url: `${WEB}/${p.path}/-/issues/${i.iid}`,
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      task_completion_status: { count: 0, completed_count: 0 },
      has_tasks: false,
      _links: {
        self: api,
        notes: `${api}/notes`,
        award_emoji: `${api}/award_emoji`,
        project: `${baseUrl()}/api/v4/projects/${p.id}`,
        closed_as_duplicate_of: duplicate
          ? `${baseUrl()}/api/v4/projects/${p.id}/issues/${f.duplicate_of}`
          : null,
      },
      references: { short: `#${i.iid}`, relative: `#${i.iid}`, full: `${p.path}#${i.iid}` },
      severity: 'UNKNOWN',
      moved_to_id: f.state === 'closed' ? f.moved_to_id : null,
      imported: false,
      imported_from: 'none',
      service_desk_reply_to: null,
    };
  };

  const mergeRequestJson = (m: FakeItem<GitLabMergeRequestFields>) => {
    const f = m.fields;
    const p = m.project;
    const merged = f.state === 'merged';
    const closed = f.state === 'closed';
    const at = iso(m.closed ?? m.updated);
    return {
      id: m.id,
      iid: m.iid,
      project_id: p.id,
      title: f.title,
      description: f.description,
      state: f.state,
      created_at: iso(m.created),
      updated_at: iso(m.updated),
      merged_by: merged ? userJson('jdoe') : null,
      merge_user: merged ? userJson('jdoe') : null,
      merged_at: merged ? at : null,
      closed_by: closed ? userJson('jdoe') : null,
      closed_at: closed ? at : null,
      target_branch: f.target_branch,
      source_branch: f.source_branch,
      user_notes_count: m.iid % 4,
      upvotes: 0,
      downvotes: 0,
      author: userJson(f.author),
      assignees: f.assignees.map(userJson),
      assignee: f.assignees[0] ? userJson(f.assignees[0]) : null,
      reviewers: f.reviewers.map(userJson),
      source_project_id: p.id,
      target_project_id: p.id,
      labels: [...f.labels].sort(),
      draft: f.draft,
      work_in_progress: f.draft,
      milestone: null,
      merge_when_pipeline_succeeds: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: f.state === 'opened' ? (f.draft ? 'draft_status' : 'mergeable') : 'not_open',
      sha: 'a91957a858320c0e17f3a0eca7cfacbff50ea29a',
      merge_commit_sha: merged ? 'be6e8e9f5c1a7ac7b3b1c1c6a4c1d0f2e3a4b5c6' : null,
      squash_commit_sha: null,
      discussion_locked: null,
      should_remove_source_branch: null,
      force_remove_source_branch: true,
      prepared_at: iso(m.created),
      reference: `!${m.iid}`,
      references: { short: `!${m.iid}`, relative: `!${m.iid}`, full: `${p.path}!${m.iid}` },
      web_url: `${WEB}/${p.path}/-/merge_requests/${m.iid}`,
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      squash: false,
      squash_on_merge: false,
      task_completion_status: { count: 0, completed_count: 0 },
      has_conflicts: false,
      blocking_discussions_resolved: true,
    };
  };

  const seedItems = <F>(
    n: number,
    path: string | undefined,
    list: (p: FakeProject) => FakeItem<F>[],
    into: Map<number, FakeItem<F>>,
    next: () => { id: number; fields: Required<F> },
  ): number[] => {
    const p = ensureProject(path ?? 'acme/payments-api');
    const start = stamps(n);
    const items = list(p);
    const ids: number[] = [];
    for (let j = 0; j < n; j++) {
      const t = start + j * 1000;
      const { id, fields } = next();
      const item: FakeItem<F> = {
        id,
        iid: items.length + 1,
        project: p,
        created: t,
        updated: t,
        closed: undefined,
        deleted: false,
        fields,
      };
      items.push(item);
      into.set(id, item);
      ids.push(id);
    }
    if (n > 0) p.lastActivity = Math.max(p.lastActivity, start + (n - 1) * 1000);
    return ids;
  };
  const nextIssue = () => {
    issueSeq += 1;
    return { id: 100_000_000 + issueSeq, fields: seededIssue(issueSeq) };
  };

  const live = <F>(map: Map<number, FakeItem<F>>, id: number, what: string): FakeItem<F> => {
    const i = map.get(id);
    if (!i || i.deleted) throw new Error(`The GitLab fake has no ${what} ${id}`);
    return i;
  };
  const touch = <F>(i: FakeItem<F>, closedNow: boolean) => {
    i.updated = tick(i.updated);
    if (closedNow) i.closed = i.updated;
    i.project.lastActivity = Math.max(i.project.lastActivity, i.updated);
  };
  const findProject = (ref: number | string): FakeProject | undefined =>
    typeof ref === 'number' || /^\d+$/.test(ref) ? projects.get(Number(ref)) : byPath.get(ref.toLowerCase());

  type Action = 'open' | 'update' | 'close' | 'reopen' | 'merge';
  type Previous = Record<string, unknown> | undefined;
  const announceIssue = (i: FakeItem<GitLabIssueFields>, action: Action, previous?: Previous) =>
    announce(() => ({
      kind: 'issue',
      action,
      object: issueJson(i),
      ...(previous ? { previous } : {}),
      project: projectJson(i.project),
    }));
  const announceMergeRequest = (m: FakeItem<GitLabMergeRequestFields>, action: Action, previous?: Previous) =>
    announce(() => ({
      kind: 'merge_request',
      action,
      object: mergeRequestJson(m),
      ...(previous ? { previous } : {}),
      project: projectJson(m.project),
    }));
  /** What GitLab calls a state change: close, reopen, merge; anything else is an update. */
  const actionOf = (was: string, now: string) =>
    was === now ? 'update' : now === 'merged' ? 'merge' : now === 'closed' ? 'close' : 'reopen';
  let noteSeq = 0;

  const controls: GitLabDataControls = {
    addProject: (path, o = {}) => {
      const p = ensureProject(path);
      setOptions(p, o);
      return p.id;
    },
    seedProjects: (n, o = {}) => {
      const { namespace = 'acme', ...options } = o;
      const ids: number[] = [];
      for (let j = 0; j < n; j++) {
        const p = ensureProject(`${namespace}/project-${String(projectSeq + 1).padStart(5, '0')}`);
        setOptions(p, options);
        ids.push(p.id);
      }
      return ids;
    },
    seedIssues: (n, o = {}) => {
      const ids = seedItems(n, o.project, (p) => p.issues, issues, nextIssue);
      for (const id of ids) announceIssue(live(issues, id, 'issue'), 'open');
      return ids;
    },
    seedMergeRequests: (n, o = {}) => {
      const ids = seedItems(
        n,
        o.project,
        (p) => p.mergeRequests,
        mergeRequests,
        () => {
          mrSeq += 1;
          return { id: 200_000_000 + mrSeq, fields: seededMergeRequest(mrSeq) };
        },
      );
      for (const id of ids) announceMergeRequest(live(mergeRequests, id, 'merge request'), 'open');
      return ids;
    },
    updateIssue: (id, fields) => {
      const i = live(issues, id, 'issue');
      const previous = issueJson(i);
      const wasClosed = i.fields.state === 'closed';
      i.fields = { ...i.fields, ...fields };
      touch(i, !wasClosed && i.fields.state === 'closed');
      announceIssue(i, actionOf(String(previous.state), i.fields.state), previous);
    },
    updateMergeRequest: (id, fields) => {
      const m = live(mergeRequests, id, 'merge request');
      const previous = mergeRequestJson(m);
      const wasOpen = m.fields.state === 'opened' || m.fields.state === 'locked';
      m.fields = { ...m.fields, ...fields };
      if (fields.title !== undefined && fields.draft === undefined)
        m.fields.draft = /^draft:/i.test(fields.title);
      touch(m, wasOpen && (m.fields.state === 'closed' || m.fields.state === 'merged'));
      const was = previous.state === 'locked' ? 'opened' : String(previous.state);
      announceMergeRequest(
        m,
        actionOf(was, m.fields.state === 'locked' ? 'opened' : m.fields.state),
        previous,
      );
    },
    addNote: (on, id, body) => {
      const issue = on === 'issue' ? live(issues, id, 'issue') : undefined;
      const mr = on === 'merge_request' ? live(mergeRequests, id, 'merge request') : undefined;
      const item = issue ?? mr;
      if (!item) throw new Error(`The GitLab fake has no ${on} ${id}`);
      touch(item as FakeItem<unknown>, false);
      const noteId = 300_000_000 + ++noteSeq;
      const at = iso(item.updated);
      announce(() => {
        const noteable = issue
          ? issueJson(issue)
          : mergeRequestJson(mr as FakeItem<GitLabMergeRequestFields>);
        return {
          kind: 'note',
          noteableType: issue ? 'Issue' : 'MergeRequest',
          note: {
            id: noteId,
            note: body,
            author_id: userJson('jdoe').id,
            created_at: at,
            updated_at: at,
            url: `${String(noteable.web_url)}#note_${noteId}`,
          },
          noteable,
          project: projectJson(item.project),
        };
      });
      return noteId;
    },
    deleteIssue: (id) => {
      live(issues, id, 'issue').deleted = true;
    },
    issue: (id) => {
      const i = issues.get(id);
      return i && !i.deleted ? issueJson(i) : undefined;
    },
    mergeRequest: (id) => {
      const m = mergeRequests.get(id);
      return m && !m.deleted ? mergeRequestJson(m) : undefined;
    },
    project: (ref) => {
      const p = findProject(ref);
      return p ? projectJson(p) : undefined;
    },
    issueIds: (path) =>
      [...issues.values()]
        .filter(
          (i) => !i.deleted && (path === undefined || i.project.path.toLowerCase() === path.toLowerCase()),
        )
        .map((i) => i.id),
    mergeRequestIds: (path) =>
      [...mergeRequests.values()]
        .filter(
          (m) => !m.deleted && (path === undefined || m.project.path.toLowerCase() === path.toLowerCase()),
        )
        .map((m) => m.id),
    projectIds: (o = {}) => [...projects.values()].filter((p) => o.all || p.options.member).map((p) => p.id),
    failNext: (kind, secs = 30) => {
      failures.push({ kind, secs });
    },
    seedPipelines: (n, o = {}) => {
      const p = ensureProject(o.project ?? 'acme/web');
      const start = stamps(n);
      const mix = ['success', 'failed', 'running', 'canceled', 'manual', 'success'];
      const added: FakePipeline[] = [];
      for (let j = 0; j < n; j++) {
        pipelineSeq += 1;
        const t = start + j * 1000;
        const x: FakePipeline = {
          id: 1_400_000_000 + pipelineSeq,
          iid: p.pipelines.length + 1,
          project: p,
          name: pipelineSeq % 4 === 0 ? 'Nightly build' : null,
          status: o.status ?? (mix[pipelineSeq % mix.length] as string),
          source: pipelineSeq % 5 === 0 ? 'schedule' : 'push',
          ref: 'main',
          sha: createHash('sha1').update(`${p.path}:${pipelineSeq}`).digest('hex'),
          // Milliseconds, as the API writes them (hooks: to the second).
          created: t + (pipelineSeq % 1000),
          updated: t,
        };
        p.pipelines.push(x);
        pipelinesById.set(x.id, x);
        added.push(x);
      }
      for (const x of added) announcePipeline(x);
      return added.map((x) => x.id);
    },
    updatePipeline: (id, status) => {
      const x = pipelinesById.get(id);
      if (!x) throw new Error(`The GitLab fake has no pipeline ${id}`);
      x.status = status;
      x.updated = tick(x.updated);
      announcePipeline(x);
    },
    pipeline: (id) => {
      const x = pipelinesById.get(id);
      return x ? pipelineJson(x) : undefined;
    },
    pipelineIds: (path) =>
      [...pipelinesById.values()]
        .filter((x) => path === undefined || x.project.path.toLowerCase() === path.toLowerCase())
        .map((x) => x.id),
  };

  let pipelineSeq = 0;
  const pipelinesById = new Map<number, FakePipeline>();
  // https://docs.gitlab.com/api/pipelines/#list-project-pipelines
  function pipelineJson(x: FakePipeline) {
    return {
      id: x.id,
      iid: x.iid,
      project_id: x.project.id,
      name: x.name,
      sha: x.sha,
      ref: x.ref,
      status: x.status,
      source: x.source,
      created_at: iso(x.created),
      updated_at: iso(x.updated),
      web_url: `${WEB}/${x.project.path}/-/pipelines/${x.id}`,
    };
  }
  function announcePipeline(x: FakePipeline) {
    announce(() => ({ kind: 'pipeline', object: pipelineJson(x), project: projectJson(x.project) }));
  }

  // https://docs.gitlab.com/api/pipelines/#list-project-pipelines
  const listPipelines = (p: FakeProject, req: FakeRequest): FakeReply => {
    const q = req.query;
    const orderBy = q.get('order_by') ?? 'id';
    const sort = q.get('sort') ?? 'desc';
    if (!['id', 'status', 'ref', 'updated_at', 'user_id'].includes(orderBy)) return invalid('order_by');
    if (!['asc', 'desc'].includes(sort)) return invalid('sort');
    const after = timeParam(q, 'updated_after');
    if (after === 'invalid') return reply(400, { error: 'updated_after is invalid' });
    const status = q.get('status');
    const list = p.pipelines.filter(
      (x) => (after === undefined || x.updated >= after) && (status === null || x.status === status),
    );
    if (orderBy === 'updated_at') list.sort((a, b) => a.updated - b.updated || a.id - b.id);
    if (sort === 'desc') list.reverse();
    const { slice, headers } = offsetPaged(list, req);
    return reply(200, slice.map(pipelineJson), headers);
  };

  /** The queued failure for this request, as GitLab answers it. */
  const takeFailure = (): FakeReply | undefined => {
    const f = failures.shift();
    if (!f) return undefined;
    if (f.kind === 'refuse') return reply(403, { message: '403 Forbidden' });
    if (f.kind === 'down') return reply(500, { message: '500 Internal Server Error' });
    // https://docs.gitlab.com/security/rate_limits/#response-headers
    const reset = Math.floor(Date.now() / 1000) + f.secs;
    return reply(429, 'Retry later\n', {
      'retry-after': String(f.secs),
      'ratelimit-name': 'throttle_authenticated_api',
      'ratelimit-limit': '2000',
      'ratelimit-observed': '2001',
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(reset),
      'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
    });
  };

  /** Offset pagination: a slice and GitLab's headers for it. */
  const offsetPaged = <T>(list: T[], req: FakeRequest) => {
    const perPage = Math.min(100, Math.max(1, intParam(req.query, 'per_page', 20)));
    const page = Math.max(1, intParam(req.query, 'page', 1));
    const total = list.length;
    const pages = Math.max(1, Math.ceil(total / perPage));
    const at = (n: number) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(n));
      q.set('per_page', String(perPage));
      return `<${baseUrl()}${req.path}?${q}>`;
    };
    const counted = total <= MAX_TOTAL;
    const links = [
      ...(page > 1 ? [`${at(page - 1)}; rel="prev"`] : []),
      ...(page < pages ? [`${at(page + 1)}; rel="next"`] : []),
      `${at(1)}; rel="first"`,
      ...(counted ? [`${at(pages)}; rel="last"`] : []),
    ];
    return {
      slice: list.slice((page - 1) * perPage, page * perPage),
      headers: {
        link: links.join(', '),
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
        ...(counted ? { 'x-total': String(total), 'x-total-pages': String(pages) } : {}),
      } as Record<string, string>,
    };
  };

  const visible = (p: FakeProject) => p.options.member || p.options.visibility !== 'private';
  const timeParam = (q: URLSearchParams, name: string): number | undefined | 'invalid' => {
    const v = q.get(name);
    if (v === null) return undefined;
    const t = Date.parse(v);
    return Number.isNaN(t) ? 'invalid' : t;
  };

  // https://docs.gitlab.com/api/projects/#list-all-projects
  const listProjects = (req: FakeRequest): FakeReply => {
    const q = req.query;
    const orderBy = q.get('order_by') ?? 'created_at';
    const sort = q.get('sort') ?? 'desc';
    const orders = ['id', 'name', 'path', 'created_at', 'updated_at', 'last_activity_at', 'star_count'];
    if (!orders.includes(orderBy)) return invalid('order_by');
    if (!['asc', 'desc'].includes(sort)) return invalid('sort');
    const keyset = q.get('pagination') === 'keyset';
    // https://docs.gitlab.com/api/rest/#supported-resources
    if (keyset && orderBy !== 'id') {
      return reply(405, { error: 'Keyset pagination is not yet available for this type of request' });
    }
    const activity = timeParam(q, 'last_activity_after');
    if (activity === 'invalid') return reply(400, { error: 'last_activity_after is invalid' });
    const flag = (name: string) => q.get(name) === 'true';
    const idAfter = q.has('id_after') ? intParam(q, 'id_after', 0) : undefined;
    const key = (p: FakeProject): number | string =>
      orderBy === 'id'
        ? p.id
        : orderBy === 'name'
          ? p.options.name.toLowerCase()
          : orderBy === 'path'
            ? p.path.toLowerCase()
            : orderBy === 'updated_at'
              ? p.updated
              : orderBy === 'last_activity_at'
                ? p.lastActivity
                : orderBy === 'star_count'
                  ? p.id % 7
                  : p.created;
    const list = [...projects.values()]
      .filter(
        (p) =>
          (flag('membership') ? p.options.member : visible(p)) &&
          (!flag('with_issues_enabled') || p.options.issuesEnabled) &&
          (!flag('with_merge_requests_enabled') || p.options.mergeRequestsEnabled) &&
          (!q.has('archived') || p.options.archived === flag('archived')) &&
          (activity === undefined || p.lastActivity >= activity) &&
          (idAfter === undefined || p.id > idAfter),
      )
      .sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
        return sort === 'desc' ? -c : c;
      });
    const simple = flag('simple');
    if (!keyset) {
      const { slice, headers } = offsetPaged(list, req);
      return reply(
        200,
        slice.map((p) => projectJson(p, simple)),
        headers,
      );
    }
    const perPage = Math.min(100, Math.max(1, intParam(q, 'per_page', 20)));
    const slice = list.slice(0, perPage);
    const last = slice.at(-1);
    const headers: Record<string, string> = {};
    if (last && list.length > perPage) {
      const next = new URLSearchParams(q);
      next.set('id_after', String(last.id));
      headers.link = `<${baseUrl()}${req.path}?${next}>; rel="next"`;
    }
    return reply(
      200,
      slice.map((p) => projectJson(p, simple)),
      headers,
    );
  };

  /** The list endpoints of issues and merge requests share their ordering and filters. */
  const listItems = <F extends { state?: string; labels?: string[] }>(
    req: FakeRequest,
    items: FakeItem<F>[],
    states: string[],
    toJson: (i: FakeItem<F>) => Record<string, unknown>,
  ): FakeReply => {
    const q = req.query;
    const state = q.get('state') ?? 'all';
    const orderBy = q.get('order_by') ?? 'created_at';
    const sort = q.get('sort') ?? 'desc';
    if (!states.includes(state)) return invalid('state');
    if (!['created_at', 'updated_at', 'title'].includes(orderBy)) return invalid('order_by');
    if (!['asc', 'desc'].includes(sort)) return invalid('sort');
    const after = timeParam(q, 'updated_after');
    if (after === 'invalid') return reply(400, { error: 'updated_after is invalid' });
    const labels = (q.get('labels') ?? '').split(',').filter(Boolean);
    const list = items.filter(
      (i) =>
        !i.deleted &&
        (state === 'all' || i.fields.state === state) &&
        (after === undefined || i.updated >= after) &&
        labels.every((l) => i.fields.labels?.includes(l)),
    );
    if (orderBy !== 'created_at') {
      const key = (i: FakeItem<F>) =>
        orderBy === 'updated_at' ? i.updated : String((i.fields as { title?: string }).title);
      list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
    }
    if (sort === 'desc') list.reverse();
    const { slice, headers } = offsetPaged(list, req);
    return reply(200, slice.map(toJson), headers);
  };

  // https://docs.gitlab.com/api/issues/#new-issue
  const createIssue = (p: FakeProject, req: FakeRequest): FakeReply => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    } catch {
      body = Object.fromEntries(new URLSearchParams(req.body));
    }
    if (typeof body.title !== 'string') return reply(400, { error: 'title is missing' });
    if (body.title.trim() === '') return reply(400, { message: { title: ["can't be blank"] } });
    if (body.title.length > 255) {
      return reply(400, { message: { title: ['is too long (maximum is 255 characters)'] } });
    }
    if (body.due_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.due_date))) {
      return reply(400, { error: 'due_date is invalid' });
    }
    // Archived projects are read-only.
    if (p.options.archived) return reply(403, { message: '403 Forbidden' });
    const labels = Array.isArray(body.labels)
      ? body.labels.map(String)
      : typeof body.labels === 'string'
        ? body.labels
            .split(',')
            .map((l) => l.trim())
            .filter(Boolean)
        : [];
    const t = tick(clock);
    issueSeq += 1;
    const item: FakeItem<GitLabIssueFields> = {
      id: 100_000_000 + issueSeq,
      iid: p.issues.length + 1,
      project: p,
      created: t,
      updated: t,
      closed: undefined,
      deleted: false,
      fields: {
        title: body.title,
        description: typeof body.description === 'string' ? body.description : null,
        state: 'opened',
        labels: [...new Set(labels)],
        assignees: [],
        due_date: typeof body.due_date === 'string' ? body.due_date : null,
        moved_to_id: null,
        duplicate_of: null,
      },
    };
    p.issues.push(item);
    issues.set(item.id, item);
    p.lastActivity = t;
    announceIssue(item, 'open');
    return reply(201, issueJson(item));
  };

  const projectRoute = /^\/api\/v4\/projects\/([^/]+)(?:\/(issues|merge_requests|pipelines))?$/;

  /** The data endpoints; undefined for any other request. `scopes`: the token's. */
  const handle = (req: FakeRequest, scopes: string[]): FakeReply | undefined => {
    const route = projectRoute.exec(req.path);
    const isList = req.path === '/api/v4/projects';
    if (!route && !isList) return undefined;
    // https://docs.gitlab.com/integration/oauth_provider/#view-all-authorized-applications
    const needed = req.method === 'GET' ? ['api', 'read_api'] : ['api'];
    if (!scopes.some((s) => needed.includes(s))) {
      return reply(403, {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: needed.join(' '),
      });
    }
    if (isList) return req.method === 'GET' ? listProjects(req) : undefined;
    const p = findProject(decodeURIComponent(route?.[1] ?? ''));
    if (!p || !visible(p)) return reply(404, { message: '404 Project Not Found' });
    const sub = route?.[2];
    if (sub === undefined) return req.method === 'GET' ? reply(200, projectJson(p)) : undefined;
    if (sub === 'pipelines') {
      if (!p.options.ciEnabled) return reply(403, { message: '403 Forbidden' });
      return req.method === 'GET' ? listPipelines(p, req) : undefined;
    }
    if (sub === 'issues') {
      if (!p.options.issuesEnabled) return reply(403, { message: '403 Forbidden' });
      if (req.method === 'POST') return createIssue(p, req);
      if (req.method === 'GET') return listItems(req, p.issues, ['opened', 'closed', 'all'], issueJson);
      return undefined;
    }
    if (!p.options.mergeRequestsEnabled) return reply(403, { message: '403 Forbidden' });
    if (req.method !== 'GET') return undefined;
    return listItems(req, p.mergeRequests, ['opened', 'closed', 'locked', 'merged', 'all'], mergeRequestJson);
  };

  return { controls, handle, takeFailure };
};
