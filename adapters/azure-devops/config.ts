import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
// Project names: up to 64 characters, none of \ / : * ? " < > | ; # $ * { } , + = [ ]
// https://learn.microsoft.com/en-us/azure/devops/organizations/settings/naming-restrictions
export const project = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[^\\/:*?"<>|;#${},+=[\]]+$/), z.describe('Project name'));

export const config = z.object({
  organization: z.optional(
    z
      .string()
      .check(
        z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/),
        z.describe('Azure DevOps organization, as in https://dev.azure.com/{organization} (required)'),
      ),
  ),
  projects: z.optional(z.array(project)),
});
