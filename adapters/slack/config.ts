import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
export const config = z.object({ channels: z.optional(z.array(z.string().check(z.minLength(1)))) });
