import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

/** Graph ids: team ids are GUIDs, channel ids `19:…@thread.tacv2`, message ids numbers. */
const graphId = z.string().check(z.minLength(1), z.maxLength(256));

export const sendChannelMessageInput = z.object({
  team_id: graphId.check(z.describe('The team (its Microsoft 365 group id).')),
  channel_id: graphId.check(z.describe('The channel id, e.g. 19:…@thread.tacv2.')),
  content: z.string().check(z.minLength(1), z.describe('The message body.')),
  content_type: z.optional(z.enum(['text', 'html']).check(z.describe('How content is read; default text.'))),
  thread_id: z.optional(graphId.check(z.describe('Reply in this thread: the id of its first message.'))),
});

export const manifest = defineManifest({
  name: 'microsoft_teams',
  displayName: 'Microsoft Teams',
  categories: ['communication'],
  curated: true,
  docsUrl: 'https://learn.microsoft.com/en-us/graph/api/resources/teams-api-overview',
  apiBaseUrl: 'https://graph.microsoft.com/v1.0',
  hosts: [
    'graph.microsoft.com',
    'login.microsoftonline.com',
    // National clouds: US Government (L4, L5/DoD), China (21Vianet).
    'graph.microsoft.us',
    'dod-graph.microsoft.us',
    'login.microsoftonline.us',
    'microsoftgraph.chinacloudapi.cn',
    'login.chinacloudapi.cn',
  ],
  auth: {
    oauth2: {
      // `{tenant}` is the Entra tenant from connection config, `common` when absent.
      authorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      defaultScopes: [
        'offline_access',
        'User.Read',
        'Team.ReadBasic.All',
        'Channel.ReadBasic.All',
        'ChannelMessage.Send',
      ],
      // https://learn.microsoft.com/en-us/graph/permissions-reference
      scopeDescriptions: {
        offline_access: 'Stay connected while you are away',
        'User.Read': 'Sign you in and read your profile',
        'Team.ReadBasic.All': 'See the names and descriptions of your teams',
        'Channel.ReadBasic.All': 'See the names and descriptions of channels',
        'ChannelMessage.Send': 'Send messages to channels as you',
      },
      scopeSeparator: ' ',
      // Recommended for every app type, confidential web apps included.
      // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
      pkce: true,
      refreshes: true, // rotating refresh tokens
      // AADSTS50173: "The provided grant has expired due to it being revoked" (revokeSignInSessions,
      // an admin or a password reset); AADSTS700082 (90 days idle) stays `expired`.
      // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
      revokedGrant: ['AADSTS50173'],
      docsUrl: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    },
  },
  // https://learn.microsoft.com/en-us/graph/auth-v2-user#use-the-access-token-to-call-microsoft-graph
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'teams',
      model: 'channel',
      description: 'Teams the user has joined (kind "team").',
      defaultFrequency: '1d',
      incremental: false,
    }),
    defineSync({
      name: 'channels',
      model: 'channel',
      description: 'Channels of every joined team.',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'send_channel_message',
      description:
        'Post a message to a channel of a team, or reply in a thread (thread_id: the id of its first message).',
      writes: true,
      input: sendChannelMessageInput,
      projectField: 'team_id',
    }),
  ],
  // Change notifications of subscriptions to /teams, /teams/getAllChannels (or a team's
  // channels) and messages; `clientState` is the integration's webhook secret.
  webhooks: {
    events: [
      'team.created',
      'team.updated',
      'team.deleted',
      'channel.created',
      'channel.updated',
      'channel.deleted',
      'chatMessage.created',
      'lifecycle.missed',
    ],
    signature: { scheme: 'graph_client_state', header: 'clientState' },
    docsUrl: 'https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks',
  },
});
