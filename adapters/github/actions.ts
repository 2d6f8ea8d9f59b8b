import * as z from 'zod/mini';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf, SyncRecord } from '../types';
import type { manifest } from './manifest';
import { comment, issue, mapComment, mapIssue, mapPull, mapRepo, pull } from './mapping';
import { listingUrl, listRepos } from './repo-listing';
import { failure, nextLink, repoUrl, tokenAuth } from './rest';

/**
 * GitHub's tools: a record's `id` and its model's fields; lists page with `cursor`, which is
 * GitHub's own `page` number taken from the `Link` header's next page (null on the last).
 * Refusals (404 unknown repository, 410 issues disabled, 422 validation, 403 archived) carry
 * GitHub's message, and its rate limits (403 or 429) come out as `rate_limited` — `failure()`.
 */

const DEFAULT_PER_PAGE = 30;

const issues = z.array(issue);
const pulls = z.array(pull);

const flat = (r: SyncRecord) => ({ id: r.id, ...r.data });

/** The next page's number, from GitHub's `Link` header. */
const nextCursor = (res: HttpResponse): string | null => {
  const next = nextLink(res);
  if (next === undefined || !URL.canParse(next)) return null;
  return new URL(next).searchParams.get('page');
};

const listQuery = (
  input: { per_page?: number | undefined; cursor?: string | undefined },
  extra: Record<string, string> = {},
) =>
  new URLSearchParams({
    ...extra,
    per_page: String(input.per_page ?? DEFAULT_PER_PAGE),
    ...(input.cursor !== undefined ? { page: input.cursor } : {}),
  });

const get = async (ctx: ActionContext, url: string): Promise<HttpResponse> => {
  const res = await ctx.http(url, { headers: tokenAuth(ctx.credentials, ctx.metadata).headers });
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  return res;
};

const post = async (
  ctx: ActionContext,
  url: string,
  body: Record<string, unknown>,
): Promise<HttpResponse> => {
  const res = await ctx.http(url, {
    method: 'POST',
    headers: tokenAuth(ctx.credentials, ctx.metadata).headers,
    body,
  });
  if (res.status !== 201) throw failure(res, `GitHub answered ${res.status}.`);
  return res;
};

export const actions: ActionsOf<typeof manifest> = {
  // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
  // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
  list_repos: async (ctx, input) => {
    const auth = tokenAuth(ctx.credentials, ctx.metadata);
    const first = new URL(listingUrl(ctx.baseUrl, auth.installation, input.per_page ?? DEFAULT_PER_PAGE));
    if (input.cursor !== undefined) first.searchParams.set('page', input.cursor);
    const listed = await listRepos(ctx.http, ctx.baseUrl, first.toString(), auth);
    const next = listed.next === undefined ? null : new URL(listed.next).searchParams.get('page');
    return { repositories: listed.repos.map((r) => flat(mapRepo(r))), next_cursor: next };
  },

  // https://docs.github.com/en/rest/issues/issues#list-repository-issues
  list_issues: async (ctx, input) => {
    const q = listQuery(input, {
      ...(input.state !== undefined ? { state: input.state } : {}),
      ...(input.labels?.length ? { labels: input.labels.join(',') } : {}),
    });
    const res = await get(ctx, `${repoUrl(ctx.baseUrl, input.repo)}/issues?${q}`);
    const page = parseAnswer('GitHub', issues, res, 'GET /repos/{owner}/{repo}/issues');
    return {
      // Pull requests are issues to this endpoint: a page may hold fewer issues than per_page.
      issues: page
        .filter((i) => i.pull_request === undefined)
        .map((i) => ({ ...flat(mapIssue(i, input.repo)), number: i.number })),
      next_cursor: nextCursor(res),
    };
  },

  // https://docs.github.com/en/rest/issues/issues#create-an-issue
  create_issue: async (ctx, input) => {
    const { repo, ...fields } = input;
    const res = await post(ctx, `${repoUrl(ctx.baseUrl, repo)}/issues`, fields);
    const created = parseAnswer('GitHub', issue, res, 'POST /repos/{owner}/{repo}/issues');
    return { issue: { ...flat(mapIssue(created, repo)), number: created.number } };
  },

  // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
  list_pull_requests: async (ctx, input) => {
    const q = listQuery(input, input.state !== undefined ? { state: input.state } : {});
    const res = await get(ctx, `${repoUrl(ctx.baseUrl, input.repo)}/pulls?${q}`);
    const page = parseAnswer('GitHub', pulls, res, 'GET /repos/{owner}/{repo}/pulls');
    return { pull_requests: page.map((p) => flat(mapPull(p, input.repo))), next_cursor: nextCursor(res) };
  },

  // Pull requests are issues here too: the same call comments on either.
  // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
  comment_on_issue: async (ctx, input) => {
    const url = `${repoUrl(ctx.baseUrl, input.repo)}/issues/${input.issue_number}/comments`;
    const res = await post(ctx, url, { body: input.body });
    const created = parseAnswer(
      'GitHub',
      comment,
      res,
      'POST /repos/{owner}/{repo}/issues/{number}/comments',
    );
    return { comment: flat(mapComment(created, input.repo, input.issue_number)) };
  },
};
