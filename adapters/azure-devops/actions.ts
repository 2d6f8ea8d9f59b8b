import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionsOf, SyncRecord } from '../types';
import type { manifest } from './manifest';
import { gitPullRequest, gitRepository, mapPullRequest, mapRepository } from './mapping';
import { call, list, organizationUrl, seg } from './rest';

/**
 * Azure DevOps' tools: records (`id` and the model's fields). Refusals — TF401019 (no such
 * repository), TF401180 (no such pull request), TF200016 (no such project) — carry Azure
 * DevOps' message.
 */

const flat = (r: SyncRecord) => ({ id: r.id, ...r.data });

const thread = z.object({
  id: z.number(),
  status: z.optional(z.nullable(z.string())),
  publishedDate: z.optional(z.string()),
  comments: z.array(
    z.object({
      id: z.number(),
      content: z.optional(z.nullable(z.string())),
      author: z.optional(z.object({ displayName: z.optional(z.string()) })),
      publishedDate: z.optional(z.string()),
    }),
  ),
});

export const actions: ActionsOf<typeof manifest> = {
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/repositories/list?view=azure-devops-rest-7.1
  list_repos: async (ctx, input) => {
    const res = await call(ctx, `${input.project ? `/${seg(input.project)}` : ''}/_apis/git/repositories`);
    const orgUrl = organizationUrl(ctx);
    const repos = parseAnswer('Azure DevOps', list(gitRepository), res, 'GET /_apis/git/repositories').value;
    return { repositories: repos.map((r) => flat(mapRepository(orgUrl, r))) };
  },

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/get-pull-requests-by-project?view=azure-devops-rest-7.1
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/get-pull-requests?view=azure-devops-rest-7.1
  list_pull_requests: async (ctx, input) => {
    const limit = input.limit ?? 50;
    const skip = Number(input.cursor ?? 0);
    const path = input.repository
      ? `/${seg(input.project)}/_apis/git/repositories/${seg(input.repository)}/pullrequests`
      : `/${seg(input.project)}/_apis/git/pullrequests`;
    const res = await call(ctx, path, {
      query: { 'searchCriteria.status': input.status ?? 'active', $top: String(limit), $skip: String(skip) },
    });
    const orgUrl = organizationUrl(ctx);
    const page = parseAnswer('Azure DevOps', list(gitPullRequest), res, 'GET /_apis/git/pullrequests').value;
    return {
      pull_requests: page.map((p) => flat(mapPullRequest(orgUrl, p))),
      next_cursor: page.length === limit ? String(skip + limit) : null,
    };
  },

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-threads/create?view=azure-devops-rest-7.1
  // A new thread with one text comment (commentType 1), active (status 1).
  comment_on_pull_request: async (ctx, input) => {
    const res = await call(
      ctx,
      `/${seg(input.project)}/_apis/git/repositories/${seg(input.repository)}/pullRequests/${input.pull_request_id}/threads`,
      {
        method: 'POST',
        body: { comments: [{ parentCommentId: 0, content: input.content, commentType: 1 }], status: 1 },
      },
    );
    const t = parseAnswer('Azure DevOps', thread, res, 'POST /pullRequests/{id}/threads');
    const first = t.comments[0];
    return {
      thread_id: t.id,
      comment: first
        ? {
            id: first.id,
            content: first.content ?? '',
            author: first.author?.displayName ?? null,
            created_at: first.publishedDate ?? t.publishedDate ?? null,
          }
        : null,
      url: `${organizationUrl(ctx)}/${seg(input.project)}/_git/${seg(input.repository)}/pullrequest/${input.pull_request_id}?discussionId=${t.id}`,
    };
  },
};
