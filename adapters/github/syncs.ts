import * as z from 'zod/mini';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { commit, issue, mapCommit, mapIssue, mapPull, mapRepo, pull, type Repo } from './mapping';
import { listingUrl, listRepos } from './repo-listing';
import { failure, followable, repoUrl, sameOrigin, tokenAuth } from './rest';

/**
 * GitHub's syncs: issues and pull requests of every repository the connection can read, and
 * the repositories themselves, one REST page per `fetchPage`, following GitHub's `Link` header.
 *
 * Lists are walked in creation order (`sort=created&direction=asc`), not update order:
 * GitHub pages by offset (`page=N`), so in update order an issue edited during a run jumps to
 * the end and shifts every later one back by a place, and the one crossing the page boundary
 * is never returned (in an incremental run, never again). Creation order does not move;
 * new issues land at the end, where the run still reaches them.
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */

const PER_PAGE = 100;
/** Repositories with nothing to read asked in one page of ours, at most (half a listing page). */
const NOTHING_RUN = 50;

const issues = z.array(issue);
const pulls = z.array(pull);
const commits = z.array(commit);

/**
 * Where a run over the repositories stands: the repositories of the listing page being walked
 * (already narrowed by config), the one being read, and the page to read next in it (issues
 * keep theirs in `issuesNext`, pull requests in `pullsNext`) — a crash resumes mid-repository.
 * The listing page is kept (≤ 100 names) rather than fetched again.
 */
const walkCheckpoint = z.object({
  repos: z.array(z.string()),
  index: z.int().check(z.minimum(0)),
  reposNext: z.optional(z.string()),
  issuesNext: z.optional(z.string()),
  pullsNext: z.optional(z.string()),
  commitsNext: z.optional(z.string()),
});
type PageKey = 'issuesNext' | 'pullsNext' | 'commitsNext';
type Position = { repos: string[]; index: number; reposNext?: string; pageNext?: string };

const reposCheckpoint = z.object({ next: z.string() });

/** What a sync over every readable repository reads in each. */
type RepoWalk = {
  pageKey: PageKey;
  /** The repositories worth asking (config narrowing, features turned off). */
  readable: (ctx: SyncContext) => (r: Repo) => boolean;
  /**
   * What the checkpoint keeps of a listed repository: its full name by default; the commits
   * walk adds the default branch (`owner/name:branch` — neither a name nor a git ref may hold
   * a colon), so a resumed run needs no second look at the repository.
   */
  entry?: (r: Repo) => string;
  firstUrl: (ctx: SyncContext, entry: string) => string;
  /** Statuses that mean the repository has nothing to read (gone since listed, feature off). */
  nothing: number[];
  /** Ask the next repository in the same page after one with nothing to read. */
  skipRun?: true;
  /** Maps an answered page; `more: false` ends the repository before its last page. */
  read: (ctx: SyncContext, res: HttpResponse, entry: string) => { records: SyncRecord[]; more: boolean };
};

/** The incremental cutoff in whole seconds, floored, so the boundary second is read again, never skipped. */
const sinceSecond = (ctx: SyncContext): number | undefined => {
  if (ctx.mode !== 'incremental' || ctx.since === undefined) return undefined;
  const t = Date.parse(ctx.since);
  if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
  return Math.floor(t / 1000) * 1000;
};

/**
 * `config.repositories` (names or owner/name) and `config.organization` (the owner's login),
 * matched as GitHub does, case-insensitively. The owner is read from `full_name`: an app
 * installed on several accounts' repositories (or a user's token reaching many orgs) lists
 * them all, and the owner is the part before the slash in every listing and event.
 */
export const narrowing = (
  ctx: Pick<SyncContext, 'config'>,
): ((r: Pick<Repo, 'name' | 'full_name'>) => boolean) => {
  const wanted = Array.isArray(ctx.config.repositories)
    ? ctx.config.repositories.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : [];
  const org = typeof ctx.config.organization === 'string' ? ctx.config.organization.toLowerCase() : undefined;
  const inOrg = (r: Pick<Repo, 'full_name'>) =>
    org === undefined || r.full_name.toLowerCase().split('/')[0] === org;
  if (wanted.length === 0) return inOrg;
  return (r) =>
    inOrg(r) &&
    wanted.some((w) => (w.includes('/') ? w === r.full_name.toLowerCase() : w === r.name.toLowerCase()));
};

/** A stored checkpoint, or undefined (start over) when it is unreadable or names another host. */
const readPosition = (ctx: SyncContext, key: PageKey): Position | undefined => {
  if (ctx.checkpoint === undefined) return undefined;
  const r = walkCheckpoint.safeParse(ctx.checkpoint);
  if (!r.success) return undefined;
  const { repos, index, reposNext } = r.data;
  const pageNext = r.data[key];
  const urls = [reposNext, pageNext].filter((u): u is string => u !== undefined);
  if (!urls.every((u) => sameOrigin(u, ctx.baseUrl))) return undefined;
  return {
    repos,
    index,
    ...(reposNext !== undefined ? { reposNext } : {}),
    ...(pageNext !== undefined ? { pageNext } : {}),
  };
};

/** A position as its checkpoint (JSON: no undefined fields). */
const checkpointOf = (p: Position, key: PageKey) => ({
  repos: p.repos,
  index: p.index,
  ...(p.reposNext !== undefined ? { reposNext: p.reposNext } : {}),
  ...(p.pageNext !== undefined ? { [key]: p.pageNext } : {}),
});

const walkRepositories =
  (walk: RepoWalk) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    const auth = tokenAuth(ctx.credentials, ctx.metadata);
    let state = readPosition(ctx, walk.pageKey);
    // At most one listing call a page: a narrowed listing page with nothing to read is an
    // empty page of ours, and the run goes on from the next listing page.
    if (state === undefined || (state.index >= state.repos.length && state.reposNext !== undefined)) {
      const url = state?.reposNext ?? listingUrl(ctx.baseUrl, auth.installation, PER_PAGE);
      const listed = await listRepos(ctx.http, ctx.baseUrl, url, auth);
      const readable = walk.readable(ctx);
      state = {
        repos: listed.repos.filter(readable).map(walk.entry ?? ((r) => r.full_name)),
        index: 0,
        ...(listed.next !== undefined ? { reposNext: listed.next } : {}),
      };
    }
    let records: SyncRecord[] = [];
    let pageNext: string | undefined;
    // A repository with nothing to read (gone, feature off, empty) answers at once: the next
    // one of the listing page is asked in the same page of ours, up to NOTHING_RUN calls, so
    // a hundred empty repositories are not a hundred pages.
    for (let calls = 0; ; calls++) {
      const entry = state.repos[state.index];
      if (entry === undefined) {
        return state.reposNext === undefined
          ? { records: [] }
          : { records: [], next: checkpointOf(state, walk.pageKey) };
      }
      const res = await ctx.http(state.pageNext ?? walk.firstUrl(ctx, entry), { headers: auth.headers });
      if (!walk.nothing.includes(res.status)) {
        if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
        const page = walk.read(ctx, res, entry);
        records = page.records;
        pageNext = page.more ? followable(res, ctx.baseUrl) : undefined;
        break;
      }
      const { pageNext: _, ...rest } = state;
      const skipped: Position = { ...rest, index: state.index + 1 };
      if (walk.skipRun !== true || calls + 1 >= NOTHING_RUN || skipped.index >= skipped.repos.length) break;
      state = skipped;
    }
    const { pageNext: _, ...here } = state;
    const next: Position =
      pageNext !== undefined ? { ...here, pageNext } : { ...here, index: state.index + 1 };
    const done =
      next.pageNext === undefined && next.index >= next.repos.length && next.reposNext === undefined;
    return done ? { records } : { records, next: checkpointOf(next, walk.pageKey) };
  };

const issuesWalk: RepoWalk = {
  pageKey: 'issuesNext',
  readable: (ctx) => {
    const keep = narrowing(ctx);
    return (r) => keep(r) && r.has_issues !== false;
  },
  // https://docs.github.com/en/rest/issues/issues#list-repository-issues
  firstUrl: (ctx, fullName) => {
    const q = new URLSearchParams({
      state: 'all',
      per_page: String(PER_PAGE),
      sort: 'created',
      direction: 'asc',
    });
    const since = sinceSecond(ctx);
    if (since !== undefined) q.set('since', new Date(since).toISOString().replace('.000Z', 'Z'));
    return `${repoUrl(ctx.baseUrl, fullName)}/issues?${q}`;
  },
  // 404: the repository went away (or out of reach) since it was listed; 410: its issues are
  // disabled. Either way it has no issues to read.
  nothing: [404, 410],
  read: (_ctx, res, fullName) => {
    const page = parseAnswer('GitHub', issues, res, 'GET /repos/{owner}/{repo}/issues');
    // Pull requests are issues to this endpoint; they have a sync of their own.
    const records = page.filter((i) => i.pull_request === undefined).map((i) => mapIssue(i, fullName));
    return { records, more: true };
  },
};

/**
 * Pull requests have no `since` parameter. A full run lists them in creation order (stable, as
 * above: a full run concludes that what it did not see is deleted, so it must not skip one).
 * An incremental run lists them most recently updated first and stops at the first one older
 * than `since`: it reads the changes and little more. That order is safe with offset paging
 * too: an update moves a pull request to the front, which shifts the ones before it back by a
 * place (one is read twice, harmlessly) and leaves the ones after it where they were. The only
 * one a run can miss is the one that moved — changed during the run, so the next run, whose
 * `since` is this run's start, reads it.
 * https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
 */
const pullsWalk: RepoWalk = {
  pageKey: 'pullsNext',
  readable: narrowing,
  firstUrl: (ctx, fullName) => {
    const incremental = sinceSecond(ctx) !== undefined;
    const q = new URLSearchParams({
      state: 'all',
      per_page: String(PER_PAGE),
      sort: incremental ? 'updated' : 'created',
      direction: incremental ? 'desc' : 'asc',
    });
    return `${repoUrl(ctx.baseUrl, fullName)}/pulls?${q}`;
  },
  // The repository went away (or out of reach) since it was listed.
  nothing: [404],
  read: (ctx, res, fullName) => {
    const page = parseAnswer('GitHub', pulls, res, 'GET /repos/{owner}/{repo}/pulls');
    const since = sinceSecond(ctx);
    const fresh = since === undefined ? page : page.filter((p) => Date.parse(p.updated_at) >= since);
    return { records: fresh.map((p) => mapPull(p, fullName)), more: fresh.length === page.length };
  },
};

/** `owner/name:branch` → its parts (the commits walk's checkpoint entry). */
const splitEntry = (entry: string): { fullName: string; branch: string } => {
  const at = entry.indexOf(':');
  return { fullName: entry.slice(0, at), branch: entry.slice(at + 1) };
};

/**
 * Commits of each repository's default branch, newest first, as GitHub lists them; an
 * incremental run asks for those committed since the last run (`since`, by commit date).
 * Offset paging newest first is safe here: a push during the run puts new commits in front,
 * which shifts the ones already read back (read twice, harmlessly), never skips one; the
 * new ones are the next run's, which starts from this run's start.
 * https://docs.github.com/en/rest/commits/commits#list-commits
 */
const commitsWalk: RepoWalk = {
  pageKey: 'commitsNext',
  // A repository without a default branch has no commits yet (GitHub would answer 409).
  readable: (ctx) => {
    const keep = narrowing(ctx);
    return (r) => keep(r) && typeof r.default_branch === 'string' && r.default_branch !== '';
  },
  entry: (r) => `${r.full_name}:${r.default_branch ?? ''}`,
  firstUrl: (ctx, entry) => {
    const { fullName, branch } = splitEntry(entry);
    const q = new URLSearchParams({ sha: branch, per_page: String(PER_PAGE) });
    const since = sinceSecond(ctx);
    if (since !== undefined) q.set('since', new Date(since).toISOString().replace('.000Z', 'Z'));
    return `${repoUrl(ctx.baseUrl, fullName)}/commits?${q}`;
  },
  // 404: the repository (or its default branch) went away since it was listed; 409: the
  // repository is empty ("Git Repository is empty.").
  nothing: [404, 409],
  skipRun: true,
  read: (_ctx, res, entry) => {
    const { fullName, branch } = splitEntry(entry);
    const page = parseAnswer('GitHub', commits, res, 'GET /repos/{owner}/{repo}/commits');
    return { records: page.map((c) => mapCommit(c, fullName, branch)), more: true };
  },
};

const fetchRepositoriesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const auth = tokenAuth(ctx.credentials, ctx.metadata);
  const stored = reposCheckpoint.safeParse(ctx.checkpoint);
  const url =
    stored.success && sameOrigin(stored.data.next, ctx.baseUrl)
      ? stored.data.next
      : listingUrl(ctx.baseUrl, auth.installation, PER_PAGE);
  const listed = await listRepos(ctx.http, ctx.baseUrl, url, auth);
  const keep = narrowing(ctx);
  const records = listed.repos.filter(keep).map(mapRepo);
  return listed.next === undefined ? { records } : { records, next: { next: listed.next } };
};

export const syncs: SyncsOf<typeof manifest> = {
  issues: walkRepositories(issuesWalk),
  pull_requests: walkRepositories(pullsWalk),
  commits: walkRepositories(commitsWalk),
  repositories: fetchRepositoriesPage,
};
