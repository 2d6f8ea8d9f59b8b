import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { pipelineRun, pullRequest, repository } from '../models';
import type { SyncRecord } from '../types';
import { isoOf, isoOrNull, seg } from './rest';

/**
 * Azure Repos repositories and pull requests and Azure Pipelines builds as REST 7.1 answers
 * them (the fields we read) — service hook payloads carry the same objects — and their mapping
 * to the unified models. `orgUrl` is https://dev.azure.com/{organization}.
 */

const projectRef = z.object({
  id: z.string(),
  name: z.string(),
  visibility: z.optional(z.string()),
  lastUpdateTime: z.optional(z.nullable(z.string())),
});

// https://learn.microsoft.com/en-us/rest/api/azure/devops/git/repositories/list?view=azure-devops-rest-7.1
export const gitRepository = z.object({
  id: z.string(),
  name: z.string(),
  project: projectRef,
  defaultBranch: z.optional(z.nullable(z.string())),
  webUrl: z.optional(z.string()),
  isDisabled: z.optional(z.boolean()),
});
export type GitRepository = z.infer<typeof gitRepository>;

const identity = z.object({ displayName: z.optional(z.string()), uniqueName: z.optional(z.string()) });

// https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/get-pull-requests-by-project?view=azure-devops-rest-7.1
export const gitPullRequest = z.object({
  pullRequestId: z.number(),
  status: z.string(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  createdBy: z.optional(z.nullable(identity)),
  creationDate: z.string(),
  closedDate: z.optional(z.nullable(z.string())),
  sourceRefName: z.optional(z.nullable(z.string())),
  targetRefName: z.optional(z.nullable(z.string())),
  isDraft: z.optional(z.boolean()),
  reviewers: z.optional(z.nullable(z.array(identity))),
  labels: z.optional(z.nullable(z.array(z.object({ name: z.string(), active: z.optional(z.boolean()) })))),
  repository: z.object({
    id: z.string(),
    name: z.string(),
    project: z.object({ id: z.string(), name: z.string() }),
  }),
});
export type GitPullRequest = z.infer<typeof gitPullRequest>;

// https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/list?view=azure-devops-rest-7.1
export const build = z.object({
  id: z.number(),
  buildNumber: z.optional(z.string()),
  status: z.string(),
  result: z.optional(z.nullable(z.string())),
  queueTime: z.string(),
  startTime: z.optional(z.nullable(z.string())),
  finishTime: z.optional(z.nullable(z.string())),
  sourceBranch: z.optional(z.nullable(z.string())),
  sourceVersion: z.optional(z.nullable(z.string())),
  definition: z.object({ id: z.number(), name: z.string() }),
  project: z.object({ id: z.string(), name: z.string() }),
  repository: z.optional(
    z.nullable(
      z.object({ id: z.string(), name: z.optional(z.nullable(z.string())), type: z.optional(z.string()) }),
    ),
  ),
  _links: z.optional(z.object({ web: z.optional(z.object({ href: z.string() })) })),
});
export type Build = z.infer<typeof build>;

const checked = <S extends z.ZodMiniType>(model: S, id: string, data: z.infer<S>): SyncRecord => {
  const r = model.safeParse(data);
  if (!r.success)
    throw new ProviderError(
      'unreachable',
      `Azure DevOps answered ${id} with data that does not map to its model.`,
    );
  return { id, data: r.data as Record<string, unknown> };
};

const branch = (ref: string | null | undefined): string | null =>
  ref ? ref.replace(/^refs\/heads\//, '') : null;

/** No date is ever given of a repository; this stands for "unknown" (see mapRepository). */
const UNKNOWN = '1970-01-01T00:00:00.000Z';

/**
 * Azure Repos gives a repository no creation or update time. Its project's `lastUpdateTime`
 * is the nearest the API has (the project's, not the repository's); when it is absent or
 * .NET's zero date, the epoch stands for "unknown" — never the time of the sync, which would
 * make every run an update.
 */
export const mapRepository = (orgUrl: string, r: GitRepository): SyncRecord => {
  const when = isoOrNull(r.project.lastUpdateTime, 'lastUpdateTime') ?? UNKNOWN;
  return checked(repository, `azdo_repo_${r.id}`, {
    name: r.name,
    full_name: `${r.project.name}/${r.name}`,
    description: null,
    url: r.webUrl ?? `${orgUrl}/${seg(r.project.name)}/_git/${seg(r.name)}`,
    private: r.project.visibility !== 'public',
    default_branch: branch(r.defaultBranch),
    archived: r.isDisabled ?? false,
    created_at: when,
    updated_at: when,
  });
};

/**
 * As GitHub's: completed → done (merged), abandoned → cancelled, an active draft → in_progress.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/get-pull-requests-by-project?view=azure-devops-rest-7.1#pullrequeststatus
 */
const prStatus = (p: GitPullRequest): z.infer<typeof pullRequest>['status'] => {
  if (p.status === 'completed') return 'done';
  if (p.status === 'abandoned') return 'cancelled';
  return p.isDraft ? 'in_progress' : 'open';
};

const nameOf = (i: z.infer<typeof identity> | null | undefined) => i?.displayName || i?.uniqueName || null;

/**
 * A pull request has no update time in the API either: its close time once closed, else its
 * creation (changes since show through webhooks and the next full run, by content hash).
 */
export const mapPullRequest = (orgUrl: string, p: GitPullRequest): SyncRecord => {
  const project = p.repository.project.name;
  const closed =
    p.status === 'completed' || p.status === 'abandoned' ? isoOrNull(p.closedDate, 'closedDate') : null;
  return checked(pullRequest, `azdo_pr_${p.repository.id}_${p.pullRequestId}`, {
    title: p.title,
    description: p.description || null,
    status: prStatus(p),
    raw_status: p.status,
    number: p.pullRequestId,
    author: nameOf(p.createdBy),
    // Azure Repos has no assignees; reviewers are who is asked.
    assignees: [],
    reviewers: (p.reviewers ?? []).map(nameOf).filter((n): n is string => n !== null),
    labels: (p.labels ?? []).filter((l) => l.active !== false).map((l) => l.name),
    url: `${orgUrl}/${seg(project)}/_git/${seg(p.repository.name)}/pullrequest/${p.pullRequestId}`,
    repository: `${project}/${p.repository.name}`,
    source_branch: branch(p.sourceRefName),
    target_branch: branch(p.targetRefName),
    draft: p.isDraft ?? false,
    merged_at: p.status === 'completed' ? closed : null,
    closed_at: closed,
    created_at: isoOf(p.creationDate, 'creationDate'),
    updated_at: closed ?? isoOf(p.creationDate, 'creationDate'),
  });
};

/**
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/list?view=azure-devops-rest-7.1#buildstatus
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/list?view=azure-devops-rest-7.1#buildresult
 */
const runStatus = (b: Build): z.infer<typeof pipelineRun>['status'] => {
  if (b.status === 'completed') {
    switch (b.result) {
      case 'succeeded':
      case 'partiallySucceeded':
        return 'succeeded';
      case 'canceled':
        return 'cancelled';
      case 'failed':
        return 'failed';
      default:
        return 'skipped';
    }
  }
  if (b.status === 'inProgress' || b.status === 'cancelling') return 'running';
  return 'queued'; // notStarted, postponed, none
};

export const buildRecordId = (id: number): string => `azdo_build_${id}`;

export const mapBuild = (orgUrl: string, b: Build): SyncRecord => {
  const repo = b.repository;
  return checked(pipelineRun, buildRecordId(b.id), {
    pipeline: b.definition.name,
    status: runStatus(b),
    raw_status: b.status === 'completed' && b.result ? b.result : b.status,
    // Azure Repos repositories are named within their project; GitHub ones are `owner/name`.
    repository: repo?.name ? (repo.type === 'TfsGit' ? `${b.project.name}/${repo.name}` : repo.name) : null,
    ref: b.sourceBranch ?? null,
    sha: b.sourceVersion ?? null,
    url: b._links?.web?.href ?? `${orgUrl}/${seg(b.project.name)}/_build/results?buildId=${b.id}`,
    started_at: isoOrNull(b.startTime, 'startTime'),
    finished_at: isoOrNull(b.finishTime, 'finishTime'),
    created_at: isoOf(b.queueTime, 'queueTime'),
  });
};
