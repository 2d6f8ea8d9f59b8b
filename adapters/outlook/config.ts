import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({
  tenant: z.optional(
    z.string().check(z.regex(/^[\w.-]+$/), z.describe('Entra tenant id or domain; default common')),
  ),
});
