import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Project, project } from '../models';
import type { ActionContext } from '../types';
import { callSonar, checked, hasMore, isoOf, paging, projectUrl, type SonarCall } from './web-api';

/**
 * Projects through api/components/search_projects: what the token's user can browse in an
 * organization, sorted by name, `p`/`ps` paged (`ps` up to 500). api/projects/search would
 * list by key, but needs the organization's Administer permission.
 * https://sonarcloud.io/web_api/api/components/search_projects
 * https://sonarcloud.io/web_api/api/organizations/search
 */

const component = z.object({
  key: z.string(),
  name: z.string(),
  organization: z.optional(z.string()),
  // Only with f=analysisDate, and only once the project has been analysed.
  analysisDate: z.optional(z.nullable(z.string())),
});
export type Component = z.infer<typeof component>;

const searchAnswer = z.object({ paging, components: z.array(component) });
const organizationsAnswer = z.object({ paging, organizations: z.array(z.object({ key: z.string() })) });

export const ORGANIZATIONS_PAGE = 500;
// A user in more organizations than this is a bot; its syncs cover the first ones.
const MAX_ORGANIZATIONS = 2000;

/** The project as a `project` record: SonarCloud projects have no lifecycle, so `active`. */
export const mapProject = (c: Component, organization: string, baseUrl: string): Project =>
  checked(project, `project ${c.key}`, {
    name: c.name,
    kind: 'project',
    key: c.key,
    description: null,
    status: 'active',
    raw_status: null,
    url: projectUrl(baseUrl, c.key),
    parent: c.organization ?? organization,
    starts_at: null,
    ends_at: null,
    created_at: null,
    // The last analysis is what changes a project on SonarCloud.
    updated_at: isoOf(c.analysisDate),
  });

export const searchProjects = async (
  ctx: SonarCall,
  organization: string,
  page: number,
  pageSize: number,
): Promise<{ components: Component[]; more: boolean }> => {
  const answer = await callSonar(ctx, '/api/components/search_projects', searchAnswer, {
    organization,
    p: page,
    ps: pageSize,
    f: 'analysisDate',
  });
  return { components: answer.components, more: hasMore(answer.paging) };
};

/** The organizations the token's user is a member of, all pages. */
export const memberOrganizations = async (ctx: SonarCall): Promise<string[]> => {
  const keys: string[] = [];
  for (let p = 1; keys.length < MAX_ORGANIZATIONS; p++) {
    const answer = await callSonar(ctx, '/api/organizations/search', organizationsAnswer, {
      member: 'true',
      p,
      ps: ORGANIZATIONS_PAGE,
    });
    keys.push(...answer.organizations.map((o) => o.key));
    if (!hasMore(answer.paging) || answer.organizations.length === 0) break;
  }
  return keys;
};

/** The organization an action works in: its input, else the connection's. */
export const organizationOf = (ctx: Pick<ActionContext, 'config' | 'metadata'>, input?: string): string => {
  const org = input ?? ctx.config.organization ?? ctx.metadata.organization;
  if (typeof org !== 'string' || org === '') {
    throw new ProviderError(
      'rejected',
      'SonarCloud lists projects by organization: pass organization, or set it in the connection config.',
    );
  }
  return org;
};
