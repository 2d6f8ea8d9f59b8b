import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, project } from './config';

const workItemRef = z.union([
  z.int().check(z.minimum(1)),
  z.string().check(z.regex(/^(?:\d+|azb_wi_\d+)$/), z.describe('Work item id (42) or record id (azb_wi_42)')),
]);
const state = z
  .string()
  .check(z.minLength(1), z.maxLength(128), z.describe('A state of the work item type, e.g. Active'));

export const createWorkItemInput = z.object({
  project,
  type: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(128),
        z.describe('Work item type, e.g. Task (default), Bug, User Story'),
      ),
  ),
  title: z.string().check(z.minLength(1), z.maxLength(255)),
  description: z.optional(z.string().check(z.maxLength(32_000), z.describe('HTML or plain text'))),
  assigned_to: z.optional(
    z.string().check(z.minLength(1), z.describe('Email or display name of the assignee')),
  ),
  tags: z.optional(z.array(z.string().check(z.regex(/^[^;]{1,400}$/), z.describe('A tag (no semicolons)')))),
});

export const updateWorkItemStateInput = z.object({ id: workItemRef, state });

export const listWorkItemsInput = z.object({
  project,
  state: z.optional(state),
  type: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  limit: z.optional(
    z.int().check(z.minimum(1), z.maximum(200), z.describe('Work items a page (default 50)')),
  ),
  cursor: z.optional(z.string().check(z.regex(/^\d+$/), z.describe('next_cursor of the previous page'))),
});

export const manifest = defineManifest({
  name: 'azure_boards',
  displayName: 'Azure Boards',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/?view=azure-devops-rest-7.1',
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
          help: 'In Azure DevOps: User settings → Personal access tokens → New token, for this organization, with Work Items (Read & write) and Project and Team (Read).',
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
      name: 'work_items',
      model: 'work_item',
      description: 'Work items of every project of the organization (or of config.projects), by WIQL.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'projects',
      model: 'project',
      description: 'Projects of the organization (or config.projects).',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'create_work_item',
      description: 'Create a work item (a Task unless another type is named) in a project.',
      writes: true,
      input: createWorkItemInput,
      projectField: 'project',
    }),
    defineAction({
      name: 'update_work_item_state',
      description: 'Move a work item to another state of its type (e.g. Active, Resolved, Closed).',
      writes: true,
      input: updateWorkItemStateInput,
    }),
    defineAction({
      name: 'list_work_items',
      description: 'List work items of a project in id order, by state and/or type.',
      writes: false,
      input: listWorkItemsInput,
      projectField: 'project',
    }),
  ],
  // Service hooks (Web Hooks consumer) authenticated by the basic password or X-Webhook-Secret.
  webhooks: {
    events: ['workitem.created', 'workitem.updated', 'workitem.deleted', 'workitem.restored'],
    signature: { scheme: 'basic_auth', header: 'authorization' },
    docsUrl: 'https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks',
  },
});
