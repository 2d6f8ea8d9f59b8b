import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

const project = z.string().check(z.minLength(1), z.describe('Project id or full path (group/project)'));

export const manifest: ProviderManifest = {
  name: 'gitlab',
  displayName: 'GitLab',
  categories: ['code_host'],
  curated: true,
  docsUrl: 'https://docs.gitlab.com/api/rest/',
  apiBaseUrl: 'https://gitlab.com/api/v4',
  auth: {
    oauth2: {
      authorizationUrl: 'https://gitlab.com/oauth/authorize',
      tokenUrl: 'https://gitlab.com/oauth/token',
      defaultScopes: ['api', 'read_user'],
      scopeSeparator: ' ',
      pkce: true,
      refreshes: true, // access tokens last 2 h; refresh tokens rotate on every use
      docsUrl: 'https://docs.gitlab.com/api/oauth2/',
    },
    api_key: {
      fields: [{ name: 'api_key', label: 'Personal access token', secret: true }],
      docsUrl: 'https://docs.gitlab.com/user/profile/personal_access_tokens/',
    },
  },
  config: z.object({
    host: z.optional(z.url().check(z.describe('GitLab self-managed base URL, e.g. https://gitlab.acme.com'))),
    projects: z.optional(z.array(project)),
  }),
  syncs: [
    {
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every project the connection can read.',
      defaultFrequency: '1h',
      incremental: true,
    },
    {
      name: 'merge_requests',
      model: 'pull_request',
      description: 'Merge requests of every project the connection can read.',
      defaultFrequency: '1h',
      incremental: true,
    },
    {
      name: 'projects',
      model: 'repository',
      description: 'Projects the connection is a member of.',
      defaultFrequency: '1d',
      incremental: true,
    },
  ],
  actions: [
    {
      name: 'create_issue',
      description: 'Create an issue in a project.',
      writes: true,
      input: z.object({
        project,
        title: z.string().check(z.minLength(1), z.maxLength(255)),
        description: z.optional(z.string().check(z.maxLength(1048576))),
        labels: z.optional(z.array(z.string())),
      }),
    },
    {
      name: 'list_issues',
      description: 'List issues of a project.',
      writes: false,
      input: z.object({ project, state: z.optional(z.enum(['opened', 'closed', 'all'])) }),
    },
  ],
  webhooks: {
    events: ['Issue Hook', 'Merge Request Hook', 'Note Hook'],
    signature: { scheme: 'shared_token', header: 'x-gitlab-token' },
    docsUrl: 'https://docs.gitlab.com/user/project/integrations/webhooks/',
  },
};
