import * as z from 'zod/mini';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import {
  issue,
  mapIssue,
  mapMergeRequest,
  mapPipeline,
  mapProject,
  mergeRequest,
  pipeline,
  project,
} from './mapping';
import { authHeaders, failure, nextKeysetQuery, nextPage, projectRef } from './rest';

/**
 * GitLab's syncs: the projects the connection is a member of, and the issues and merge
 * requests of each, one REST page per `fetchPage`.
 *
 * Projects are listed by keyset (`pagination=keyset&order_by=id`), which neither skips nor
 * repeats whatever changes meanwhile. Issues and merge requests are read project by project
 * (`/projects/:id/issues`): the instance-wide `/issues?scope=all` and `/merge_requests?scope=all`
 * cover every project the user can *see* — on gitlab.com, every public project there is.
 * Those lists page by offset only, so they are walked in creation order: an item edited
 * during a run keeps its place (in update order it would jump to the end and shift the next
 * one back over the page boundary, never to be read), and new ones land at the end.
 * https://docs.gitlab.com/api/rest/#pagination
 */

const PER_PAGE = '100';

const projects = z.array(project);
const issues = z.array(issue);
const mergeRequests = z.array(mergeRequest);
const pipelines = z.array(pipeline);

/** The first page of the projects the credentials are a member of (directly or by group). */
const listingQuery = (filters: Record<string, string> = {}): string =>
  new URLSearchParams({
    membership: 'true',
    order_by: 'id',
    sort: 'asc',
    pagination: 'keyset',
    per_page: PER_PAGE,
    ...filters,
  }).toString();

const listProjects = async (ctx: SyncContext, query: string) => {
  // https://docs.gitlab.com/api/projects/#list-all-projects
  const res = await ctx.http(`${ctx.baseUrl}/projects?${query}`, { headers: authHeaders(ctx.credentials) });
  if (res.status !== 200) throw failure(res);
  return { projects: parseAnswer('GitLab', projects, res, 'GET /projects'), next: nextKeysetQuery(res) };
};

/** `config.projects` (ids or full paths) when set: those instead of the membership listing. */
const configured = (ctx: SyncContext): string[] | undefined => {
  const list = Array.isArray(ctx.config.projects)
    ? ctx.config.projects.filter((p): p is string => typeof p === 'string' && p !== '')
    : [];
  return list.length > 0 ? list : undefined;
};

/**
 * A project that went away since it was listed (404), or has the feature turned off (403 with
 * GitLab's bare "403 Forbidden"): nothing to read there. A token short of a scope answers 403
 * `insufficient_scope`, which must fail the run instead.
 */
const nothingThere = (res: HttpResponse): boolean => {
  if (res.status === 404) return true;
  const body = res.jsonOrUndefined() as { message?: unknown } | undefined;
  return res.status === 403 && body?.message === '403 Forbidden';
};

const projectsCheckpoint = z.union([
  z.object({ listing: z.string() }),
  z.object({ index: z.int().check(z.minimum(0)) }),
]);

const readProject = async (ctx: SyncContext, ref: string): Promise<SyncRecord[]> => {
  // https://docs.gitlab.com/api/projects/#get-a-single-project
  const res = await ctx.http(`${ctx.baseUrl}/projects/${projectRef(ref)}`, {
    headers: authHeaders(ctx.credentials),
  });
  if (res.status === 404) return [];
  if (res.status !== 200) throw failure(res);
  return [mapProject(parseAnswer('GitLab', project, res, 'GET /projects/:id'))];
};

/** One listing page (or, with `config.projects`, one configured project) per call. */
const fetchProjectsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = projectsCheckpoint.safeParse(ctx.checkpoint).data;
  const refs = configured(ctx);
  if (refs) {
    const index = stored && 'index' in stored ? stored.index : 0;
    const ref = refs[index];
    const records = ref === undefined ? [] : await readProject(ctx, ref);
    return index + 1 < refs.length ? { records, next: { index: index + 1 } } : { records };
  }
  const listed = await listProjects(ctx, stored && 'listing' in stored ? stored.listing : listingQuery());
  const records = listed.projects.map(mapProject);
  return listed.next === undefined ? { records } : { records, next: { listing: listed.next } };
};

/**
 * Where an issues or merge requests run stands: the projects of the listing page being walked
 * (ids, or the configured ids and paths), the one being read, its next page (absent: the
 * first), and the query of the next listing page. A crash resumes mid-project.
 */
const walkCheckpoint = z.object({
  projects: z.array(z.string()),
  index: z.int().check(z.minimum(0)),
  listing: z.optional(z.string()),
  page: z.optional(z.int().check(z.minimum(2))),
});
type Walk = z.infer<typeof walkCheckpoint>;

type ItemsKind = {
  /** The endpoint under /projects/:id, and the listing filter for projects that have it on. */
  path: 'issues' | 'merge_requests' | 'pipelines';
  listingFilter: Record<string, string>;
  /** The list's query beside paging (default: every state, in creation order). */
  query?: () => Record<string, string>;
  parse: (res: HttpResponse) => SyncRecord[];
};

const listed = async (ctx: SyncContext, query: string): Promise<Walk> => {
  const page = await listProjects(ctx, query);
  return {
    projects: page.projects.map((p) => String(p.id)),
    index: 0,
    ...(page.next !== undefined ? { listing: page.next } : {}),
  };
};

const readItems = async (ctx: SyncContext, kind: ItemsKind, ref: string, page: number) => {
  const q = new URLSearchParams({
    ...(kind.query?.() ?? { state: 'all', order_by: 'created_at', sort: 'asc' }),
    per_page: PER_PAGE,
    page: String(page),
  });
  // "updated on or after the given time".
  if (ctx.mode === 'incremental' && ctx.since !== undefined) q.set('updated_after', ctx.since);
  const res = await ctx.http(`${ctx.baseUrl}/projects/${projectRef(ref)}/${kind.path}?${q}`, {
    headers: authHeaders(ctx.credentials),
  });
  if (nothingThere(res)) return { records: [], next: undefined };
  if (res.status !== 200) throw failure(res);
  return { records: kind.parse(res), next: nextPage(res) };
};

const itemsSync =
  (kind: ItemsKind) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    let state = walkCheckpoint.safeParse(ctx.checkpoint).data;
    // At most one listing call a page; `simple` answers are enough for the ids.
    if (state === undefined) {
      const refs = configured(ctx);
      state = refs
        ? { projects: refs, index: 0 }
        : await listed(ctx, listingQuery({ simple: 'true', ...kind.listingFilter }));
    } else if (state.index >= state.projects.length && state.listing !== undefined) {
      state = await listed(ctx, state.listing);
    }
    const ref = state.projects[state.index];
    if (ref === undefined)
      return state.listing === undefined ? { records: [] } : { records: [], next: state };

    const read = await readItems(ctx, kind, ref, state.page ?? 1);
    const { page: _, ...here } = state;
    const next: Walk =
      read.next !== undefined ? { ...here, page: read.next } : { ...here, index: here.index + 1 };
    const done = next.page === undefined && next.index >= next.projects.length && next.listing === undefined;
    return done ? { records: read.records } : { records: read.records, next };
  };

export const syncs: SyncsOf<typeof manifest> = {
  projects: fetchProjectsPage,
  // https://docs.gitlab.com/api/issues/#list-project-issues
  issues: itemsSync({
    path: 'issues',
    listingFilter: { with_issues_enabled: 'true' },
    parse: (res) => parseAnswer('GitLab', issues, res, 'GET /projects/:id/issues').map(mapIssue),
  }),
  // https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests
  merge_requests: itemsSync({
    path: 'merge_requests',
    listingFilter: { with_merge_requests_enabled: 'true' },
    parse: (res) =>
      parseAnswer('GitLab', mergeRequests, res, 'GET /projects/:id/merge_requests').map(mapMergeRequest),
  }),
  // Pipelines page by offset only, so in id order (creation order: a pipeline that changes
  // keeps its place); `updated_after` narrows an incremental run to those that changed.
  // A project with CI/CD off answers 403 "403 Forbidden": nothing there.
  // https://docs.gitlab.com/api/pipelines/#list-project-pipelines
  pipelines: itemsSync({
    path: 'pipelines',
    listingFilter: {},
    query: () => ({ order_by: 'id', sort: 'asc' }),
    parse: (res) => parseAnswer('GitLab', pipelines, res, 'GET /projects/:id/pipelines').map(mapPipeline),
  }),
};
