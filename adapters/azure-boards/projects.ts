import {
  configuredProjects,
  inProjects,
  isoOrNull,
  listProjects,
  organizationOf,
  organizationUrl,
  seg,
  type TeamProject,
} from '../azure-devops/rest';
import { ProviderError } from '../errors';
import { type Project, project } from '../models';
import type { ActionContext, SyncRecord } from '../types';

/**
 * Azure DevOps projects as Azure Boards projects. `state` is the project's lifecycle
 * (`wellFormed` once created; `createPending`, `deleting`, `new` while in motion); the listing
 * asks for `wellFormed` ones only, so anything else shows as archived at most.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/core/projects/list?view=azure-devops-rest-7.1
 */
export const projectRecordId = (id: string): string => `azb_project_${id}`;

export const mapProject = (
  ctx: Pick<ActionContext, 'config' | 'baseUrl' | 'metadata'>,
  p: TeamProject,
): SyncRecord => {
  const data: Project = {
    name: p.name,
    kind: 'project',
    // Azure DevOps projects have no short key: work items are numbered per organization.
    key: null,
    description: p.description || null,
    status: !p.state || p.state === 'wellFormed' ? 'active' : 'archived',
    raw_status: p.state ?? null,
    url: `${organizationUrl(ctx)}/${seg(p.name)}`,
    parent: organizationOf(ctx),
    starts_at: null,
    ends_at: null,
    created_at: null,
    updated_at: isoOrNull(p.lastUpdateTime, 'lastUpdateTime'),
  };
  const r = project.safeParse(data);
  if (!r.success)
    throw new ProviderError(
      'unreachable',
      `Azure DevOps answered project ${p.id} with data that does not map to a project.`,
    );
  return { id: projectRecordId(p.id), data: r.data };
};

/** One page of projects (100 a page), narrowed to config.projects when set. */
export const fetchProjectsPage = async (
  ctx: Parameters<typeof listProjects>[0] & Pick<ActionContext, 'metadata'>,
  continuationToken: string | undefined,
) => {
  const page = await listProjects(ctx, { top: 100, continuationToken });
  const only = configuredProjects(ctx);
  const kept = only.length > 0 ? page.projects.filter((p) => inProjects(ctx.config, p.name)) : page.projects;
  return { records: kept.map((p) => mapProject(ctx, p)), next: page.next };
};
