import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

export const listChannelsInput = z.object({
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  cursor: z.optional(z.string().check(z.minLength(1))),
  include_archived: z.optional(z.boolean()),
});

export const sendMessageInput = z.object({
  /** A channel id (`C…`), or its name. */
  channel: z.string().check(z.minLength(1)),
  text: z.string().check(z.minLength(1), z.maxLength(40000)),
  /** The `ts` of the message to reply to, in its thread. */
  thread_ts: z.optional(z.string().check(z.regex(/^\d+\.\d+$/))),
});

export const searchMessagesInput = z.object({
  query: z.string().check(z.minLength(1)),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  // Slack pages search results by number, up to page 100.
  cursor: z.optional(z.string().check(z.regex(/^(100|[1-9]\d?)$/))),
});

export const manifest = defineManifest({
  name: 'slack',
  displayName: 'Slack',
  categories: ['communication'],
  curated: true,
  docsUrl: 'https://docs.slack.dev/reference/methods',
  apiBaseUrl: 'https://slack.com/api',
  hosts: ['slack.com', '*.slack.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://slack.com/oauth/v2/authorize',
      tokenUrl: 'https://slack.com/api/oauth.v2.access',
      // groups:read for private channels, users:read.email for members' emails. search.messages
      // takes a user token (user scope search:read); no bot scope allows it.
      defaultScopes: [
        'channels:read',
        'groups:read',
        'channels:history',
        'chat:write',
        'users:read',
        'users:read.email',
      ],
      // https://docs.slack.dev/reference/scopes
      scopeDescriptions: {
        'channels:read': 'See the public channels of the workspace',
        'groups:read': 'See the private channels the app is added to',
        'channels:history': 'Read messages in public channels the app is added to',
        'chat:write': 'Send messages as the app',
        'users:read': 'See the people in the workspace',
        'users:read.email': 'See the email addresses of people in the workspace',
      },
      scopeSeparator: ',',
      // The installing user's token, for search.messages (no bot scope allows it): Slack
      // returns it in `authed_user`, kept beside the bot token.
      authorizationParams: { user_scope: 'search:read' },
      pkce: false,
      noPkceReason:
        'Slack takes PKCE only from apps whose owner turned it on, which marks the app a public ' +
        'client for good (one way, and its refresh tokens then expire after 30 days); a ' +
        'confidential web app like this one is not asked to: ' +
        'https://docs.slack.dev/authentication/using-pkce',
      refreshes: false, // only with token rotation turned on for the app
      docsUrl: 'https://docs.slack.dev/authentication/installing-with-oauth',
    },
  },
  // The bot token as Bearer, as every Web API call of the adapter sends it.
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'channels',
      model: 'channel',
      description: 'Public and private channels of the workspace the token can see, archived ones included.',
      defaultFrequency: '1d',
      incremental: false,
    }),
    defineSync({
      name: 'users',
      model: 'user',
      description: 'Members of the workspace, bots and deactivated members included.',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_channels',
      description:
        'List public and private channels (archived ones with include_archived). A page may hold fewer than limit while next_cursor says more follow.',
      writes: false,
      input: listChannelsInput,
    }),
    defineAction({
      name: 'send_message',
      description: 'Post a message to a channel, or in a thread with thread_ts.',
      writes: true,
      input: sendMessageInput,
      projectField: 'channel',
    }),
    defineAction({
      name: 'search_messages',
      description: 'Search messages (needs a user token with search:read; Slack refuses bot tokens).',
      writes: false,
      input: searchMessagesInput,
    }),
  ],
  // Events API subscriptions (bot events): channel changes trigger the channels sync, user
  // changes upsert the user, messages are passed on as they are.
  webhooks: {
    events: [
      'channel_created',
      'channel_rename',
      'channel_archive',
      'channel_unarchive',
      'channel_deleted',
      'member_joined_channel',
      'group_rename',
      'group_archive',
      'group_unarchive',
      'group_deleted',
      'user_change',
      'team_join',
      'message.channels',
      'message.groups',
    ],
    signature: { scheme: 'slack_v0', header: 'x-slack-signature' },
    docsUrl: 'https://docs.slack.dev/apis/events-api/',
  },
});
