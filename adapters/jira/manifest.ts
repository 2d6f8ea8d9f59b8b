import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

const issueKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]+-\d+$/), z.describe('Issue key, e.g. PROJ-42'));

export const manifest: ProviderManifest = {
  name: 'jira',
  displayName: 'Jira',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/',
  // OAuth 2.0 (3LO) calls go through the gateway with the cloud id; basic auth goes to the site.
  apiBaseUrl: 'https://api.atlassian.com/ex/jira/{cloud_id}',
  auth: {
    oauth2: {
      authorizationUrl: 'https://auth.atlassian.com/authorize',
      tokenUrl: 'https://auth.atlassian.com/oauth/token',
      defaultScopes: ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'],
      scopeSeparator: ' ',
      pkce: false,
      authorizationParams: { audience: 'api.atlassian.com', prompt: 'consent' },
      refreshes: true, // rotating refresh tokens
      docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    },
    basic: {
      fields: [
        { name: 'username', label: 'Atlassian account email', secret: false },
        { name: 'password', label: 'API token', secret: true },
      ],
      docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/',
    },
  },
  config: z.object({
    site: z.optional(
      z
        .string()
        .check(
          z.regex(/^[a-z0-9][a-z0-9-]*\.atlassian\.net$/),
          z.describe('Jira Cloud site, e.g. acme.atlassian.net (needed for basic auth)'),
        ),
    ),
    projects: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
  syncs: [
    {
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every project the connection can browse.',
      defaultFrequency: '1h',
      incremental: true,
    },
    {
      name: 'projects',
      model: 'project',
      description: 'Projects the connection can browse.',
      defaultFrequency: '1d',
      incremental: false,
    },
  ],
  actions: [
    { name: 'list_projects', description: 'List projects.', writes: false, input: z.object({}) },
    {
      name: 'list_issues',
      description: 'Search issues with JQL.',
      writes: false,
      input: z.object({ jql: z.optional(z.string().check(z.maxLength(4000))) }),
    },
    {
      name: 'create_issue',
      description: 'Create an issue.',
      writes: true,
      input: z.object({
        project: z.string().check(z.minLength(1), z.describe('Project key')),
        summary: z.string().check(z.minLength(1), z.maxLength(255)),
        description: z.optional(z.string()),
        issue_type: z.optional(z.string()),
      }),
    },
    {
      name: 'transition_issue',
      description: 'Move an issue to another status through a workflow transition.',
      writes: true,
      input: z.object({ issue: issueKey, transition: z.string().check(z.minLength(1)) }),
    },
  ],
  webhooks: {
    events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-hub-signature' },
    docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/webhooks/',
  },
};
