import type * as z from 'zod/mini';
import type { ActionContext, ActionsOf } from '../types';
import type { listProjectsInput, manifest, qualityGateStatusInput } from './manifest';
import { mapProject, organizationOf, searchProjects } from './projects';
import { gateId, lastAnalysis, projectStatus } from './quality-gates';
import { isoOf } from './web-api';

/**
 * SonarQube Cloud's tools, answering with the ids the syncs give the same objects
 * (`sonar_project_<key>`, `sonar_qg_<key>`; a branch's or pull request's gate names it).
 */
export const actions: ActionsOf<typeof manifest> = {
  get_quality_gate_status: async (ctx: ActionContext, input: z.infer<typeof qualityGateStatusInput>) => {
    const target = { branch: input.branch, pullRequest: input.pull_request };
    // The gate first: its refusals (unknown project, branch, or both given) are the ones to show.
    const gate = await projectStatus(ctx, input.project_key, target, null);
    const analysedAt = isoOf(await lastAnalysis(ctx, input.project_key, target));
    return { quality_gate: { id: gateId(input.project_key, target), ...gate, analysed_at: analysedAt } };
  },

  list_projects: async (ctx: ActionContext, input: z.infer<typeof listProjectsInput>) => {
    const organization = organizationOf(ctx, input.organization);
    const page = input.cursor === undefined ? 1 : Number(input.cursor);
    const listed = await searchProjects(ctx, organization, page, input.page_size ?? 100);
    return {
      projects: listed.components.map((c) => ({
        id: `sonar_project_${c.key}`,
        ...mapProject(c, organization, ctx.baseUrl),
      })),
      next_cursor: listed.more ? String(page + 1) : null,
    };
  },
};
