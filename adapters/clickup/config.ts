import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
/** ClickUp's ids of Workspaces ("teams" in API v2) and lists are numbers, sent as strings. */
export const numericId = z.string().check(z.regex(/^\d+$/));

export const config = z.object({ team_id: z.optional(numericId) });
