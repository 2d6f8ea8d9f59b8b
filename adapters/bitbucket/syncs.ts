import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import { firstListing, listRepos } from './listing';
import { type manifest, pullRequestStates } from './manifest';
import { mapPull, mapRepo, pull } from './mapping';
import { authHeaders, bbqlInstant, failure, nextPath, paged, pullsQuery, repoPath } from './rest';

/**
 * Bitbucket's syncs: the repositories the connection is a member of (or those of
 * `config.workspace`), and the pull requests of each, one REST page per `fetchPage`.
 *
 * Both lists are walked in creation order (`sort=created_on`) by following each answer's `next`
 * page: an item edited during a run keeps its place, and new ones land at the end. Pull
 * requests are read repository by repository — Bitbucket has no list across repositories.
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 */

const PULLS_PER_PAGE = 50; // the most the pull request list takes

const pullPage = paged(pull);

const listingCheckpoint = z.object({ listing: z.string().check(z.regex(/^\/repositories[/?]/)) });

const fetchReposPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = listingCheckpoint.safeParse(ctx.checkpoint).data;
  const listed = await listRepos(ctx, stored?.listing ?? firstListing(ctx.config));
  const records = listed.repos.map(mapRepo);
  return listed.next === undefined ? { records } : { records, next: { listing: listed.next } };
};

/**
 * Where a pull requests run stands: the repositories of the listing page being walked (UUID
 * and full name), the one being read, its next page (absent: the first), and the next listing
 * page. A crash resumes mid-repository.
 */
const walkCheckpoint = z.object({
  repos: z.array(z.object({ uuid: z.string(), name: z.string() })),
  index: z.int().check(z.minimum(0)),
  listing: z.optional(z.string().check(z.regex(/^\/repositories[/?]/))),
  page: z.optional(z.string().check(z.regex(/^\/repositories\//))),
});
type Walk = z.infer<typeof walkCheckpoint>;

const walkFrom = async (ctx: SyncContext, path: string): Promise<Walk> => {
  const listed = await listRepos(ctx, path);
  return {
    repos: listed.repos.map((r) => ({ uuid: r.uuid, name: r.full_name })),
    index: 0,
    ...(listed.next !== undefined ? { listing: listed.next } : {}),
  };
};

/** The first page of a repository's pull requests, every state, oldest first. */
const firstPulls = (ctx: SyncContext, fullName: string): string => {
  const q = pullsQuery(pullRequestStates, PULLS_PER_PAGE, 'created_on');
  if (ctx.mode === 'incremental' && ctx.since !== undefined)
    q.set('q', `updated_on >= ${bbqlInstant(ctx.since)}`);
  return `/repositories/${repoPath(fullName)}/pullrequests?${q}`;
};

// https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get
const readPulls = async (ctx: SyncContext, r: Walk['repos'][number], path: string) => {
  const res = await ctx.http(`${ctx.baseUrl}${path}`, { headers: authHeaders(ctx.credentials) });
  // Deleted (or access lost) since it was listed: nothing to read there.
  if (res.status === 404) return { records: [], next: undefined };
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Bitbucket', pullPage, res, 'GET /repositories/{workspace}/{repo}/pullrequests');
  return {
    records: page.values.map((p) => mapPull(p, { uuid: r.uuid, fullName: r.name })),
    next: nextPath(ctx.baseUrl, page.next),
  };
};

const fetchPullsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  let state = walkCheckpoint.safeParse(ctx.checkpoint).data;
  // At most one listing call a page.
  if (state === undefined) state = await walkFrom(ctx, firstListing(ctx.config));
  else if (state.index >= state.repos.length && state.listing !== undefined) {
    state = await walkFrom(ctx, state.listing);
  }
  const r = state.repos[state.index];
  if (r === undefined) return state.listing === undefined ? { records: [] } : { records: [], next: state };

  const read = await readPulls(ctx, r, state.page ?? firstPulls(ctx, r.name));
  const { page: _, ...here } = state;
  const next: Walk =
    read.next !== undefined ? { ...here, page: read.next } : { ...here, index: here.index + 1 };
  const done = next.page === undefined && next.index >= next.repos.length && next.listing === undefined;
  return done ? { records: read.records } : { records: read.records, next };
};

export const syncs: SyncsOf<typeof manifest> = {
  repositories: fetchReposPage,
  pull_requests: fetchPullsPage,
};
