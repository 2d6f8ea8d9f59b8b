import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { ActionContext } from '../types';
import type { FigmaFile } from './mapping';
import { authHeaders, failure } from './rest';

/**
 * Teams → projects → files: the only way down to a user's files. Figma has no "list my
 * teams" (and no "list my files"), so the walk starts at the teams the connection names.
 */

// Ids are strings in Figma's answers; a number is accepted too (older answers).
const id = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((v) => String(v)),
);

// https://developers.figma.com/docs/rest-api/projects-endpoints/#get-team-projects-endpoint
const teamProjectsAnswer = z.object({
  name: z.optional(z.string()),
  projects: z.array(z.object({ id, name: z.string() })),
});

// https://developers.figma.com/docs/rest-api/projects-endpoints/#get-project-files-endpoint
const projectFilesAnswer = z.object({
  name: z.optional(z.string()),
  files: z.array(z.object({ key: z.string(), name: z.string(), last_modified: z.string() })),
});

export type Project = { id: string; name: string };

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The connection's teams (validated against the manifest's config when it connected). */
export const teamsOf = (config: Record<string, unknown>): string[] => strings(config.team_ids);

/** The teams a sync walks: without any, there is nothing Figma would let it find. */
export const syncTeamsOf = (config: Record<string, unknown>): string[] => {
  const teams = teamsOf(config);
  if (teams.length === 0) {
    throw new ProviderError(
      'rejected',
      'Figma has no API that lists your teams: set config.team_ids to the ids in your teams’ URLs (figma.com/files/team/<id>/…).',
    );
  }
  return teams;
};

/** Its narrowing to projects; undefined: every project of its teams. */
export const projectFilterOf = (config: Record<string, unknown>): Set<string> | undefined =>
  Array.isArray(config.project_ids) ? new Set(strings(config.project_ids)) : undefined;

/** A team's projects the token can see (narrowed by config.project_ids), and the team's name. */
export const teamProjects = async (
  ctx: Pick<ActionContext, 'credentials' | 'baseUrl' | 'http' | 'config'>,
  teamId: string,
): Promise<{ team: string | null; projects: Project[] }> => {
  // GET /v1/teams/:team_id/projects — "the projects visible to the authenticated user" in the team.
  // https://developers.figma.com/docs/rest-api/projects-endpoints/#get-team-projects-endpoint
  const res = await ctx.http(`${ctx.baseUrl}/v1/teams/${encodeURIComponent(teamId)}/projects`, {
    headers: authHeaders(ctx.credentials),
  });
  if (res.status === 404) {
    throw new ProviderError('rejected', `Figma knows no team ${teamId} (config.team_ids).`, { status: 404 });
  }
  if (res.status !== 200) throw failure(res);
  const answer = parseAnswer('Figma', teamProjectsAnswer, res, 'GET /v1/teams/:team_id/projects');
  const only = projectFilterOf(ctx.config);
  return {
    team: answer.name ?? null,
    projects: answer.projects.filter((p) => only === undefined || only.has(p.id)),
  };
};

/** A project's files and the project's name. */
export const projectFiles = async (
  ctx: Pick<ActionContext, 'credentials' | 'baseUrl' | 'http'>,
  projectId: string,
): Promise<{ name: string | null; files: FigmaFile[] }> => {
  // https://developers.figma.com/docs/rest-api/projects-endpoints/#get-project-files-endpoint
  const res = await ctx.http(`${ctx.baseUrl}/v1/projects/${encodeURIComponent(projectId)}/files`, {
    headers: authHeaders(ctx.credentials),
  });
  if (res.status !== 200) throw failure(res);
  const answer = parseAnswer('Figma', projectFilesAnswer, res, 'GET /v1/projects/:project_id/files');
  return { name: answer.name ?? null, files: answer.files };
};
