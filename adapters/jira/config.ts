import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({
  site: z.optional(
    z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9-]*\.atlassian\.net$/),
        z.describe('Jira Cloud site, e.g. acme.atlassian.net (needed for basic auth)'),
      ),
  ),
  projects: z.optional(z.array(z.string().check(z.minLength(1)))),
});
