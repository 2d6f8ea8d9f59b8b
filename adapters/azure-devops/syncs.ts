import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { build, gitPullRequest, gitRepository, mapBuild, mapPullRequest, mapRepository } from './mapping';
import { call, continuationOf, list, organizationUrl, projectNames, seg } from './rest';

/**
 * Azure DevOps' syncs walk the organization's projects (or config.projects), one provider page
 * per `fetchPage`: repositories (one answer a project: the listing has no paging), pull
 * requests (`$top`/`$skip`, newest first: a pull request opened meanwhile shifts the pages
 * and is read twice at worst, never skipped — records are upserts), and builds
 * (`x-ms-continuationtoken` → `continuationToken`). A crash resumes at the project and page.
 */

const PAGE = 100;

const walk = z.object({
  projects: z.array(z.string()),
  index: z.int().check(z.minimum(0)),
  skip: z.optional(z.int().check(z.minimum(1))),
  token: z.optional(z.string()),
});
type Walk = z.infer<typeof walk>;

/** One page of one project; `more` says where this project's next page starts. */
type ProjectPage = { records: SyncRecord[]; more?: { skip: number } | { token: string } };

const walkProjects =
  (read: (ctx: SyncContext, project: string, at: Pick<Walk, 'skip' | 'token'>) => Promise<ProjectPage>) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    const state: Walk = walk.safeParse(ctx.checkpoint).data ?? {
      projects: await projectNames(ctx),
      index: 0,
    };
    const project = state.projects[state.index];
    if (project === undefined) return { records: [] };
    const page = await read(ctx, project, state);
    const next: Walk = page.more
      ? { projects: state.projects, index: state.index, ...page.more }
      : { projects: state.projects, index: state.index + 1 };
    return next.index < next.projects.length ? { records: page.records, next } : { records: page.records };
  };

const repositories = list(gitRepository);
const pullRequests = list(gitPullRequest);
const builds = list(build);

export const syncs: SyncsOf<typeof manifest> = {
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/repositories/list?view=azure-devops-rest-7.1
  repositories: walkProjects(async (ctx, project) => {
    const res = await call(ctx, `/${seg(project)}/_apis/git/repositories`);
    const orgUrl = organizationUrl(ctx);
    return {
      records: parseAnswer('Azure DevOps', repositories, res, 'GET /_apis/git/repositories').value.map((r) =>
        mapRepository(orgUrl, r),
      ),
    };
  }),

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/get-pull-requests-by-project?view=azure-devops-rest-7.1
  pull_requests: walkProjects(async (ctx, project, at) => {
    const skip = at.skip ?? 0;
    const res = await call(ctx, `/${seg(project)}/_apis/git/pullrequests`, {
      query: { 'searchCriteria.status': 'all', $top: String(PAGE), $skip: String(skip) },
    });
    const page = parseAnswer('Azure DevOps', pullRequests, res, 'GET /_apis/git/pullrequests').value;
    const orgUrl = organizationUrl(ctx);
    const records = page.map((p) => mapPullRequest(orgUrl, p));
    return page.length === PAGE ? { records, more: { skip: skip + PAGE } } : { records };
  }),

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/list?view=azure-devops-rest-7.1
  // Full runs: every build in queue order. Incremental: those finished since (`minTime` is
  // compared with the time `queryOrder` names); builds still running are written by full
  // runs and by build.complete webhooks.
  pipeline_runs: walkProjects(async (ctx, project, at) => {
    const incremental = ctx.mode === 'incremental' && ctx.since !== undefined;
    const res = await call(ctx, `/${seg(project)}/_apis/build/builds`, {
      query: {
        $top: String(PAGE),
        queryOrder: incremental ? 'finishTimeAscending' : 'queueTimeAscending',
        minTime: incremental ? ctx.since : undefined,
        continuationToken: at.token,
      },
    });
    const orgUrl = organizationUrl(ctx);
    const records = parseAnswer('Azure DevOps', builds, res, 'GET /_apis/build/builds').value.map((b) =>
      mapBuild(orgUrl, b),
    );
    const token = continuationOf(res);
    return token === undefined ? { records } : { records, more: { token } };
  }),
};
