import type * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf, SyncRecord } from '../types';
import { firstListing, listRepos } from './listing';
import {
  type commentOnPullRequestInput,
  type listPullRequestsInput,
  type listReposInput,
  type manifest,
  pullRequestStates,
} from './manifest';
import { comment, mapComment, mapPull, mapRepo, type Pull, pull, repo } from './mapping';
import { authHeaders, failure, nextPath, paged, pullsQuery, repoPath } from './rest';

/**
 * Bitbucket's tools: a record's `id` and its model's fields. Lists page with `cursor`: the query
 * of the `next` page Bitbucket answered, base64url-encoded (page numbers on some lists, opaque
 * tokens on others), always sent back to the same list. Refusals — 404 for a repository the
 * credentials cannot see, 400 field errors, 403 for a missing scope — carry Bitbucket's message.
 */

const flat = (r: SyncRecord) => ({ id: r.id, ...r.data });

const toCursor = (next: string | undefined): string | null =>
  next === undefined
    ? null
    : Buffer.from(new URL(next, 'http://next.invalid').search.slice(1)).toString('base64url');

/** `path` with the query a cursor carries instead of its own. */
const resume = (path: string, cursor: string | undefined): string => {
  if (cursor === undefined) return path;
  const query = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[\w.~%+=&{}:-]*$/.test(query))
    throw new ProviderError('rejected', 'The cursor is not one this tool gave.');
  return `${path.split('?')[0]}?${query}`;
};

const pulls = paged(pull);

const get = async (ctx: ActionContext, path: string) => {
  const res = await ctx.http(`${ctx.baseUrl}${path}`, { headers: authHeaders(ctx.credentials) });
  if (res.status !== 200) throw failure(res);
  return res;
};

/**
 * The repository's UUID, which the pull request ids of the sync carry: each pull request names
 * its destination repository with it; when an answer leaves it out, the repository tells.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-workspace-repo-slug-get
 */
const repoUuid = async (ctx: ActionContext, fullName: string, listed: Pull[]): Promise<string> => {
  const named = listed.find((p) => p.destination?.repository?.uuid)?.destination?.repository?.uuid;
  if (named !== undefined) return named;
  const res = await get(ctx, `/repositories/${repoPath(fullName)}`);
  return parseAnswer('Bitbucket', repo, res, 'GET /repositories/{workspace}/{repo}').uuid;
};

export const actions: ActionsOf<typeof manifest> = {
  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-get
  list_repos: async (ctx, input: z.infer<typeof listReposInput>) => {
    const first = firstListing(ctx.config, input.workspace, input.pagelen ?? 50);
    const listed = await listRepos(ctx, resume(first, input.cursor));
    return {
      repositories: listed.repos.map((r) => flat(mapRepo(r))),
      next_cursor: toCursor(listed.next),
    };
  },

  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get
  list_pull_requests: async (ctx, input: z.infer<typeof listPullRequestsInput>) => {
    const states = input.state === 'ALL' ? pullRequestStates : [input.state ?? 'OPEN'];
    const q = pullsQuery(states, input.pagelen ?? 20, '-created_on');
    const res = await get(
      ctx,
      resume(`/repositories/${repoPath(input.repo)}/pullrequests?${q}`, input.cursor),
    );
    const page = parseAnswer('Bitbucket', pulls, res, 'GET /repositories/{workspace}/{repo}/pullrequests');
    const uuid = page.values.length > 0 ? await repoUuid(ctx, input.repo, page.values) : '';
    return {
      pull_requests: page.values.map((p) => flat(mapPull(p, { uuid, fullName: input.repo }))),
      next_cursor: toCursor(nextPath(ctx.baseUrl, page.next)),
    };
  },

  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-pull-request-id-comments-post
  comment_on_pull_request: async (ctx, input: z.infer<typeof commentOnPullRequestInput>) => {
    const path = `/repositories/${repoPath(input.repo)}/pullrequests/${input.pull_request_id}/comments`;
    const res = await ctx.http(`${ctx.baseUrl}${path}`, {
      method: 'POST',
      headers: authHeaders(ctx.credentials),
      body: { content: { raw: input.body } },
    });
    if (res.status !== 201) throw failure(res);
    const created = parseAnswer('Bitbucket', comment, res, 'POST …/pullrequests/{id}/comments');
    return { comment: flat(mapComment(created, input.repo, input.pull_request_id)) };
  },
};
