import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, numericId } from './config';

export const createTaskInput = z.object({
  list_id: numericId,
  name: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  /** A status of the list's workflow, by name (ClickUp matches it case-insensitively). */
  status: z.optional(z.string().check(z.minLength(1))),
  /** ClickUp user ids. */
  assignees: z.optional(z.array(z.int().check(z.positive()))),
  tags: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** A day (YYYY-MM-DD) or an instant (ISO-8601 with offset). */
  due_date: z.optional(z.union([z.iso.date(), z.iso.datetime({ offset: true })])),
});

export const updateTaskStatusInput = z.object({
  // ClickUp's own task ids (`86cv5pkvr`), not custom task ids (`DEV-42`).
  task_id: z.string().check(z.regex(/^[A-Za-z0-9]+$/)),
  status: z.string().check(z.minLength(1)),
});

export const manifest = defineManifest({
  name: 'clickup',
  displayName: 'ClickUp',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://developer.clickup.com/reference',
  apiBaseUrl: 'https://api.clickup.com/api/v2',
  hosts: ['clickup.com', '*.clickup.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://app.clickup.com/api',
      tokenUrl: 'https://api.clickup.com/api/v2/oauth/token',
      defaultScopes: [], // ClickUp has no scopes: the user picks workspaces on consent
      scopeSeparator: ' ',
      pkce: false,
      noPkceReason:
        'ClickUp documents the authorization code grant with client_id, redirect_uri and state on ' +
        'authorize and client_id, client_secret and code on the token call, and no PKCE parameter: ' +
        'https://developer.clickup.com/docs/authentication#oauth-flow ' +
        'https://developer.clickup.com/reference/getaccesstoken',
      refreshes: false, // ClickUp access tokens do not expire
      docsUrl: 'https://developer.clickup.com/docs/authentication',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Personal API token (pk_…)',
          secret: true,
          help: 'In ClickUp: your avatar → Settings → Apps → API Token → Generate.',
        },
      ],
      docsUrl: 'https://developer.clickup.com/docs/authentication#personal-token',
    },
  },
  // `team_id`: one Workspace to sync (API v2 calls Workspaces teams); absent, every one the
  // token can see.
  // Both kinds of token bare in Authorization. https://developer.clickup.com/docs/authentication
  proxy: {
    headers: { oauth2: { authorization: '{access_token}' }, api_key: { authorization: '{api_key}' } },
  },
  config,
  syncs: [
    defineSync({
      name: 'tasks',
      model: 'work_item',
      description: 'Tasks and subtasks of every Workspace the connection can read, closed ones included.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'lists',
      model: 'project',
      description: 'Lists of every Space, in Folders or not, archived ones included.',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'create_task',
      description: 'Create a task in a list.',
      writes: true,
      input: createTaskInput,
      projectField: 'list_id',
    }),
    defineAction({
      name: 'update_task_status',
      description: "Change a task's status to another of its list's workflow.",
      writes: true,
      input: updateTaskStatusInput,
    }),
  ],
  webhooks: {
    events: ['taskCreated', 'taskUpdated', 'taskDeleted', 'taskStatusUpdated'],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-signature' },
    docsUrl: 'https://developer.clickup.com/docs/webhooksignature',
  },
});
