import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { message, pullRequest, repository } from '../models';
import type { SyncRecord } from '../types';
import { bare, isoOf } from './rest';

/**
 * Bitbucket's repositories, pull requests and comments as REST 2.0 answers them (the fields we
 * read), and their mapping to the unified models. Record ids use Bitbucket's UUIDs, which a
 * rename or a transfer to another workspace does not change; a pull request's `id` is only
 * unique within its repository, so its id carries the repository's UUID too.
 */

const link = z.object({ href: z.string() });
const links = z.object({ html: z.optional(link) });

/**
 * Since the GDPR changes Bitbucket answers other users without `username`: `nickname` is the
 * public handle, `display_name` the full name.
 * https://developer.atlassian.com/cloud/bitbucket/bitbucket-api-changes-gdpr/
 */
const account = z.object({
  uuid: z.optional(z.string()),
  display_name: z.optional(z.string()),
  nickname: z.optional(z.string()),
});
type Account = z.infer<typeof account>;

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-get
export const repo = z.object({
  uuid: z.string(),
  full_name: z.string(),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  is_private: z.boolean(),
  mainbranch: z.optional(z.nullable(z.object({ name: z.string() }))),
  links,
  created_on: z.string(),
  updated_on: z.optional(z.nullable(z.string())),
});
export type Repo = z.infer<typeof repo>;

const endpoint = z.object({
  branch: z.optional(z.nullable(z.object({ name: z.string() }))),
  repository: z.optional(z.nullable(z.object({ full_name: z.string(), uuid: z.optional(z.string()) }))),
});

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get
export const pull = z.object({
  id: z.number(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  // OPEN, MERGED, DECLINED or SUPERSEDED.
  state: z.string(),
  draft: z.optional(z.boolean()),
  author: z.optional(z.nullable(account)),
  // Only in the answer for one pull request ("for performance reasons"), not in lists.
  reviewers: z.optional(z.array(account)),
  source: z.optional(endpoint),
  destination: z.optional(endpoint),
  links,
  created_on: z.string(),
  updated_on: z.string(),
  closed_on: z.optional(z.nullable(z.string())),
});
export type Pull = z.infer<typeof pull>;

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-pull-request-id-comments-post
export const comment = z.object({
  id: z.number(),
  content: z.object({ raw: z.nullable(z.string()) }),
  user: z.optional(z.nullable(account)),
  links,
  created_on: z.string(),
});
export type Comment = z.infer<typeof comment>;

/** A mapped object checked against its model: a mapping bug must not reach the records. */
const record = <S extends z.ZodMiniType>(model: S, id: string, data: z.infer<S>): SyncRecord => {
  const r = model.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Bitbucket answered ${id} with data that does not map to its model.`,
    );
  }
  return { id, data: r.data as Record<string, unknown> };
};

const handle = (a: Account | null | undefined): string | null => a?.nickname ?? a?.display_name ?? null;

export const repoId = (uuid: string): string => `bb_repo_${bare(uuid)}`;

export const mapRepo = (r: Repo): SyncRecord =>
  record(repository, repoId(r.uuid), {
    name: r.name,
    full_name: r.full_name,
    // Bitbucket answers "" for a repository without one.
    description: r.description || null,
    url: r.links.html?.href ?? `https://bitbucket.org/${r.full_name}`,
    private: r.is_private,
    // Null for a repository nothing was pushed to yet.
    default_branch: r.mainbranch?.name ?? null,
    // Bitbucket Cloud has no archived repositories.
    archived: false,
    created_at: isoOf(r.created_on, 'created_on'),
    updated_at: isoOf(r.updated_on ?? r.created_on, 'updated_on'),
  });

/** OPEN → open (a draft: in_progress), MERGED → done, DECLINED and SUPERSEDED → cancelled. */
const status = (p: Pull, draft: boolean): z.infer<typeof pullRequest>['status'] => {
  if (p.state === 'MERGED') return 'done';
  if (p.state === 'DECLINED' || p.state === 'SUPERSEDED') return 'cancelled';
  return draft ? 'in_progress' : 'open';
};

/**
 * A pull request of `repo` (the repository it was listed from: its UUID and full name).
 * Bitbucket lists no closing time: a closed pull request's `closed_on` when the answer has it,
 * else its last update — closing is the last thing that changes a pull request's record.
 */
export const mapPull = (p: Pull, repo: { uuid: string; fullName: string }): SyncRecord => {
  const draft = p.draft ?? false;
  const s = status(p, draft);
  const closedAt = s === 'done' || s === 'cancelled' ? isoOf(p.closed_on ?? p.updated_on, 'closed_on') : null;
  return record(pullRequest, `bb_pr_${bare(repo.uuid)}_${p.id}`, {
    title: p.title,
    description: p.description || null,
    status: s,
    raw_status: p.state,
    number: p.id,
    author: handle(p.author),
    // Bitbucket pull requests have reviewers but no assignees, and no labels.
    assignees: [],
    reviewers: (p.reviewers ?? []).map(handle).filter((h): h is string => h !== null),
    labels: [],
    url: p.links.html?.href ?? null,
    repository: p.destination?.repository?.full_name ?? repo.fullName,
    source_branch: p.source?.branch?.name ?? null,
    target_branch: p.destination?.branch?.name ?? null,
    draft,
    merged_at: s === 'done' ? closedAt : null,
    closed_at: closedAt,
    created_at: isoOf(p.created_on, 'created_on'),
    updated_at: isoOf(p.updated_on, 'updated_on'),
  });
};

export const mapComment = (c: Comment, fullName: string, pullRequestId: number): SyncRecord =>
  record(message, `bb_comment_${c.id}`, {
    text: c.content.raw ?? '',
    channel: fullName,
    author: handle(c.user),
    url: c.links.html?.href ?? null,
    thread_id: `${fullName}#${pullRequestId}`,
    created_at: isoOf(c.created_on, 'created_on'),
  });
