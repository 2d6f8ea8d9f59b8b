import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Project, project } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, SyncRecord } from '../types';
import { browseUrl, call, configuredProjects, siteUrl } from './rest';

/**
 * Jira projects as `project` records, for the projects sync and list_projects, from the
 * paginated project search (offset paging: `startAt`, `maxResults`, `isLast`).
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
 *
 * Jira offers no order that new projects land at the end of, and no filter by change, so
 * every run is full and walks the projects in key order (`orderBy=key`), which edits (bar a
 * change of key) do not reorder. A full run marks what it did not see as deleted, so a
 * project must not be skipped when the list moves under the run: each page starts one place
 * early, at the last project read, and reads on after it wherever it now is. When that project is no longer in the
 * window (projects before it were deleted, or it was itself), the window steps back until it
 * starts at or before the last key read, and only keys after it are kept. Keys compare as
 * Jira's upper-case ASCII keys sort.
 */

const PAGE_SIZE = 50;

const jiraProject = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  // Present (true) on archived projects only, with archivedDate and archivedBy.
  archived: z.optional(z.boolean()),
  projectCategory: z.optional(z.nullable(z.object({ name: z.string() }))),
});
type JiraProject = z.infer<typeof jiraProject>;

const projectPage = z.object({
  values: z.array(jiraProject),
  startAt: z.optional(z.number()),
  total: z.optional(z.number()),
  isLast: z.optional(z.boolean()),
});

/** Where a listing stands: the offset of the next project, and the last project read. */
export const projectsPosition = z.object({
  startAt: z.int().check(z.minimum(0)),
  last: z.optional(z.object({ id: z.string(), key: z.string() })),
});
export type ProjectsPosition = z.infer<typeof projectsPosition>;

export const projectRecordId = (id: string): string => `jira_project_${id}`;

const mapProject = (p: JiraProject, site: string | undefined): SyncRecord => {
  const data: Project = {
    name: p.name,
    kind: 'project',
    key: p.key,
    description: p.description?.trim() || null,
    status: p.archived ? 'archived' : 'active',
    // Jira's own words for it: the project search's `status` filter values.
    raw_status: p.archived ? 'archived' : 'live',
    url: browseUrl(site, p.key),
    // The project category is what groups Jira projects.
    parent: p.projectCategory?.name ?? null,
    // Jira answers neither dates nor a project's last change.
    starts_at: null,
    ends_at: null,
    created_at: null,
    updated_at: null,
  };
  const r = project.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Jira answered ${p.key} with data that does not map to a project.`,
    );
  }
  return { id: projectRecordId(p.id), data: r.data };
};

const listPage = async (ctx: ActionContext, startAt: number) => {
  const q = new URLSearchParams({
    startAt: String(startAt),
    maxResults: String(PAGE_SIZE),
    orderBy: 'key',
    expand: 'description',
  });
  // Live projects are the default; archived ones are projects still, shown as `archived`.
  q.append('status', 'live');
  q.append('status', 'archived');
  for (const key of configuredProjects(ctx)) q.append('keys', key);
  const res = await call(ctx, `/rest/api/3/project/search?${q}`);
  return parseAnswer('Jira', projectPage, res, 'GET /rest/api/3/project/search');
};

const after = (key: string, than: string): boolean => key.toUpperCase() > than.toUpperCase();

/** One page of projects from a position (none: the start), mapped, and the next position. */
export const fetchProjects = async (
  ctx: ActionContext,
  at: ProjectsPosition | undefined,
): Promise<{ records: SyncRecord[]; next?: ProjectsPosition }> => {
  const last = at?.last;
  let from = at === undefined ? 0 : last ? Math.max(0, at.startAt - 1) : at.startAt;
  for (;;) {
    const page = await listPage(ctx, from);
    const values = page.values;
    let fresh = values;
    if (last) {
      const i = values.findIndex((p) => p.id === last.id);
      if (i >= 0) fresh = values.slice(i + 1);
      else {
        const first = values[0];
        if (from > 0 && (first === undefined || after(first.key, last.key))) {
          from = Math.max(0, from - PAGE_SIZE);
          continue;
        }
        fresh = values.filter((p) => after(p.key, last.key));
      }
    }
    const site = siteUrl(ctx);
    const records = fresh.map((p) => mapProject(p, site));
    // The furthest project read: a window wholly before it (projects added ahead) moves it not.
    const furthest = fresh.at(-1) ?? last;
    const done = page.isLast ?? values.length < PAGE_SIZE;
    if (done || furthest === undefined) return { records };
    return { records, next: { startAt: from + values.length, last: { id: furthest.id, key: furthest.key } } };
  }
};
