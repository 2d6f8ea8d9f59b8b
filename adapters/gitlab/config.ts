import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
// A numeric id, or the full path under its group(s): `group/subgroup/project`.
// https://docs.gitlab.com/api/rest/#namespaced-paths
export const project = z
  .string()
  .check(z.regex(/^(\d+|[\w.-]+(\/[\w.-]+)+)$/), z.describe('Project id or full path (group/project)'));

export const config = z.object({
  host: z.optional(z.url().check(z.describe('GitLab self-managed base URL, e.g. https://gitlab.acme.com'))),
  projects: z.optional(z.array(project)),
});
