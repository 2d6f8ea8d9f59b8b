import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

/** Workflow state types: https://linear.app/docs/configuring-workflows */
export const issueStateTypes = [
  'triage',
  'backlog',
  'unstarted',
  'started',
  'completed',
  'canceled',
] as const;

const nonEmpty = z.string().check(z.minLength(1));
/** Linear pages with Relay cursors, at most 250 a page. https://linear.app/developers/pagination */
const paging = {
  cursor: z.optional(nonEmpty),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(250))),
};

export const manifest = defineManifest({
  name: 'linear',
  displayName: 'Linear',
  categories: ['task_manager'],
  curated: true,
  docsUrl: 'https://linear.app/developers/graphql',
  apiBaseUrl: 'https://api.linear.app/graphql',
  hosts: ['linear.app', '*.linear.app'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://linear.app/oauth/authorize',
      tokenUrl: 'https://api.linear.app/oauth/token',
      defaultScopes: ['read', 'write'],
      // https://linear.app/developers/oauth-2-0-authentication
      scopeDescriptions: {
        read: "Read your workspace's issues, projects and teams",
        write: 'Create and edit issues, comments and projects',
        'issues:create': 'Create issues',
        'comments:create': 'Create comments',
      },
      scopeSeparator: ',',
      // code_challenge / code_challenge_method on authorize, code_verifier on the token call.
      // https://linear.app/developers/oauth-2-0-authentication
      pkce: true,
      refreshes: true,
      docsUrl: 'https://linear.app/developers/oauth-2-0-authentication',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Personal API key',
          secret: true,
          help: 'In Linear: Settings → Security & access → Personal API keys → New API key.',
        },
      ],
      docsUrl: 'https://linear.app/developers/graphql#personal-api-keys',
    },
  },
  // Personal API keys go bare, OAuth tokens as Bearer; raw paths are relative to the
  // API's origin, so `POST /v1/proxy/{id}/graphql` is Linear's one endpoint.
  // https://linear.app/developers/graphql#authentication
  proxy: {
    headers: { oauth2: { authorization: 'Bearer {access_token}' }, api_key: { authorization: '{api_key}' } },
    base: 'parent',
  },
  config,
  syncs: [
    defineSync({
      name: 'issues',
      model: 'work_item',
      description: 'Issues of every team the connection can read.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'projects',
      model: 'project',
      description: 'Projects (kind `project`), with the keys of their teams as parent.',
      defaultFrequency: '1d',
      incremental: true,
    }),
    defineSync({
      name: 'cycles',
      model: 'project',
      description: 'Cycles of every team (kind `cycle`), with the team key as parent.',
      defaultFrequency: '1d',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_issues',
      description:
        'List issues, newest first, optionally of one team (id or key), in one workflow state type, or assigned to someone ("me", an email or a user id).',
      writes: false,
      projectField: 'team_id',
      input: z.object({
        team_id: z.optional(nonEmpty),
        state_type: z.optional(z.enum(issueStateTypes)),
        assignee: z.optional(nonEmpty),
        ...paging,
      }),
    }),
    defineAction({
      name: 'create_issue',
      description: 'Create an issue in a team (id or key).',
      writes: true,
      projectField: 'team_id',
      input: z.object({
        team_id: nonEmpty,
        title: nonEmpty,
        description: z.optional(z.string()),
        /** 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
        priority: z.optional(z.int().check(z.minimum(0), z.maximum(4))),
        label_ids: z.optional(z.array(nonEmpty)),
        assignee_id: z.optional(nonEmpty),
        /** A Linear project id, or a project record id (`linear_project_…`). */
        project_id: z.optional(nonEmpty),
      }),
    }),
    defineAction({
      name: 'list_projects',
      description: 'List projects, newest first, optionally of one team (id or key).',
      writes: false,
      projectField: 'team_id',
      input: z.object({ team_id: z.optional(nonEmpty), ...paging }),
    }),
    defineAction({
      name: 'list_cycles',
      description: 'List cycles, newest first, optionally of one team (id or key).',
      writes: false,
      projectField: 'team_id',
      input: z.object({ team_id: z.optional(nonEmpty), ...paging }),
    }),
  ],
  // Resource types of the webhook (each delivery's Linear-Event): issues upsert or delete
  // their record, projects and cycles run their sync, comments are passed on as they are.
  webhooks: {
    events: ['Issue', 'Project', 'Cycle', 'Comment'],
    signature: { scheme: 'linear', header: 'linear-signature' },
    docsUrl: 'https://linear.app/developers/webhooks',
  },
});
