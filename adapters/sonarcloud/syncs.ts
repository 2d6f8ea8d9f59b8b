import * as z from 'zod/mini';
import { isProviderError } from '../errors';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { type Component, mapProject, memberOrganizations, searchProjects } from './projects';
import { gateId, projectStatus } from './quality-gates';

/**
 * SonarQube Cloud's syncs walk the projects of the connection's organization (config), or
 * of every organization the user is a member of, one search_projects page per `fetchPage`;
 * the quality gate sync asks each project of the page for its gate. Both are full: nothing
 * lists what changed since a time. Projects come sorted by name, so only a rename during a
 * run can move one (the next run finds it); the engine marks what a run no longer finds
 * deleted.
 */
const PROJECTS_PAGE = 100;
// Each project of a page costs one more call for its gate: smaller pages keep a page quick.
const GATES_PAGE = 50;
const GATE_CALLS_AT_ONCE = 5;

const checkpoint = z.object({
  orgs: z.array(z.string()),
  org: z.int().check(z.minimum(0)),
  page: z.int().check(z.minimum(1)),
});
type Checkpoint = z.infer<typeof checkpoint>;

const start = async (ctx: SyncContext): Promise<Checkpoint> => {
  const configured = ctx.config.organization;
  const orgs = typeof configured === 'string' ? [configured] : await memberOrganizations(ctx);
  return { orgs, org: 0, page: 1 };
};

/** One page of projects from the checkpoint (anything unreadable starts over), and the next. */
const projectsPage = async (
  ctx: SyncContext,
  pageSize: number,
): Promise<{ components: Component[]; organization: string; next: Checkpoint | undefined }> => {
  const at = checkpoint.safeParse(ctx.checkpoint).data ?? (await start(ctx));
  const organization = at.orgs[at.org];
  if (organization === undefined) return { components: [], organization: '', next: undefined };
  const listed = await searchProjects(ctx, organization, at.page, pageSize);
  const next = listed.more
    ? { ...at, page: at.page + 1 }
    : at.org + 1 < at.orgs.length
      ? { ...at, org: at.org + 1, page: 1 }
      : undefined;
  return { components: listed.components, organization, next };
};

const page = (records: SyncRecord[], next: Checkpoint | undefined): SyncPage =>
  next === undefined ? { records } : { records, next };

const fetchProjectsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const { components, organization, next } = await projectsPage(ctx, PROJECTS_PAGE);
  return page(
    components.map((c) => ({ id: `sonar_project_${c.key}`, data: mapProject(c, organization, ctx.baseUrl) })),
    next,
  );
};

/** The main branch's gate; a project deleted since it was listed has none (null). */
const gateOf = async (ctx: SyncContext, c: Component): Promise<SyncRecord | null> => {
  try {
    return { id: gateId(c.key), data: await projectStatus(ctx, c.key, {}, c.analysisDate) };
  } catch (e) {
    if (isProviderError(e) && e.kind === 'rejected' && e.status === 404) return null;
    throw e;
  }
};

const fetchGatesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const { components, next } = await projectsPage(ctx, GATES_PAGE);
  const records: SyncRecord[] = [];
  for (let i = 0; i < components.length; i += GATE_CALLS_AT_ONCE) {
    const batch = await Promise.all(components.slice(i, i + GATE_CALLS_AT_ONCE).map((c) => gateOf(ctx, c)));
    records.push(...batch.filter((r): r is SyncRecord => r !== null));
  }
  return page(records, next);
};

export const syncs: SyncsOf<typeof manifest> = {
  projects: fetchProjectsPage,
  quality_gates: fetchGatesPage,
};
