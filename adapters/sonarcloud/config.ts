import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({
  organization: z.optional(
    z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9_-]*$/),
        z.describe(
          'Organization key; syncs cover only this organization when set, else every one the user is a member of',
        ),
      ),
  ),
});
