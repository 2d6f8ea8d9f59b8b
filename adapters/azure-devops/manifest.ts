import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, project } from './config';

// Repository names: the rules of project names (config.ts).
// https://learn.microsoft.com/en-us/azure/devops/organizations/settings/naming-restrictions
const repository = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[^\\/:*?"<>|;#${},+=[\]]+$/),
    z.describe('Repository name or id'),
  );

export const listReposInput = z.object({ project: z.optional(project) });

export const listPullRequestsInput = z.object({
  project,
  repository: z.optional(repository),
  status: z.optional(
    z.enum(['active', 'completed', 'abandoned', 'all']).check(z.describe('Default: active')),
  ),
  limit: z.optional(
    z.int().check(z.minimum(1), z.maximum(100), z.describe('Pull requests a page (default 50)')),
  ),
  cursor: z.optional(z.string().check(z.regex(/^\d+$/), z.describe('next_cursor of the previous page'))),
});

export const commentOnPullRequestInput = z.object({
  project,
  repository,
  pull_request_id: z.int().check(z.minimum(1)),
  content: z.string().check(z.minLength(1), z.maxLength(150_000), z.describe('Markdown')),
});

export const manifest = defineManifest({
  name: 'azure_devops',
  displayName: 'Azure DevOps',
  categories: ['code_host'],
  curated: true,
  docsUrl: 'https://learn.microsoft.com/en-us/rest/api/azure/devops/git/?view=azure-devops-rest-7.1',
  // The organization is appended from config: https://dev.azure.com/{organization}.
  apiBaseUrl: 'https://dev.azure.com',
  hosts: ['dev.azure.com', '*.visualstudio.com', 'vssps.visualstudio.com', 'login.microsoftonline.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      // Azure DevOps' resource id with `.default`: every scope the app registration holds for it.
      // https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth
      defaultScopes: ['499b84ac-1321-427f-aa17-267ca6975798/.default', 'offline_access'],
      scopeDescriptions: {
        '499b84ac-1321-427f-aa17-267ca6975798/.default':
          'Use Azure DevOps as you, with the permissions the app was granted',
        offline_access: 'Stay connected while you are away',
      },
      scopeSeparator: ' ',
      // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
      pkce: true,
      refreshes: true,
      revokedGrant: ['AADSTS50173'],
      docsUrl:
        'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth',
    },
    basic: {
      fields: [
        {
          name: 'username',
          label: 'User name',
          secret: false,
          help: 'Not checked by Azure DevOps (the token is sent with an empty user name): your email, or any text.',
        },
        {
          name: 'password',
          label: 'Personal access token',
          secret: true,
          help: 'In Azure DevOps: User settings → Personal access tokens → New token, for this organization, with Code (Read & write), Build (Read) and Project and Team (Read).',
        },
      ],
      docsUrl:
        'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    },
  },
  // https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/rest/basics
  proxy: {
    headers: {
      oauth2: { authorization: 'Bearer {access_token}' },
      basic: { authorization: 'Basic {basic}' },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'repositories',
      model: 'repository',
      description: 'Git repositories of every project of the organization (or of config.projects).',
      defaultFrequency: '1d',
      incremental: false,
    }),
    defineSync({
      name: 'pull_requests',
      model: 'pull_request',
      description:
        'Pull requests of every project (or of config.projects), completed and abandoned ones included.',
      defaultFrequency: '1h',
      // The search filters by creation or close time only (searchCriteria.minTime with
      // queryTimeRangeType created|closed): a comment, a vote or a push moves neither, so an
      // incremental run would miss them. Webhooks carry those changes between full runs.
      incremental: false,
    }),
    defineSync({
      name: 'pipeline_runs',
      model: 'pipeline_run',
      description:
        'Pipeline runs (builds) of every project (or of config.projects); incremental runs read those finished since.',
      defaultFrequency: '1h',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_repos',
      description: 'List the Git repositories of the organization, or of one project.',
      writes: false,
      input: listReposInput,
      projectField: 'project',
    }),
    defineAction({
      name: 'list_pull_requests',
      description: 'List pull requests of a project (or one repository of it), newest first.',
      writes: false,
      input: listPullRequestsInput,
      projectField: 'project',
    }),
    defineAction({
      name: 'comment_on_pull_request',
      description: 'Start a comment thread on a pull request.',
      writes: true,
      input: commentOnPullRequestInput,
      projectField: 'project',
    }),
  ],
  // Service hooks (Web Hooks consumer) authenticated by the basic password or X-Webhook-Secret.
  webhooks: {
    events: [
      'git.pullrequest.created',
      'git.pullrequest.updated',
      'git.pullrequest.merged',
      'build.complete',
    ],
    signature: { scheme: 'basic_auth', header: 'authorization' },
    docsUrl: 'https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks',
  },
});
