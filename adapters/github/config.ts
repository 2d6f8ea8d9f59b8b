import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({
  repositories: z.optional(
    z
      .array(z.string().check(z.minLength(1)))
      .check(z.describe('Only sync these repositories (name or owner/name)')),
  ),
  organization: z.optional(
    z
      .string()
      .check(
        z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/),
        z.describe("Only this organization's (or user's) repositories, by login"),
      ),
  ),
  events: z.optional(
    z
      .array(z.string().check(z.regex(/^[a-z_]+(?:\.[a-z_]+)?$/)))
      .check(
        z.describe(
          'Provider events forwarded as provider.event: `push`, or `workflow_run.completed` for one action (default: all)',
        ),
      ),
  ),
});
