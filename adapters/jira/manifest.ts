import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

// Jira keys: an upper-case letter, then upper-case letters, digits or underscores.
// https://support.atlassian.com/jira-cloud-administration/docs/edit-a-projects-details/
const projectKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,254}$/), z.describe('Project key, e.g. ACME'));
const issueRef = z
  .string()
  .check(
    z.regex(/^(?:[A-Z][A-Z0-9_]+-\d+|\d+|jira_issue_\d+)$/),
    z.describe('Issue key (ACME-42), Jira id (10042) or record id (jira_issue_10042)'),
  );
const cursor = z
  .string()
  .check(z.minLength(1), z.maxLength(4096), z.describe('next_cursor of the previous page'));

export const listProjectsInput = z.object({ cursor: z.optional(cursor) });

export const listIssuesInput = z.object({
  project_key: z.optional(projectKey),
  status: z.optional(
    z.string().check(z.minLength(1), z.describe('A Jira status name, e.g. In Progress (raw_status)')),
  ),
  jql: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(4000),
        z.describe('More JQL, ANDed with the filters above; may end with ORDER BY'),
      ),
  ),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(100), z.describe('Issues a page (default 50)'))),
  cursor: z.optional(cursor),
});

export const createIssueInput = z.object({
  project_key: projectKey,
  summary: z.string().check(z.minLength(1), z.maxLength(255)),
  description: z.optional(
    z.string().check(z.maxLength(32_767), z.describe('Plain text; blank lines separate paragraphs')),
  ),
  issue_type: z.optional(
    z.string().check(z.minLength(1), z.describe('Issue type name, e.g. Task (default), Bug, Story')),
  ),
  labels: z.optional(
    z
      .array(z.string().check(z.regex(/^\S{1,255}$/), z.describe('A label (no spaces)')))
      .check(z.maxLength(50)),
  ),
  assignee_account_id: z.optional(
    z.string().check(z.minLength(1), z.maxLength(128), z.describe('Atlassian account id of the assignee')),
  ),
});

export const transitionIssueInput = z.object({
  issue: issueRef,
  transition: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(255),
      z.describe('Transition name or id, or the name of the status it leads to'),
    ),
});

export const manifest = defineManifest({
  name: 'jira',
  displayName: 'Jira',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/',
  // OAuth 2.0 (3LO) calls go through the gateway with the cloud id; basic auth goes to the site.
  apiBaseUrl: 'https://api.atlassian.com/ex/jira/{cloud_id}',
  hosts: ['*.atlassian.com', '*.atlassian.net'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://auth.atlassian.com/authorize',
      tokenUrl: 'https://auth.atlassian.com/oauth/token',
      defaultScopes: ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'],
      // https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/
      scopeDescriptions: {
        'read:jira-work': 'Read projects and issues, with their comments and attachments',
        'write:jira-work': 'Create and edit issues, comments and worklogs',
        'read:jira-user': 'See the names and email addresses of people in Jira',
        offline_access: 'Stay connected while you are away',
      },
      scopeSeparator: ' ',
      pkce: false,
      noPkceReason:
        'Atlassian OAuth 2.0 (3LO) lists no code_challenge among the authorization URL parameters and ' +
        'no code_verifier on the token call; PKCE is a feature request (ECO-283): ' +
        'https://developer.atlassian.com/cloud/oauth/getting-started/implementing-oauth-3lo ' +
        'https://jira.atlassian.com/browse/ECO-283',
      authorizationParams: { audience: 'api.atlassian.com', prompt: 'consent' },
      refreshes: true, // rotating refresh tokens
      docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
    },
    basic: {
      fields: [
        {
          name: 'username',
          label: 'Atlassian account email',
          secret: false,
          help: 'The email address you sign in to Jira with.',
        },
        {
          name: 'password',
          label: 'API token',
          secret: true,
          help: 'At id.atlassian.com: Security → Create and manage API tokens → Create API token.',
        },
      ],
      docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/',
    },
  },
  // OAuth through the gateway (`{cloud_id}` from the connection), basic auth at the site.
  // https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
  proxy: {
    headers: {
      oauth2: { authorization: 'Bearer {access_token}' },
      basic: { authorization: 'Basic {basic}' },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every project the connection can browse.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'projects',
      model: 'project',
      description: 'Projects the connection can browse.',
      defaultFrequency: '1d',
      incremental: false,
    }),
    defineSync({
      name: 'sprints',
      model: 'project',
      description:
        "Sprints of every board the connection can see (Jira Software), each under its board's name.",
      defaultFrequency: '1h',
      // The Agile API has no filter by change: every run reads every board's sprints.
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_projects',
      description: 'List the projects the connection can browse (archived ones too), in key order.',
      writes: false,
      input: listProjectsInput,
    }),
    defineAction({
      name: 'list_issues',
      description:
        'Search issues, newest first unless the JQL orders them: by project, by status, and/or by any JQL.',
      writes: false,
      projectField: 'project_key',
      input: listIssuesInput,
    }),
    defineAction({
      name: 'create_issue',
      description: 'Create an issue in a project.',
      writes: true,
      projectField: 'project_key',
      input: createIssueInput,
    }),
    defineAction({
      name: 'transition_issue',
      description:
        "Move an issue to another status through a workflow transition, named by the transition's name or id (or the status it leads to).",
      writes: true,
      input: transitionIssueInput,
    }),
  ],
  // Admin webhooks with a secret sign the body (X-Hub-Signature: sha256=…); an OAuth 2.0 app's
  // dynamic webhooks carry a JWT signed with its client secret instead (webhooks.ts takes both).
  webhooks: {
    events: [
      'jira:issue_created',
      'jira:issue_updated',
      'jira:issue_deleted',
      'comment_created',
      'comment_updated',
      'comment_deleted',
      'project_created',
      'project_updated',
      'project_archived',
      'project_restored_archived',
      'project_soft_deleted',
      'project_restored_deleted',
      'project_deleted',
      'sprint_created',
      'sprint_updated',
      'sprint_started',
      'sprint_closed',
      'sprint_deleted',
    ],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-hub-signature' },
    docsUrl: 'https://developer.atlassian.com/cloud/jira/platform/webhooks/',
  },
});
