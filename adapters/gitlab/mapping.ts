import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { pipelineRun, pullRequest, repository, workItem } from '../models';
import type { SyncRecord } from '../types';
import { isoOf } from './rest';

/**
 * GitLab's projects, issues and merge requests as REST v4 answers them (the fields we read),
 * and their mapping to the unified models. Record ids use GitLab's global ids, which never
 * change (an issue's `iid` is only unique within its project, and moves with it).
 */

const userRef = z.object({ username: z.string() });
const users = z.optional(z.nullable(z.array(userRef)));
/** `references.full` is `group/sub/project#12` (issues) or `group/sub/project!12` (merge requests). */
const references = z.object({ full: z.string() });

// https://docs.gitlab.com/api/projects/#list-all-projects
export const project = z.object({
  id: z.number(),
  name: z.string(),
  path_with_namespace: z.string(),
  description: z.optional(z.nullable(z.string())),
  web_url: z.string(),
  // `private`, `internal` (any signed-in user) or `public`; absent from `simple` answers.
  visibility: z.optional(z.string()),
  default_branch: z.optional(z.nullable(z.string())),
  archived: z.optional(z.boolean()),
  issues_enabled: z.optional(z.boolean()),
  merge_requests_enabled: z.optional(z.boolean()),
  created_at: z.string(),
  // `updated_at` (GitLab 15.x and later) moves with the project record; `last_activity_at`
  // with pushes, issues and merge requests.
  updated_at: z.optional(z.nullable(z.string())),
  last_activity_at: z.optional(z.nullable(z.string())),
});
export type Project = z.infer<typeof project>;

// https://docs.gitlab.com/api/issues/#list-project-issues
export const issue = z.object({
  id: z.number(),
  iid: z.number(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  state: z.string(),
  labels: z.array(z.string()),
  assignees: users,
  due_date: z.optional(z.nullable(z.string())),
  web_url: z.string(),
  references,
  moved_to_id: z.optional(z.nullable(z.number())),
  _links: z.optional(z.object({ closed_as_duplicate_of: z.optional(z.nullable(z.string())) })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Issue = z.infer<typeof issue>;

// https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests
export const mergeRequest = z.object({
  id: z.number(),
  iid: z.number(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  state: z.string(),
  draft: z.optional(z.boolean()),
  // Before GitLab 14.0 (and still beside `draft`): the same flag under its old name.
  work_in_progress: z.optional(z.boolean()),
  source_branch: z.optional(z.nullable(z.string())),
  target_branch: z.optional(z.nullable(z.string())),
  author: z.optional(z.nullable(userRef)),
  assignees: users,
  reviewers: users,
  labels: z.array(z.string()),
  web_url: z.string(),
  references,
  merged_at: z.optional(z.nullable(z.string())),
  closed_at: z.optional(z.nullable(z.string())),
  created_at: z.string(),
  updated_at: z.string(),
});
export type MergeRequest = z.infer<typeof mergeRequest>;

/** A mapped object checked against its model: a mapping bug must not reach the records. */
const record = <S extends z.ZodMiniType>(model: S, id: string, data: z.infer<S>): SyncRecord => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError('unreachable', `GitLab answered ${id} with data that does not map to its model.`);
  }
  return { id, data: r.data as Record<string, unknown> };
};

const pathOf = (ref: { full: string }): string => ref.full.replace(/[#!]\d+$/, '');
const usernames = (list: { username: string }[] | null | undefined) => (list ?? []).map((u) => u.username);
const isoOrNull = (value: string | null | undefined, what: string) => (value ? isoOf(value, what) : null);

export const mapProject = (p: Project): SyncRecord =>
  record(repository, `gl_project_${p.id}`, {
    name: p.name,
    full_name: p.path_with_namespace,
    description: p.description ?? null,
    url: p.web_url,
    // Internal projects are visible to every signed-in user of the instance, not the world.
    private: p.visibility !== 'public',
    default_branch: p.default_branch ?? null,
    archived: p.archived ?? false,
    created_at: isoOf(p.created_at, 'created_at'),
    updated_at: isoOf(p.updated_at ?? p.last_activity_at ?? p.created_at, 'updated_at'),
  });

/**
 * `opened` → open, `closed` → done, except what GitLab says was not done: closed as a
 * duplicate of another issue (`_links.closed_as_duplicate_of`) or moved to another project
 * (`moved_to_id`; the work goes on in the new issue) → cancelled.
 */
const issueStatus = (i: Issue): { status: z.infer<typeof workItem>['status']; raw: string } => {
  if (i.state !== 'closed') return { status: 'open', raw: i.state };
  if (i._links?.closed_as_duplicate_of) return { status: 'cancelled', raw: 'duplicated' };
  if (i.moved_to_id) return { status: 'cancelled', raw: 'moved' };
  return { status: 'done', raw: 'closed' };
};

export const mapIssue = (i: Issue): SyncRecord => {
  const { status, raw } = issueStatus(i);
  return record(workItem, `gl_issue_${i.id}`, {
    title: i.title,
    description: i.description ?? null,
    status,
    raw_status: raw,
    assignees: usernames(i.assignees),
    labels: i.labels,
    url: i.web_url,
    project: pathOf(i.references),
    due_date: i.due_date ?? null,
    created_at: isoOf(i.created_at, 'created_at'),
    updated_at: isoOf(i.updated_at, 'updated_at'),
  });
};

/** `locked` is the short state of a merge request being merged: still open until it is. */
const mergeRequestStatus = (m: MergeRequest, draft: boolean): z.infer<typeof pullRequest>['status'] => {
  if (m.state === 'merged') return 'done';
  if (m.state === 'closed') return 'cancelled';
  return m.state === 'opened' && draft ? 'in_progress' : 'open';
};

export const mapMergeRequest = (m: MergeRequest): SyncRecord => {
  const draft = m.draft ?? m.work_in_progress ?? false;
  return record(pullRequest, `gl_mr_${m.id}`, {
    title: m.title,
    description: m.description ?? null,
    status: mergeRequestStatus(m, draft),
    raw_status: m.state,
    number: m.iid,
    author: m.author?.username ?? null,
    assignees: usernames(m.assignees),
    reviewers: usernames(m.reviewers),
    labels: m.labels,
    url: m.web_url,
    repository: pathOf(m.references),
    source_branch: m.source_branch ?? null,
    target_branch: m.target_branch ?? null,
    draft,
    merged_at: isoOrNull(m.merged_at, 'merged_at'),
    closed_at: isoOrNull(m.closed_at, 'closed_at'),
    created_at: isoOf(m.created_at, 'created_at'),
    updated_at: isoOf(m.updated_at, 'updated_at'),
  });
};

/**
 * A pipeline as GET /projects/:id/pipelines lists it. The list carries no start or finish
 * times (only GET /projects/:id/pipelines/:pipeline_id does, a call per pipeline), so the
 * record has none: a webhook could tell them, but a record the next sync run would undo is
 * worse than one without them.
 * https://docs.gitlab.com/api/pipelines/#list-project-pipelines
 */
export const pipeline = z.object({
  id: z.number(),
  iid: z.optional(z.number()),
  project_id: z.number(),
  name: z.optional(z.nullable(z.string())),
  sha: z.string(),
  ref: z.nullable(z.string()),
  status: z.string(),
  source: z.optional(z.string()),
  web_url: z.string(),
  created_at: z.string(),
});
export type Pipeline = z.infer<typeof pipeline>;

/**
 * GitLab's pipeline statuses in the model's terms; `raw_status` keeps GitLab's.
 * https://docs.gitlab.com/api/pipelines/#list-project-pipelines (`status`)
 */
const PIPELINE_STATUS: Record<string, z.infer<typeof pipelineRun>['status']> = {
  created: 'queued',
  waiting_for_resource: 'queued',
  preparing: 'queued',
  pending: 'queued',
  scheduled: 'queued',
  // Waiting for someone to play a manual job.
  manual: 'queued',
  running: 'running',
  success: 'succeeded',
  failed: 'failed',
  canceled: 'cancelled',
  skipped: 'skipped',
};

/**
 * A pipeline (from the list, or from a Pipeline Hook) as a `pipeline_run`. `pipeline` is the
 * pipeline's name when the CI config gives one, else what started it (`push`, `schedule`, …);
 * `repository` the project's path, read from the pipeline's own URL. `created_at` is kept to
 * the second: hooks write times to the second where the API has milliseconds, and the two
 * must map to the same record.
 */
export const mapPipeline = (p: Pipeline): SyncRecord => {
  const status = PIPELINE_STATUS[p.status];
  if (!status)
    throw new ProviderError(
      'unreachable',
      `GitLab answered pipeline ${p.id} in an unknown status: ${p.status}.`,
    );
  const url = URL.canParse(p.web_url) ? new URL(p.web_url) : undefined;
  const path = url?.pathname.split('/-/')[0]?.replace(/^\//, '') || null;
  const created = Date.parse(p.created_at);
  if (Number.isNaN(created))
    throw new ProviderError('unreachable', `GitLab answered pipeline ${p.id} without a creation time.`);
  const data = {
    pipeline: p.name || p.source || 'pipeline',
    status,
    raw_status: p.status,
    repository: path,
    ref: p.ref,
    sha: p.sha,
    url: p.web_url,
    started_at: null,
    finished_at: null,
    created_at: new Date(Math.floor(created / 1000) * 1000).toISOString(),
  };
  const r = pipelineRun.safeParse(data);
  if (!r.success)
    throw new ProviderError(
      'unreachable',
      `GitLab answered pipeline ${p.id} with data that does not map to a pipeline run.`,
    );
  return { id: `gitlab_pipeline_${p.id}`, data: r.data };
};
