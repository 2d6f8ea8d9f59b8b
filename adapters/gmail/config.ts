import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({
  q: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(2000),
        z.describe('Sync only messages matching this Gmail search (newer_than:1y, label:clients)'),
      ),
  ),
});
