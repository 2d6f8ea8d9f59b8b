import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { commit as commitModel, message, pullRequest, repository, workItem } from '../models';
import type { SyncRecord } from '../types';

/**
 * GitHub's objects as the REST API answers them (what we read of them), and their mapping to
 * the unified models — one mapping for the syncs and the actions alike.
 */

export const repo = z.object({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  private: z.boolean(),
  html_url: z.string(),
  description: z.nullable(z.string()),
  default_branch: z.optional(z.nullable(z.string())),
  archived: z.optional(z.boolean()),
  has_issues: z.optional(z.boolean()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Repo = z.infer<typeof repo>;

const login = z.object({ login: z.string() });
// The OpenAPI description allows bare strings beside label objects.
const labels = z.array(z.union([z.string(), z.object({ name: z.optional(z.nullable(z.string())) })]));

export const issue = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.optional(z.nullable(z.string())),
  state: z.string(),
  state_reason: z.optional(z.nullable(z.string())),
  html_url: z.string(),
  assignees: z.optional(z.nullable(z.array(login))),
  labels,
  milestone: z.optional(z.nullable(z.object({ due_on: z.optional(z.nullable(z.string())) }))),
  // Present (an object) on pull requests, which the issues endpoint returns too.
  pull_request: z.optional(z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Issue = z.infer<typeof issue>;

/** A pull request as GET /repos/{owner}/{repo}/pulls lists it ("pull request simple"). */
export const pull = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.optional(z.nullable(z.string())),
  state: z.string(),
  draft: z.optional(z.boolean()),
  merged_at: z.optional(z.nullable(z.string())),
  closed_at: z.optional(z.nullable(z.string())),
  html_url: z.string(),
  // Null when the author's account was deleted (GitHub shows "ghost").
  user: z.optional(z.nullable(login)),
  assignees: z.optional(z.nullable(z.array(login))),
  requested_reviewers: z.optional(z.nullable(z.array(login))),
  labels,
  head: z.object({ ref: z.string() }),
  base: z.object({ ref: z.string() }),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Pull = z.infer<typeof pull>;

const gitPerson = z.nullable(
  z.object({ name: z.optional(z.string()), email: z.optional(z.string()), date: z.optional(z.string()) }),
);

/**
 * A commit as GET /repos/{owner}/{repo}/commits lists it: the git commit (`commit`, author and
 * committer as git recorded them) and the GitHub accounts they map to (`author`, null when
 * the email belongs to no account).
 * https://docs.github.com/en/rest/commits/commits#list-commits
 */
export const commit = z.object({
  sha: z.string(),
  html_url: z.optional(z.nullable(z.string())),
  commit: z.object({ message: z.string(), author: gitPerson, committer: gitPerson }),
  author: z.optional(z.nullable(login)),
});
export type Commit = z.infer<typeof commit>;

/** A comment as POST /repos/{owner}/{repo}/issues/{number}/comments answers it. */
export const comment = z.object({
  id: z.number(),
  body: z.optional(z.string()),
  html_url: z.string(),
  user: z.optional(z.nullable(login)),
  created_at: z.string(),
});
export type Comment = z.infer<typeof comment>;

/** ISO instants as `toISOString` writes them, whatever offset the provider used. */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `GitHub answered an invalid ${what}.`);
  return new Date(t).toISOString();
};

/** A mapped object checked against its model: a mapping bug must not reach the records. */
const record = <S extends z.ZodMiniType>(model: S, id: string, data: z.infer<S>): SyncRecord => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError('unreachable', `GitHub answered ${id} with data that does not map to its model.`);
  }
  return { id, data: r.data as Record<string, unknown> };
};

const labelNames = (l: z.infer<typeof labels>): string[] =>
  l.flatMap((x) => (typeof x === 'string' ? [x] : x.name ? [x.name] : []));
const logins = (users: { login: string }[] | null | undefined): string[] => (users ?? []).map((u) => u.login);

const issueStatus = (i: Issue): z.infer<typeof workItem>['status'] => {
  if (i.state !== 'closed') return 'open';
  return i.state_reason === 'not_planned' ? 'cancelled' : 'done';
};

/** An issue as a `work_item`; `raw_status` is why it was closed (`completed`, `not_planned`) or its state. */
export const mapIssue = (i: Issue, fullName: string): SyncRecord =>
  record(workItem, `gh_issue_${i.id}`, {
    title: i.title,
    description: i.body ?? null,
    status: issueStatus(i),
    raw_status: i.state === 'closed' && i.state_reason ? i.state_reason : i.state,
    assignees: logins(i.assignees),
    labels: labelNames(i.labels),
    url: i.html_url,
    project: fullName,
    // GitHub stores a milestone's due date as a day; due_on is that day at a fixed hour, UTC.
    due_date: i.milestone?.due_on ? isoOf(i.milestone.due_on, 'milestone due date').slice(0, 10) : null,
    created_at: isoOf(i.created_at, 'created_at'),
    updated_at: isoOf(i.updated_at, 'updated_at'),
  });

/**
 * A pull request's status. GitHub's `state` is only open or closed; whether a closed one was
 * merged is `merged_at`, and a draft is an open one with `draft`. `raw_status` names the
 * four apart: `draft`, `open`, `merged`, `closed` (closed without merging).
 */
const pullStatus = (p: Pull): { status: z.infer<typeof workItem>['status']; raw_status: string } => {
  if (p.merged_at) return { status: 'done', raw_status: 'merged' };
  if (p.state === 'closed') return { status: 'cancelled', raw_status: 'closed' };
  return p.draft ? { status: 'in_progress', raw_status: 'draft' } : { status: 'open', raw_status: p.state };
};

/**
 * A pull request as a `pull_request`. `reviewers` are the reviews still requested (GitHub drops
 * a reviewer from `requested_reviewers` once they have reviewed); team requests are left out.
 */
export const mapPull = (p: Pull, fullName: string): SyncRecord =>
  record(pullRequest, `gh_pr_${p.id}`, {
    title: p.title,
    description: p.body ?? null,
    ...pullStatus(p),
    number: p.number,
    author: p.user?.login ?? null,
    assignees: logins(p.assignees),
    reviewers: logins(p.requested_reviewers),
    labels: labelNames(p.labels),
    url: p.html_url,
    repository: fullName,
    source_branch: p.head.ref,
    target_branch: p.base.ref,
    draft: p.draft ?? false,
    merged_at: p.merged_at ? isoOf(p.merged_at, 'merged_at') : null,
    closed_at: p.closed_at ? isoOf(p.closed_at, 'closed_at') : null,
    created_at: isoOf(p.created_at, 'created_at'),
    updated_at: isoOf(p.updated_at, 'updated_at'),
  });

export const mapRepo = (r: Repo): SyncRecord =>
  record(repository, `gh_repo_${r.id}`, {
    name: r.name,
    full_name: r.full_name,
    description: r.description,
    url: r.html_url,
    private: r.private,
    default_branch: r.default_branch ?? null,
    archived: r.archived ?? false,
    created_at: isoOf(r.created_at, 'created_at'),
    updated_at: isoOf(r.updated_at, 'updated_at'),
  });

/** A comment as a `message` of the issue's thread (`owner/repo#number`) in the repository. */
export const mapComment = (c: Comment, fullName: string, issueNumber: number): SyncRecord =>
  record(message, `gh_comment_${c.id}`, {
    text: c.body ?? '',
    channel: fullName,
    author: c.user?.login ?? null,
    url: c.html_url,
    thread_id: `${fullName}#${issueNumber}`,
    created_at: isoOf(c.created_at, 'created_at'),
  });

/**
 * A commit on `branch` of `fullName`. `committed_at` is the committer's date — the one
 * GitHub's `since` filters on — falling back to the author's (a commit always has one of the
 * two). `author` is the GitHub login when the email maps to an account, else git's name.
 * The id carries the repository: a fork in the same connection holds the same sha.
 */
export const mapCommit = (c: Commit, fullName: string, branch: string | null): SyncRecord => {
  const date = c.commit.committer?.date ?? c.commit.author?.date;
  if (date === undefined)
    throw new ProviderError('unreachable', `GitHub answered commit ${c.sha} without a date.`);
  return record(commitModel, `gh_commit_${fullName.toLowerCase()}@${c.sha}`, {
    sha: c.sha,
    message: c.commit.message,
    author: c.author?.login ?? c.commit.author?.name ?? null,
    author_email: c.commit.author?.email ?? null,
    repository: fullName,
    branch,
    url: c.html_url ?? null,
    committed_at: isoOf(date, 'commit date'),
  });
};
