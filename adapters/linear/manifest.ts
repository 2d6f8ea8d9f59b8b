import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

export const manifest: ProviderManifest = {
  name: 'linear',
  displayName: 'Linear',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://linear.app/developers/graphql',
  apiBaseUrl: 'https://api.linear.app/graphql',
  auth: {
    oauth2: {
      authorizationUrl: 'https://linear.app/oauth/authorize',
      tokenUrl: 'https://api.linear.app/oauth/token',
      defaultScopes: ['read', 'write'],
      scopeSeparator: ',',
      pkce: true,
      refreshes: true,
      docsUrl: 'https://linear.app/developers/oauth-2-0-authentication',
    },
    api_key: {
      fields: [{ name: 'api_key', label: 'Personal API key', secret: true }],
      docsUrl: 'https://linear.app/developers/graphql#personal-api-keys',
    },
  },
  config: z.object({ teams: z.optional(z.array(z.string().check(z.minLength(1)))) }),
  syncs: [
    {
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every team the connection can read.',
      defaultFrequency: '1h',
      incremental: true,
    },
    {
      name: 'projects',
      model: 'project',
      description: 'Projects.',
      defaultFrequency: '1d',
      incremental: true,
    },
    { name: 'cycles', model: 'project', description: 'Cycles.', defaultFrequency: '1d', incremental: true },
  ],
  actions: [
    {
      name: 'list_issues',
      description: 'List issues, optionally of one team.',
      writes: false,
      input: z.object({
        team_id: z.optional(z.string()),
        first: z.optional(z.int().check(z.minimum(1), z.maximum(250))),
      }),
    },
    {
      name: 'create_issue',
      description: 'Create an issue in a team.',
      writes: true,
      input: z.object({
        team_id: z.string().check(z.minLength(1)),
        title: z.string().check(z.minLength(1)),
        description: z.optional(z.string()),
        priority: z.optional(z.int().check(z.minimum(0), z.maximum(4))),
      }),
    },
    { name: 'list_projects', description: 'List projects.', writes: false, input: z.object({}) },
    {
      name: 'list_cycles',
      description: 'List cycles of a team.',
      writes: false,
      input: z.object({ team_id: z.optional(z.string()) }),
    },
  ],
  webhooks: {
    events: ['Issue', 'Comment', 'Project', 'Cycle'],
    signature: { scheme: 'linear', header: 'linear-signature' },
    docsUrl: 'https://linear.app/developers/webhooks',
  },
};
