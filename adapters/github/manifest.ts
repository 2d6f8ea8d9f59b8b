import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

const repo = z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/), z.describe('Repository as owner/name'));
const issueState = z.enum(['open', 'closed', 'all']);
const perPage = z.optional(z.int().check(z.minimum(1), z.maximum(100), z.describe('Page size (default 30)')));
/** GitHub's page number, as the last answer's `next_cursor` gave it. */
const cursor = z.optional(
  z.string().check(z.regex(/^[1-9]\d{0,6}$/), z.describe('next_cursor of the previous page')),
);

export const manifest = defineManifest({
  name: 'github',
  displayName: 'GitHub',
  categories: ['code_host'],
  curated: true,
  docsUrl: 'https://docs.github.com/en/rest',
  apiBaseUrl: 'https://api.github.com',
  hosts: ['github.com', '*.github.com', '*.ghe.com'],
  auth: {
    oauth2: {
      // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
      authorizationUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      defaultScopes: ['repo', 'read:user'],
      // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
      scopeDescriptions: {
        repo: 'Read and write code, issues and pull requests in your public and private repositories',
        'read:user': 'Read your profile information',
        'read:org': 'Read your organization and team memberships',
      },
      scopeSeparator: ' ',
      // S256 only; OAuth apps and GitHub Apps alike.
      // https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication
      pkce: true,
      // OAuth-app tokens never expire; GitHub-App user tokens expire and refresh.
      refreshes: false,
      docsUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    },
    app_install: {
      installUrl: 'https://github.com/apps/{slug}/installations/new',
      fields: [{ name: 'installation_id', label: 'Installation ID', secret: false }],
      docsUrl:
        'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation',
    },
  },
  // Raw requests: the OAuth or installation token as Bearer.
  // https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every repository the connection can read (pull requests excluded).',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'pull_requests',
      model: 'pull_request',
      description: 'Pull requests of every repository the connection can read.',
      defaultFrequency: '1h',
      // No `since` at GitHub: incremental runs read most recently updated first and stop at
      // the first one older than the last run (syncs.ts).
      incremental: true,
    }),
    defineSync({
      name: 'commits',
      model: 'commit',
      description: "Commits on each readable repository's default branch.",
      defaultFrequency: '1h',
      // GET /repos/{owner}/{repo}/commits takes `since` (commit date).
      incremental: true,
    }),
    defineSync({
      name: 'repositories',
      model: 'repository',
      description: 'Repositories the connection can read.',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_repos',
      description: 'List repositories the connection can read (an app installation: its own).',
      writes: false,
      input: z.object({ per_page: perPage, cursor }),
    }),
    defineAction({
      name: 'list_issues',
      description:
        'List issues of a repository, pull requests left out (a page may hold fewer than per_page). Default state: open.',
      writes: false,
      input: z.object({
        repo,
        state: z.optional(issueState),
        labels: z.optional(
          z.array(z.string().check(z.minLength(1))).check(z.describe('Issues carrying all these labels')),
        ),
        per_page: perPage,
        cursor,
      }),
      projectField: 'repo',
    }),
    defineAction({
      name: 'create_issue',
      description: 'Create an issue in a repository.',
      writes: true,
      input: z.object({
        repo,
        title: z.string().check(z.minLength(1), z.maxLength(256)),
        body: z.optional(z.string().check(z.maxLength(65536))),
        labels: z.optional(z.array(z.string().check(z.minLength(1)))),
        assignees: z.optional(z.array(z.string().check(z.minLength(1))).check(z.describe('Logins'))),
      }),
      projectField: 'repo',
    }),
    defineAction({
      name: 'list_pull_requests',
      description: 'List pull requests of a repository, newest first. Default state: open.',
      writes: false,
      input: z.object({ repo, state: z.optional(issueState), per_page: perPage, cursor }),
      projectField: 'repo',
    }),
    defineAction({
      name: 'comment_on_issue',
      description: 'Comment on an issue or pull request (by its number).',
      writes: true,
      input: z.object({
        repo,
        issue_number: z.int().check(z.minimum(1)),
        body: z.string().check(z.minLength(1), z.maxLength(65536)),
      }),
      projectField: 'repo',
    }),
  ],
  // Events that change records (issues, comments moving an issue, pull requests,
  // repositories, an installation's repositories, pushes bringing commits), the
  // installation's lifecycle, and CI events forwarded as provider.event only.
  webhooks: {
    events: [
      'issues',
      'issue_comment',
      'pull_request',
      'repository',
      'installation',
      'installation_repositories',
      'push',
      'deployment_status',
      'workflow_run',
    ],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-hub-signature-256' },
    docsUrl: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries',
  },
});
