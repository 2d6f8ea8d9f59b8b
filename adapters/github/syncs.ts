import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { repository, workItem } from '../models';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncFunctions, SyncPage, SyncRecord } from '../types';
import { baseHeaders, failure } from './rest';

/**
 * GitHub's syncs: issues of every repository the connection can read, and the repositories
 * themselves, one REST page per `fetchPage`, following GitHub's `Link` header.
 *
 * Lists are walked in creation order (`sort=created&direction=asc`), not update order:
 * GitHub pages by offset (`page=N`), so in update order an issue edited during a run jumps to
 * the end and shifts every later one back by a place, and the one crossing the page boundary
 * is never returned (in an incremental run, never again). Creation order does not move;
 * new issues land at the end, where the run still reaches them.
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */

const PER_PAGE = '100';

const repo = z.object({
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
type Repo = z.infer<typeof repo>;

const userRepos = z.array(repo);
const installationRepos = z.object({ total_count: z.number(), repositories: z.array(repo) });

const issue = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.optional(z.nullable(z.string())),
  state: z.string(),
  state_reason: z.optional(z.nullable(z.string())),
  html_url: z.string(),
  assignees: z.optional(z.nullable(z.array(z.object({ login: z.string() })))),
  // The OpenAPI description allows bare strings beside label objects.
  labels: z.array(z.union([z.string(), z.object({ name: z.optional(z.nullable(z.string())) })])),
  milestone: z.optional(z.nullable(z.object({ due_on: z.optional(z.nullable(z.string())) }))),
  // Present (an object) on pull requests, which the issues endpoint returns too.
  pull_request: z.optional(z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
type Issue = z.infer<typeof issue>;
const issues = z.array(issue);

/**
 * Where an issues run stands: the repositories of the listing page being walked (already
 * narrowed by config), the one being read, and the issues page to read next in it — a crash
 * resumes mid-repository. The listing page is kept (≤ 100 names) rather than fetched again.
 */
const issuesCheckpoint = z.object({
  repos: z.array(z.string()),
  index: z.int().check(z.minimum(0)),
  reposNext: z.optional(z.string()),
  issuesNext: z.optional(z.string()),
});
type IssuesCheckpoint = z.infer<typeof issuesCheckpoint>;

const reposCheckpoint = z.object({ next: z.string() });

/** The token, and whether it is an installation's (which lists its repositories elsewhere). */
const auth = (ctx: SyncContext): { headers: Record<string, string>; installation: boolean } => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2') {
    throw new ProviderError('rejected', `GitHub syncs need an access token, not ${c.type} credentials.`);
  }
  // Core hands app installs their installation token (ghs_…) in oauth2 shape.
  // https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats
  const installation = ctx.metadata.installation_id !== undefined || c.access_token.startsWith('ghs_');
  return { headers: { ...baseHeaders, authorization: `Bearer ${c.access_token}` }, installation };
};

/** The `rel="next"` URL of a `Link` header. */
export const nextLink = (res: HttpResponse): string | undefined => {
  for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (m[2]?.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
};

const sameOrigin = (url: string, baseUrl: string): boolean =>
  URL.canParse(url) && new URL(url).origin === new URL(baseUrl).origin;

/** A next-page URL from GitHub; never one that would carry the token to another host. */
const followable = (res: HttpResponse, ctx: SyncContext): string | undefined => {
  const next = nextLink(res);
  if (next !== undefined && !sameOrigin(next, ctx.baseUrl)) {
    throw new ProviderError('unreachable', 'GitHub answered a next-page link to another host.', {
      status: res.status,
    });
  }
  return next;
};

/** ISO instants as `toISOString` writes them, whatever offset the provider used. */
const isoOf = (value: string, what: string): string => {
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

/** `since` for GitHub: whole seconds, floored, so the boundary second is read again, never skipped. */
const sinceParam = (ctx: SyncContext): string | undefined => {
  if (ctx.mode !== 'incremental' || ctx.since === undefined) return undefined;
  const t = Date.parse(ctx.since);
  if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
};

/** `config.repositories`: names or owner/name, matched as GitHub does, case-insensitively. */
const narrowing = (ctx: SyncContext): ((r: Repo) => boolean) => {
  const wanted = Array.isArray(ctx.config.repositories)
    ? ctx.config.repositories.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : [];
  if (wanted.length === 0) return () => true;
  return (r) =>
    wanted.some((w) => (w.includes('/') ? w === r.full_name.toLowerCase() : w === r.name.toLowerCase()));
};

/** The first listing page: an installation's repositories (in GitHub's order), or the user's. */
const listingUrl = (ctx: SyncContext, installation: boolean): string => {
  if (installation) return `${ctx.baseUrl}/installation/repositories?per_page=${PER_PAGE}`;
  const q = new URLSearchParams({ per_page: PER_PAGE, sort: 'created', direction: 'asc' });
  return `${ctx.baseUrl}/user/repos?${q}`;
};

/** One page of the repositories the credentials can read, and the next page's URL. */
const listRepos = async (
  ctx: SyncContext,
  url: string,
  a: ReturnType<typeof auth>,
): Promise<{ repos: Repo[]; next: string | undefined }> => {
  // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
  // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
  const res = await ctx.http(url, { headers: a.headers });
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const repos = a.installation
    ? parseAnswer('GitHub', installationRepos, res, 'GET /installation/repositories').repositories
    : parseAnswer('GitHub', userRepos, res, 'GET /user/repos');
  return { repos, next: followable(res, ctx) };
};

const statusOf = (i: Issue): z.infer<typeof workItem>['status'] => {
  if (i.state !== 'closed') return 'open';
  return i.state_reason === 'not_planned' ? 'cancelled' : 'done';
};

const mapIssue = (i: Issue, fullName: string): SyncRecord =>
  record(workItem, `gh_issue_${i.id}`, {
    title: i.title,
    description: i.body ?? null,
    status: statusOf(i),
    raw_status: i.state === 'closed' && i.state_reason ? i.state_reason : i.state,
    assignees: (i.assignees ?? []).map((u) => u.login),
    labels: i.labels.flatMap((l) => (typeof l === 'string' ? [l] : l.name ? [l.name] : [])),
    url: i.html_url,
    project: fullName,
    // GitHub stores a milestone's due date as a day; due_on is that day at a fixed hour, UTC.
    due_date: i.milestone?.due_on ? isoOf(i.milestone.due_on, 'milestone due date').slice(0, 10) : null,
    created_at: isoOf(i.created_at, 'created_at'),
    updated_at: isoOf(i.updated_at, 'updated_at'),
  });

const issuesUrl = (ctx: SyncContext, fullName: string): string => {
  const q = new URLSearchParams({ state: 'all', per_page: PER_PAGE, sort: 'created', direction: 'asc' });
  const since = sinceParam(ctx);
  if (since !== undefined) q.set('since', since);
  const [owner = '', name = ''] = fullName.split('/');
  return `${ctx.baseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/issues?${q}`;
};

/** A stored checkpoint, or undefined (start over) when it is unreadable or names another host. */
const readIssuesCheckpoint = (ctx: SyncContext): IssuesCheckpoint | undefined => {
  if (ctx.checkpoint === undefined) return undefined;
  const r = issuesCheckpoint.safeParse(ctx.checkpoint);
  if (!r.success) return undefined;
  const urls = [r.data.reposNext, r.data.issuesNext].filter((u): u is string => u !== undefined);
  return urls.every((u) => sameOrigin(u, ctx.baseUrl)) ? r.data : undefined;
};

const withoutUndefined = (c: {
  repos: string[];
  index: number;
  reposNext: string | undefined;
  issuesNext: string | undefined;
}): IssuesCheckpoint => ({
  repos: c.repos,
  index: c.index,
  ...(c.reposNext !== undefined ? { reposNext: c.reposNext } : {}),
  ...(c.issuesNext !== undefined ? { issuesNext: c.issuesNext } : {}),
});

const fetchIssuesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const a = auth(ctx);
  const keep = narrowing(ctx);
  const readable = (r: Repo) => keep(r) && r.has_issues !== false;

  let state = readIssuesCheckpoint(ctx);
  // At most one listing call a page: a narrowed listing page with nothing to read is an
  // empty page of ours, and the run goes on from the next listing page.
  if (state === undefined || (state.index >= state.repos.length && state.reposNext !== undefined)) {
    const url = state?.reposNext ?? listingUrl(ctx, a.installation);
    const listed = await listRepos(ctx, url, a);
    state = withoutUndefined({
      repos: listed.repos.filter(readable).map((r) => r.full_name),
      index: 0,
      reposNext: listed.next,
      issuesNext: undefined,
    });
  }
  const fullName = state.repos[state.index];
  if (fullName === undefined)
    return state.reposNext === undefined ? { records: [] } : { records: [], next: state };

  // https://docs.github.com/en/rest/issues/issues#list-repository-issues
  const res = await ctx.http(state.issuesNext ?? issuesUrl(ctx, fullName), { headers: a.headers });
  let records: SyncRecord[] = [];
  let issuesNext: string | undefined;
  // 404: the repository went away (or out of reach) since it was listed; 410: its issues
  // are disabled. Either way it has no issues to read.
  if (res.status !== 404 && res.status !== 410) {
    if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
    const page = parseAnswer('GitHub', issues, res, 'GET /repos/{owner}/{repo}/issues');
    // Pull requests are issues to this endpoint; they have a sync of their own.
    records = page.filter((i) => i.pull_request === undefined).map((i) => mapIssue(i, fullName));
    issuesNext = followable(res, ctx);
  }
  const next = withoutUndefined(
    issuesNext !== undefined
      ? { ...state, reposNext: state.reposNext, issuesNext }
      : { ...state, index: state.index + 1, reposNext: state.reposNext, issuesNext: undefined },
  );
  const done =
    next.issuesNext === undefined && next.index >= next.repos.length && next.reposNext === undefined;
  return done ? { records } : { records, next };
};

const mapRepo = (r: Repo): SyncRecord =>
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

const fetchRepositoriesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const a = auth(ctx);
  const stored = reposCheckpoint.safeParse(ctx.checkpoint);
  const url =
    stored.success && sameOrigin(stored.data.next, ctx.baseUrl)
      ? stored.data.next
      : listingUrl(ctx, a.installation);
  const listed = await listRepos(ctx, url, a);
  const keep = narrowing(ctx);
  const records = listed.repos.filter(keep).map(mapRepo);
  return listed.next === undefined ? { records } : { records, next: { next: listed.next } };
};

export const syncs: SyncFunctions = {
  issues: { fetchPage: fetchIssuesPage },
  repositories: { fetchPage: fetchRepositoriesPage },
};
