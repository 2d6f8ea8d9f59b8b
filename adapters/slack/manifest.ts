import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

export const manifest: ProviderManifest = {
  name: 'slack',
  displayName: 'Slack',
  categories: ['communication'],
  curated: true,
  docsUrl: 'https://docs.slack.dev/reference/methods',
  apiBaseUrl: 'https://slack.com/api',
  auth: {
    oauth2: {
      authorizationUrl: 'https://slack.com/oauth/v2/authorize',
      tokenUrl: 'https://slack.com/api/oauth.v2.access',
      defaultScopes: ['channels:read', 'channels:history', 'chat:write', 'users:read'],
      scopeSeparator: ',',
      pkce: false,
      refreshes: false, // only with token rotation turned on for the app
      docsUrl: 'https://docs.slack.dev/authentication/installing-with-oauth',
    },
  },
  config: z.object({ channels: z.optional(z.array(z.string().check(z.minLength(1)))) }),
  syncs: [
    {
      name: 'channels',
      model: 'channel',
      description: 'Public channels of the workspace.',
      defaultFrequency: '1d',
      incremental: false,
    },
    {
      name: 'users',
      model: 'user',
      description: 'Members of the workspace.',
      defaultFrequency: '1d',
      incremental: false,
    },
  ],
  actions: [
    {
      name: 'list_channels',
      description: 'List channels.',
      writes: false,
      input: z.object({ limit: z.optional(z.int().check(z.minimum(1), z.maximum(1000))) }),
    },
    {
      name: 'send_message',
      description: 'Post a message to a channel.',
      writes: true,
      input: z.object({
        channel: z.string().check(z.minLength(1)),
        text: z.string().check(z.minLength(1), z.maxLength(40000)),
        thread_ts: z.optional(z.string()),
      }),
    },
    {
      name: 'search_messages',
      description: 'Search messages (needs a user token with search:read).',
      writes: false,
      input: z.object({ query: z.string().check(z.minLength(1)) }),
    },
  ],
  webhooks: {
    events: ['message', 'channel_created', 'channel_rename', 'team_join', 'user_change'],
    signature: { scheme: 'slack_v0', header: 'x-slack-signature' },
    docsUrl: 'https://docs.slack.dev/authentication/verifying-requests-from-slack',
  },
};
