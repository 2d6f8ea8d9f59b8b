import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
// A workspace's slug (its ID), or its UUID in braces.
// https://developer.atlassian.com/cloud/bitbucket/rest/intro/#uri-uuid
export const workspace = z
  .string()
  .check(
    z.regex(/^([\w.-]+|\{[0-9a-fA-F-]{36}\})$/),
    z.describe('Workspace slug (or its UUID in braces), e.g. acme'),
  );

export const config = z.object({
  workspace: z.optional(workspace.check(z.describe('Only sync this workspace'))),
});
