import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, project } from './config';

const label = z.string().check(z.minLength(1), z.regex(/^[^,]+$/), z.describe('Label name (no commas)'));

export const createIssueInput = z.object({
  project,
  title: z.string().check(z.minLength(1), z.maxLength(255)),
  description: z.optional(z.string().check(z.maxLength(1048576))),
  labels: z.optional(z.array(label)),
  due_date: z.optional(z.iso.date().check(z.describe('Due date, YYYY-MM-DD'))),
  confidential: z.optional(z.boolean()),
});

export const listIssuesInput = z.object({
  project,
  state: z.optional(z.enum(['opened', 'closed', 'all']).check(z.describe('Default: opened'))),
  labels: z.optional(z.array(label).check(z.describe('Only issues carrying every one of these labels'))),
  per_page: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  cursor: z.optional(z.string().check(z.regex(/^\d+$/), z.describe('next_cursor of the previous page'))),
});

export const manifest = defineManifest({
  name: 'gitlab',
  displayName: 'GitLab',
  categories: ['code_host'],
  curated: true,
  docsUrl: 'https://docs.gitlab.com/api/rest/',
  apiBaseUrl: 'https://gitlab.com/api/v4',
  hosts: ['gitlab.com', '*.gitlab.com', '*.gitlab-dedicated.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://gitlab.com/oauth/authorize',
      tokenUrl: 'https://gitlab.com/oauth/token',
      defaultScopes: ['api', 'read_user'],
      // https://docs.gitlab.com/integration/oauth_provider/#view-all-authorized-applications
      scopeDescriptions: {
        api: 'Read and write everything the API offers in your groups and projects',
        read_api: 'Read everything the API offers in your groups and projects',
        read_user: 'Read your profile information',
      },
      scopeSeparator: ' ',
      // "Authorization code with PKCE … recommended for both client and server apps."
      // https://docs.gitlab.com/api/oauth2/#supported-oauth-20-flows
      pkce: true,
      refreshes: true, // access tokens last 2 h; refresh tokens rotate on every use
      docsUrl: 'https://docs.gitlab.com/api/oauth2/',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Personal access token',
          secret: true,
          help: 'In GitLab: your avatar → Edit profile → Access tokens; give it the api and read_user scopes.',
        },
      ],
      docsUrl: 'https://docs.gitlab.com/user/profile/personal_access_tokens/',
    },
  },
  // https://docs.gitlab.com/api/rest/authentication/
  proxy: {
    headers: {
      oauth2: { authorization: 'Bearer {access_token}' },
      api_key: { 'private-token': '{api_key}' },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'issues',
      model: 'work_item',
      description:
        'Issues of the projects the connection is a member of (or of config.projects), closed ones included.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'merge_requests',
      model: 'pull_request',
      description: 'Merge requests of the projects the connection is a member of (or of config.projects).',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'pipelines',
      model: 'pipeline_run',
      description: 'CI/CD pipelines of the projects the connection is a member of (or of config.projects).',
      defaultFrequency: '1h',
      // GET /projects/:id/pipelines takes `updated_after`.
      incremental: true,
    }),
    defineSync({
      name: 'projects',
      model: 'repository',
      description: 'Projects the connection is a member of (or config.projects).',
      defaultFrequency: '1d',
      // GitLab filters projects by `last_activity_after`, which renames, archiving and
      // visibility changes do not move, and `updated_after` only in update order, which
      // offset paging skips through. A full listing a day is a page per 100 projects.
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'create_issue',
      description: 'Create an issue in a project.',
      writes: true,
      input: createIssueInput,
      projectField: 'project',
    }),
    defineAction({
      name: 'list_issues',
      description: 'List issues of a project, newest first.',
      writes: false,
      input: listIssuesInput,
      projectField: 'project',
    }),
  ],
  webhooks: {
    events: [
      'Issue Hook',
      'Confidential Issue Hook',
      'Merge Request Hook',
      'Note Hook',
      'Confidential Note Hook',
      'Project Hook',
      'Pipeline Hook',
    ],
    signature: { scheme: 'shared_token', header: 'x-gitlab-token' },
    docsUrl: 'https://docs.gitlab.com/user/project/integrations/webhooks/',
  },
});
