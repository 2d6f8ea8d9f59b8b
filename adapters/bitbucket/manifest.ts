import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, workspace } from './config';

const repo = z
  .string()
  .check(z.regex(/^[\w.-]+\/[\w.-]+$/), z.describe('Repository as workspace/slug, e.g. acme/payments-api'));
/** Opaque: the query of the `next` page Bitbucket answered, as the last answer's next_cursor gave it. */
const cursor = z.optional(
  z.string().check(z.regex(/^[\w-]{1,4000}$/), z.describe('next_cursor of the previous page')),
);

export const pullRequestStates = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;

export const listReposInput = z.object({
  workspace: z.optional(workspace.check(z.describe('Only this workspace (default: config.workspace)'))),
  pagelen: z.optional(z.int().check(z.minimum(1), z.maximum(100), z.describe('Page size (default 50)'))),
  cursor,
});

export const listPullRequestsInput = z.object({
  repo,
  state: z.optional(z.enum([...pullRequestStates, 'ALL']).check(z.describe('Default: OPEN'))),
  pagelen: z.optional(z.int().check(z.minimum(1), z.maximum(50), z.describe('Page size (default 20)'))),
  cursor,
});

export const commentOnPullRequestInput = z.object({
  repo,
  pull_request_id: z.int().check(z.minimum(1), z.describe("The pull request's id within its repository")),
  body: z.string().check(z.minLength(1), z.maxLength(32768), z.describe('Markdown')),
});

export const manifest = defineManifest({
  name: 'bitbucket',
  displayName: 'Bitbucket',
  categories: ['code_host'],
  curated: true,
  docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/rest/',
  apiBaseUrl: 'https://api.bitbucket.org/2.0',
  hosts: ['bitbucket.org', '*.bitbucket.org'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://bitbucket.org/site/oauth2/authorize',
      tokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
      // What a token may do is set by the OAuth consumer's permissions in Bitbucket: these are
      // the ones to give it (a `scope` on the authorization request does not add any).
      defaultScopes: ['repository', 'pullrequest', 'account'],
      // https://developer.atlassian.com/cloud/bitbucket/rest/intro/#scopes
      scopeDescriptions: {
        repository: 'Read your repositories',
        pullrequest: 'Read your repositories and their pull requests',
        account: 'Read your account information',
      },
      scopeSeparator: ' ',
      pkce: false,
      noPkceReason:
        'Bitbucket Cloud documents only the plain authorization code grant (no code_challenge or ' +
        'code_verifier), and PKCE is an open feature request: ' +
        'https://developer.atlassian.com/cloud/bitbucket/oauth-2/ ' +
        'https://jira.atlassian.com/browse/BCLOUD-23469',
      refreshes: true, // access tokens last 2 h; refresh tokens do not expire
      docsUrl: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/',
    },
    basic: {
      fields: [
        {
          name: 'username',
          label: 'Bitbucket username (or Atlassian email for an API token)',
          secret: false,
        },
        {
          name: 'password',
          label: 'App password or API token',
          secret: true,
          help: 'At id.atlassian.com: Security → Create and manage API tokens → Create API token with scopes, for Bitbucket.',
        },
      ],
      docsUrl: 'https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/',
    },
  },
  // https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication
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
      description: 'Repositories the connection is a member of (or those of config.workspace).',
      defaultFrequency: '1d',
      // No filter catches every change (a rename moves updated_on, a permission change does
      // not); a full listing a day is a page per 100 repositories.
      incremental: false,
    }),
    defineSync({
      name: 'pull_requests',
      model: 'pull_request',
      description:
        'Pull requests of the repositories the connection is a member of (or of config.workspace), in every state.',
      defaultFrequency: '1h',
      // BBQL `updated_on >= …` on each repository's pull requests.
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_repos',
      description: 'List repositories the connection is a member of (or those of a workspace), oldest first.',
      writes: false,
      input: listReposInput,
    }),
    defineAction({
      name: 'list_pull_requests',
      description: 'List pull requests of a repository, newest first.',
      writes: false,
      input: listPullRequestsInput,
      projectField: 'repo',
    }),
    defineAction({
      name: 'comment_on_pull_request',
      description: 'Comment on a pull request (by its id within the repository).',
      writes: true,
      input: commentOnPullRequestInput,
      projectField: 'repo',
    }),
  ],
  webhooks: {
    events: [
      'repo:push',
      'pullrequest:created',
      'pullrequest:updated',
      'pullrequest:fulfilled',
      'issue:created',
    ],
    // A webhook with a secret is signed `sha256=<hex HMAC of the body>`.
    signature: { scheme: 'hmac_sha256_hex', header: 'x-hub-signature' },
    docsUrl: 'https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/',
  },
});
