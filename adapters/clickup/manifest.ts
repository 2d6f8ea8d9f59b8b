import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

export const manifest: ProviderManifest = {
  name: 'clickup',
  displayName: 'ClickUp',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://developer.clickup.com/reference',
  apiBaseUrl: 'https://api.clickup.com/api/v2',
  auth: {
    oauth2: {
      authorizationUrl: 'https://app.clickup.com/api',
      tokenUrl: 'https://api.clickup.com/api/v2/oauth/token',
      defaultScopes: [], // ClickUp has no scopes: the user picks workspaces on consent
      scopeSeparator: ' ',
      pkce: false,
      refreshes: false, // ClickUp access tokens do not expire
      docsUrl: 'https://developer.clickup.com/docs/authentication',
    },
    api_key: {
      fields: [{ name: 'api_key', label: 'Personal API token (pk_…)', secret: true }],
      docsUrl: 'https://developer.clickup.com/docs/authentication#personal-token',
    },
  },
  config: z.object({ workspace_id: z.optional(z.string().check(z.regex(/^\d+$/))) }),
  syncs: [
    {
      name: 'tasks',
      model: 'work_item',
      description: 'Tasks of every list the connection can read.',
      defaultFrequency: '1h',
      incremental: true,
    },
    {
      name: 'lists',
      model: 'project',
      description: 'Lists of every space.',
      defaultFrequency: '1d',
      incremental: false,
    },
  ],
  actions: [
    {
      name: 'create_task',
      description: 'Create a task in a list.',
      writes: true,
      input: z.object({
        list_id: z.string().check(z.minLength(1)),
        name: z.string().check(z.minLength(1)),
        description: z.optional(z.string()),
        status: z.optional(z.string()),
      }),
    },
    {
      name: 'update_task_status',
      description: "Change a task's status.",
      writes: true,
      input: z.object({
        task_id: z.string().check(z.minLength(1)),
        status: z.string().check(z.minLength(1)),
      }),
    },
  ],
  webhooks: {
    events: ['taskCreated', 'taskUpdated', 'taskDeleted', 'taskStatusUpdated'],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-signature' },
    docsUrl: 'https://developer.clickup.com/docs/webhooksignature',
  },
};
